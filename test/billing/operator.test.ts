import { expect } from 'chai';
import request from 'supertest';
import { operatorSettingsOn } from '../../src/modules/billing/operator-service.js';
import { loadActor } from '../../src/modules/access/index.js';
import { addDays, todayInStockholm } from '../../src/platform/calendar.js';
import { luhnCheckDigit } from '../../src/platform/luhn.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, postForm, type LoggedIn } from '../support/users.js';

// The operator's settings as dated versions (PRODUCT.md, billing): platform admins add a version valid from
// today or later, history is never edited (the database refuses), and the page is a 404 for everyone else.
// Payroll staff are appointed and removed by platform admins like officers.

/** How EJS writes a value into HTML. */
const escapeHtml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

const withCheckDigit = (body: string) => `${body}${luhnCheckDigit(body)}`;
const ORGANISATION_NUMBER = withCheckDigit('559900001');
const OTHER_ORGANISATION_NUMBER = withCheckDigit('559900002');
const BANKGIRO = withCheckDigit('555123');
const WRONG_BANKGIRO = `${BANKGIRO.slice(0, -1)}${(Number(BANKGIRO.slice(-1)) + 1) % 10}`;

// The day in Stockholm when this file's tests start (not when mocha loads every file, up to a quarter of an hour
// earlier: a run across midnight there, 23:00 UTC in winter, would otherwise post yesterday as "today").
let today = todayInStockholm();

const validForm = (validFrom: string) => ({
  validFrom,
  name: 'Testoperatören AB',
  organisationNumber: `${ORGANISATION_NUMBER.slice(0, 6)}-${ORGANISATION_NUMBER.slice(6)}`,
  vatNumber: `se ${ORGANISATION_NUMBER} 01`,
  streetAddress: 'Byvägen 2',
  postalCode: '921 31',
  city: 'Lycksele',
  bankgiro: `${BANKGIRO.slice(0, 3)}-${BANKGIRO.slice(3)}`,
  fTaxApproved: 'yes',
  feePercent: '6,5',
  paymentTermsDays: '30',
  invoiceSeries: 'ub',
  email: 'faktura@operator.example.se',
});

const count = async (ctx: ReturnType<typeof useTestApp>, table: string) =>
  Number((await ctx.db(table).count({ count: '*' }))[0]?.count);

