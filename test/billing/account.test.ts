import { expect } from 'chai';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { loadActor } from '../../src/modules/access/index.js';
import {
  checkPersonalNumber,
  getEnterpriseAccount,
  MINIMUM_AGE,
  parsePercentToBasisPoints,
  revealPersonalNumber,
  rotatePersonalNumberKeys,
} from '../../src/modules/billing/account-service.js';
import { addDays, todayInStockholm } from '../../src/platform/calendar.js';
import { decryptSecret, parseDataKeys } from '../../src/platform/encryption.js';
import { luhnCheckDigit } from '../../src/platform/luhn.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, csrfFrom, logInAs, postForm, type LoggedIn } from '../support/users.js';

// The simplified-enterprise account (/konto/egenanstallning, issue 11 item 3): activation with personnummer, bank
// account, tax and terms; the number encrypted, unique, masked everywhere and shown in full only on request, each
// view audited; and never in a log line.

const PATH = '/konto/egenanstallning';
const FULL = '19900101-0017';
const DIGITS = '199001010017';
/** Every way the number could be written into a log. */
const WRITTEN_FORMS = [DIGITS, FULL, '900101-0017', '9001010017', '19900101 0017'];

/** A valid Multitude Bank account (type 1, comment 1). */
const BANK = { clearingNumber: '9071', accountNumber: '417 23 83' };
const VALID = { personalNumber: FULL, ...BANK, taxMode: 'side_income', terms: 'yes' };

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

/** A personnummer's twelve digits with its check digit, for someone born on `birthDate` ('YYYY-MM-DD'). */
function personnummerFor(birthDate: string, birthNumber: number, coordination = false): string {
  const [year, month, day] = birthDate.split('-') as [string, string, string];
  const writtenDay = coordination ? String(Number(day) + 60) : day;
  const nine = `${year.slice(2)}${month}${writtenDay}${String(birthNumber).padStart(3, '0')}`;
  return `${year.slice(0, 2)}${nine}${luhnCheckDigit(nine)}`;
}

