import { expect } from 'chai';
import request from 'supertest';
import { calculateSalary, type SalaryCalculation } from '../../src/modules/billing/calculation.js';
import { invoicePaidJob } from '../../src/modules/billing/payments-service.js';
import { loadPayrollRates } from '../../src/modules/billing/rates.js';
import { runSalary } from '../../src/modules/billing/salary-service.js';
import { addDays, todayInStockholm } from '../../src/platform/calendar.js';
import type { Logger } from '../../src/platform/logger.js';
import { formatMoney, ore } from '../../src/platform/money.js';
import { addEnterpriseAccount, createWorker } from '../support/billing-factories-e.js';
import { makePayroll } from '../support/billing-factories-f.js';
import { createOrganisation } from '../support/factories.js';
import { createCreditNoteP1, createPaidInvoiceP1 } from '../support/payroll-factories-p1.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, postForm, type LoggedIn } from '../support/users.js';

// The salary job (invoice_paid): one salary per fully paid invoice, computed by calculation.ts from the invoice,
// the fee it was issued under, the worker's account and the month's and year's earlier pay; once however often
// or however concurrently it runs. Then payroll's payout list on /lon/loner: the bank accounts to pay, the CSV,
// and marking salaries paid (the worker told), with every kind of bad input answered by the form again.

const XSS = '"><script>alert(1)</script>';
const XSS_ESCAPED = '&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';

/** A logger that keeps what it is told, for the lines a skipped salary writes. */
function recordingLogger(): { log: Logger; lines: Array<{ level: string; fields: unknown; message: string }> } {
  const lines: Array<{ level: string; fields: unknown; message: string }> = [];
  const at = (level: string) => (fields: unknown, message: string) => lines.push({ level, fields, message });
  const log = { warn: at('warn'), error: at('error'), info: at('info'), debug: at('debug') } as unknown as Logger;
  return { log, lines };
}

