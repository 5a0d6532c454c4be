import { expect } from 'chai';
import { parseCrontab } from 'graphile-worker';
import { addDays, todayInStockholm } from '../../src/platform/calendar.js';
import { enqueueJob } from '../../src/platform/jobs.js';
import { formatMoney, ore } from '../../src/platform/money.js';
import { REMINDERS_CRONTAB, SEND_INVOICE_REMINDERS_TASK, sendInvoiceReminders } from '../../src/modules/billing/reminders.js';
import { createOrganisation } from '../support/factories.js';
import { createInvoiceF } from '../support/billing-factories-f.js';
import { useTestApp } from '../support/test-app.js';

// Reminders of unpaid invoices: the first on the Stockholm day after the due date, the second fourteen days after
// that, collection fourteen days after the second; each once per invoice however often the job runs, and none for
// a paid invoice. The mail goes to the organisation's billing address.

/** An amount as the mail writes it: mail texts are one line with plain spaces (no no-break spaces). */
const mailMoney = (amount: number) => formatMoney(ore(amount)).replace(/\s/g, ' ');

/** Noon UTC of a date: the same calendar day in Stockholm, summer or winter. */
const middayOf = (date: string) => new Date(`${date}T12:00:00Z`);

describe('Invoice reminders', () => {
  const ctx = useTestApp();
  let organisationId: number;
  const billingEmail = 'kassoren@byaforeningen.example.se';

  const run = (now: Date) => sendInvoiceReminders(ctx.db, { publicUrl: ctx.config.publicUrl, log: ctx.deps.log, now });
  const mailsTo = (address: string) =>
    ctx
      .db('mails')
      .where({ to_address: address, template: 'invoice-reminder' })
      .orderBy('id')
      .select('subject', 'text_body', 'html_body');

  before(async () => {
    organisationId = (await createOrganisation(ctx.db)).id;
    await ctx.db('organisations').where('id', organisationId).update({ billing_email: billingEmail });
  });

  it('when the Stockholm day after the due date begins (23:00 UTC in winter), then the first reminder goes out, not a minute before', async () => {
    const invoice = await createInvoiceF(ctx.db, { organisationId, dueDate: '2026-03-10' });
    // 2026-03-10 23:59 in Stockholm (CET, UTC+1): still the due date.
    expect((await run(new Date('2026-03-10T22:59:00Z'))).first).not.to.include(invoice.id);
    // 2026-03-11 00:00 in Stockholm, while UTC is still on the 10th.
    expect((await run(new Date('2026-03-10T23:00:00Z'))).first).to.include(invoice.id);
    expect(await ctx.db('invoice_reminders').where('invoice_id', invoice.id).pluck('level')).to.deep.equal([1]);
  });

  it('when summer time applies, then the day begins at 22:00 UTC', async () => {
    const invoice = await createInvoiceF(ctx.db, { organisationId, dueDate: '2026-07-01' });
    expect((await run(new Date('2026-07-01T21:59:00Z'))).first).not.to.include(invoice.id);
    expect((await run(new Date('2026-07-01T22:00:00Z'))).first).to.include(invoice.id);
  });

  describe('an invoice that stays unpaid', () => {
    const today = todayInStockholm();
    const dueDate = addDays(today, -1);
    let invoiceId: number;
    let ocr: string;
    let number: number;

    before(async () => {
      ({ id: invoiceId, ocr, number } = await createInvoiceF(ctx.db, { organisationId, dueDate }));
    });

    it('when the job runs the day after the due date, then the first reminder is mailed to the billing address', async () => {
      expect((await run(middayOf(today))).first).to.include(invoiceId);
      const [mail] = await mailsTo(billingEmail).where('subject', 'like', `%UB-${number} %`);
      expect(mail.subject).to.equal(`Påminnelse: faktura UB-${number} är obetald`);
      expect(mail.text_body).to.include(`Kvar att betala: ${mailMoney(125_000)}`);
      expect(mail.text_body).to.include(`Betala till bankgiro 1234-5678 med OCR-nummer ${ocr}.`);
      expect(mail.text_body).to.include('Testoperatören AB');
      expect(mail.text_body).not.to.include('inkasso');
    });

    it('when the job runs again the same day, then nothing more is sent', async () => {
      const run2 = await run(middayOf(today));
      expect(run2.first).not.to.include(invoiceId);
      expect(await mailsTo(billingEmail).where('subject', 'like', `%UB-${number} %`)).to.have.length(1);
    });

    it('when 13 days have passed, then no second reminder; on the 14th, the second reminder, once', async () => {
      expect((await run(middayOf(addDays(today, 13)))).second).not.to.include(invoiceId);
      expect((await run(middayOf(addDays(today, 14)))).second).to.include(invoiceId);
      expect((await run(middayOf(addDays(today, 14)))).second).not.to.include(invoiceId);
      const mails = await mailsTo(billingEmail).where('subject', 'like', `%UB-${number} %`);
      expect(mails).to.have.length(2);
      expect(mails[1].text_body).to.include('Det här är andra påminnelsen.');
      expect(mails[1].text_body).to.include('inkasso');
      expect(await ctx.db('invoice_reminders').where('invoice_id', invoiceId).orderBy('level').pluck('level')).to.deep.equal([
        1, 2,
      ]);
    });

    it('when 14 more days pass unpaid, then the invoice is marked for collection (not a day earlier) and nothing more is mailed', async () => {
      expect((await run(middayOf(addDays(today, 27)))).collection).not.to.include(invoiceId);
      expect((await ctx.db('invoices').where('id', invoiceId).first('status')).status).to.equal('unpaid');
      expect((await run(middayOf(addDays(today, 28)))).collection).to.include(invoiceId);
      const row = await ctx.db('invoices').where('id', invoiceId).first('status', 'collection_at');
      expect(row.status).to.equal('collection');
      expect(row.collection_at).to.be.instanceOf(Date);
      await run(middayOf(addDays(today, 60)));
      expect(await mailsTo(billingEmail).where('subject', 'like', `%UB-${number} %`)).to.have.length(2);
    });
  });

  it('when a catch-up finds an invoice long overdue, then only the first reminder goes out that day', async () => {
    const invoice = await createInvoiceF(ctx.db, { organisationId, dueDate: addDays(todayInStockholm(), -40) });
    const result = await run(middayOf(todayInStockholm()));
    expect(result.first).to.include(invoice.id);
    expect(result.second).not.to.include(invoice.id);
    expect(result.collection).not.to.include(invoice.id);
    // The next day the second follows (its day is long past), and collection waits for the day after that.
    const next = await run(middayOf(addDays(todayInStockholm(), 1)));
    expect(next.second).to.include(invoice.id);
    expect(next.collection).not.to.include(invoice.id);
  });

  it('when an invoice is paid, or partly paid, then reminders skip it or ask only for what is left', async () => {
    const dueDate = addDays(todayInStockholm(), -3);
    const paid = await createInvoiceF(ctx.db, { organisationId, dueDate, status: 'paid' });
    const partly = await createInvoiceF(ctx.db, { organisationId, dueDate });
    await ctx
      .db('payments')
      .insert({ invoice_id: partly.id, amount_ore: 25_000, paid_on: dueDate, reference: 'del', source: 'manual' });
    const result = await run(middayOf(todayInStockholm()));
    expect(result.first).not.to.include(paid.id);
    expect(result.first).to.include(partly.id);
    const [mail] = await mailsTo(billingEmail).where('subject', 'like', `%UB-${partly.number} %`);
    expect(mail.text_body).to.include(`Kvar att betala: ${mailMoney(100_000)}`);
  });

  it('when the organisation has no billing address, then the address on the invoice gets the reminder', async () => {
    const other = (await createOrganisation(ctx.db)).id;
    const invoice = await createInvoiceF(ctx.db, {
      organisationId: other,
      dueDate: addDays(todayInStockholm(), -2),
      buyerEmail: 'ekonomi@annan.example.se',
    });
    expect((await run(middayOf(todayInStockholm()))).first).to.include(invoice.id);
    expect(await mailsTo('ekonomi@annan.example.se')).to.have.length(1);
  });

  it('when the worker runs the daily task, then it sends what is due; its crontab line is 07:00 UTC and catches up', async () => {
    const [item] = parseCrontab(REMINDERS_CRONTAB);
    expect(item!.task).to.equal(SEND_INVOICE_REMINDERS_TASK);
    expect(item!.match).to.be.a('function');
    expect(REMINDERS_CRONTAB).to.match(/^0 7 \* \* \* send_invoice_reminders \?fill=12h$/);
    const invoice = await createInvoiceF(ctx.db, { organisationId, dueDate: addDays(todayInStockholm(), -1) });
    await enqueueJob(ctx.db, SEND_INVOICE_REMINDERS_TASK, {});
    await ctx.runJobs();
    expect(await ctx.db('invoice_reminders').where('invoice_id', invoice.id).pluck('level')).to.deep.equal([1]);
  });
});
