import { expect } from 'chai';
import request from 'supertest';
import { getDocumentProxy, extractText } from 'unpdf';
import { renderPayslipPdf } from '../../src/modules/billing/payslip-pdf.js';
import { selectEmployerOn, selectPayslipRecord, selectPayslipWorker } from '../../src/modules/billing/payslip-queries.js';
import { PAYSLIPS_PATH } from '../../src/modules/billing/payslip-service.js';
import { formatMoney, ore } from '../../src/platform/money.js';
import { addEnterpriseAccount } from '../support/billing-factories-e.js';
import { createInvoicedWork, createSalaryFor, insertSalary, type PaidWork } from '../support/payroll-factories-p2.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs } from '../support/users.js';

// Payslips and the yearly income summary (issue 12, items 3 and 4): the PDF's text read back with pdf.js (unpdf)
// has every field a payslip needs and never the full personnummer; the summary's CSV adds up; only the worker
// gets their own (another person's salary is a 404, a visitor is sent to log in); hostile ids and years are 404s.

async function pdfText(bytes: Buffer): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

/** An amount as the PDF's text shows it once spaces are folded. */
const kr = (amount: number) => formatMoney(ore(amount), 'sv').replace(/\s+/g, ' ');

const binary = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('Payslips and the yearly income summary', function () {
  this.timeout(120_000);
  const ctx = useTestApp();
  let work: PaidWork;
  /** Frilans Finans' example: 40 000 kr excl. VAT, fee 6 %, 30 % tax, born 1990. */
  let anchor: Awaited<ReturnType<typeof insertSalary>>;
  let march: Awaited<ReturnType<typeof insertSalary>>;
  /** Two salaries in March: the month's row adds both. */
  let marchSecond: Awaited<ReturnType<typeof insertSalary>>;
  let mayFirst: Awaited<ReturnType<typeof insertSalary>>;
  let maySecond: Awaited<ReturnType<typeof insertSalary>>;
  let nextYear: Awaited<ReturnType<typeof insertSalary>>;

  const payslipDocument = async (salaryId: number) => {
    const { salary, worker, employer, yearToDate } = (await selectPayslipRecord(ctx.db, salaryId))!;
    return { salary, worker: worker!, employer: employer!, yearToDate };
  };

  before(async () => {
    work = await createInvoicedWork(ctx.db, {
      workerName: 'Åsa Öberg',
      assignmentTitle: 'Röjning av älvstranden i Ängesträsk',
      periodStart: '2026-04-06',
      periodEnd: '2026-04-17',
      lines: [{ description: 'Röjning', amountOre: 4_000_000 }],
    });
    await addEnterpriseAccount(ctx.db, work.workerId, { birthDate: '1990-01-01' });
    // Paid in this order, so that each salary counts the pay before it (the threshold is passed in March).
    march = await createSalaryFor(ctx.db, work, { payoutDate: '2026-03-31' });
    marchSecond = await createSalaryFor(ctx.db, work, { payoutDate: '2026-03-31' });
    anchor = await insertSalary(ctx.db, work.invoiceId, { payoutDate: '2026-04-30' });
    mayFirst = await createSalaryFor(ctx.db, work, { payoutDate: '2026-05-15', expensesOre: 12_345 });
    maySecond = await createSalaryFor(ctx.db, work, { payoutDate: '2026-05-29' });
    nextYear = await createSalaryFor(ctx.db, work, { payoutDate: '2027-01-29' });
  });

  describe('the payslip PDF', () => {
    it('when rendered, then it shows employer, employee, period, assignment, pay, contributions, tax, net and the year so far', async () => {
      expect(anchor.calculation).to.include({ feeOre: 240_000, contributionsOre: 898_900, grossOre: 2_861_100 });
      expect(anchor.calculation).to.include({ taxOre: 858_300, netOre: 2_002_800 });
      const document = await payslipDocument(anchor.id);
      const text = await pdfText(await renderPayslipPdf(document));

      for (const field of [
        'Lönespecifikation',
        // Employer: the operator's settings on the payout date.
        'Arbetsgivare',
        'Bygdens Egenanställning ek. för.',
        'Storgatan 12',
        '923 31 Storuman',
        'Organisationsnummer 769623-7614',
        // Employee, period, assignment, payout date.
        'Namn Åsa Öberg',
        'Personnummer 19900101-****',
        'Period 2026-04-06 – 2026-04-17',
        'Uppdrag Röjning av älvstranden i Ängesträsk',
        'Utbetalningsdag 2026-04-30',
        // Pay.
        `Bruttolön inklusive semesterersättning ${kr(2_861_100)}`,
        `varav semesterersättning ${kr(anchor.calculation.vacationPayOre)}`,
        `Avdragen preliminärskatt (30 %) ${kr(-858_300)}`,
        `Utlägg ${kr(0)}`,
        `Att få utbetalt ${kr(2_002_800)}`,
        // Contributions paid by the employer, line by line.
        `31,42 % ${kr(2_861_100)} ${kr(898_900)}`,
        `Arbetsgivaravgifter ${kr(898_900)}`,
        `Fakturerat exklusive moms ${kr(4_000_000)}`,
        `Serviceavgift ${kr(-240_000)}`,
      ])
        expect(text, field).to.include(field);

      // The year so far: the two March salaries and this one; not May's, not next year's.
      const salaries = (await ctx
        .db('salaries')
        .where({ worker_user_id: work.workerId })
        .whereBetween('payout_date', ['2026-01-01', '2026-04-30'])
        .select('gross_ore', 'tax_ore', 'net_ore')) as Array<{ gross_ore: number; tax_ore: number; net_ore: number }>;
      expect(salaries).to.have.length(3);
      const sum = (key: 'gross_ore' | 'tax_ore' | 'net_ore') => salaries.reduce((total, row) => total + row[key], 0);
      expect(document.yearToDate).to.deep.equal({ grossOre: sum('gross_ore'), taxOre: sum('tax_ore'), netOre: sum('net_ore') });
      expect(text).to.include(
        `Hittills under 2026 Bruttolön ${kr(sum('gross_ore'))} Skatt ${kr(sum('tax_ore'))} Nettolön ${kr(sum('net_ore'))}`,
      );
    });

    it('when its record is read in one statement, then employer and worker are those the separate lookups give', async () => {
      const record = (await selectPayslipRecord(ctx.db, anchor.id))!;
      const employer = (await selectEmployerOn(ctx.db, record.salary.payoutDate))!;
      expect(record.employer).to.deep.equal(
        Object.fromEntries(Object.keys(record.employer!).map((column) => [column, employer[column as keyof typeof employer]])),
      );
      expect(Object.keys(record.employer!)).to.include.members([
        'name',
        'organisation_number',
        'street_address',
        'postal_code',
        'city',
      ]);
      expect(record.worker).to.deep.equal(await selectPayslipWorker(ctx.db, work.workerId));
      expect(record.salary).to.include({ id: anchor.id, workerUserId: work.workerId, payoutDate: '2026-04-30' });
    });

    it('when rendered, then no full personnummer is in it, only the birth date with four stars', async () => {
      const text = await pdfText(await renderPayslipPdf(await payslipDocument(anchor.id)));
      expect(text).to.include('19900101-****');
      expect(text).not.to.match(/(19)?900101\s?[-+]?\s?\d{4}/);
    });

    it('when the same salary is rendered twice, then the bytes are the same', async () => {
      const document = await payslipDocument(anchor.id);
      expect((await renderPayslipPdf(document)).equals(await renderPayslipPdf(await payslipDocument(anchor.id)))).to.equal(true);
    });

    it('when the payout takes the year past 1 000 kr, then the earlier payouts’ contributions are a line of their own', async () => {
      const first = await createInvoicedWork(ctx.db, { lines: [{ description: 'Kort uppdrag', amountOre: 50_000 }] });
      await addEnterpriseAccount(ctx.db, first.workerId, { birthDate: '1985-06-30' });
      const small = await insertSalary(ctx.db, first.invoiceId, { payoutDate: '2026-06-30' });
      expect(small.calculation.contributionLines).to.deep.equal([]);
      const reaching = await createSalaryFor(ctx.db, first, { payoutDate: '2026-07-31' });
      const earlierLine = reaching.calculation.contributionLines.find((line) => line.earlierPayouts);
      expect(earlierLine).to.not.equal(undefined);

      const smallText = await pdfText(await renderPayslipPdf(await payslipDocument(small.id)));
      expect(smallText).to.include('Inga arbetsgivaravgifter på den här utbetalningen.');
      const text = await pdfText(await renderPayslipPdf(await payslipDocument(reaching.id)));
      expect(text).to.include(
        `31,42 % för årets tidigare utbetalningar ${kr(earlierLine!.baseOre)} ${kr(earlierLine!.amountOre)}`,
      );
      expect(text).to.include('Personnummer 19850630-****');
    });
  });

  describe('the worker’s pages and downloads', () => {
    let worker: Awaited<ReturnType<typeof logInAs>>;
    before(async () => {
      worker = await logInAs(ctx.app, work.workerEmail);
    });

    it('when the worker opens /konto, then it links to the payslips, which list every salary with its PDF', async () => {
      expect((await worker.agent.get('/konto').expect(200)).text).to.include(`href="${PAYSLIPS_PATH}"`);
      const page = await worker.agent.get(PAYSLIPS_PATH).expect(200);
      expect(page.headers['cache-control']).to.equal('no-store');
      expect(page.text).to.include('Mina lönebesked');
      expect(page.text).to.include('Röjning av älvstranden i Ängesträsk');
      for (const salary of [march, marchSecond, anchor, mayFirst, maySecond, nextYear])
        expect(page.text).to.include(`href="${PAYSLIPS_PATH}/${salary.id}/pdf"`);
      expect(page.text).to.include(`href="${PAYSLIPS_PATH}/ar/2026/pdf"`);
      expect(page.text).to.include(`href="${PAYSLIPS_PATH}/ar/2027/csv"`);
    });

    it('when the worker downloads a payslip, then it is their PDF, not cached', async () => {
      const res = await worker.agent.get(`${PAYSLIPS_PATH}/${anchor.id}/pdf`).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).to.equal('application/pdf');
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.headers['content-disposition']).to.include(
        `filename*=UTF-8''L%C3%B6nespecifikation%202026-04-30%20nr%20${anchor.id}.pdf`,
      );
      expect(await pdfText(res.body as Buffer)).to.include('Namn Åsa Öberg');
    });

    it('when the worker downloads the year’s CSV, then each month adds its salaries and the last row the year', async () => {
      const res = await worker.agent.get(`${PAYSLIPS_PATH}/ar/2026/csv`).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).to.include("filename*=UTF-8''Inkomstsammanst%C3%A4llning%202026.csv");
      const lines = (res.body as Buffer)
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .filter(Boolean);
      expect(lines[0]).to.equal('Månad;Bruttolön;Skatt;Utlägg;Nettolön');
      expect(lines).to.have.length(14); // the header, twelve months, the total

      const rows = (await ctx
        .db('salaries')
        .where({ worker_user_id: work.workerId })
        .select('payout_date', 'gross_ore', 'tax_ore', 'expenses_ore', 'net_ore')) as Array<{
        payout_date: string;
        gross_ore: number;
        tax_ore: number;
        expenses_ore: number;
        net_ore: number;
      }>;
      const decimal = (amount: number) => `${Math.trunc(amount / 100)},${String(amount % 100).padStart(2, '0')}`;
      const expectedRow = (label: string, paid: typeof rows) =>
        [
          label,
          ...(['gross_ore', 'tax_ore', 'expenses_ore', 'net_ore'] as const).map((key) =>
            decimal(paid.reduce((total, row) => total + row[key], 0)),
          ),
        ].join(';');
      for (let month = 1; month <= 12; month++) {
        const label = `2026-${String(month).padStart(2, '0')}`;
        expect(lines[month], label).to.equal(
          expectedRow(
            label,
            rows.filter((row) => row.payout_date.startsWith(label)),
          ),
        );
      }
      const year = rows.filter((row) => row.payout_date.startsWith('2026-'));
      expect(year).to.have.length(5);
      expect(lines[13]).to.equal(expectedRow('Totalt', year));
      expect(lines[5]).to.include(';123,45;'); // May: the expenses of the first salary
      expect(lines[1]).to.equal('2026-01;0,00;0,00;0,00;0,00');
    });

    it('when the worker downloads the year’s PDF, then it shows each month and the totals, and no full personnummer', async () => {
      const res = await worker.agent.get(`${PAYSLIPS_PATH}/ar/2027/pdf`).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).to.equal('application/pdf');
      const text = await pdfText(res.body as Buffer);
      const {
        gross_ore: gross,
        tax_ore: tax,
        net_ore: net,
      } = (await ctx.db('salaries').where({ id: nextYear.id }).first()) as {
        gross_ore: number;
        tax_ore: number;
        net_ore: number;
      };
      expect(text).to.include('Inkomstsammanställning 2027');
      expect(text).to.include('Namn Åsa Öberg');
      expect(text).to.include('Personnummer 19900101-****');
      expect(text).to.include(`januari 2027 ${kr(gross)} ${kr(tax)} ${kr(0)} ${kr(net)}`);
      expect(text).to.include(`december 2027 ${kr(0)} ${kr(0)} ${kr(0)} ${kr(0)}`);
      expect(text).to.include(`Totalt ${kr(gross)} ${kr(tax)} ${kr(0)} ${kr(net)}`);
      expect(text).not.to.match(/(19)?900101\s?[-+]?\s?\d{4}/);
    });

    it('when a worker with no salaries asks for a year, then the summary has nothing in it', async () => {
      const other = await createUser(ctx.db);
      const { agent } = await logInAs(ctx.app, other.email);
      const res = await agent.get(`${PAYSLIPS_PATH}/ar/2026/csv`).buffer(true).parse(binary).expect(200);
      expect((res.body as Buffer).toString('utf8')).to.include('Totalt;0,00;0,00;0,00;0,00');
      expect((await agent.get(PAYSLIPS_PATH).expect(200)).text).to.include('Inga löner ännu.');
    });
  });

  describe('access and hostile parameters', () => {
    it('when another worker asks for the payslip, then it does not exist for them; a visitor is sent to log in', async () => {
      const other = await createUser(ctx.db);
      const { agent } = await logInAs(ctx.app, other.email);
      await agent.get(`${PAYSLIPS_PATH}/${anchor.id}/pdf`).expect(404);
      // Their own year has none of the worker's pay.
      const csv = await agent.get(`${PAYSLIPS_PATH}/ar/2026/csv`).buffer(true).parse(binary).expect(200);
      expect((csv.body as Buffer).toString('utf8')).to.include('Totalt;0,00;0,00;0,00;0,00');

      const payroll = await createUser(ctx.db);
      await ctx.db('payroll_staff').insert({ user_id: payroll.id });
      await (await logInAs(ctx.app, payroll.email)).agent.get(`${PAYSLIPS_PATH}/${anchor.id}/pdf`).expect(404);

      for (const path of [
        PAYSLIPS_PATH,
        `${PAYSLIPS_PATH}/${anchor.id}/pdf`,
        `${PAYSLIPS_PATH}/ar/2026/pdf`,
        `${PAYSLIPS_PATH}/ar/2026/csv`,
      ]) {
        const res = await request(ctx.app).get(path);
        expect(res.status, path).to.equal(303);
        expect(String(res.headers.location), path).to.match(/^\/logga-in/);
      }
    });

    it('when the salary id or the year is hostile, then the answer is a 404, never a 5xx', async () => {
      const { agent } = await logInAs(ctx.app, work.workerEmail);
      const hostile = ['abc', '1e9', '-5', '12,345', 'NaN', '0', '9'.repeat(30), '9007199254740993', '%00', '1%2F2'];
      for (const value of hostile) {
        expect((await agent.get(`${PAYSLIPS_PATH}/${value}/pdf`)).status, `salary ${value}`).to.equal(404);
        for (const format of ['pdf', 'csv'])
          expect((await agent.get(`${PAYSLIPS_PATH}/ar/${value}/${format}`)).status, `year ${value}`).to.equal(404);
      }
      // A path that is not UTF-8 (a lone surrogate) is refused before any route sees it.
      expect((await agent.get(`${PAYSLIPS_PATH}/%ED%A0%80/pdf`)).status).to.equal(400);
      expect((await agent.get(`${PAYSLIPS_PATH}/ar/%ED%A0%80/csv`)).status).to.equal(400);
      for (const year of ['1999', '2201', '0000', '20266', '2026.5', ' 2026', '+2026'])
        expect((await agent.get(`${PAYSLIPS_PATH}/ar/${encodeURIComponent(year)}/csv`)).status, `year ${year}`).to.equal(404);
      expect((await agent.get(`${PAYSLIPS_PATH}?ar=%00`)).status).to.equal(200);
    });
  });
});