describe('Simplified-enterprise account (/konto/egenanstallning)', function () {
  this.timeout(60_000);
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const ctx = useTestApp(() => ({ log: pino({ level: 'debug' }, sink) }));

  const newResident = async () => {
    const user = await createUser(ctx.db);
    return { user, client: await logInAs(ctx.app, user.email) };
  };
  const activate = (client: LoggedIn, fields: Record<string, unknown> = {}) => postForm(client, PATH, { ...VALID, ...fields });
  const actorOf = async (user: { id: number }) => loadActor(ctx.db, { id: user.id, isAdmin: false, emailVerified: true });

  describe('activation', () => {
    it('when a verified resident opens the page, then the activation form is shown, not cached', async () => {
      const { client } = await newResident();
      const res = await client.agent.get(PATH).expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      for (const field of ['personalNumber', 'clearingNumber', 'accountNumber', 'ownTaxPercent', 'taxDecisionDate'])
        expect(res.text).to.include(`<label for="${field}">`);
      expect(res.text).to.include('name="terms" value="yes"');
      expect(res.text).to.include('30 %'); // the side-income withholding in force, from payroll_parameters
      const english = await client.agent.get(`${PATH}?lang=en`).expect(200);
      expect(english.text).to.include('Simplified enterprise').and.include('Side income: 30 % tax withheld');
    });

    it('when the form is filled in right, then the account is made: number encrypted with a hash, birth date, bank, tax', async () => {
      const { user, client } = await newResident();
      await activate(client).expect(303).expect('Location', `${PATH}?done=activated`);
      const row = await ctx.db('enterprise_accounts').where('user_id', user.id).first();
      expect(row).to.include({
        personal_number_key_id: 'test',
        coordination_number: false,
        birth_date: '1990-01-01',
        clearing_number: '9071',
        account_number: '4172383',
        tax_mode: 'side_income',
        own_tax_bp: null,
        tax_decision_date: null,
      });
      expect(row.terms_accepted_at).to.be.instanceOf(Date);
      expect(row.personal_number_hash).to.have.length(32);
      expect(JSON.stringify(row)).to.not.include(DIGITS);
      expect(
        decryptSecret(
          ctx.deps.dataKeys!,
          { keyId: 'test', ciphertext: row.personal_number_ciphertext },
          `enterprise_accounts.personal_number:${user.id}`,
        ),
      ).to.equal(DIGITS);

      const page = await client.agent.get(`${PATH}?done=activated`).expect(200);
      expect(page.text).to.include('Ditt konto för egenanställning är aktiverat.');
      expect(page.text).to.include('19900101-****');
      expect(page.text).to.include('Multitude Bank: 9071, 4172383');
      expect(page.text).to.include('Sidoinkomst, 30 %');
      for (const written of WRITTEN_FORMS) expect(page.text).to.not.include(written);
    });

    it('when a samordningsnummer with an own tax rate is given, then it is marked as one and masked as written', async () => {
      const { user, client } = await newResident();
      const number = personnummerFor('1985-03-04', 123, true);
      await activate(client, {
        personalNumber: number,
        clearingNumber: '8424-4',
        accountNumber: '983 189 224-6',
        taxMode: 'own',
        ownTaxPercent: '32,5',
        taxDecisionDate: '2026-01-15',
      }).expect(303);
      expect(await getEnterpriseAccount(ctx.db, user.id)).to.deep.include({
        maskedPersonalNumber: '19850364-****',
        coordinationNumber: true,
        birthDate: '1985-03-04',
        clearingNumber: '84244',
        accountNumber: '9831892246',
        bank: 'Swedbank',
        taxMode: 'own',
        ownTaxBp: 3250,
        taxDecisionDate: '2026-01-15',
      });
      const page = await client.agent.get(PATH).expect(200);
      expect(page.text).to.include('Samordningsnummer').and.include('19850364-****');
      expect(page.text).to.include('Egen skattesats, 32,5 %').and.include('8424-4, 9831892246');
    });

    it('when SINK is chosen, then it is kept with the rate in force shown', async () => {
      const { user, client } = await newResident();
      await activate(client, { personalNumber: personnummerFor('1970-07-07', 42), taxMode: 'sink' }).expect(303);
      expect(await getEnterpriseAccount(ctx.db, user.id)).to.deep.include({ taxMode: 'sink', ownTaxBp: null });
      expect((await client.agent.get(PATH).expect(200)).text).to.include('SINK, 22,5 %');
    });

    it('when the same person activates again, then 409 with a message, and the account is unchanged', async () => {
      const { user, client } = await newResident();
      const number = personnummerFor('1991-02-03', 55);
      await activate(client, { personalNumber: number }).expect(303);
      const res = await activate(client, { personalNumber: number, taxMode: 'sink' }).expect(409);
      expect(res.text).to.include('Ditt konto är redan aktiverat.');
      expect(await getEnterpriseAccount(ctx.db, user.id)).to.deep.include({ taxMode: 'side_income' });
    });

    it('when another account gives a number already in use (in any spelling), then 409 beside the field, not a 500', async () => {
      const first = await newResident();
      const number = personnummerFor('1992-04-05', 66);
      await activate(first.client, { personalNumber: number }).expect(303);
      const second = await newResident();
      for (const spelling of [number, `${number.slice(0, 8)}-${number.slice(8)}`, `${number.slice(2, 8)}-${number.slice(8)}`]) {
        const res = await activate(second.client, { personalNumber: spelling }).expect(409);
        expect(res.text).to.include('id="personalNumber-error"').and.include('Det här numret hör redan till ett annat konto.');
        expect(res.text).to.include(`value="${escapeHtml(spelling)}"`);
      }
      expect(await getEnterpriseAccount(ctx.db, second.user.id)).to.equal(undefined);
    });

    it('when two accounts activate the same number at once, then one account gets it and the other a 409', async () => {
      const [a, b] = await Promise.all([newResident(), newResident()]);
      const number = personnummerFor('1993-05-06', 77);
      const statuses = await Promise.all([a!, b!].map(({ client }) => activate(client, { personalNumber: number })));
      expect(statuses.map((res) => res.status).sort()).to.deep.equal([303, 409]);
    });

    it('when the e-mail address is not verified, then the page says so and activation is refused', async () => {
      const user = await createUser(ctx.db, { verified: false });
      const client = await logInAs(ctx.app, user.email);
      const page = await client.agent.get(PATH).expect(200);
      expect(page.text).to.include('Bekräfta din e-postadress innan du aktiverar kontot');
      expect(page.text).to.not.include('name="personalNumber"');
      await activate(client, { personalNumber: personnummerFor('1994-06-07', 88), _csrf: csrfFrom(page.text) }).expect(403);
      expect(await getEnterpriseAccount(ctx.db, user.id)).to.equal(undefined);
    });

    it('when a visitor asks, then the page sends them to log in and the form is refused', async () => {
      const res = await request(ctx.app).get(PATH).expect(303);
      expect(res.headers.location).to.match(/^\/logga-in/);
    });
  });

  describe('hostile input on the activation form: 400, the message beside the field, the input kept', () => {
    const today = todayInStockholm();
    const cases: Array<[string, string, string]> = [
      ['personalNumber', '19900101-0018', 'den sista siffran (kontrollsiffran)'],
      ['personalNumber', personnummerFor('2099-01-01', 1), 'datumet finns inte eller ligger i framtiden'],
      ['personalNumber', personnummerFor(addDays(today, 1), 1), 'datumet finns inte eller ligger i framtiden'],
      ['personalNumber', personnummerFor('1990-02-30', 1), 'datumet finns inte eller ligger i framtiden'],
      ['personalNumber', 'ÅÅMMDD-XXXX', 'Skriv numret med 12 siffror'],
      ['personalNumber', '19900101-OO17', 'Skriv numret med 12 siffror'],
      ['personalNumber', '<script>alert(1)</script>', 'Skriv numret med 12 siffror'],
      ['personalNumber', '1'.repeat(30), 'Skriv numret med 12 siffror'],
      ['personalNumber', '1e9', 'Skriv numret med 12 siffror'],
      ['personalNumber', personnummerFor(addDays(today, -365 * 10), 11), 'Du måste ha fyllt 15 år'],
      ['personalNumber', '', 'Skriv ditt personnummer eller samordningsnummer.'],
      ['clearingNumber', '1e9', 'Clearingnumret har 4 siffror'],
      ['clearingNumber', '-5', 'Clearingnumret har 4 siffror'],
      ['clearingNumber', 'NaN', 'Clearingnumret har 4 siffror'],
      ['clearingNumber', '0999', 'Ingen bank har det clearingnumret'],
      ['clearingNumber', '8424-1', 'Den femte siffran i clearingnumret stämmer inte'],
      ['clearingNumber', '9'.repeat(30), 'Clearingnumret har 4 siffror'],
      ['accountNumber', '12,345', 'Kontonumret stämmer inte'],
      ['accountNumber', '4172384', 'Kontonumret stämmer inte'],
      ['accountNumber', '1'.repeat(30), 'Kontonumret har fel antal siffror'],
      ['accountNumber', '"><img src=x onerror=alert(1)>', 'Kontonumret har fel antal siffror'],
      ['taxMode', 'everything', 'Välj hur skatten ska dras.'],
    ];
    for (const [field, value, message] of cases) {
      it(`when ${field} is ${JSON.stringify(value.slice(0, 32))}, then "${message}"`, async () => {
        const { user, client } = await newResident();
        const res = await activate(client, { [field]: value }).expect(400);
        const error = new RegExp(`<p class="field-error" id="${field}-error">[^<]*${message.replace(/[()]/g, '\\$&')}`);
        expect(res.text).to.match(error);
        const described = field === 'taxMode' ? `${field}-error` : `${field}-hint ${field}-error`;
        expect(res.text).to.include(`aria-describedby="${described}" aria-invalid="true"`);
        if (field !== 'taxMode') expect(res.text).to.include(`value="${escapeHtml(value.slice(0, 40))}"`);
        expect(res.text).to.not.include('<script>alert(1)').and.not.include('<img src=x');
        // The other fields keep what was typed.
        if (field !== 'personalNumber') expect(res.text).to.include(`value="${FULL}"`);
        expect(await getEnterpriseAccount(ctx.db, user.id)).to.equal(undefined);
      });
    }

    const ownTax: Array<[Record<string, string>, string, string]> = [
      [{ ownTaxPercent: '1e9' }, 'ownTaxPercent', 'Skriv skattesatsen som ett tal mellan 0 och 100'],
      [{ ownTaxPercent: '-5' }, 'ownTaxPercent', 'Skriv skattesatsen som ett tal mellan 0 och 100'],
      [{ ownTaxPercent: '12,345' }, 'ownTaxPercent', 'Skriv skattesatsen som ett tal mellan 0 och 100'],
      [{ ownTaxPercent: 'NaN' }, 'ownTaxPercent', 'Skriv skattesatsen som ett tal mellan 0 och 100'],
      [{ ownTaxPercent: '101' }, 'ownTaxPercent', 'Skriv skattesatsen som ett tal mellan 0 och 100'],
      [{ ownTaxPercent: '3'.repeat(30) }, 'ownTaxPercent', 'Skriv skattesatsen som ett tal mellan 0 och 100'],
      [{ taxDecisionDate: '2026-02-30' }, 'taxDecisionDate', 'Datumet finns inte i kalendern'],
      [{ taxDecisionDate: 'igår' }, 'taxDecisionDate', 'Skriv ett datum som ÅÅÅÅ-MM-DD'],
      [{ taxDecisionDate: addDays(today, 1) }, 'taxDecisionDate', 'Beslutets datum kan inte ligga i framtiden'],
      [{ taxDecisionDate: '' }, 'taxDecisionDate', 'Skriv datumet för beslutet.'],
    ];
    for (const [fields, field, message] of ownTax) {
      it(`when an own tax rate comes with ${JSON.stringify(fields)}, then "${message}" beside ${field}`, async () => {
        const { client } = await newResident();
        const res = await activate(client, {
          taxMode: 'own',
          ownTaxPercent: '30',
          taxDecisionDate: '2026-01-15',
          ...fields,
        }).expect(400);
        expect(res.text).to.match(new RegExp(`id="${field}-error">[^<]*${message}`));
        expect(res.text).to.include(`value="${escapeHtml(fields[field]!.slice(0, 40))}"`);
        expect(res.text).to.match(/value="own" checked/);
      });
    }

    it('when the terms are not accepted, then it is refused beside the checkbox', async () => {
      const { client } = await newResident();
      const res = await activate(client, { terms: undefined }).expect(400);
      expect(res.text).to.include('id="terms-error"').and.include('Du behöver godkänna villkoren.');
      expect(res.text).to.include('aria-describedby="terms-text terms-error" aria-invalid="true"');
    });

    it('when fields come as arrays, objects or huge, then 400 with messages, never a 500', async () => {
      const { client } = await newResident();
      await postForm(
        client,
        PATH,
        'personalNumber=1&personalNumber=2&clearingNumber[a]=1&accountNumber=&taxMode=own&terms=yes',
      ).expect(400);
      const huge = await activate(client, { personalNumber: '9'.repeat(50_000), accountNumber: '1'.repeat(50_000) }).expect(400);
      expect(huge.text).to.include('id="personalNumber-error"').and.include('id="accountNumber-error"');
      await activate(client, { personalNumber: '19900101\u00000017' }).expect(400);
      // A lone surrogate as a careless UTF-8 encoder sends it, NUL, and an impossible date in every field.
      const raw = 'personalNumber=%ED%A0%80&clearingNumber=%00&accountNumber=%ED%A0%80&taxMode=own&ownTaxPercent=%ED%A0%80';
      await postForm(client, PATH, `${raw}&taxDecisionDate=0000-00-00&terms=yes`).expect(400);
      await postForm(client, `${PATH}/skatt`, 'taxMode=own&ownTaxPercent=%00&taxDecisionDate=2026-13-01').expect(404);
    });
  });

  describe('personnummer rules (property tests)', () => {
    const TODAY = '2026-12-06';
    const adultBirthDate = fc
      .date({ min: new Date(Date.UTC(1920, 0, 1)), max: new Date(Date.UTC(2026 - MINIMUM_AGE, 11, 6)), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10));
    const generated = fc.record({
      birthDate: adultBirthDate,
      birthNumber: fc.integer({ min: 1, max: 999 }),
      coordination: fc.boolean(),
    });

    it('when a valid personnummer or samordningsnummer of an adult is generated, then it passes with its birth date', () => {
      fc.assert(
        fc.property(generated, ({ birthDate, birthNumber, coordination }) => {
          const digits = personnummerFor(birthDate, birthNumber, coordination);
          for (const written of [digits, `${digits.slice(0, 8)}-${digits.slice(8)}`]) {
            const result = checkPersonalNumber(written, TODAY);
            expect(result).to.deep.equal({ ok: true, value: { digits, coordinationNumber: coordination, birthDate } });
          }
        }),
        { numRuns: 300 },
      );
    });

    it('when one digit after the century is changed, then it is refused (the check digit covers those ten)', () => {
      fc.assert(
        fc.property(generated, fc.integer({ min: 2, max: 11 }), fc.integer({ min: 1, max: 9 }), (person, position, shift) => {
          const digits = personnummerFor(person.birthDate, person.birthNumber, person.coordination);
          const changed =
            digits.slice(0, position) + String((Number(digits[position]) + shift) % 10) + digits.slice(position + 1);
          expect(checkPersonalNumber(changed, TODAY).ok).to.equal(false);
        }),
        { numRuns: 500 },
      );
    });

    it('when the person is younger than 15 or born after today, then it is refused with its own message', () => {
      expect(checkPersonalNumber(personnummerFor('2011-12-07', 5), TODAY)).to.deep.equal({
        ok: false,
        message: 'enterpriseAccount.errors.personalNumberTooYoung',
      });
      expect(checkPersonalNumber(personnummerFor('2011-12-06', 5), TODAY)).to.deep.include({ ok: true });
      expect(checkPersonalNumber(personnummerFor('2026-12-07', 5), TODAY)).to.deep.equal({
        ok: false,
        message: 'enterpriseAccount.errors.personalNumberDate',
      });
    });

    it('when a percentage is typed, then it is read to basis points or refused', () => {
      expect(['0', '30', '32,5', '32.25', '100', '30 %'].map(parsePercentToBasisPoints)).to.deep.equal([
        0, 3000, 3250, 3225, 10000, 3000,
      ]);
      for (const bad of ['', '1e9', '-5', '12,345', 'NaN', '100,01', '1000', ',5', '5,', '٣٠'])
        expect(parsePercentToBasisPoints(bad), bad).to.equal(undefined);
    });
  });

  describe('the account after activation', () => {
    let resident: { user: { id: number }; client: LoggedIn };
    before(async () => {
      resident = await newResident();
      await activate(resident.client, { personalNumber: personnummerFor('1980-10-10', 321) }).expect(303);
    });

    it('when the bank account is changed, then it is stored; a bad one is refused with the input kept', async () => {
      await postForm(resident.client, `${PATH}/bankkonto`, { clearingNumber: '6789', accountNumber: '123 456 789' })
        .expect(303)
        .expect('Location', `${PATH}?done=bankChanged`);
      expect(await getEnterpriseAccount(ctx.db, resident.user.id)).to.deep.include({
        clearingNumber: '6789',
        accountNumber: '123456789',
        bank: 'Handelsbanken',
      });
      const res = await postForm(resident.client, `${PATH}/bankkonto`, {
        clearingNumber: '6789',
        accountNumber: '123456788',
      }).expect(400);
      expect(res.text).to.include('id="accountNumber-error"').and.include('value="123456788"');
      expect(await getEnterpriseAccount(ctx.db, resident.user.id)).to.deep.include({ accountNumber: '123456789' });
    });

    it('when the tax is changed, then it is stored; an own rate needs a valid percentage and date', async () => {
      await postForm(resident.client, `${PATH}/skatt`, { taxMode: 'own', ownTaxPercent: '28', taxDecisionDate: '2026-02-01' })
        .expect(303)
        .expect('Location', `${PATH}?done=taxChanged`);
      expect(await getEnterpriseAccount(ctx.db, resident.user.id)).to.deep.include({
        taxMode: 'own',
        ownTaxBp: 2800,
        taxDecisionDate: '2026-02-01',
      });
      const page = await resident.client.agent.get(PATH).expect(200);
      expect(page.text).to.include('value="28"').and.include('value="2026-02-01"');
      const res = await postForm(resident.client, `${PATH}/skatt`, {
        taxMode: 'own',
        ownTaxPercent: '1e9',
        taxDecisionDate: '2026-02-30',
      }).expect(400);
      expect(res.text)
        .to.include('id="ownTaxPercent-error"')
        .and.include('id="taxDecisionDate-error"')
        .and.include('value="2026-02-30"');
      await postForm(resident.client, `${PATH}/skatt`, { taxMode: 'side_income', ownTaxPercent: 'x' }).expect(303);
      expect(await getEnterpriseAccount(ctx.db, resident.user.id)).to.deep.include({
        taxMode: 'side_income',
        ownTaxBp: null,
        taxDecisionDate: null,
      });
    });

    it('when someone without an account changes bank or tax or asks for the number, then 404', async () => {
      const { client } = await newResident();
      await postForm(client, `${PATH}/bankkonto`, BANK).expect(404);
      await postForm(client, `${PATH}/skatt`, { taxMode: 'sink' }).expect(404);
      await postForm(client, `${PATH}/visa-personnummer`).expect(404);
    });

    it('when the person asks to see the full number, then the page shows it (not cached, not in the URL) and the view is logged', async () => {
      const before = await ctx
        .db('personal_data_views')
        .where('subject_user_id', resident.user.id)
        .count<{ count: string }[]>('* as count');
      const res = await postForm(resident.client, `${PATH}/visa-personnummer`).expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.headers.location).to.equal(undefined);
      const number = personnummerFor('1980-10-10', 321);
      expect(res.text).to.include(`${number.slice(0, 8)}-${number.slice(8)}`);
      const views = await ctx.db('personal_data_views').where('subject_user_id', resident.user.id).orderBy('id');
      expect(views).to.have.length(Number(before[0]!.count) + 1);
      expect(views.at(-1)).to.include({ viewer_user_id: resident.user.id, subject_user_id: resident.user.id, purpose: 'self' });
      // The next page is masked again.
      expect((await resident.client.agent.get(PATH).expect(200)).text).to.not.include(number.slice(8));
    });

    it('when payroll reveals a worker’s number with a purpose, then it is returned and logged; others are refused and not logged', async () => {
      const payroll = await createUser(ctx.db);
      await ctx.db('payroll_staff').insert({ user_id: payroll.id });
      const payrollActor = await loadActor(ctx.db, { id: payroll.id, isAdmin: false, emailVerified: true });
      const number = personnummerFor('1980-10-10', 321);
      expect(
        await revealPersonalNumber(ctx.db, ctx.deps.dataKeys, payrollActor, resident.user.id, 'arbetsgivardeklaration 2026-11'),
      ).to.equal(`${number.slice(0, 8)}-${number.slice(8)}`);
      expect(
        await ctx.db('personal_data_views').where({ viewer_user_id: payroll.id }).select('subject_user_id', 'purpose'),
      ).to.deep.equal([{ subject_user_id: resident.user.id, purpose: 'arbetsgivardeklaration 2026-11' }]);
      await revealPersonalNumber(ctx.db, ctx.deps.dataKeys, payrollActor, resident.user.id, '  ').then(
        () => expect.fail('revealed without a purpose'),
        (error: { status: number }) => expect(error.status).to.equal(400),
      );

      const other = await createUser(ctx.db);
      await revealPersonalNumber(ctx.db, ctx.deps.dataKeys, await actorOf(other), resident.user.id, 'curious').then(
        () => expect.fail('revealed to another resident'),
        (error: { status: number }) => expect(error.status).to.equal(403),
      );
      expect(await ctx.db('personal_data_views').where({ viewer_user_id: other.id }).select('id')).to.deep.equal([]);
      await revealPersonalNumber(ctx.db, ctx.deps.dataKeys, payrollActor, other.id, 'payroll').then(
        () => expect.fail('revealed a number that does not exist'),
        (error: { status: number }) => expect(error.status).to.equal(404),
      );
    });

    it('when other services read the account, then it is masked with the birth date and tax choice', async () => {
      const account = await getEnterpriseAccount(ctx.db, resident.user.id);
      expect(account).to.deep.include({
        maskedPersonalNumber: '19801010-****',
        birthDate: '1980-10-10',
        coordinationNumber: false,
      });
      expect(JSON.stringify(account)).to.not.include(personnummerFor('1980-10-10', 321).slice(8));
    });
  });

  describe('key rotation', () => {
    it('when the keys are rotated, then every number is sealed under the new key, still opens and still counts as taken', async () => {
      const { user, client } = await newResident();
      const number = personnummerFor('1975-05-05', 505);
      await activate(client, { personalNumber: number }).expect(303);
      const rotated = parseDataKeys(
        `next:${Buffer.alloc(32, 9).toString('base64')},test:${Buffer.alloc(32, 7).toString('base64')}`,
      );
      const count = await rotatePersonalNumberKeys(ctx.db, rotated, 2);
      expect(count).to.be.greaterThan(0);
      expect(await ctx.db('enterprise_accounts').whereNot('personal_number_key_id', 'next').select('user_id')).to.deep.equal([]);
      expect(await rotatePersonalNumberKeys(ctx.db, rotated)).to.equal(0);
      const newKeyOnly = parseDataKeys(`next:${Buffer.alloc(32, 9).toString('base64')}`);
      const payroll = await createUser(ctx.db);
      await ctx.db('payroll_staff').insert({ user_id: payroll.id });
      const payrollActor = await loadActor(ctx.db, { id: payroll.id, isAdmin: false, emailVerified: true });
      expect(await revealPersonalNumber(ctx.db, newKeyOnly, payrollActor, user.id, 'rotation check')).to.equal(
        `${number.slice(0, 8)}-${number.slice(8)}`,
      );
      // Rotate back, so the app (which holds only the test key) reads every row again.
      const back = parseDataKeys(`test:${Buffer.alloc(32, 7).toString('base64')},next:${Buffer.alloc(32, 9).toString('base64')}`);
      expect(await rotatePersonalNumberKeys(ctx.db, back)).to.equal(count);
      const second = await newResident();
      await activate(second.client, { personalNumber: number }).expect(409);
    });
  });

  // Last: mocha runs a suite's own tests before its nested suites.
  describe('logs', () => {
    it('when the whole flow has run, then no log line holds a personnummer in any spelling', () => {
      expect(lines.length).to.be.greaterThan(50);
      const everything = JSON.stringify(lines);
      for (const written of WRITTEN_FORMS) expect(everything).to.not.include(written);
      const numbers = everything.match(/(?<![\dA-Fa-f])(?:19|20)\d{6}[-+]?\d{4}(?![\dA-Fa-f])/g) ?? [];
      expect(numbers, 'something shaped like a personnummer').to.deep.equal([]);
    });
  });
});
