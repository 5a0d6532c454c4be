import { DOMParser, type Element } from '@xmldom/xmldom';
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { calculateSalary } from '../../src/modules/billing/calculation.js';
import { checkDeclarationMonth, DECLARATION_PATH } from '../../src/modules/billing/declaration-service.js';
import { COMPONENT_NAMESPACE, escapeXml } from '../../src/modules/billing/declaration-xml.js';
import { loadPayrollRates } from '../../src/modules/billing/rates.js';
import { addMonths, todayInStockholm } from '../../src/platform/calendar.js';
import { encryptSecret } from '../../src/platform/encryption.js';
import { luhnCheckDigit } from '../../src/platform/luhn.js';
import { ore } from '../../src/platform/money.js';
import { issueTestInvoice } from '../support/billing-factories-d.js';
import { createBillingOrganisation } from '../support/billing-factories-e.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, type LoggedIn } from '../support/users.js';

// The monthly employer declaration (issue 12, item 5): the preview with masked numbers and the XML file with full
// ones, every one audited. Salaries are written straight to the table, made by calculateSalary so they balance.

const XML = '/lon/arbetsgivardeklaration.xml';

function personnummerFor(birthDate: string, birthNumber: number): string {
  const [year, month, day] = birthDate.split('-') as [string, string, string];
  const nine = `${year.slice(2)}${month}${day}${String(birthNumber).padStart(3, '0')}`;
  return `${year.slice(0, 2)}${nine}${luhnCheckDigit(nine)}`;
}

/** The file parsed; any well-formedness error fails the test. */
function parseXml(text: string) {
  const document = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`Not well-formed XML: ${message}`);
    },
  }).parseFromString(text, 'text/xml');
  const all = (name: string, within: { getElementsByTagNameNS: Element['getElementsByTagNameNS'] } = document) =>
    Array.from(within.getElementsByTagNameNS(COMPONENT_NAMESPACE, name));
  const field = (within: Element, name: string) => {
    const [element] = all(name, within);
    return element && { code: element.getAttribute('faltkod'), text: element.textContent };
  };
  return { document, all, field };
}

