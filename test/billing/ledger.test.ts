import { expect } from 'chai';
import request from 'supertest';
import { calculateSalary } from '../../src/modules/billing/calculation.js';
import { decodeCp437, encodeCp437 } from '../../src/modules/billing/ledger-cp437.js';
import { selectLedgerAccounts } from '../../src/modules/billing/ledger-queries.js';
import {
  AccountMapping,
  invoiceVoucher,
  paymentVoucher,
  salaryVoucher,
  type LedgerSalary,
  type Voucher,
} from '../../src/modules/billing/ledger-vouchers.js';
import { loadPayrollRates } from '../../src/modules/billing/rates.js';
import type { Ore } from '../../src/platform/money.js';
import { createOrganisation } from '../support/factories.js';
import { ensureOperatorSettings } from '../support/billing-factories.js';
import { makePayroll } from '../support/billing-factories-f.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, type LoggedIn } from '../support/users.js';

// The operator's books: every invoice, credit note, payment, salary and payout as a balanced voucher, the SIE 4I
// file payroll downloads (read back from its CP437 bytes) and the CSV files of a period.

const OPERATOR = 'Åsa Ängs Bokföring & Öl AB';
const PERIOD = 'from=2026-11-01&to=2026-11-30';
const ore = (value: number) => value as Ore;

/** Sums per voucher in öre, from an SIE text: "#TRANS 1510 {} 50000.00" lines between `{` and `}`. */
function parseSie(text: string) {
  const lines = text.split('\r\n');
  const vouchers: { head: string; transactions: { account: number; amountOre: number }[] }[] = [];
  let current: (typeof vouchers)[number] | undefined;
  for (const line of lines) {
    if (line.startsWith('#VER ')) vouchers.push((current = { head: line, transactions: [] }));
    const trans = /^\s+#TRANS (\d{4}) \{\} (-?\d+)\.(\d{2})$/.exec(line);
    if (trans) {
      const sign = trans[2]!.startsWith('-') ? -1 : 1;
      current!.transactions.push({
        account: Number(trans[1]),
        amountOre: Number(trans[2]) * 100 + sign * Number(trans[3]),
      });
    }
  }
  return { lines, vouchers };
}

const linesOf = (voucher: Voucher) => voucher.transactions.map((t) => [t.account.number, t.amountOre]);