describe('Operator settings: dated versions kept by platform admins', () => {
  before(() => {
    today = todayInStockholm();
  });
  const ctx = useTestApp();
  let admin: LoggedIn;
  let resident: LoggedIn;
  let payroll: LoggedIn;
  let adminId: number;

  before(async () => {
    const adminUser = await createUser(ctx.db, { isAdmin: true, name: 'Adam Admin' });
    adminId = adminUser.id;
    const residentUser = await createUser(ctx.db);
    const payrollUser = await createUser(ctx.db);
    await ctx.db('payroll_staff').insert({ user_id: payrollUser.id });
    admin = await logInAs(ctx.app, adminUser.email);
    resident = await logInAs(ctx.app, residentUser.email);
    payroll = await logInAs(ctx.app, payrollUser.email);
  });

  it('when anyone but a platform admin asks for the page or posts to it, then it does not exist and nothing is stored', async () => {
    await request(ctx.app).get('/admin/operator').expect(404);
    for (const user of [resident, payroll]) {
      await user.agent.get('/admin/operator').expect(404);
      await postForm(user, '/admin/operator', validForm(today)).expect(404);
    }
    expect(await count(ctx, 'operator_settings')).to.equal(0);
  });

  it('when there is no version yet, then the page says so and the form holds the defaults and today', async () => {
    const res = await admin.agent.get('/admin/operator').expect(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.text).to.include('Inga uppgifter är sparade än.');
    expect(res.text).to.include(`name="validFrom" type="date" required value="${today}"`);
    expect(res.text).to.include('name="feePercent" type="text" inputmode="decimal" maxlength="10" required value="6"');
    expect(res.text).to.include('value="30"');
    expect(await operatorSettingsOn(ctx.db, today)).to.equal(undefined);
  });

  it('when the overview is opened, then it links to the operator page and to payroll staff', async () => {
    const res = await admin.agent.get('/admin').expect(200);
    expect(res.text).to.include('href="/admin/operator"').and.include('href="/admin/lon"');
  });

  it('when an admin adds a version valid from today, then it is stored normalised and shown as in force', async () => {
    await postForm(admin, '/admin/operator', validForm(today)).expect(303).expect('location', '/admin/operator?done=added');
    const settings = await operatorSettingsOn(ctx.db, today);
    expect(settings).to.deep.include({
      validFrom: today,
      name: 'Testoperatören AB',
      organisationNumber: ORGANISATION_NUMBER,
      vatNumber: `SE${ORGANISATION_NUMBER}01`,
      streetAddress: 'Byvägen 2',
      postalCode: '92131',
      city: 'Lycksele',
      bankgiro: BANKGIRO,
      fTaxApproved: true,
      feeBp: 650,
      paymentTermsDays: 30,
      invoiceSeries: 'UB',
      email: 'faktura@operator.example.se',
    });
    expect(Number((await ctx.db('operator_settings').first('created_by')).created_by)).to.equal(adminId);

    const page = await admin.agent.get('/admin/operator?done=added').expect(200);
    expect(page.text).to.include('Den nya versionen är sparad.');
    expect(page.text).to.include('<span class="badge badge-success">Gäller i dag</span>');
    expect(page.text).to.include('6,5 %').and.include('30 dagar');
    expect(page.text).to.include(`${BANKGIRO.slice(0, -4)}-${BANKGIRO.slice(-4)}`);
    // The form starts from the version in force.
    expect(page.text).to.include('value="6,5"').and.include('value="Testoperatören AB"');
  });

  it('when an admin adds a later version, then both are kept, the old one unchanged, each in force on its own dates', async () => {
    const before = await ctx.db('operator_settings').first();
    const later = addDays(today, 10);
    await postForm(admin, '/admin/operator', {
      ...validForm(later),
      name: 'Testoperatören AB (nytt namn)',
      fTaxApproved: undefined,
      feePercent: '7',
      paymentTermsDays: '20',
    }).expect(303);
    expect(await ctx.db('operator_settings').where('id', before.id).first()).to.deep.equal(before);
    expect(await count(ctx, 'operator_settings')).to.equal(2);

    expect((await operatorSettingsOn(ctx.db, addDays(today, 9)))!.name).to.equal('Testoperatören AB');
    expect(await operatorSettingsOn(ctx.db, later)).to.deep.include({
      name: 'Testoperatören AB (nytt namn)',
      fTaxApproved: false,
      feeBp: 700,
      paymentTermsDays: 20,
    });
    expect(await operatorSettingsOn(ctx.db, addDays(today, -1))).to.equal(undefined);

    const page = await admin.agent.get('/admin/operator').expect(200);
    const upcoming = page.text.indexOf('<span class="badge badge-info">Kommande</span>');
    const inForce = page.text.indexOf('<span class="badge badge-success">Gäller i dag</span>');
    expect(upcoming).to.be.greaterThan(-1);
    expect(inForce).to.be.greaterThan(upcoming); // newest first
    expect(page.text).to.include('value="Testoperatören AB"'); // prefilled from today's version, not the upcoming one
  });

  it('when a second version is added for a date that has one, then 409 with the message beside the date and the input kept', async () => {
    const res = await postForm(admin, '/admin/operator', { ...validForm(today), name: 'Dubbletten AB' }).expect(409);
    expect(res.text).to.include('id="validFrom-error"').and.include('Det finns redan en version som gäller från det datumet.');
    expect(res.text).to.include('aria-describedby="validFrom-hint validFrom-error"');
    expect(res.text).to.include('value="Dubbletten AB"');
    expect(await count(ctx, 'operator_settings')).to.equal(2);
  });

  it('when a version would be valid from a day that has passed, then 400: history already invoiced is not changed', async () => {
    const res = await postForm(admin, '/admin/operator', validForm(addDays(today, -1))).expect(400);
    expect(res.text).to.include('id="validFrom-error"').and.include('Datumet har passerat.');
    expect(res.text).to.include(`value="${addDays(today, -1)}"`);
    expect(await count(ctx, 'operator_settings')).to.equal(2);
  });

  it('when anything tries to change or delete a stored version, then the database refuses', async () => {
    const [row] = await ctx.db('operator_settings').orderBy('valid_from').limit(1).select('id');
    let error: unknown;
    try {
      await ctx.db('operator_settings').where('id', row.id).update({ fee_bp: 100 });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.have.property('message').that.includes('operator_settings rows are never changed');
    error = undefined;
    try {
      await ctx.db('operator_settings').where('id', row.id).delete();
    } catch (caught) {
      error = caught;
    }
    expect(error).to.have.property('message').that.includes('operator_settings rows are never deleted');
    expect((await operatorSettingsOn(ctx.db, today))!.feeBp).to.equal(650);
  });

  // The same trigger guards the audit log of personnummer views (migration 202612061503 fixed both).
  it('when anything tries to change an audit log row, then the database refuses; forgetting a person is allowed', async () => {
    const [view] = await ctx
      .db('personal_data_views')
      .insert({ viewer_user_id: adminId, subject_user_id: adminId, purpose: 'test' })
      .returning('id');
    let error: unknown;
    try {
      await ctx.db('personal_data_views').where('id', view.id).update({ purpose: 'changed' });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.have.property('message').that.includes('personal_data_views rows are never changed');
    await ctx.db('personal_data_views').where('id', view.id).update({ viewer_user_id: null });
    expect(await ctx.db('personal_data_views').where('id', view.id).first('purpose', 'viewer_user_id')).to.deep.equal({
      purpose: 'test',
      viewer_user_id: null,
    });
  });

  it('when the form is sent without its CSRF token, then it is refused', async () => {
    await admin.agent
      .post('/admin/operator')
      .type('form')
      .send(validForm(addDays(today, 20)))
      .expect(403);
    expect(await count(ctx, 'operator_settings')).to.equal(2);
  });

  const HUGE = 'x'.repeat(100_000);
  const THIRTY_DIGITS = '1'.repeat(30);
  /** How much of each field a refused form shows again (operator-service.ts echo). */
  const ECHOED: Record<string, number> = {
    validFrom: 20,
    name: 300,
    organisationNumber: 40,
    vatNumber: 40,
    streetAddress: 300,
    postalCode: 20,
    city: 200,
    bankgiro: 40,
    feePercent: 20,
    paymentTermsDays: 20,
    invoiceSeries: 20,
    email: 300,
  };
  const HOSTILE: Array<[field: string, values: string[]]> = [
    ['validFrom', ['', '2026-02-30', 'NaN', '1e9', '-5', THIRTY_DIGITS, '<script>alert(1)</script>', '0000-00-00']],
    ['name', ['', '   ', 'a\u0000b', 'x'.repeat(201), HUGE]],
    [
      'organisationNumber',
      [
        '',
        '1e9',
        '-5',
        '12,345',
        'NaN',
        THIRTY_DIGITS,
        `${ORGANISATION_NUMBER.slice(0, -1)}${(Number(ORGANISATION_NUMBER.slice(-1)) + 1) % 10}`,
        '121212-1212', // a personnummer: not a legal person
        '<script>alert(1)</script>',
      ],
    ],
    [
      'vatNumber',
      ['', `SE${OTHER_ORGANISATION_NUMBER}01`, `SE${ORGANISATION_NUMBER}02`, 'SE123', 'NaN', THIRTY_DIGITS, '"><b>x</b>'],
    ],
    ['streetAddress', ['', 'a\u0007b', 'x'.repeat(201), HUGE]],
    ['postalCode', ['', '1234', '123456', '12,345', '-5', 'NaN', '1e9', THIRTY_DIGITS, '<i>92131</i>']],
    ['city', ['', 'a\u0000b', 'x'.repeat(101)]],
    ['bankgiro', ['', WRONG_BANKGIRO, '123456', THIRTY_DIGITS, '1e9', '-5', 'NaN', '12,345', '<script>']],
    ['fTaxApproved', ['maybe', '<script>alert(1)</script>', '1']],
    ['feePercent', ['', '1e9', '-5', '12,345', 'NaN', '51', '50,01', '6,555', THIRTY_DIGITS, 'sex']],
    ['paymentTermsDays', ['', '1e9', '-5', '12,345', 'NaN', '121', '30.5', THIRTY_DIGITS]],
    ['invoiceSeries', ['', 'UB-1', 'ÅÄÖ', 'ABCDEFGHIJK', '<script>', '1e9.5']],
    ['email', ['', 'inte-en-adress', '<script>alert(1)</script>@example.se', `${'x'.repeat(300)}@example.se`]],
  ];

  for (const [field, values] of HOSTILE) {
    it(`when ${field} is hostile (${values.length} kinds), then 400 with the message beside it, every input kept, nothing stored`, async () => {
      const form = validForm(addDays(today, 30));
      for (const value of values) {
        const res = await postForm(admin, '/admin/operator', { ...form, [field]: value });
        expect(res.status, `${field} = ${JSON.stringify(value.slice(0, 40))}`).to.equal(400);
        expect(res.text, value).to.include(`id="${field}-error"`);
        expect(res.text, value).to.match(new RegExp(`id="${field}"[^>]*aria-describedby="[^"]*${field}-error"`));
        expect(res.text).to.not.include('<script>alert(1)</script>');
        if (field === 'fTaxApproved') expect(res.text).to.not.match(/name="fTaxApproved"[^>]*checked/);
        else expect(res.text, value).to.include(`value="${escapeHtml(value.slice(0, ECHOED[field]))}"`);
        // The other fields keep what was typed too.
        for (const [other, typed] of Object.entries(form))
          if (other !== field && other !== 'fTaxApproved') expect(res.text).to.include(`value="${escapeHtml(typed)}"`);
      }
      expect(await count(ctx, 'operator_settings')).to.equal(2);
    });
  }

  it('when every field comes repeated (an array instead of text), then 400 with a message beside each, never a 500', async () => {
    const fields = Object.keys(validForm(today));
    const body = fields.map((field) => `${field}=yes&${field}=yes`).join('&');
    const res = await postForm(admin, '/admin/operator', body).expect(400);
    for (const field of fields) expect(res.text).to.include(`id="${field}-error"`);
    expect(await count(ctx, 'operator_settings')).to.equal(2);
  });

  it('when the operator name carries markup, then it is stored as text and shown escaped', async () => {
    await postForm(admin, '/admin/operator', { ...validForm(addDays(today, 40)), name: '<b>Fet</b> & "citat" AB' }).expect(303);
    const page = await admin.agent.get('/admin/operator').expect(200);
    expect(page.text).to.include('&lt;b&gt;Fet&lt;/b&gt; &amp; &#34;citat&#34; AB');
    expect(page.text).to.not.include('<b>Fet</b>');
  });
});

describe('Payroll staff: appointed and removed by platform admins', () => {
  const ctx = useTestApp();
  let admin: LoggedIn;
  let resident: LoggedIn;
  let candidate: { id: number; email: string; name: string };

  const isPayroll = async (userId: number) =>
    (await loadActor(ctx.db, { id: userId, isAdmin: false, emailVerified: true })).isPayroll;

  before(async () => {
    const adminUser = await createUser(ctx.db, { isAdmin: true });
    const residentUser = await createUser(ctx.db);
    candidate = await createUser(ctx.db, { name: 'Lena Lönesson', email: 'lena@example.se' });
    admin = await logInAs(ctx.app, adminUser.email);
    resident = await logInAs(ctx.app, residentUser.email);
  });

  it('when anyone but a platform admin asks for the page or posts to it, then it does not exist and nothing changes', async () => {
    await request(ctx.app).get('/admin/lon').expect(404);
    await resident.agent.get('/admin/lon').expect(404);
    await postForm(resident, '/admin/lon', { email: 'lena@example.se' }).expect(404);
    expect(await count(ctx, 'payroll_staff')).to.equal(0);
  });

  it('when an admin opens the page with nobody appointed, then it says so', async () => {
    const res = await admin.agent.get('/admin/lon').expect(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.text).to.include('Inga lönehandläggare är utsedda än.');
  });

  it('when an admin appoints a user (twice, in other case), then they are payroll staff once, listed, with Lön in their menu', async () => {
    await postForm(admin, '/admin/lon', { email: 'LENA@example.se' }).expect(303).expect('location', '/admin/lon');
    await postForm(admin, '/admin/lon', { email: 'lena@example.se' }).expect(303);
    expect(await ctx.db('payroll_staff').select('user_id')).to.deep.equal([{ user_id: candidate.id }]);
    expect(await isPayroll(candidate.id)).to.equal(true);
    const page = await admin.agent.get('/admin/lon').expect(200);
    expect(page.text).to.include('Lena Lönesson').and.include('lena@example.se');

    const lena = await logInAs(ctx.app, candidate.email);
    expect((await lena.agent.get('/konto').expect(200)).text).to.include('<a href="/lon">Lön</a>');
    expect((await resident.agent.get('/konto').expect(200)).text).to.not.include('href="/lon"');
    // Payroll staff run payroll, not the platform: the admin pages stay closed to them.
    await lena.agent.get('/admin/lon').expect(404);
    await postForm(lena, '/admin/lon/ta-bort', { userId: candidate.id }).expect(404);
    expect(await isPayroll(candidate.id)).to.equal(true);
  });

  for (const [what, email, message] of [
    ['no e-mail', '', 'Ange e-postadressen till ett registrerat konto.'],
    ['an unknown user', 'nobody@example.se', 'Det finns inget konto med den e-postadressen.'],
    ['markup', '<script>alert(1)</script>', 'Det finns inget konto med den e-postadressen.'],
    ['an injection attempt', "' OR 1=1 --", 'Det finns inget konto med den e-postadressen.'],
    ['a huge value', 'x'.repeat(100_000), 'Det finns inget konto med den e-postadressen.'],
  ] as const) {
    it(`when appointing with ${what}, then 400 with the message beside the field and the input kept`, async () => {
      const res = await postForm(admin, '/admin/lon', { email }).expect(400);
      expect(res.text).to.include('id="email-error"').and.include(message);
      expect(res.text).to.include('aria-describedby="email-error"');
      expect(res.text).to.include(`value="${escapeHtml(email.slice(0, 254))}"`);
      expect(res.text).to.not.include('<script>alert(1)</script>');
      expect(await count(ctx, 'payroll_staff')).to.equal(1);
    });
  }

  it('when the e-mail comes as an array, then 400 with the message beside the field', async () => {
    const res = await postForm(admin, '/admin/lon', 'email=a&email=b').expect(400);
    expect(res.text).to.include('id="email-error"');
  });

  it('when an admin removes payroll staff, then they are no longer payroll; without CSRF or with a bad id nothing happens', async () => {
    await admin.agent.post('/admin/lon/ta-bort').type('form').send({ userId: candidate.id }).expect(403);
    for (const userId of ['abc', '-5', '1e9', '0', '1'.repeat(30), ''])
      await postForm(admin, '/admin/lon/ta-bort', { userId }).expect(400);
    expect(await isPayroll(candidate.id)).to.equal(true);
    await postForm(admin, '/admin/lon/ta-bort', { userId: candidate.id }).expect(303).expect('location', '/admin/lon');
    expect(await isPayroll(candidate.id)).to.equal(false);
    expect((await admin.agent.get('/admin/lon').expect(200)).text).to.not.include('Lena Lönesson');
  });
});