describe('Employer declaration (/lon/arbetsgivardeklaration)', function () {
  this.timeout(60_000);
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });

  const ctx = useTestApp(() => ({ log: pino({ level: 'debug' }, sink) }));
  let payroll: LoggedIn;
  let payrollUserId: number;
  let organisation: { organisationId: number; approverId: number };
  let born = 0;

  before(async () => {
    const user = await createUser(ctx.db, { name: 'Lön Lönsson' });
    await ctx.db('payroll_staff').insert({ user_id: user.id });
    payrollUserId = user.id;
    payroll = await logInAs(ctx.app, user.email);
    const made = await createBillingOrganisation(ctx.db);
    organisation = { organisationId: made.organisation.id, approverId: made.member.id };
  });

  /** A worker with an activated account whose personnummer is sealed as the account service seals it. */
  async function createWorker(birthDate = '1985-06-15', name?: string) {
    const user = await createUser(ctx.db, name ? { name } : {});
    const digits = personnummerFor(birthDate, 100 + (born++ % 800));
    const sealed = encryptSecret(ctx.deps.dataKeys!, digits, `enterprise_accounts.personal_number:${user.id}`);
    await ctx.db('enterprise_accounts').insert({
      user_id: user.id,
      personal_number_ciphertext: sealed.ciphertext,
      personal_number_key_id: sealed.keyId,
      personal_number_hash: randomBytes(32),
      coordination_number: false,
      birth_date: birthDate,
      clearing_number: '8327',
      account_number: '1234567890',
      tax_mode: 'side_income',
      terms_accepted_at: new Date(),
    });
    return { ...user, digits, birthDate };
  }

  /** A salary paid out on `payoutDate` for an invoice of `invoiceKr` (excl. VAT), 30 % tax. */
  async function paySalary(
    worker: { id: number; birthDate: string },
    payoutDate: string,
    invoiceKr: number,
    { paidEarlierThisYearKr = 50_000 } = {},
  ) {
    const invoiceId = await issueTestInvoice(ctx.db, { ...organisation, workerId: worker.id });
    const salary = calculateSalary(
      {
        invoiceExclVatOre: ore(invoiceKr * 100 + 37),
        feeBp: 600,
        expensesOre: ore(0),
        birthDate: worker.birthDate,
        taxBp: 3000,
        payoutDate,
        paidEarlierThisMonthOre: ore(0),
        paidEarlierThisYearOre: ore(paidEarlierThisYearKr * 100),
      },
      await loadPayrollRates(ctx.db, payoutDate),
    );
    const [row] = (await ctx
      .db('salaries')
      .insert({
        invoice_id: invoiceId,
        worker_user_id: worker.id,
        payout_date: payoutDate,
        invoice_excl_vat_ore: salary.invoiceExclVatOre,
        fee_ore: salary.feeOre,
        contributions_ore: salary.contributionsOre,
        contribution_lines: JSON.stringify(salary.contributionLines),
        gross_ore: salary.grossOre,
        vacation_pay_ore: salary.vacationPayOre,
        tax_bp: 3000,
        tax_ore: salary.taxOre,
        expenses_ore: salary.expensesOre,
        net_ore: salary.netOre,
        rounding_ore: salary.roundingOre,
      })
      .returning('id')) as Array<{ id: number }>;
    return { id: Number(row!.id), ...salary };
  }

  describe('the XML file', () => {
    let anna: Awaited<ReturnType<typeof createWorker>>;
    let bo: Awaited<ReturnType<typeof createWorker>>;
    let salaries: Array<Awaited<ReturnType<typeof paySalary>>>;

    before(async () => {
      anna = await createWorker('1985-06-15', 'Anna <b>Ek</b> & co');
      bo = await createWorker('1950-02-01');
      salaries = [
        await paySalary(anna, '2026-05-04', 40_000),
        await paySalary(anna, '2026-05-20', 12_345),
        await paySalary(bo, '2026-05-31', 8_000),
        // The first pay of Bo's year, under 1 000 kr: no base for contributions.
        await paySalary(bo, '2026-05-15', 500, { paidEarlierThisYearKr: 0 }),
        // Outside May, on either side.
        await paySalary(anna, '2026-04-30', 9_999),
        await paySalary(bo, '2026-06-01', 9_999),
      ];
    });

    it('is well-formed, in schema 1.1, with the main return totals equal to the sums of the individual returns', async () => {
      const res = await payroll.agent.get(`${XML}?month=2026-05`).expect(200);
      expect(res.headers['content-type']).to.match(/^application\/xml/);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.headers['content-disposition']).to.include('arbetsgivardeklaration-202605.xml');
      const { document, all, field } = parseXml(res.text);
      const root = document.documentElement!;
      expect(root.localName).to.equal('Skatteverket');
      expect(root.getAttribute('omrade')).to.equal('Arbetsgivardeklaration');
      expect(root.namespaceURI).to.equal('http://xmls.skatteverket.se/se/skatteverket/da/instans/schema/1.1');

      const [main] = all('HU');
      expect(all('HU')).to.have.length(1);
      expect(field(main!, 'AgRegistreradId')).to.deep.equal({ code: '201', text: '167696237614' });
      expect(field(main!, 'RedovisningsPeriod')).to.deep.equal({ code: '006', text: '202605' });
      const individuals = all('IU');
      const inMay = salaries.slice(0, 4);
      expect(individuals).to.have.length(inMay.length);

      const number = (element: Element, name: string) => Number(field(element, name)?.text ?? 0);
      const taxes = individuals.map((individual) => number(individual, 'AvdrPrelSkatt'));
      expect(field(main!, 'SummaSkatteavdr')).to.deep.equal({
        code: '497',
        text: String(taxes.reduce((sum, tax) => sum + tax, 0)),
      });
      const contributions = inMay.reduce((sum, salary) => sum + salary.contributionsOre, 0);
      expect(field(main!, 'SummaArbAvgSlf')).to.deep.equal({ code: '487', text: String(contributions / 100) });

      for (const individual of individuals) {
        const specification = Number(field(individual, 'Specifikationsnummer')!.text);
        const salary = inMay.find((candidate) => candidate.id === specification)!;
        const worker = salary === salaries[0] || salary === salaries[1] ? anna : bo;
        expect(field(individual, 'BetalningsmottagarId')).to.deep.equal({ code: '215', text: worker.digits });
        expect(field(individual, 'RedovisningsPeriod')!.text).to.equal('202605');
        expect(field(individual, 'Specifikationsnummer')!.code).to.equal('570');
        expect(field(individual, 'AvdrPrelSkatt')).to.deep.equal({ code: '001', text: String(salary.taxOre / 100) });
        const whole = String(Math.floor(salary.grossOre / 100));
        if (salary.contributionLines.length > 0) {
          expect(field(individual, 'KontantErsattningUlagAG')).to.deep.equal({ code: '011', text: whole });
          expect(field(individual, 'KontantErsattningEjUlagSA')).to.equal(undefined);
        } else {
          expect(field(individual, 'KontantErsattningEjUlagSA')).to.deep.equal({ code: '131', text: whole });
          expect(field(individual, 'KontantErsattningUlagAG')).to.equal(undefined);
        }
      }
      expect(salaries[3]!.contributionLines).to.deep.equal([]); // the fixture holds a payout under the threshold
      // The specification number is unique per person and period.
      const keys = individuals.map(
        (individual) => `${field(individual, 'BetalningsmottagarId')!.text}/${field(individual, 'Specifikationsnummer')!.text}`,
      );
      expect(new Set(keys).size).to.equal(keys.length);
    });

    it('audits every number it holds, once per person, and logs none of them', async () => {
      const before = Number((await ctx.db('personal_data_views').count('* as n').first())!.n);
      const mark = lines.length;
      await payroll.agent.get(`${XML}?month=2026-05`).expect(200);
      const views = await ctx.db('personal_data_views').orderBy('id').offset(before).select();
      expect(views.map((view) => Number(view.subject_user_id)).sort()).to.deep.equal([anna.id, bo.id].sort());
      for (const view of views) {
        expect(Number(view.viewer_user_id)).to.equal(payrollUserId);
        expect(view.purpose).to.equal('arbetsgivardeklaration 2026-05');
      }
      const logged = lines.slice(mark).join('');
      expect(logged).to.include(XML); // the request was logged, without a number
      for (const digits of [anna.digits, bo.digits]) {
        expect(logged).to.not.include(digits);
        expect(logged).to.not.include(`${digits.slice(0, 8)}-${digits.slice(8)}`);
      }
    });

    it('holds only the main return, with zeros, for a month without salaries (and audits nobody)', async () => {
      const before = Number((await ctx.db('personal_data_views').count('* as n').first())!.n);
      const res = await payroll.agent.get(`${XML}?month=2026-02`).expect(200);
      const { all, field } = parseXml(res.text);
      expect(all('IU')).to.have.length(0);
      expect(field(all('HU')[0]!, 'SummaSkatteavdr')!.text).to.equal('0');
      expect(field(all('HU')[0]!, 'SummaArbAvgSlf')!.text).to.equal('0');
      expect(Number((await ctx.db('personal_data_views').count('* as n').first())!.n)).to.equal(before);
    });

    it('takes the month by payout date: the last day of April and the first of June stay out of May', async () => {
      const april = parseXml((await payroll.agent.get(`${XML}?month=2026-04`).expect(200)).text);
      expect(april.all('IU').map((individual) => april.field(individual, 'Specifikationsnummer')!.text)).to.deep.equal([
        String(salaries[4]!.id),
      ]);
      const june = parseXml((await payroll.agent.get(`${XML}?month=2026-06`).expect(200)).text);
      expect(june.all('IU').map((individual) => june.field(individual, 'Specifikationsnummer')!.text)).to.deep.equal([
        String(salaries[5]!.id),
      ]);
    });

    it('escapes text it carries (the employer name), and refuses characters XML cannot hold', () => {
      expect(escapeXml(`Ek & Co <"AB">'`)).to.equal('Ek &amp; Co &lt;&quot;AB&quot;&gt;&apos;');
      expect(() => escapeXml('a\u0000b')).to.throw(RangeError);
    });

    it('shows payroll a preview with the totals and masked numbers only, never a full one', async () => {
      const res = await payroll.agent.get(`${DECLARATION_PATH}?month=2026-05`).expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.text).to.include('Huvuduppgift för');
      expect(res.text).to.include('202605');
      expect(res.text).to.include(`${anna.digits.slice(0, 8)}-****`);
      expect(res.text).to.include(`${bo.digits.slice(0, 8)}-****`);
      expect(res.text).to.include('Anna &lt;b&gt;Ek&lt;/b&gt; &amp; co');
      expect(res.text).to.include(`href="${XML}?month=2026-05"`);
      for (const digits of [anna.digits, bo.digits]) {
        expect(res.text).to.not.include(digits);
        expect(res.text).to.not.include(digits.slice(2));
        expect(res.text).to.not.include(`${digits.slice(0, 8)}-${digits.slice(8)}`);
      }
      const english = await payroll.agent.get(`${DECLARATION_PATH}?month=2026-05&lang=en`).expect(200);
      expect(english.text).to.include('Main return for');
    });

    it('declares last month when no month is given', async () => {
      const res = await payroll.agent.get(DECLARATION_PATH).expect(200);
      expect(res.text).to.include(`value="${addMonths(todayInStockholm(), -1).slice(0, 7)}"`);
    });
  });

  describe('the month', () => {
    it('defaults to the month before today in Stockholm, across midnight at a month end', () => {
      expect(checkDeclarationMonth(undefined, '2026-01-15')).to.deep.equal({ ok: true, month: '2025-12' });
      // 23:30 UTC on 28 February is already 1 March in Stockholm: February is the month to declare.
      const stockholm = todayInStockholm(new Date('2026-02-28T23:30:00Z'));
      expect(stockholm).to.equal('2026-03-01');
      expect(checkDeclarationMonth('', stockholm)).to.deep.equal({ ok: true, month: '2026-02' });
      expect(checkDeclarationMonth('2026-03', stockholm)).to.deep.equal({ ok: true, month: '2026-03' });
    });

    const HOSTILE: unknown[] = [
      '2026-13',
      '2026-00',
      '2026-02-30',
      '<script>alert(1)</script>',
      '1e9',
      '-5',
      'NaN',
      '12,345',
      '9'.repeat(30),
      '2026-5',
      ' 2026-05',
      '1999-01',
      '2999-01',
      'x'.repeat(5_000), // a longer address is refused by Node itself (431)
    ];

    it('refuses hostile values on the preview with 400, the message beside the field and the input kept', async () => {
      for (const value of HOSTILE) {
        const res = await payroll.agent.get(DECLARATION_PATH).query({ month: value }).expect(400);
        expect(res.text, String(value)).to.include('id="month-error"');
        expect(res.text).to.include('aria-describedby="month-hint month-error"');
        expect(res.text).to.not.include('<script>alert(1)</script>');
      }
      const kept = await payroll.agent.get(DECLARATION_PATH).query({ month: '<b>2026</b>' }).expect(400);
      expect(kept.text).to.include('value="&lt;b&gt;2026&lt;/b&gt;"');
      await payroll.agent.get(`${DECLARATION_PATH}?month=2026-01&month=2026-02`).expect(400);
      for (const raw of ['%00', 'a%ED%A0%80b', '2026-0%00', '%FF%FE'])
        await payroll.agent.get(`${DECLARATION_PATH}?month=${raw}`).expect(400);
    });

    it('refuses hostile values on the file with 400, auditing nothing', async () => {
      const before = Number((await ctx.db('personal_data_views').count('* as n').first())!.n);
      for (const value of HOSTILE) await payroll.agent.get(XML).query({ month: value }).expect(400);
      await payroll.agent.get(`${XML}?month=2026-01&month=2026-02`).expect(400);
      expect(Number((await ctx.db('personal_data_views').count('* as n').first())!.n)).to.equal(before);
    });
  });

  describe('access', () => {
    it('is payroll staff only: no such place for workers, members, admins or visitors', async () => {
      const worker = await createWorker();
      const admin = await createUser(ctx.db, { isAdmin: true });
      for (const user of [worker, admin]) {
        const client = await logInAs(ctx.app, user.email);
        await client.agent.get(`${DECLARATION_PATH}?month=2026-05`).expect(404);
        await client.agent.get(`${XML}?month=2026-05`).expect(404);
        await client.agent.get(`${XML}?month=<script>`).expect(404);
      }
      await request(ctx.app).get(`${DECLARATION_PATH}?month=2026-05`).expect(404);
      await request(ctx.app).get(`${XML}?month=2026-05`).expect(404);
    });
  });
});
