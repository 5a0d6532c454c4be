import { expect } from 'chai';
import request from 'supertest';
import {
  creditInvoiceInFull,
  findInvoiceByNumber,
  getInvoiceForPayroll,
  listInvoicesForPayroll,
  previewCreditNote,
} from '../../src/modules/billing/credit-note-service.js';
import { VISITOR, type Actor } from '../../src/modules/access/index.js';
import { AppError } from '../../src/platform/errors.js';
import { todayInStockholm } from '../../src/platform/calendar.js';
import { makePayroll } from '../support/billing-factories-f.js';
import { createInvoicedWork, insertSalary } from '../support/payroll-factories-p2.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, postForm, type LoggedIn } from '../support/users.js';

// Payroll credits an invoice in full from /lon/fakturor: the reason, a confirmation page, then the credit note
// (numbered, mailed with its PDF, audited under the payroll person). Refused beside the reason field, with what was
// typed kept: a credit note, an invoice already credited, a paid invoice or one whose salary is computed (no rule
// yet reclaims a salary), a missing, oversized or hostile reason. Everyone but payroll staff gets 404.

const XSS = '"><script>alert(1)</script>';
const XSS_ESCAPED = '&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';
const SQL = "x'); DELETE FROM invoices; --";

describe('Credit notes issued by payroll', function () {
  this.timeout(60_000);
  const ctx = useTestApp();
  let payroll: LoggedIn;
  let payrollId: number;
  let resident: LoggedIn;
  let member: LoggedIn;

  const payrollActor = (): Actor => ({ ...VISITOR, userId: payrollId, emailVerified: true, isPayroll: true });
  const residentActor = (userId: number): Actor => ({ ...VISITOR, userId, emailVerified: true });

  const creditNotesOf = (invoiceId: number) => ctx.db('invoices').where('credits_invoice_id', invoiceId).orderBy('id');
  const statusOf = async (invoiceId: number) =>
    ((await ctx.db('invoices').where('id', invoiceId).first('status')) as { status: string }).status;
  const labelOf = async (invoiceId: number) => {
    const row = (await ctx.db('invoices').where('id', invoiceId).first('series', 'number')) as { series: string; number: number };
    return `${row.series}-${row.number}`;
  };
  const invoicePath = (invoiceId: number) => `/lon/fakturor/${invoiceId}`;
  const credit = (client: LoggedIn, invoiceId: number | string, fields: Record<string, unknown> | string) =>
    postForm(client, `/lon/fakturor/${invoiceId}/kreditera`, fields);
  const refusal = async (promise: Promise<unknown>): Promise<AppError> => {
    try {
      await promise;
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
    throw new Error('expected a refusal');
  };
  /** The field error beside the reason, as the page shows it. */
  const reasonError = (html: string) => /<p class="field-error" id="reason-error">([^<]*)<\/p>/.exec(html)?.[1];
  const reasonTyped = (html: string) => /<textarea id="reason"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1];

  before(async () => {
    const payrollUser = await createUser(ctx.db);
    payrollId = payrollUser.id;
    await makePayroll(ctx.db, payrollUser.id);
    payroll = await logInAs(ctx.app, payrollUser.email);
    resident = await logInAs(ctx.app, (await createUser(ctx.db)).email);
  });

  describe('the whole credit, by HTTP', () => {
    let invoiceId: number;
    let label: string;

    before(async () => {
      const work = await createInvoicedWork(ctx.db);
      invoiceId = work.invoiceId;
      label = await labelOf(invoiceId);
      const memberEmail = ((await ctx.db('users').where('id', work.approverId).first('email')) as { email: string }).email;
      member = await logInAs(ctx.app, memberEmail);
    });

    it('when payroll opens the list, then the invoice links to its page; the number typed opens it too', async () => {
      const list = await payroll.agent.get('/lon/fakturor').expect(200);
      expect(list.headers['cache-control']).to.equal('no-store');
      expect(list.text).to.include(`href="${invoicePath(invoiceId)}"`);
      for (const typed of [label, label.toLowerCase(), ` ${label.replace('-', ' - ')} `])
        expect((await payroll.agent.get('/lon/fakturor').query({ faktura: typed }).expect(303)).headers.location, typed).to.equal(
          invoicePath(invoiceId),
        );
    });

    it('when the invoice page is shown, then the credit form asks for a reason and goes on to a confirmation, not to the credit', async () => {
      const page = await payroll.agent.get(invoicePath(invoiceId)).expect(200);
      expect(page.text).to.include('<h2 id="credit-heading">Kreditera fakturan</h2>');
      expect(page.text).to.match(/<label for="reason">Orsak till krediteringen<\/label>/);
      expect(page.text).to.include('<button type="submit" class="danger">Fortsätt till bekräftelse</button>');
      expect(page.text).not.to.include('name="step" value="confirm"');
      expect(page.text).to.include('href="/fakturor/' + invoiceId + '/pdf"');
    });

    it('when the reason is sent, then a confirmation page shows the credit note to be and nothing is issued yet', async () => {
      const res = await credit(payroll, invoiceId, { reason: '  Fel   timpris\r\npå fakturan ' }).expect(200);
      expect(res.text).to.include(`Kreditera faktura ${label}?`);
      expect(res.text).to.include('−1\u00a0250,00\u00a0kr'); // 1 000 kr + 25 % VAT, as the credit note will say
      expect(res.text).to.include('<td>Fel timpris på fakturan</td>');
      expect(res.text).to.include('<input type="hidden" name="reason" value="Fel timpris på fakturan">');
      expect(res.text).to.include('<input type="hidden" name="step" value="confirm">');
      expect(res.text).to.include('<button type="submit" class="danger">Kreditera fakturan</button>');
      expect(res.text).to.include(`<a class="confirm-back" href="${invoicePath(invoiceId)}">Avbryt, kreditera inte</a>`);
      expect(await creditNotesOf(invoiceId)).to.have.length(0);
      expect(await statusOf(invoiceId)).to.equal('unpaid');
    });

    it('when payroll chooses to change the reason, then the form comes back with it', async () => {
      const res = await credit(payroll, invoiceId, { reason: 'Fel timpris', step: 'edit' }).expect(200);
      expect(reasonTyped(res.text)).to.equal('Fel timpris');
      expect(await creditNotesOf(invoiceId)).to.have.length(0);
    });

    it('when someone else than payroll posts the confirmation, then the page does not exist (404) and nothing is issued', async () => {
      await credit(resident, invoiceId, { reason: 'Fel', step: 'confirm' }).expect(404);
      await credit(member, invoiceId, { reason: 'Fel', step: 'confirm' }).expect(404);
      await resident.agent.get(invoicePath(invoiceId)).expect(404);
      await member.agent.get('/lon/fakturor').expect(404);
      await request(ctx.app).get(invoicePath(invoiceId)).expect(404);
      expect(await creditNotesOf(invoiceId)).to.have.length(0);
    });

    it('when payroll confirms, then the credit note is issued, mailed with its PDF, audited, and the page says so with the PDF', async () => {
      const res = await credit(payroll, invoiceId, { reason: 'Fel timpris på fakturan', step: 'confirm' }).expect(303);
      expect(res.headers.location).to.equal(`${invoicePath(invoiceId)}?done=credited`);
      const [note] = await creditNotesOf(invoiceId);
      expect(note).to.include({
        kind: 'credit_note',
        credit_reason: 'Fel timpris på fakturan',
        invoice_date: todayInStockholm(),
      });
      expect(Number(note.total_ore)).to.equal(-125_000);
      expect(await statusOf(invoiceId)).to.equal('credited');
      const noteLabel = `${note.series}-${note.number}`;

      const page = await payroll.agent.get(String(res.headers.location)).expect(200);
      expect(page.text).to.include('role="status"');
      expect(page.text).to.include(
        `Fakturan är krediterad. Kreditfaktura ${noteLabel} är skickad med e-post till ${note.buyer_email}.`,
      );
      expect(page.text).to.include(`<a href="/fakturor/${note.id}/pdf">Ladda ner kreditfaktura ${noteLabel} som PDF</a>`);
      expect(page.text).not.to.include('<form class="stacked-form" action="' + invoicePath(invoiceId));
      const pdf = await payroll.agent.get(`/fakturor/${note.id}/pdf`).expect(200);
      expect(pdf.headers['content-type']).to.match(/^application\/pdf/);

      const mail = await ctx
        .db('mails as m')
        .join('mail_attachments as a', 'a.mail_id', 'm.id')
        .where('a.filename', `Kreditfaktura ${noteLabel}.pdf`)
        .first('m.to_address');
      expect(mail).to.deep.equal({ to_address: note.buyer_email });
      const audit = await ctx
        .db('audit_events')
        .where({ kind: 'credit_note', subject: `invoice ${label}` })
        .first();
      expect(audit).to.include({ actor_user_id: payrollId });
      expect(audit.details).to.include({ invoiceId, creditNoteId: note.id, amountExclVatOre: -100_000 });
    });

    it('when the confirmation comes again (a second click), then it is refused beside the reason and no second credit note is made', async () => {
      const res = await credit(payroll, invoiceId, { reason: 'Igen', step: 'confirm' }).expect(409);
      expect(reasonError(res.text)).to.equal('Fakturan är redan krediterad i sin helhet.');
      expect(reasonTyped(res.text)).to.equal('Igen');
      expect(res.text).to.include('aria-describedby="reason-hint reason-error" aria-invalid="true"');
      await credit(payroll, invoiceId, { reason: 'Igen' }).expect(409);
      expect(await creditNotesOf(invoiceId)).to.have.length(1);
    });

    it('when the credit note itself is opened, then it says it cannot be credited; posting anyway is refused beside the reason', async () => {
      const [note] = await creditNotesOf(invoiceId);
      const page = await payroll.agent.get(invoicePath(note.id)).expect(200);
      expect(page.text).to.include('Det här är en kreditfaktura. Bara en faktura kan krediteras.');
      expect(page.text).to.include(`<a href="${invoicePath(invoiceId)}">Faktura ${label}</a>`);
      expect(page.text).not.to.include('id="reason"');
      const res = await credit(payroll, note.id, { reason: 'Kredit av kredit', step: 'confirm' }).expect(409);
      expect(reasonError(res.text)).to.equal('Det här är en kreditfaktura. Bara en faktura kan krediteras.');
      expect(await creditNotesOf(note.id)).to.have.length(0);
    });
  });

  describe('refused input, beside the field and kept', () => {
    let invoiceId: number;

    before(async () => {
      invoiceId = (await createInvoicedWork(ctx.db)).invoiceId;
    });

    for (const [what, fields, message] of [
      ['no reason', {}, 'Skriv varför fakturan krediteras.'],
      ['only white space', { reason: ' \r\n\t ' }, 'Skriv varför fakturan krediteras.'],
      ['a reason as an array', 'reason=a&reason=b', 'Skriv varför fakturan krediteras.'],
      ['a reason of 501 characters', { reason: 'x'.repeat(501) }, 'Orsaken får vara högst 500 tecken.'],
      [
        'a NUL in the reason',
        { reason: 'a\u0000b' },
        'Texten innehåller tecken som inte kan sparas, till exempel styrtecken. Skriv om den eller klistra in den som vanlig text.',
      ],
    ] as const) {
      it(`when the reason is ${what}, then 400 with the message beside it, also at the confirmation`, async () => {
        for (const step of [undefined, 'confirm']) {
          const body =
            typeof fields === 'string' ? `${fields}${step ? `&step=${step}` : ''}` : { ...fields, ...(step ? { step } : {}) };
          const res = await credit(payroll, invoiceId, body).expect(400);
          expect(reasonError(res.text), `${what} ${step}`).to.equal(message);
        }
        expect(await creditNotesOf(invoiceId)).to.have.length(0);
      });
    }

    it('when the reason is too long, then what was typed stays in the field', async () => {
      const typed = 'ö'.repeat(600);
      const res = await credit(payroll, invoiceId, { reason: typed }).expect(400);
      expect(reasonTyped(res.text)).to.equal(typed);
    });

    it('when the reason holds markup or SQL, then it is escaped on every page and printed as text on the credit note', async () => {
      const reason = `${XSS} ${SQL}`;
      const confirm = await credit(payroll, invoiceId, { reason }).expect(200);
      expect(confirm.text).not.to.include('<script>alert(1)</script>');
      expect(confirm.text).to.include(XSS_ESCAPED);
      const edited = await credit(payroll, invoiceId, { reason, step: 'edit' }).expect(200);
      expect(edited.text).not.to.include('<script>alert(1)</script>');
      await credit(payroll, invoiceId, { reason, step: 'confirm' }).expect(303);
      const [note] = await creditNotesOf(invoiceId);
      expect(note.credit_reason).to.equal(reason);
      expect(await ctx.db('invoices').where('id', invoiceId).first('id')).to.deep.equal({ id: invoiceId });
      const page = await payroll.agent.get(invoicePath(note.id)).expect(200);
      expect(page.text).not.to.include('<script>alert(1)</script>');
    });

    it('when the invoice id is unknown or malformed, then 404 as for the rest of /lon', async () => {
      for (const id of ['999999999', 'abc', '1e3', '-1', '9'.repeat(30)]) {
        await payroll.agent.get(`/lon/fakturor/${id}`).expect(404);
        await credit(payroll, id, { reason: 'Fel', step: 'confirm' }).expect(404);
      }
    });

    for (const [typed, message] of [
      ['', 'Skriv fakturans nummer.'],
      ['Z-999999', 'Det finns ingen faktura med det numret.'],
      ['999999999', 'Det finns ingen faktura med det numret.'],
      [XSS, 'Skriv numret som det står på fakturan, till exempel A-12.'],
      [SQL, 'Skriv numret som det står på fakturan, till exempel A-12.'],
      ['1'.repeat(30), 'Skriv numret som det står på fakturan, till exempel A-12.'],
    ] as const) {
      it(`when "${typed.slice(0, 20)}" is typed as the number, then 400 with the message beside the field and the text kept`, async () => {
        const res = await payroll.agent.get('/lon/fakturor').query({ faktura: typed }).expect(400);
        expect(/<p class="field-error" id="faktura-error">([^<]*)<\/p>/.exec(res.text)?.[1]).to.equal(message);
        expect(res.text).not.to.include('<script>alert(1)</script>');
        if (typed === XSS) expect(res.text).to.include(`value="${XSS_ESCAPED}"`);
      });
    }

    it('when the number comes as an array, then it is refused, not a 500', async () => {
      await payroll.agent.get('/lon/fakturor?faktura=1&faktura=2').expect(400);
      await resident.agent.get('/lon/fakturor?faktura=1').expect(404);
    });
  });

  describe('money already moved', () => {
    it('when part of the invoice is paid, then it may be credited and the payment shows as overpaid for paying back', async () => {
      const { invoiceId } = await createInvoicedWork(ctx.db);
      await ctx
        .db('payments')
        .insert({ invoice_id: invoiceId, amount_ore: 50_000, paid_on: todayInStockholm(), reference: 'Del', source: 'manual' });
      const confirm = await credit(payroll, invoiceId, { reason: 'Avbokat arbete' }).expect(200);
      expect(confirm.text).to.include('Köparen har redan betalat 500,00\u00a0kr.');
      await credit(payroll, invoiceId, { reason: 'Avbokat arbete', step: 'confirm' }).expect(303);
      expect(await statusOf(invoiceId)).to.equal('credited');
      const queue = await payroll.agent.get('/lon').expect(200);
      const overpaid = queue.text.slice(queue.text.indexOf('id="overpaid-heading"'), queue.text.indexOf('id="unpaid-heading"'));
      expect(overpaid).to.include(await labelOf(invoiceId));
      expect(await ctx.db('salaries').where('invoice_id', invoiceId)).to.have.length(0);
    });

    for (const [state, message] of [
      ['paid, its salary not yet computed', 'Fakturan är betald och lönen för arbetet räknas ut från den betalningen.'],
      ['paid with its salary computed', 'Lönen för fakturan är redan beräknad.'],
      ['paid with its salary paid out', 'Lönen för fakturan är redan utbetald.'],
    ] as const) {
      it(`when the invoice is ${state}, then the page says why it cannot be credited and a post is refused (409)`, async () => {
        const { invoiceId } = await createInvoicedWork(ctx.db);
        await ctx.db('invoices').where('id', invoiceId).update({ status: 'paid', paid_at: new Date() });
        if (state !== 'paid, its salary not yet computed') {
          const salary = await insertSalary(ctx.db, invoiceId, { payoutDate: '2026-04-30' });
          if (state === 'paid with its salary paid out')
            await ctx.db('salaries').where('id', salary.id).update({ paid_on: '2026-05-02' });
        }
        const page = await payroll.agent.get(invoicePath(invoiceId)).expect(200);
        expect(page.text).to.include(message);
        expect(page.text).not.to.include('id="reason"');
        for (const step of [undefined, 'confirm']) {
          const res = await credit(payroll, invoiceId, { reason: 'Fel', ...(step ? { step } : {}) }).expect(409);
          expect(reasonError(res.text)).to.include(message);
          expect(reasonTyped(res.text)).to.equal('Fel');
        }
        expect(await creditNotesOf(invoiceId)).to.have.length(0);
        expect(await statusOf(invoiceId)).to.equal('paid');
      });
    }
  });

  describe('the service, called directly', () => {
    it('when anyone but payroll calls it, then 404 before anything is read or issued', async () => {
      const { invoiceId, workerId } = await createInvoicedWork(ctx.db);
      const outsider = residentActor(workerId);
      for (const call of [
        () => listInvoicesForPayroll(ctx.db, outsider),
        () => findInvoiceByNumber(ctx.db, outsider, '1'),
        () => getInvoiceForPayroll(ctx.db, outsider, invoiceId),
        () => previewCreditNote(ctx.db, outsider, invoiceId, { reason: 'Fel' }),
        () => creditInvoiceInFull(ctx.db, outsider, invoiceId, { reason: 'Fel' }, 'http://x.test'),
      ])
        expect((await refusal(call())).status).to.equal(404);
      expect(await creditNotesOf(invoiceId)).to.have.length(0);
    });

    it('when two credits of one invoice race, then one credit note is made and the other is refused as already credited', async () => {
      const { invoiceId } = await createInvoicedWork(ctx.db);
      const results = await Promise.allSettled(
        [1, 2].map(() => creditInvoiceInFull(ctx.db, payrollActor(), invoiceId, { reason: 'Dubbelt' }, 'http://x.test')),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).to.have.length(1);
      const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).to.be.instanceOf(AppError);
      expect((rejected.reason as AppError).status).to.equal(409);
      expect((rejected.reason as AppError).fields).to.deep.equal({ reason: 'creditNote.errors.alreadyCredited' });
      expect(await creditNotesOf(invoiceId)).to.have.length(1);
    });
  });
});
