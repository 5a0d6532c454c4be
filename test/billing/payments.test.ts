import { expect } from 'chai';
import request from 'supertest';
import { todayInStockholm, addDays } from '../../src/platform/calendar.js';
import { formatMoney, ore } from '../../src/platform/money.js';
import { createOrganisation } from '../support/factories.js';
import { createInvoiceF, makePayroll, type TestInvoice } from '../support/billing-factories-f.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, postForm, type LoggedIn } from '../support/users.js';

// Payroll registers payments by hand on /lon: partial payments, the one that completes an invoice (paid, the
// salary job enqueued once, the worker and the organisation told), overpayments shown as such, and every kind
// of bad input answered with the form again, the message beside its field and what was typed still in it.

const XSS = '"><script>alert(1)</script>';
const XSS_ESCAPED = '&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';

describe('Payments registered by payroll', () => {
  const ctx = useTestApp();
  let payroll: LoggedIn;
  let resident: LoggedIn;
  let organisationId: number;
  let memberId: number;
  let workerId: number;

  const paymentsOf = (invoiceId: number) => ctx.db('payments').where('invoice_id', invoiceId).orderBy('id');
  const invoiceRow = (invoiceId: number) => ctx.db('invoices').where('id', invoiceId).first('status', 'paid_at');
  const salaryJobs = async (invoiceId: number) =>
    (
      await ctx.db.raw<{ rows: Array<{ payload: { invoiceId: number } }> }>(
        // The public graphile_worker.jobs view hides payloads: the queue table itself.
        `SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
         WHERE t.identifier = 'invoice_paid' AND j.key = ?`,
        [`invoice_paid:${invoiceId}`],
      )
    ).rows;
  const pay = (fields: Record<string, unknown>) =>
    postForm(payroll, '/lon/betalningar', { paidOn: todayInStockholm(), reference: '', ...fields });

  let invoice: TestInvoice;

  before(async () => {
    const payrollUser = await createUser(ctx.db);
    await makePayroll(ctx.db, payrollUser.id);
    payroll = await logInAs(ctx.app, payrollUser.email);
    const residentUser = await createUser(ctx.db);
    resident = await logInAs(ctx.app, residentUser.email);
    workerId = (await createUser(ctx.db)).id;
    memberId = (await createUser(ctx.db)).id;
    organisationId = (await createOrganisation(ctx.db)).id;
    await ctx.db('organisation_members').insert({ organisation_id: organisationId, user_id: memberId, role: 'admin' });
    invoice = await createInvoiceF(ctx.db, { organisationId, workerUserId: workerId });
  });

  describe('the queue page', () => {
    it('when payroll opens /lon, then the unpaid invoice is listed with amounts as "1 250,00 kr"', async () => {
      const res = await payroll.agent.get('/lon').expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.text).to.include(`UB-${invoice.number}`);
      expect(res.text).to.include(formatMoney(ore(125_000)));
      expect(formatMoney(ore(125_000))).to.equal('1\u00a0250,00\u00a0kr');
    });

    it('when anyone else asks for /lon or posts a payment, then it does not exist (404)', async () => {
      await resident.agent.get('/lon').expect(404);
      await request(ctx.app).get('/lon').expect(404);
      await postForm(resident, '/lon/betalningar', {
        invoice: String(invoice.id),
        amount: '1250',
        paidOn: todayInStockholm(),
      }).expect(404);
      expect(await paymentsOf(invoice.id)).to.have.length(0);
    });
  });

  describe('partial and full payment', () => {
    it('when part of the amount comes in, then the payment is kept and the invoice stays unpaid, with no salary job', async () => {
      const res = await pay({ invoice: String(invoice.id), amount: '500,50', reference: 'Del 1' }).expect(303);
      expect(res.headers.location).to.equal('/lon?done=partial');
      const payments = await paymentsOf(invoice.id);
      expect(payments).to.have.length(1);
      expect(payments[0]).to.include({ amount_ore: 50_050, source: 'manual', reference: 'Del 1', paid_on: todayInStockholm() });
      expect(await invoiceRow(invoice.id)).to.deep.include({ status: 'unpaid', paid_at: null });
      expect(await salaryJobs(invoice.id)).to.have.length(0);
      const page = await payroll.agent.get('/lon?done=partial').expect(200);
      expect(page.text).to.include('Fakturan är delbetald');
      expect(page.text).to.include(formatMoney(ore(125_000 - 50_050)));
    });

    it('when the rest comes in (named by OCR, typed with spaces), then the invoice is paid, the salary job is enqueued and both sides are told', async () => {
      const spaced = invoice.ocr.replace(/(\d{3})/g, '$1 ');
      const res = await pay({ ocr: spaced, amount: '749,50' }).expect(303);
      expect(res.headers.location).to.equal('/lon?done=paid');
      const row = await invoiceRow(invoice.id);
      expect(row.status).to.equal('paid');
      expect(row.paid_at).to.be.instanceOf(Date);
      expect(await salaryJobs(invoice.id)).to.deep.equal([{ payload: { invoiceId: invoice.id } }]);
      const notices = await ctx
        .db('notifications')
        .where('type', 'invoice_paid')
        .orderBy('user_id')
        .select('user_id', 'params', 'link');
      expect(notices.map((n) => n.user_id)).to.have.members([workerId, memberId]);
      const slug = (await ctx.db('organisations').where('id', organisationId).first('slug')).slug;
      expect(notices.find((n) => n.user_id === workerId).link).to.equal('/konto/fakturor');
      expect(notices.find((n) => n.user_id === memberId).link).to.equal(`/organisationer/${slug}/fakturor`);
      expect(notices[0].params).to.deep.equal({ invoice: `UB-${invoice.number}` });
      // The reference is the OCR when the payer's own words were not given.
      expect((await paymentsOf(invoice.id))[1]).to.include({ reference: invoice.ocr, amount_ore: 74_950 });
    });

    it('when one more payment reaches the paid invoice, then it is flagged as overpaid and the salary job is still enqueued once', async () => {
      const res = await pay({ invoice: String(invoice.id), amount: '100' }).expect(303);
      expect(res.headers.location).to.equal('/lon?done=overpaid');
      expect(await salaryJobs(invoice.id)).to.have.length(1);
      expect(await ctx.db('notifications').where('type', 'invoice_paid')).to.have.length(2);
      const page = await payroll.agent.get('/lon?done=overpaid').expect(200);
      expect(page.text).to.include('fakturan är överbetald');
      const overpaid = page.text.slice(page.text.indexOf('id="overpaid-heading"'));
      expect(overpaid).to.include(`UB-${invoice.number}`);
      expect(overpaid).to.include(formatMoney(ore(10_000)));
    });

    it('when one payment is larger than the whole invoice, then it is paid at once and the excess is shown', async () => {
      const other = await createInvoiceF(ctx.db, { organisationId, workerUserId: null });
      const res = await pay({ invoice: String(other.id), amount: '2 000 kr' }).expect(303);
      expect(res.headers.location).to.equal('/lon?done=overpaid');
      expect((await invoiceRow(other.id)).status).to.equal('paid');
      expect(await salaryJobs(other.id)).to.have.length(1);
      const page = await payroll.agent.get('/lon').expect(200);
      expect(page.text.slice(page.text.indexOf('id="overpaid-heading"'))).to.include(formatMoney(ore(75_000)));
    });

    it('when an invoice in collection is paid in full, then it is paid too', async () => {
      const late = await createInvoiceF(ctx.db, {
        organisationId,
        status: 'collection',
        dueDate: addDays(todayInStockholm(), -40),
      });
      await pay({ invoice: String(late.id), amount: '1250' }).expect(303, /done=paid/);
      expect((await invoiceRow(late.id)).status).to.equal('paid');
      expect(await salaryJobs(late.id)).to.have.length(1);
    });
  });

  describe('refused input', () => {
    let open: TestInvoice;
    before(async () => {
      open = await createInvoiceF(ctx.db, { organisationId });
    });

    const cases: Array<[string, Record<string, unknown>, string, string]> = [
      ['an amount in exponent notation', { amount: '1e9' }, 'amount', 'Skriv beloppet i kronor med siffror'],
      ['a negative amount', { amount: '-5' }, 'amount', 'större än noll'],
      ['three decimals', { amount: '12,345' }, 'amount', 'högst två decimaler'],
      ['NaN', { amount: 'NaN' }, 'amount', 'Skriv beloppet i kronor med siffror'],
      ['30 digits', { amount: '9'.repeat(30) }, 'amount', 'Beloppet är för stort'],
      ['zero', { amount: '0,00' }, 'amount', 'större än noll'],
      ['no amount', { amount: '' }, 'amount', 'Skriv beloppet'],
      ['markup as amount', { amount: XSS }, 'amount', 'Skriv beloppet i kronor med siffror'],
      ['a date that does not exist', { paidOn: '2026-02-30' }, 'paidOn', 'Datumet finns inte i kalendern'],
      ['a date in the future', { paidOn: addDays(todayInStockholm(), 2) }, 'paidOn', 'framtiden'],
      ['an OCR with a wrong check digit', { invoice: '', ocr: '12345' }, 'ocr', 'OCR-numret stämmer inte'],
      ['an OCR of no invoice', { invoice: '', ocr: '1230' }, 'ocr', 'Ingen faktura har det OCR-numret'],
      ['no invoice and no OCR', { invoice: '', ocr: '' }, 'invoice', 'Välj en faktura eller skriv'],
      ['an invoice id that is no number', { invoice: 'abc' }, 'invoice', 'Fakturan finns inte'],
      ['an invoice that does not exist', { invoice: '999999999' }, 'invoice', 'Fakturan finns inte'],
      ['a reference of 101 characters', { reference: 'x'.repeat(101) }, 'reference', 'högst 100 tecken'],
    ];
    for (const [what, fields, field, message] of cases) {
      it(`when the form has ${what}, then 400 with the message beside ${field} and nothing is registered`, async () => {
        const res = await pay({ invoice: String(open.id), amount: '100', ...fields }).expect(400);
        expect(res.text).to.match(new RegExp(`<p class="field-error" id="${field}-error">[^<]*${message}`));
        expect(res.text).to.include(`aria-describedby="${field === 'invoice' ? '' : `${field}-hint `}${field}-error"`);
        expect(await paymentsOf(open.id)).to.have.length(0);
      });
    }

    it('when the input is hostile, then it is shown again as typed, escaped', async () => {
      const res = await pay({ invoice: String(open.id), amount: XSS, reference: XSS, ocr: '' }).expect(400);
      expect(res.text).to.include(
        `id="amount" name="amount" type="text" inputmode="decimal" autocomplete="off" maxlength="60" value="${XSS_ESCAPED}"`,
      );
      expect(res.text).to.include(`value="${XSS_ESCAPED}"`);
      expect(res.text).not.to.include(XSS);
      expect(res.text).to.match(new RegExp(`<option value="${open.id}" selected>`));
    });

    it('when the OCR names another invoice than the one chosen, then 400 beside the OCR', async () => {
      const res = await pay({ invoice: String(open.id), ocr: invoice.ocr, amount: '100' }).expect(400);
      expect(res.text).to.include('hör till en annan faktura');
      expect(res.text).to.include(`value="${invoice.ocr}"`);
    });

    it('when fields come as arrays or the body is a mess, then 400 and never a 500', async () => {
      await postForm(payroll, '/lon/betalningar', `amount[]=1&amount[]=2&invoice[x]=1&paidOn=${'9'.repeat(5000)}`).expect(400);
      expect(await paymentsOf(open.id)).to.have.length(0);
    });
  });
});