describe('The operator’s books (SIE 4I and CSV)', function () {
  this.timeout(60_000);
  const ctx = useTestApp();
  let payroll: LoggedIn;
  let resident: LoggedIn;
  let accounts: AccountMapping;
  let salary: LedgerSalary;

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Byföreningen "Norr"' });
    const operatorId = await ensureOperatorSettings(ctx.db, {
      name: OPERATOR,
      organisation_number: '5560000001',
      vat_number: 'SE556000000101',
      invoice_series: 'UB',
    });
    const worker = await createUser(ctx.db, { name: 'Åke Öström' });
    const invoice = (n: number, fields: Record<string, unknown>) => ({
      series: 'UB',
      number: n,
      operator_settings_id: operatorId,
      organisation_id: org.id,
      worker_user_id: worker.id,
      buyer_name: org.name,
      buyer_address: 'Byvägen 2, 98132 Kiruna',
      buyer_email: 'kassor@forening.example.se',
      due_date: '2026-12-31',
      delivery_start: '2026-11-01',
      delivery_end: '2026-11-01',
      ocr: `${n}0000${n}`,
      fee_ore: 0,
      ...fields,
    });
    const [sale25] = await ctx
      .db('invoices')
      .insert(
        invoice(1, {
          invoice_date: '2026-11-10',
          vat_bp: 2500,
          amount_excl_vat_ore: 4_000_000,
          vat_ore: 1_000_000,
          total_ore: 5_000_000,
          fee_ore: 240_000,
          status: 'paid',
        }),
      )
      .returning('id');
    const [sale0] = await ctx
      .db('invoices')
      .insert(
        invoice(2, {
          invoice_date: '2026-11-12',
          vat_bp: 0,
          vat_reason: 'Undantag från skatteplikt',
          amount_excl_vat_ore: 1_000_000,
          vat_ore: 0,
          total_ore: 1_000_000,
          status: 'credited',
        }),
      )
      .returning('id');
    await ctx.db('invoices').insert(
      invoice(3, {
        kind: 'credit_note',
        credits_invoice_id: sale0.id,
        credit_reason: 'Fel belopp',
        invoice_date: '2026-11-20',
        vat_bp: 0,
        vat_reason: 'Undantag från skatteplikt',
        amount_excl_vat_ore: -1_000_000,
        vat_ore: 0,
        total_ore: -1_000_000,
      }),
    );
    // Outside the period: in no file of November.
    await ctx
      .db('invoices')
      .insert(
        invoice(4, { invoice_date: '2026-10-31', vat_bp: 2500, amount_excl_vat_ore: 8_000, vat_ore: 2_000, total_ore: 10_000 }),
      );
    await ctx.db('payments').insert([
      { invoice_id: sale25.id, amount_ore: 5_000_000, paid_on: '2026-11-25', reference: '10000 1', source: 'manual' },
      { invoice_id: null, amount_ore: 500, paid_on: '2026-11-26', reference: 'okänd', source: 'manual' },
    ]);
    // The anchor example of issue 12: 40 000 kr, fee 6 %, 30 % tax.
    const payoutDate = '2026-11-27';
    const calculation = calculateSalary(
      {
        invoiceExclVatOre: ore(4_000_000),
        feeBp: 600,
        expensesOre: ore(0),
        birthDate: '1980-05-05',
        taxBp: 3000,
        payoutDate,
        paidEarlierThisMonthOre: ore(0),
        paidEarlierThisYearOre: ore(0),
      },
      await loadPayrollRates(ctx.db, payoutDate),
    );
    const hasPaidOn = await ctx.db.schema.hasColumn('salaries', 'paid_on');
    await ctx.db('salaries').insert({
      invoice_id: sale25.id,
      worker_user_id: worker.id,
      payout_date: payoutDate,
      invoice_excl_vat_ore: calculation.invoiceExclVatOre,
      fee_ore: calculation.feeOre,
      contributions_ore: calculation.contributionsOre,
      contribution_lines: JSON.stringify(calculation.contributionLines),
      gross_ore: calculation.grossOre,
      vacation_pay_ore: calculation.vacationPayOre,
      tax_bp: 3000,
      tax_ore: calculation.taxOre,
      expenses_ore: calculation.expensesOre,
      net_ore: calculation.netOre,
      rounding_ore: calculation.roundingOre,
      ...(hasPaidOn ? { paid_on: '2026-11-30' } : {}),
    });
    salary = { invoiceLabel: 'UB-1', payoutDate, paidOn: hasPaidOn ? '2026-11-30' : null, ...calculation };

    accounts = new AccountMapping(await selectLedgerAccounts(ctx.db));
    const payrollUser = await createUser(ctx.db);
    await makePayroll(ctx.db, payrollUser.id);
    payroll = await logInAs(ctx.app, payrollUser.email);
    resident = await logInAs(ctx.app, (await createUser(ctx.db)).email);
  });

  describe('vouchers', () => {
    it('when an invoice carries 25 % VAT, then receivables are debited the total against sales 3041 and output VAT 2611', () => {
      const voucher = invoiceVoucher(
        {
          kind: 'invoice',
          label: 'UB-1',
          buyerName: 'Byföreningen',
          invoiceDate: '2026-11-10',
          vatBp: 2500,
          amountExclVatOre: ore(4_000_000),
          vatOre: ore(1_000_000),
          totalOre: ore(5_000_000),
        },
        accounts,
      );
      expect(linesOf(voucher)).to.deep.equal([
        [1510, 5_000_000],
        [3041, -4_000_000],
        [2611, -1_000_000],
      ]);
    });

    it('when an invoice carries 0 % VAT, then it is sold on 3044 with no VAT line, and its credit note reverses it', () => {
      const zero = {
        kind: 'invoice' as const,
        label: 'UB-2',
        buyerName: 'Byföreningen',
        invoiceDate: '2026-11-12',
        vatBp: 0,
        amountExclVatOre: ore(1_000_000),
        vatOre: ore(0),
        totalOre: ore(1_000_000),
      };
      expect(linesOf(invoiceVoucher(zero, accounts))).to.deep.equal([
        [1510, 1_000_000],
        [3044, -1_000_000],
      ]);
      const credit = { ...zero, kind: 'credit_note' as const, amountExclVatOre: ore(-1_000_000), totalOre: ore(-1_000_000) };
      expect(linesOf(invoiceVoucher(credit, accounts))).to.deep.equal([
        [1510, -1_000_000],
        [3044, 1_000_000],
      ]);
    });

    it('when a payment comes in, then the bank 1930 is debited against receivables 1510', () => {
      const voucher = paymentVoucher({ paidOn: '2026-11-25', amountOre: ore(5_000_000), invoiceLabel: 'UB-1' }, accounts);
      expect(linesOf(voucher)).to.deep.equal([
        [1930, 5_000_000],
        [1510, -5_000_000],
      ]);
    });

    it('when a salary is booked, then pay, vacation pay and contributions are costs against contributions, tax and net owed', () => {
      // The anchor: gross 28 611 (vacation pay 28 611 × 12/112), contributions 8 989, tax 8 583, net 20 028.
      expect(salary.grossOre).to.equal(2_861_100);
      const voucher = salaryVoucher(salary, accounts);
      expect(linesOf(voucher)).to.deep.equal([
        [7010, 2_861_100 - salary.vacationPayOre],
        [7082, salary.vacationPayOre],
        [7510, 898_900],
        [2731, -898_900],
        [2710, -858_300],
        [2820, -2_002_800],
      ]);
    });

    it('when a voucher would not balance, then it is refused', () => {
      expect(() => salaryVoucher({ ...salary, netOre: ore(salary.netOre + 1) }, accounts)).to.throw(/off by -1 öre/);
    });
  });

  describe('the SIE file', () => {
    let text: string;
    let bytes: Buffer;

    before(async () => {
      const res = await payroll.agent
        .get(`/lon/bokforing.se?${PERIOD}`)
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(res.headers['content-type']).to.match(/^text\/plain; charset=IBM437/i);
      expect(res.headers['content-disposition']).to.include('bokforing-2026-11-01-2026-11-30.se');
      bytes = res.body as Buffer;
      text = decodeCp437(bytes);
    });

    it('when decoded as CP437, then the operator’s å, ä and ö come back and are single PC8 bytes', () => {
      expect(text).to.include(`#FNAMN "${OPERATOR}"`);
      // å 0x86, ä 0x84, ö 0x94, Å 0x8F, Ä 0x8E, Ö 0x99 in code page 437.
      expect(bytes.includes(Buffer.from([0x8f, 0x73, 0x61]))).to.equal(true); // "Åsa"
      expect(encodeCp437('åäöÅÄÖ')).to.deep.equal(Buffer.from([0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99]));
      expect(bytes.every((byte) => byte !== 0xc3)).to.equal(true); // no UTF-8 lead byte of å/ä/ö
    });

    it('when read, then every header record is there in order and every line ends in CRLF', () => {
      const { lines } = parseSie(text);
      const labels = lines.map((line) => /^#(\w+)/.exec(line)?.[1]).filter(Boolean);
      expect(labels.slice(0, 8)).to.deep.equal(['FLAGGA', 'PROGRAM', 'FORMAT', 'GEN', 'SIETYP', 'FNAMN', 'ORGNR', 'KPTYP']);
      expect(lines).to.include.members(['#FLAGGA 0', '#FORMAT PC8', '#SIETYP 4', '#ORGNR 556000-0001', '#KPTYP BAS2014']);
      expect(lines.find((line) => line.startsWith('#GEN '))).to.match(/^#GEN \d{8}$/);
      expect(text.endsWith('\r\n')).to.equal(true);
      expect(text.replaceAll('\r\n', '')).not.to.include('\n');
      for (const account of [1510, 1930, 2611, 2710, 2731, 2820, 3041, 3044, 7010, 7082, 7510])
        expect(lines.some((line) => line.startsWith(`#KONTO ${account} "`))).to.equal(true, `#KONTO ${account}`);
    });

    it('when read, then the period’s vouchers are there, dated YYYYMMDD, and each one’s #TRANS sum to zero', () => {
      const { vouchers } = parseSie(text);
      const payouts = salary.paidOn ? 1 : 0;
      // Invoice 25 %, invoice 0 %, credit note, the matched payment, the salary (and its payout).
      expect(vouchers).to.have.length(5 + payouts);
      expect(vouchers.map((voucher) => /^#VER "" "" (\d{8}) /.exec(voucher.head)?.[1])).to.deep.equal([
        '20261110',
        '20261112',
        '20261120',
        '20261125',
        '20261127',
        ...(payouts ? ['20261130'] : []),
      ]);
      for (const voucher of vouchers) {
        expect(voucher.transactions.length).to.be.at.least(2);
        expect(voucher.transactions.reduce((sum, t) => sum + t.amountOre, 0)).to.equal(0, voucher.head);
      }
      // The buyer's quotation marks are escaped inside the quoted text.
      expect(vouchers[0]!.head).to.equal('#VER "" "" 20261110 "Faktura UB-1 Byföreningen \\"Norr\\""');
      expect(text).to.include('#TRANS 3041 {} -40000.00');
    });

    it('when the period is another, then its vouchers are other ones', async () => {
      const res = await payroll.agent.get('/lon/bokforing.se?from=2026-10-01&to=2026-10-31').expect(200);
      const { vouchers } = parseSie(decodeCp437(Buffer.from(res.text, 'latin1')));
      expect(vouchers).to.have.length(1);
    });
  });

  describe('the CSV files', () => {
    it('when payroll downloads invoices, then each of the period’s invoices and credit notes is a row, amounts with decimal commas', async () => {
      const res = await payroll.agent.get(`/lon/bokforing/fakturor.csv?${PERIOD}`).expect(200);
      expect(res.headers['content-type']).to.match(/^text\/csv/);
      const rows = res.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(rows).to.have.length(4); // header + 3
      expect(rows[1]).to.include(
        'UB-1;Faktura;;2026-11-10;2026-12-31;"Byföreningen ""Norr""";;100001;25,00;40000,00;10000,00;50000,00;2400,00;0,00;Betald',
      );
      expect(rows[3]).to.include('UB-3;Kreditnota;UB-2;2026-11-20');
      expect(rows[3]).to.include('-10000,00');
    });

    it('when payroll downloads payments, then only matched payments of the period are rows', async () => {
      const res = await payroll.agent.get(`/lon/bokforing/betalningar.csv?${PERIOD}`).expect(200);
      const rows = res.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(rows).to.deep.equal([
        'Betalningsdag;Belopp;Faktura;Referens;Källa',
        '2026-11-25;50000,00;UB-1;10000 1;Registrerad för hand',
      ]);
    });

    it('when payroll downloads salaries, then the salary is a row with every amount', async () => {
      const res = await payroll.agent.get(`/lon/bokforing/loner.csv?${PERIOD}`).expect(200);
      const rows = res.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(rows).to.have.length(2);
      expect(rows[1]).to.match(
        /^UB-1;Åke Öström;2026-11-27;(2026-11-30)?;40000,00;2400,00;8989,00;28611,00;\d+,\d\d;30,00;8583,00;0,00;20028,00;\d+,\d\d$/,
      );
    });
  });

  describe('the page and who may use it', () => {
    it('when payroll opens the page, then the form has this month, and with a period the four files are linked', async () => {
      const blank = await payroll.agent.get('/lon/bokforing').expect(200);
      expect(blank.text).to.include('name="from"');
      expect(blank.text).not.to.include('/lon/bokforing.se?');
      const chosen = await payroll.agent.get(`/lon/bokforing?${PERIOD}`).expect(200);
      for (const link of [
        '/lon/bokforing.se?',
        '/lon/bokforing/fakturor.csv?',
        '/lon/bokforing/betalningar.csv?',
        '/lon/bokforing/loner.csv?',
      ])
        expect(chosen.text).to.include(`${link}${PERIOD.replace('&', '&amp;')}`);
      expect(chosen.text).to.match(/Perioden har \d+ verifikationer/);
    });

    it('when anyone but payroll asks for the page or a file, then it does not exist (404)', async () => {
      for (const path of ['/lon/bokforing', `/lon/bokforing.se?${PERIOD}`, `/lon/bokforing/loner.csv?${PERIOD}`]) {
        await resident.agent.get(path).expect(404);
        const visitor = await request(ctx.app).get(path);
        expect(visitor.status, path).to.be.oneOf([404, 303]);
      }
    });

    for (const [label, query, field] of [
      ['an impossible date', 'from=2026-02-30&to=2026-03-01', 'from'],
      ['the end before the start', 'from=2026-03-02&to=2026-03-01', 'to'],
      ['more than a year', 'from=2026-01-01&to=2027-01-01', 'to'],
      ['a script', 'from=%3Cscript%3Ealert(1)%3C%2Fscript%3E&to=2026-03-01', 'from'],
      ['30 digits', `from=${'9'.repeat(30)}&to=NaN`, 'from'],
      ['a missing date', 'from=&to=2026-03-01', 'from'],
      ['twice the parameter', 'from=2026-01-01&from=2026-02-01&to=2026-03-01', 'from'],
      ['a long value', `from=${'x'.repeat(5_000)}&to=2026-03-01`, 'from'],
    ] as const) {
      it(`when the period is ${label}, then each address answers 400 with the form, the message beside the field`, async () => {
        for (const path of ['/lon/bokforing', '/lon/bokforing.se', '/lon/bokforing/fakturor.csv']) {
          const res = await payroll.agent.get(`${path}?${query}`);
          expect(res.status, `${path} ${label}`).to.equal(400);
          expect(res.text).to.include(`id="${field}-error"`);
          expect(res.text).to.include(`aria-describedby="${field}-hint ${field}-error"`);
          expect(res.text).not.to.include('<script>alert(1)');
        }
      });
    }
  });
});