describe('Salaries', () => {
  const ctx = useTestApp();
  let organisationId: number;
  let payroll: LoggedIn;
  let resident: LoggedIn;

  const salaryOf = (invoiceId: number) => ctx.db('salaries').where('invoice_id', invoiceId).first();
  const noticesOf = (userId: number, type: string) => ctx.db('notifications').where({ user_id: userId, type }).orderBy('id');
  const paidInvoice = async (workerUserId: number | null, options: { amountExclVatOre?: number; expensesOre?: number } = {}) =>
    createPaidInvoiceP1(ctx.db, { organisationId, workerUserId, ...options });
  const runJob = async (invoiceId: number) => {
    await invoicePaidJob.enqueue(ctx.db, { invoiceId });
    await ctx.runJobs();
  };
  const expected = async (input: {
    invoiceExclVatOre: number;
    expensesOre?: number;
    birthDate: string;
    earlierMonth?: number;
    earlierYear?: number;
  }): Promise<SalaryCalculation> => {
    const payoutDate = todayInStockholm();
    return calculateSalary(
      {
        invoiceExclVatOre: ore(input.invoiceExclVatOre),
        feeBp: 600,
        expensesOre: ore(input.expensesOre ?? 0),
        birthDate: input.birthDate,
        taxBp: 3000,
        payoutDate,
        paidEarlierThisMonthOre: ore(input.earlierMonth ?? 0),
        paidEarlierThisYearOre: ore(input.earlierYear ?? 0),
      },
      await loadPayrollRates(ctx.db, payoutDate),
    );
  };

  before(async () => {
    organisationId = (await createOrganisation(ctx.db)).id;
    const payrollUser = await createUser(ctx.db);
    await makePayroll(ctx.db, payrollUser.id);
    payroll = await logInAs(ctx.app, payrollUser.email);
    resident = await logInAs(ctx.app, (await createUser(ctx.db)).email);
  });

  describe('the salary job', () => {
    it('when the anchor invoice is paid (40 000 kr excl. VAT, fee 6 %, full rate, 30 % tax), then the salary is exactly Frilans Finans’ figures and the worker is told', async () => {
      const worker = await createWorker(ctx.db);
      const invoice = await paidInvoice(worker.id);
      await runJob(invoice.id);
      const salary = await salaryOf(invoice.id);
      expect(salary).to.include({
        worker_user_id: worker.id,
        payout_date: todayInStockholm(),
        invoice_excl_vat_ore: 4_000_000,
        fee_ore: 240_000,
        contributions_ore: 898_900,
        gross_ore: 2_861_100,
        tax_bp: 3000,
        tax_ore: 858_300,
        expenses_ore: 0,
        net_ore: 2_002_800,
        paid_on: null,
      });
      expect(salary.fee_ore + salary.contributions_ore + salary.gross_ore + salary.expenses_ore + salary.rounding_ore).to.equal(
        4_000_000,
      );
      expect(salary.contribution_lines).to.deep.equal([{ ratePercent: '31.42', baseOre: 2_861_100, amountOre: 898_900 }]);
      const notices = await noticesOf(worker.id, 'salary_ready');
      expect(notices).to.have.length(1);
      expect(notices[0]).to.include({ link: '/konto/lonebesked' });
      expect(notices[0].params).to.deep.equal({ invoice: `P1-${invoice.number}` });
    });

    it('when the invoice has expenses and a credit note, then the salary is of what is left and the expenses are paid back', async () => {
      const worker = await createWorker(ctx.db);
      const invoice = await paidInvoice(worker.id, { amountExclVatOre: 4_000_000, expensesOre: 150_000 });
      await createCreditNoteP1(ctx.db, invoice, { organisationId, workerUserId: worker.id, amountExclVatOre: 1_000_000 });
      await runJob(invoice.id);
      const salary = await salaryOf(invoice.id);
      const want = await expected({ invoiceExclVatOre: 3_000_000, expensesOre: 150_000, birthDate: '1980-05-17' });
      expect(salary).to.include({
        invoice_excl_vat_ore: 3_000_000,
        gross_ore: want.grossOre,
        expenses_ore: 150_000,
        net_ore: want.netOre,
        rounding_ore: want.roundingOre,
      });
    });

    it('when the job is enqueued again after it ran, then nothing more is recorded or told', async () => {
      const worker = await createWorker(ctx.db);
      const invoice = await paidInvoice(worker.id);
      await runJob(invoice.id);
      await runJob(invoice.id);
      expect(await ctx.db('salaries').where('invoice_id', invoice.id)).to.have.length(1);
      expect(await noticesOf(worker.id, 'salary_ready')).to.have.length(1);
    });

    it('when two runs for one invoice race, then one records the salary and the other finds it there', async () => {
      const worker = await createWorker(ctx.db);
      const invoice = await paidInvoice(worker.id);
      const runs = await Promise.all([
        runSalary(ctx.db, ctx.deps.log, invoice.id),
        runSalary(ctx.db, ctx.deps.log, invoice.id),
        runSalary(ctx.db, ctx.deps.log, invoice.id),
      ]);
      expect(runs.filter((run) => 'salaryId' in run)).to.have.length(1);
      expect(runs.filter((run) => 'skipped' in run && run.skipped === 'exists')).to.have.length(2);
      expect(await ctx.db('salaries').where('invoice_id', invoice.id)).to.have.length(1);
      expect(await noticesOf(worker.id, 'salary_ready')).to.have.length(1);
    });

    it('when two invoices of one worker are paid out at once, then the second sees the first in the month (youth rate up to 25 000 kr)', async () => {
      const worker = await createUser(ctx.db);
      await addEnterpriseAccount(ctx.db, worker.id, { birthDate: '2005-03-01' });
      const first = await paidInvoice(worker.id);
      const second = await paidInvoice(worker.id);
      await Promise.all([runSalary(ctx.db, ctx.deps.log, first.id), runSalary(ctx.db, ctx.deps.log, second.id)]);
      const [a, b] = (await ctx.db('salaries').where('worker_user_id', worker.id).orderBy('id')) as Array<{ gross_ore: number }>;
      const alone = await expected({ invoiceExclVatOre: 4_000_000, birthDate: '2005-03-01' });
      const after = await expected({
        invoiceExclVatOre: 4_000_000,
        birthDate: '2005-03-01',
        earlierMonth: alone.grossOre,
        earlierYear: alone.grossOre,
      });
      expect(a!.gross_ore).to.equal(alone.grossOre);
      expect(b!.gross_ore).to.equal(after.grossOre);
      // The first used the reduced rate's 25 000 kr; the second pays the full rate on all of its pay.
      expect(alone.contributionLines.map((line) => line.ratePercent)).to.deep.equal(['20.81', '31.42']);
      expect(after.contributionLines.map((line) => line.ratePercent)).to.deep.equal(['31.42']);
      expect(b!.gross_ore).to.be.below(a!.gross_ore);
    });

    it('when the year’s pay reaches 1 000 kr, then that payout bears the contributions the earlier one did not', async () => {
      const worker = await createWorker(ctx.db);
      const small = await paidInvoice(worker.id, { amountExclVatOre: 60_000 });
      await runJob(small.id);
      const first = await salaryOf(small.id);
      expect(first.contributions_ore).to.equal(0);
      expect(first.gross_ore).to.be.below(100_000);
      const large = await paidInvoice(worker.id);
      await runJob(large.id);
      const second = await salaryOf(large.id);
      const want = await expected({
        invoiceExclVatOre: 4_000_000,
        birthDate: '1980-05-17',
        earlierMonth: first.gross_ore,
        earlierYear: first.gross_ore,
      });
      expect(second.gross_ore).to.equal(want.grossOre);
      expect(second.contribution_lines).to.deep.equal(want.contributionLines);
      expect(second.contribution_lines.some((line: { earlierPayouts?: boolean }) => line.earlierPayouts)).to.equal(true);
    });

    it('when the worker’s account is deleted or they have no enterprise account, then nothing is recorded and a warning names the invoice only', async () => {
      const { log, lines } = recordingLogger();
      const gone = await paidInvoice(null);
      const noAccount = await paidInvoice((await createUser(ctx.db)).id);
      expect(await runSalary(ctx.db, log, gone.id)).to.deep.equal({ skipped: 'noWorker' });
      expect(await runSalary(ctx.db, log, noAccount.id)).to.deep.equal({ skipped: 'noAccount' });
      expect(await salaryOf(gone.id)).to.equal(undefined);
      expect(await salaryOf(noAccount.id)).to.equal(undefined);
      expect(lines.map((line) => [line.level, line.fields])).to.deep.equal([
        ['warn', { invoiceId: gone.id }],
        ['warn', { invoiceId: noAccount.id }],
      ]);
      // The queued job of such an invoice finishes (it is not retried for ever).
      await runJob(gone.id);
      const waiting = await ctx.db.raw(`SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE key = ?`, [
        `invoice_paid:${gone.id}`,
      ]);
      expect(waiting.rows[0].n).to.equal(0);
    });

    it('when the invoice is credited below its expenses, then no salary is made and an error is logged, once', async () => {
      const { log, lines } = recordingLogger();
      const worker = await createWorker(ctx.db);
      const invoice = await paidInvoice(worker.id, { amountExclVatOre: 400_000, expensesOre: 300_000 });
      await createCreditNoteP1(ctx.db, invoice, { organisationId, workerUserId: worker.id, amountExclVatOre: 200_000 });
      expect(await runSalary(ctx.db, log, invoice.id)).to.deep.equal({ skipped: 'refused' });
      expect(await salaryOf(invoice.id)).to.equal(undefined);
      expect(lines).to.have.length(1);
      expect(lines[0]!.level).to.equal('error');
    });
  });

  describe('the payout list', () => {
    let worker: { id: number; name: string };
    let invoice: { id: number; number: number };
    let salaryId: number;

    before(async () => {
      worker = await createWorker(ctx.db, 'Åsa Ŋuolla');
      invoice = await paidInvoice(worker.id);
      await runJob(invoice.id);
      salaryId = (await salaryOf(invoice.id)).id;
    });

    const markPaid = (client: LoggedIn, fields: Record<string, unknown> | string) =>
      postForm(client, '/lon/loner/utbetalda', fields);

    it('when payroll opens /lon/loner, then each unpaid salary is listed with the name, clearing and account number, net and day', async () => {
      const res = await payroll.agent.get('/lon/loner').expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      const row = res.text.slice(res.text.indexOf(`id="salary-${salaryId}"`));
      expect(row).to.include('Åsa Ŋuolla');
      expect(row).to.include('8327');
      expect(row).to.include('1234567890');
      expect(row).to.include(formatMoney(ore(2_002_800)));
      expect(row).to.include(`P1-${invoice.number}`);
      expect(res.text).to.include('href="/lon/loner/csv"');
    });

    it('when payroll downloads the CSV, then it is the list for Swedish Excel, amounts with decimal commas', async () => {
      const res = await payroll.agent.get('/lon/loner/csv').expect(200);
      expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.headers['content-disposition']).to.match(/^attachment; filename="Loner_att_betala_ut_\d{4}-\d{2}-\d{2}\.csv"/);
      const text = res.text;
      expect(text.startsWith('\uFEFF')).to.equal(true);
      const lines = text.slice(1).split('\r\n');
      expect(lines[0]).to.equal('Arbetstagare;Clearingnummer;Kontonummer;Nettolön;Varav utlägg;Lönedag;Faktura');
      expect(lines).to.include(`Åsa Ŋuolla;8327;1234567890;20028,00;0,00;${todayInStockholm()};P1-${invoice.number}`);
    });

    it('when anyone but payroll asks for the list, the CSV or the form, then it does not exist (404)', async () => {
      await resident.agent.get('/lon/loner').expect(404);
      await resident.agent.get('/lon/loner/csv').expect(404);
      await request(ctx.app).get('/lon/loner').expect(404);
      await request(ctx.app).get('/lon/loner/csv').expect(404);
      await markPaid(resident, { salary: String(salaryId), paidOn: todayInStockholm() }).expect(404);
      expect((await salaryOf(invoice.id)).paid_on).to.equal(null);
    });

    for (const [name, fields, field, message] of [
      ['no salary chosen', { salary: '', paidOn: todayInStockholm() }, 'salary', 'Välj minst en lön.'],
      ['an impossible day (2026-02-30)', { paidOn: '2026-02-30' }, 'paidOn', undefined],
      [
        'a day in the future',
        { paidOn: addDays(todayInStockholm(), 1) },
        'paidOn',
        'Utbetalningsdagen kan inte vara senare än i dag.',
      ],
      [
        'a day before the salary day',
        { paidOn: addDays(todayInStockholm(), -1) },
        'paidOn',
        'Utbetalningsdagen kan inte vara före lönedagen.',
      ],
      ['a script as the day', { paidOn: XSS }, 'paidOn', undefined],
      ['a huge day', { paidOn: '9'.repeat(100_000) }, 'paidOn', undefined],
      ['"1e9" as a salary', { salary: '1e9', paidOn: todayInStockholm() }, 'salary', undefined],
      ['"-5" as a salary', { salary: '-5', paidOn: todayInStockholm() }, 'salary', undefined],
      ['"12,345" as a salary', { salary: '12,345', paidOn: todayInStockholm() }, 'salary', undefined],
      ['"NaN" as a salary', { salary: 'NaN', paidOn: todayInStockholm() }, 'salary', undefined],
      ['30 digits as a salary', { salary: '1'.repeat(30), paidOn: todayInStockholm() }, 'salary', undefined],
      ['an id that is no salary', { salary: '999999999', paidOn: todayInStockholm() }, 'salary', undefined],
    ] as const) {
      it(`when payroll sends ${name}, then the form comes back (400) with the message beside the field and nothing is paid`, async () => {
        const chosen = 'salary' in fields ? {} : { salary: String(salaryId) };
        const res = await markPaid(payroll, { ...chosen, ...fields }).expect(400);
        expect(res.text).to.include(`id="${field}-error"`);
        if (message) expect(res.text).to.include(message);
        if (fields.paidOn === XSS) {
          expect(res.text).to.include(XSS_ESCAPED);
          expect(res.text).not.to.include(XSS);
        } else if (fields.paidOn.length < 100) expect(res.text).to.include(`value="${fields.paidOn}"`);
        // The chosen salary stays chosen.
        if ('salary' in chosen) expect(res.text).to.match(new RegExp(`id="salary-${salaryId}"[^>]*checked`));
        expect((await salaryOf(invoice.id)).paid_on).to.equal(null);
      });
    }

    it('when a crafted body sends the salaries as an object, then it is refused as no choice (400)', async () => {
      await markPaid(payroll, `salary[a]=1&paidOn=${todayInStockholm()}`).expect(400);
      expect((await salaryOf(invoice.id)).paid_on).to.equal(null);
    });

    it('when payroll marks the salary paid, then a confirmation step comes first, and then it leaves the list, the day is kept and the worker is told', async () => {
      const confirmation = await markPaid(payroll, { salary: [String(salaryId)], paidOn: todayInStockholm() }).expect(200);
      expect(confirmation.text)
        .to.include('Markera 1 lön som utbetald?')
        .and.include(`Åsa Ŋuolla: ${formatMoney(ore(2_002_800))} (faktura P1-${invoice.number})`)
        .and.include('name="confirmed" value="ja"')
        .and.include(`name="salary" value="${salaryId}"`)
        .and.include('Ja, markera lönen som utbetald');
      expect((await salaryOf(invoice.id)).paid_on, 'asking pays nothing').to.equal(null);
      expect(await noticesOf(worker.id, 'salary_paid')).to.have.length(0);
      const res = await markPaid(payroll, { salary: [String(salaryId)], paidOn: todayInStockholm(), confirmed: 'ja' }).expect(
        303,
      );
      expect(res.headers.location).to.equal('/lon/loner?done=paid&count=1');
      expect((await salaryOf(invoice.id)).paid_on).to.equal(todayInStockholm());
      const page = await payroll.agent.get('/lon/loner?done=paid&count=1').expect(200);
      expect(page.text).to.include('1 lön är markerad som utbetald.');
      expect(page.text).not.to.include(`id="salary-${salaryId}"`);
      const notices = await noticesOf(worker.id, 'salary_paid');
      expect(notices).to.have.length(1);
      expect(notices[0]).to.include({ link: '/konto/lonebesked' });
      expect(notices[0].params).to.deep.equal({ invoice: `P1-${invoice.number}` });
    });

    it('when a paid salary is chosen again with an unpaid one, then the form comes back and neither changes', async () => {
      const other = await paidInvoice(worker.id);
      await runJob(other.id);
      const otherId = (await salaryOf(other.id)).id;
      const res = await markPaid(payroll, { salary: [String(salaryId), String(otherId)], paidOn: todayInStockholm() }).expect(
        400,
      );
      expect(res.text).to.include('En av de valda lönerna finns inte längre i listan.');
      // Confirmed all the same (a second tab): the change itself refuses, all or nothing.
      const confirmed = await markPaid(payroll, {
        salary: [String(salaryId), String(otherId)],
        paidOn: todayInStockholm(),
        confirmed: 'ja',
      }).expect(400);
      expect(confirmed.text).to.include('En av de valda lönerna finns inte längre i listan.');
      expect((await salaryOf(other.id)).paid_on).to.equal(null);
      expect(await noticesOf(worker.id, 'salary_paid')).to.have.length(1);
    });

    it('when anything but a NULL paid_on is changed in the database, then the trigger refuses it', async () => {
      const refused = async (change: Record<string, unknown>) => {
        const error = await ctx
          .db('salaries')
          .where('id', salaryId)
          .update(change)
          .then(
            () => undefined,
            (caught: Error) => caught,
          );
        expect(error?.message, JSON.stringify(change)).to.include('salaries rows are never changed');
      };
      await refused({ paid_on: addDays(todayInStockholm(), -3) });
      await refused({ paid_on: null });
      await refused({ gross_ore: 1, fee_ore: 4_000_000 - 1 - 898_900 - 0 });
      const deleted = await ctx
        .db('salaries')
        .where('id', salaryId)
        .delete()
        .then(
          () => undefined,
          (caught: Error) => caught,
        );
      expect(deleted?.message).to.include('never deleted');
      // Forgetting the worker stays allowed.
      await ctx.db('salaries').where('id', salaryId).update({ worker_user_id: null });
      expect((await salaryOf(invoice.id)).worker_user_id).to.equal(null);
    });
  });
});
