import { expect } from 'chai';
import request from 'supertest';
import { ESTIMATE_PARAMETERS } from '../../src/modules/billing/calculator-service.js';
import { currentFeeBp, DEFAULT_FEE_BP, loadPayrollRates, NoRatesError } from '../../src/modules/billing/rates.js';
import { useTestApp } from '../support/test-app.js';

// The public faces of the salary calculation: GET /api/v1/salary-estimate (PRODUCT.md's contract), its place in
// the OpenAPI document, and the calculator page "Vad får jag ut?" (/egenanstallning/rakna). The rates are the
// billing migration's 2026 rows.

const API = '/api/v1/salary-estimate';
const PAGE = '/egenanstallning/rakna';
/** Intl's sv-SE writes no-break spaces; the assertions read ordinary ones. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

const ANCHOR_QUERY = { invoiceExclVat: '40000', birthDate: '1980-06-15', payoutDate: '2026-05-15' };
const ANCHOR_ANSWER = {
  invoiceExclVatOre: 4_000_000,
  feeOre: 240_000,
  contributionsOre: 898_900,
  contributionLines: [{ ratePercent: '31.42', baseOre: 2_861_100, amountOre: 898_900 }],
  grossOre: 2_861_100,
  vacationPayOre: 306_546,
  taxOre: 858_300,
  expensesOre: 0,
  netOre: 2_002_800,
  roundingOre: 0,
};

const operatorSettings = (validFrom: string, feeBp: number) => ({
  valid_from: validFrom,
  name: 'Demo Egenanställning AB',
  organisation_number: '5560000000',
  vat_number: 'SE556000000001',
  street_address: 'Storgatan 1',
  postal_code: '92131',
  city: 'Lycksele',
  bankgiro: '12345678',
  f_tax_approved: true,
  fee_bp: feeBp,
  payment_terms_days: 30,
  invoice_series: 'A',
  email: 'faktura@example.org',
});

describe('Payroll rates from the dated rows', () => {
  const ctx = useTestApp();

  it('when read for a day in 2026, then the general, 67+, 88+ rows and the parameters of that day', async () => {
    const rates = await loadPayrollRates(ctx.db, '2026-02-01');
    expect(rates.contributionRates.map((row) => row.rateBp)).to.have.members([3142, 1021, 0]);
    expect(rates).to.include({ vacationPayBp: 1200, contributionThresholdOre: 100_000, taxSideIncomeBp: 3000, taxSinkBp: 2250 });
  });

  it('when read inside the youth window, then its row with its cap; in 2027 SINK is 20 %', async () => {
    const rates = await loadPayrollRates(ctx.db, '2027-09-30');
    expect(rates.contributionRates.find((row) => row.rateBp === 2081)).to.include({
      minAge: 18,
      maxAge: 22,
      monthlyCapOre: 2_500_000,
    });
    expect(rates.taxSinkBp).to.equal(2000);
    expect((await loadPayrollRates(ctx.db, '2027-10-01')).contributionRates.map((row) => row.rateBp)).not.to.include(2081);
  });

  it('when read for a day before the first rates, then NoRatesError', async () => {
    let error: unknown;
    await loadPayrollRates(ctx.db, '2025-12-31').catch((caught: unknown) => (error = caught));
    expect(error).to.be.instanceOf(NoRatesError);
  });

  it('when the operator has no settings, then the fee is 6 %; otherwise the version valid on the day', async () => {
    expect(await currentFeeBp(ctx.db, '2026-05-01'))
      .to.equal(DEFAULT_FEE_BP)
      .and.to.equal(600);
    await ctx.db('operator_settings').insert([operatorSettings('2026-01-01', 700), operatorSettings('2026-07-01', 800)]);
    expect(await currentFeeBp(ctx.db, '2025-12-31')).to.equal(600);
    expect(await currentFeeBp(ctx.db, '2026-06-30')).to.equal(700);
    expect(await currentFeeBp(ctx.db, '2026-07-01')).to.equal(800);
  });
});

describe('GET /api/v1/salary-estimate', () => {
  const ctx = useTestApp();

  it('when asked for the anchor example, then exactly Frilans Finans’ lines in öre', async () => {
    const res = await request(ctx.app).get(API).query(ANCHOR_QUERY).expect(200);
    expect(res.type).to.equal('application/json');
    expect(res.body).to.deep.equal(ANCHOR_ANSWER);
    expect(Object.keys(res.body)).to.deep.equal(Object.keys(ANCHOR_ANSWER));
  });

  it('when any site reads it, then CORS is open for it, with no session cookie', async () => {
    const res = await request(ctx.app).get(API).query(ANCHOR_QUERY).set('Origin', 'https://example.org').expect(200);
    expect(res.headers['access-control-allow-origin']).to.equal('*');
    expect(res.headers).not.to.have.property('set-cookie');
    const bad = await request(ctx.app).get(API).set('Origin', 'https://example.org').expect(400);
    expect(bad.headers['access-control-allow-origin']).to.equal('*');
  });

  it('when öre, expenses, a tax rate and a fee are given, then they are used', async () => {
    const res = await request(ctx.app)
      .get(API)
      .query({ ...ANCHOR_QUERY, invoiceExclVat: '1234.50', expenses: '100.25', taxPercent: '22.5', feePercent: '0' })
      .expect(200);
    const body = res.body as typeof ANCHOR_ANSWER;
    expect(body.invoiceExclVatOre).to.equal(123_450);
    expect(body.feeOre).to.equal(0);
    expect(body.expensesOre).to.equal(10_025);
    expect(body.taxOre).to.equal(Math.floor((body.grossOre * 225) / 100_000) * 100);
    expect(body.feeOre + body.contributionsOre + body.grossOre + body.expensesOre + body.roundingOre).to.equal(123_450);
  });

  it('when the payout date is left out, then today (rates valid today) is used', async () => {
    const res = await request(ctx.app).get(API).query({ invoiceExclVat: '40000', birthDate: '1980-06-15' }).expect(200);
    expect(res.body.grossOre).to.be.above(0);
  });

  it('when earlier pay this year is under 1 000 kr, then this payout bears its contributions in a line of its own', async () => {
    const res = await request(ctx.app)
      .get(API)
      .query({ ...ANCHOR_QUERY, paidEarlierThisYear: '900', paidEarlierThisMonth: '900' })
      .expect(200);
    expect(res.body.contributionLines).to.deep.include({
      ratePercent: '31.42',
      baseOre: 90_000,
      amountOre: 28_200,
      earlierPayouts: true,
    });
  });

  it('when a young worker has been paid 25 000 kr this month, then the whole payout is at the full rate', async () => {
    const young = { ...ANCHOR_QUERY, birthDate: '2005-03-01' };
    const fresh = await request(ctx.app).get(API).query(young).expect(200);
    expect(fresh.body.contributionLines.map((line: { ratePercent: string }) => line.ratePercent)).to.deep.equal([
      '20.81',
      '31.42',
    ]);
    const capped = await request(ctx.app)
      .get(API)
      .query({ ...young, paidEarlierThisMonth: '25000', paidEarlierThisYear: '30000' })
      .expect(200);
    expect(capped.body.contributionLines.map((line: { ratePercent: string }) => line.ratePercent)).to.deep.equal(['31.42']);
  });

  it('when the operator’s fee changes on a date, then the payout date picks the version; feePercent overrides it', async () => {
    await ctx.db('operator_settings').insert(operatorSettings('2026-06-01', 800));
    const before = await request(ctx.app).get(API).query(ANCHOR_QUERY).expect(200);
    expect(before.body.feeOre).to.equal(240_000);
    const after = await request(ctx.app)
      .get(API)
      .query({ ...ANCHOR_QUERY, payoutDate: '2026-06-01' })
      .expect(200);
    expect(after.body.feeOre).to.equal(320_000);
    const chosen = await request(ctx.app)
      .get(API)
      .query({ ...ANCHOR_QUERY, payoutDate: '2026-06-01', feePercent: '6' })
      .expect(200);
    expect(chosen.body.feeOre).to.equal(240_000);
  });

  const refusals: Array<[query: string, parameter: string]> = [
    ['birthDate=1980-06-15', 'invoiceExclVat'],
    ['invoiceExclVat=1e9&birthDate=1980-06-15', 'invoiceExclVat'],
    ['invoiceExclVat=-5&birthDate=1980-06-15', 'invoiceExclVat'],
    ['invoiceExclVat=12,345&birthDate=1980-06-15', 'invoiceExclVat'],
    ['invoiceExclVat=NaN&birthDate=1980-06-15', 'invoiceExclVat'],
    ['invoiceExclVat=Infinity&birthDate=1980-06-15', 'invoiceExclVat'],
    [`invoiceExclVat=${'9'.repeat(30)}&birthDate=1980-06-15`, 'invoiceExclVat'],
    ['invoiceExclVat=100000001&birthDate=1980-06-15', 'invoiceExclVat'],
    ['invoiceExclVat=%3Cscript%3Ealert(1)%3C%2Fscript%3E&birthDate=1980-06-15', 'invoiceExclVat'],
    ['invoiceExclVat=1%00&birthDate=1980-06-15', 'invoiceExclVat'],
    ['invoiceExclVat=1&invoiceExclVat=2&birthDate=1980-06-15', 'invoiceExclVat'],
    ['invoiceExclVat=1000&expenses=-5&birthDate=1980-06-15', 'expenses'],
    ['invoiceExclVat=1000&expenses=1000&birthDate=1980-06-15', 'expenses'],
    ['invoiceExclVat=40000', 'birthDate'],
    ['invoiceExclVat=40000&birthDate=1980', 'birthDate'],
    ['invoiceExclVat=40000&birthDate=1980-02-30', 'birthDate'],
    ['invoiceExclVat=40000&birthDate=1899-12-31', 'birthDate'],
    ['invoiceExclVat=40000&birthDate=2030-01-01&payoutDate=2026-05-15', 'birthDate'],
    ['invoiceExclVat=40000&birthDate=1980-06-15&taxPercent=101', 'taxPercent'],
    ['invoiceExclVat=40000&birthDate=1980-06-15&taxPercent=-5', 'taxPercent'],
    ['invoiceExclVat=40000&birthDate=1980-06-15&taxPercent=NaN', 'taxPercent'],
    ['invoiceExclVat=40000&birthDate=1980-06-15&taxPercent=30.123', 'taxPercent'],
    ['invoiceExclVat=40000&birthDate=1980-06-15&feePercent=1e2', 'feePercent'],
    ['invoiceExclVat=40000&birthDate=1980-06-15&payoutDate=2026-02-30', 'payoutDate'],
    ['invoiceExclVat=40000&birthDate=1980-06-15&payoutDate=0000-00-00', 'payoutDate'],
    ['invoiceExclVat=40000&birthDate=1980-06-15&payoutDate=2025-06-01', 'payoutDate'],
    ['invoiceExclVat=40000&birthDate=1980-06-15&payoutDate=9999-12-31', 'payoutDate'],
    ['invoiceExclVat=40000&birthDate=1980-06-15&paidEarlierThisYear=abc', 'paidEarlierThisYear'],
    ['invoiceExclVat=40000&birthDate=1980-06-15&paidEarlierThisMonth=2000&paidEarlierThisYear=1000', 'paidEarlierThisMonth'],
  ];
  for (const [query, parameter] of refusals) {
    it(`when given ${query.slice(0, 100)}, then 400 naming ${parameter}`, async () => {
      const res = await request(ctx.app).get(`${API}?${query}`).expect(400);
      expect(res.body.error.code).to.equal('bad_request');
      expect(res.body.error.parameter).to.equal(parameter);
      expect(res.body.error.fields[parameter])
        .to.be.a('string')
        .and.not.match(/^salaryCalculator\./);
    });
  }
});

describe('The salary estimate under hostile input: never a 5xx', () => {
  const ctx = useTestApp();
  const HOSTILE = [
    'a%00b',
    '0000-00-00',
    '2026-02-30',
    '9999-12-31',
    'a%ED%A0%80b',
    '%F0%9F%92%A9',
    'x'.repeat(5000),
    '1e9',
    '-5',
    '12,345',
    'NaN',
    '9'.repeat(30),
  ];

  it('when each parameter of the API and the page gets each hostile value, then a 4xx naming it or an answer', async () => {
    for (const path of [API, PAGE]) {
      for (const name of ESTIMATE_PARAMETERS) {
        for (const value of HOSTILE) {
          const res = await request(ctx.app).get(`${path}?invoiceExclVat=1000&birthDate=1980-06-15&${name}=${value}`);
          expect(res.status, `${path} ${name}=${value.slice(0, 20)}`).to.be.oneOf([200, 400]);
          if (res.status === 400 && path === API) expect(res.body.error.parameter).to.equal(name);
        }
      }
    }
  });
});

describe('GET /api/v1/openapi.json: the salary estimate', () => {
  const ctx = useTestApp();
  type Parameter = { name: string; required: boolean };
  let spec: {
    paths: Record<string, { get: { parameters: Parameter[]; responses: Record<string, unknown> } }>;
    components: { schemas: Record<string, { required: string[] }> };
  };

  before(async () => {
    spec = (await request(ctx.app).get('/api/v1/openapi.json').expect(200)).body;
  });

  it('when read, then the search and the estimate are both described, sharing the error schema', () => {
    expect(spec.paths).to.have.keys(['/api/v1/assignments', '/api/v1/salary-estimate', '/api/v1/statistics']);
    expect(spec.paths['/api/v1/salary-estimate']!.get.responses).to.have.keys(['200', '400']);
    expect(spec.components.schemas).to.include.keys(['Error', 'SearchResult', 'SalaryEstimate', 'ContributionLine']);
    expect(spec.components.schemas.SalaryEstimate!.required).to.have.members(Object.keys(ANCHOR_ANSWER));
  });

  it('when compared with what the API reads, then the documented parameters are exactly those, the required ones required', async () => {
    const parameters = spec.paths['/api/v1/salary-estimate']!.get.parameters;
    expect(parameters.map((parameter) => parameter.name)).to.have.members([...ESTIMATE_PARAMETERS]);
    expect(parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name)).to.have.members([
      'invoiceExclVat',
      'birthDate',
    ]);
    for (const { name } of parameters) {
      const res = await request(ctx.app)
        .get(API)
        .query({ ...ANCHOR_QUERY, [name]: 'x' })
        .expect(400);
      expect(res.body.error.parameter, name).to.equal(name);
    }
  });
});

describe('GET /egenanstallning/rakna (the calculator page)', () => {
  const ctx = useTestApp();

  it('when opened, then an empty GET form with a label and a hint for each field, and no result', async () => {
    const res = await request(ctx.app).get(PAGE).expect(200);
    expect(res.text).to.include('Vad får jag ut?');
    expect(res.text).to.match(/<form class="stacked-form" action="\/egenanstallning\/rakna" method="get"/);
    for (const field of ['invoiceExclVat', 'expenses', 'birthDate', 'taxPercent', 'payoutDate']) {
      expect(res.text).to.include(`<label for="${field}">`);
      expect(res.text).to.include(`aria-describedby="${field}-hint"`);
    }
    expect(plain(res.text)).to.include('Lämna tomt för 30 %');
    expect(res.text).not.to.include('<table>');
    expect(res.text).not.to.match(/<script(?! src| type="application\/ld\+json")/);
  });

  it('when filled in with a birth year, then every result line in Swedish kronor', async () => {
    const res = await request(ctx.app)
      .get(PAGE)
      .query({ invoiceExclVat: '40 000', birthDate: '1980', payoutDate: '2026-05-15' })
      .expect(200);
    const text = plain(res.text);
    for (const amount of [
      '40 000,00 kr',
      '2 400,00 kr',
      '8 989,00 kr',
      '28 611,00 kr',
      '3 065,46 kr',
      '8 583,00 kr',
      '20 028,00 kr',
    ])
      expect(text, amount).to.include(amount);
    expect(text).to.include('Arbetsgivaravgifter 31,42 % på 28 611,00 kr');
    expect(text).to.include('Skatt (30 %)');
    expect(text).to.include('Uppdragsbankens avgift (6 %)');
    expect(res.text).to.include('value="40 000"');
  });

  it('when read in English, then English amounts and the language goes along with the form', async () => {
    const res = await request(ctx.app)
      .get(PAGE)
      .query({ lang: 'en', invoiceExclVat: '40000', birthDate: '1980-06-15', payoutDate: '2026-05-15' })
      .expect(200);
    expect(plain(res.text)).to.include('SEK 20,028.00');
    expect(res.text).to.include('What will I get?');
    expect(res.text).to.include('<input type="hidden" name="lang" value="en">');
  });

  it('when the input is hostile, then 400 with each message beside its field and the input kept, escaped', async () => {
    const res = await request(ctx.app)
      .get(PAGE)
      .query({
        invoiceExclVat: '<script>alert(1)</script>',
        expenses: '-5',
        birthDate: '2026-02-30',
        taxPercent: '1e9',
        payoutDate: '2026-02-30',
      })
      .expect(400);
    for (const field of ['invoiceExclVat', 'expenses', 'birthDate', 'taxPercent', 'payoutDate']) {
      expect(res.text, field).to.include(`id="${field}-error"`);
      expect(res.text, field).to.include(`aria-describedby="${field}-hint ${field}-error" aria-invalid="true"`);
    }
    expect(res.text).not.to.include('<script>alert(1)</script>');
    expect(res.text).to.include('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(res.text).to.include('value="-5"');
    expect(res.text).to.include('role="alert"');
  });

  it('when the amounts are 12,345, NaN or 30 digits, then 400 beside the field', async () => {
    for (const invoiceExclVat of ['12,345', 'NaN', '9'.repeat(30), '1e9']) {
      const res = await request(ctx.app).get(PAGE).query({ invoiceExclVat, birthDate: '1980' }).expect(400);
      expect(res.text, invoiceExclVat).to.include('id="invoiceExclVat-error"');
    }
  });

  it('when the expenses are more than the invoice leaves, then 400 beside the expenses', async () => {
    const res = await request(ctx.app)
      .get(PAGE)
      .query({ invoiceExclVat: '1000', expenses: '990', birthDate: '1980' })
      .expect(400);
    expect(res.text).to.include('id="expenses-error"');
    expect(res.text).not.to.include('id="invoiceExclVat-error"');
  });

  it('when a field is sent twice, then 400 beside it rather than a guess', async () => {
    const res = await request(ctx.app).get(`${PAGE}?invoiceExclVat=1&invoiceExclVat=2&birthDate=1980`).expect(400);
    expect(res.text).to.include('id="invoiceExclVat-error"');
  });

  it('when any page is shown, then its footer links to the calculator', async () => {
    const res = await request(ctx.app).get('/').expect(200);
    expect(res.text).to.include(`<a href="${PAGE}">`);
  });
});
