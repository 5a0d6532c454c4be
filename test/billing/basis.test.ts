import { expect } from 'chai';
import request from 'supertest';
import { todayInStockholm } from '../../src/platform/calendar.js';
import { formatMoney, ore } from '../../src/platform/money.js';
import { calculateSalary, taxRateFor } from '../../src/modules/billing/calculation.js';
import { currentFeeBp, loadPayrollRates } from '../../src/modules/billing/rates.js';
import {
  addEnterpriseAccount,
  createBasis,
  createBillingOrganisation,
  createWorkFor,
  createWorker,
  ensureOperatorSettings,
} from '../support/billing-factories-e.js';
import { fileOptions, filesUnder, HTML, minimalPdf, png } from '../support/files.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, csrfFrom, logInAs, postForm, type LoggedIn } from '../support/users.js';

// Billing bases (fakturaunderlag) through HTTP: the worker of an accepted application writes one (prefilled from
// the assignment), adds expenses with receipts, sees the salary calculation and sends it; the organisation's
// members approve it (the invoice is issued in the same transaction) or dispute it with a comment, back to the
// worker. Every transition is asked by every role; every field gets hostile input; concurrent submissions of
// the same work make one basis.

describe('Billing bases', function () {
  this.timeout(180_000);
  const ctx = useTestApp();

  type Client = LoggedIn & { id: number; email: string };
  const logIn = async (user: { id: number; email: string }): Promise<Client> => ({
    ...user,
    ...(await logInAs(ctx.app, user.email)),
  });

  let worker: Client;
  let member: Client;
  let otherResident: Client;
  let otherMember: Client;
  let admin: Client;
  let payroll: Client;
  let workerWithoutAccount: Client;
  let organisation: { id: number; slug: string; name: string };

  before(async () => {
    await ensureOperatorSettings(ctx.db);
    const billing = await createBillingOrganisation(ctx.db);
    organisation = billing.organisation;
    const other = await createBillingOrganisation(ctx.db);
    worker = await logIn(await createWorker(ctx.db, 'Wilma Arbetare'));
    member = await logIn(billing.member);
    otherMember = await logIn(other.member);
    otherResident = await logIn(await createWorker(ctx.db));
    admin = await logIn(await createUser(ctx.db, { isAdmin: true }));
    const payrollUser = await createUser(ctx.db);
    await ctx.db('payroll_staff').insert({ user_id: payrollUser.id });
    payroll = await logIn(payrollUser);
    workerWithoutAccount = await logIn(await createUser(ctx.db));
  });

  const work = (overrides: Parameters<typeof createWorkFor>[3] = {}, workerId = worker.id) =>
    createWorkFor(ctx.db, organisation.id, workerId, overrides);
  const workerPath = (applicationId: number) => `/konto/fakturaunderlag/${applicationId}`;
  const orgPath = (basisId: number) => `/organisationer/${organisation.slug}/fakturaunderlag/${basisId}`;
  const basisOf = (applicationId: number) => ctx.db('billing_bases').where('application_id', applicationId).first();
  const countBases = async (applicationId: number) =>
    Number((await ctx.db('billing_bases').where('application_id', applicationId).count({ n: '*' }))[0]!.n);

  const VALID = {
    basisId: '',
    periodStart: '2026-03-01',
    periodEnd: '2026-03-05',
    vatRate: '25',
    vatReason: '',
    description: 'Skottade snö vid bygdegården.',
    line1Kind: 'hours',
    line1Description: 'Snöskottning',
    line1Hours: '10',
    line1Rate: '250',
    line2Kind: 'fixed',
    line2Description: 'Sandning',
    line2Amount: '500,00',
  };

  /** Saves a valid basis for new accepted work; the application's id and the basis's. */
  const savedBasis = async (fields: Record<string, string> = {}) => {
    const { applicationId } = await work();
    await postForm(worker, workerPath(applicationId), { ...VALID, ...fields }).expect(303);
    return { applicationId, basisId: (await basisOf(applicationId)).id as number };
  };

  const submittedBasis = async () => {
    const saved = await savedBasis();
    await postForm(worker, `${workerPath(saved.applicationId)}/skicka`).expect(303);
    return saved;
  };

  // EJS's escaping, to find what was typed in a re-rendered form.
  const escaped = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

  describe('the worker writes a basis', () => {
    it('when the worker opens an hourly assignment, then the form is prefilled with its rate per hour and a line of hours', async () => {
      const { applicationId } = await work({ compensationType: 'hourly', amountSek: 275 });
      const res = await worker.agent.get(workerPath(applicationId)).expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.text).to.match(/<select id="line1Kind" name="line1Kind"[^>]*>\s*<option value="hours" selected>/);
      expect(res.text).to.contain('name="line1Rate" type="text" inputmode="decimal" value="275,00"');
      expect(res.text).to.contain('<label for="line1Hours">Antal timmar</label>');
      expect(res.text).to.contain('name="basisId" value=""');
      expect(res.text).not.to.contain('id="berakning"'); // nothing saved, nothing to calculate
    });

    it('when the assignment has a fixed amount, then the line is a fixed amount prefilled with it', async () => {
      const { applicationId } = await work({ compensationType: 'fixed', amountSek: 4500 });
      const res = await worker.agent.get(workerPath(applicationId)).expect(200);
      expect(res.text).to.contain('<option value="fixed" selected>');
      expect(res.text).to.contain('name="line1Amount" type="text" inputmode="decimal" value="4500,00"');
    });

    it('when the pay is by agreement, then the page asks for the agreed amount and leaves it empty', async () => {
      const { applicationId } = await work({ compensationType: 'by_agreement' });
      const res = await worker.agent.get(workerPath(applicationId)).expect(200);
      expect(res.text).to.contain('fyll i det belopp ni har kommit överens om');
      expect(res.text).to.contain('name="line1Amount" type="text" inputmode="decimal" value=""');
      await postForm(worker, workerPath(applicationId), {
        ...VALID,
        line1Kind: 'fixed',
        line1Amount: '1 800',
        line2Description: '',
        line2Amount: '',
      }).expect(303);
      const basis = await basisOf(applicationId);
      expect(await ctx.db('billing_basis_lines').where('basis_id', basis.id).select('kind', 'amount_ore')).to.deep.equal([
        { kind: 'fixed', amount_ore: 180_000 },
      ]);
    });

    it('when the assignment is volunteer work, then the page says it cannot be billed and a save is refused', async () => {
      const { applicationId } = await work({ compensationType: 'volunteer' });
      const page = await worker.agent.get(workerPath(applicationId)).expect(200);
      expect(page.text).to.contain('Ideella uppdrag faktureras inte.');
      expect(page.text).not.to.contain('name="line1Kind"');
      const res = await postForm(worker, workerPath(applicationId), VALID).expect(409);
      expect(res.text).to.contain('Ideella uppdrag faktureras inte.');
      expect(await countBases(applicationId)).to.equal(0);
    });

    it('when the worker has no enterprise account, then the page says so and links to the activation; a save is refused', async () => {
      const { applicationId } = await work({}, workerWithoutAccount.id);
      const page = await workerWithoutAccount.agent.get(workerPath(applicationId)).expect(200);
      expect(page.text).to.contain('aktivera egenanställning');
      expect(page.text).to.contain('href="/konto/egenanstallning"');
      await postForm(workerWithoutAccount, workerPath(applicationId), VALID).expect(409);
      expect(await countBases(applicationId)).to.equal(0);
    });

    it('when the application is not accepted, then a save is refused with a message', async () => {
      const { applicationId } = await work({ applicationStatus: 'submitted' });
      const res = await postForm(worker, workerPath(applicationId), VALID).expect(409);
      expect(res.text).to.contain('Bara arbete du har fått');
      expect(await countBases(applicationId)).to.equal(0);
    });

    it('when a valid basis is saved, then its lines are stored in öre and the page shows the calculation the salary will use', async () => {
      const { applicationId, basisId } = await savedBasis();
      const basis = await basisOf(applicationId);
      expect(basis).to.include({ status: 'draft', worker_user_id: worker.id, vat_bp: 2500, vat_reason: null });
      expect(basis).to.include({ period_start: '2026-03-01', period_end: '2026-03-05' });
      expect(
        await ctx
          .db('billing_basis_lines')
          .where('basis_id', basisId)
          .orderBy('position')
          .select('kind', 'quantity_hundredths', 'unit_price_ore', 'amount_ore'),
      ).to.deep.equal([
        { kind: 'hours', quantity_hundredths: 1000, unit_price_ore: 25_000, amount_ore: 250_000 },
        { kind: 'fixed', quantity_hundredths: null, unit_price_ore: null, amount_ore: 50_000 },
      ]);

      const page = await worker.agent.get(`${workerPath(applicationId)}?done=saved`).expect(200);
      expect(page.text).to.contain('Underlaget är sparat.');
      // The same code, rates and fee as the salary (calculation.ts, rates.ts), paid today.
      const today = todayInStockholm();
      const rates = await loadPayrollRates(ctx.db, today);
      const expected = calculateSalary(
        {
          invoiceExclVatOre: ore(300_000),
          feeBp: await currentFeeBp(ctx.db, today),
          expensesOre: ore(0),
          birthDate: '1980-05-17',
          taxBp: taxRateFor({ taxMode: 'side_income', ownTaxBp: null }, rates),
          payoutDate: today,
          paidEarlierThisMonthOre: ore(0),
          paidEarlierThisYearOre: ore(0),
        },
        rates,
      );
      const money = (amount: number) => escaped(formatMoney(ore(amount)));
      for (const amount of [300_000, 75_000, 375_000]) expect(page.text).to.contain(money(amount)); // excl. VAT, VAT, total
      for (const amount of [
        expected.feeOre,
        expected.contributionsOre,
        expected.grossOre,
        expected.vacationPayOre,
        expected.taxOre,
        expected.netOre,
      ])
        expect(page.text).to.contain(money(amount));
      expect(page.text).to.contain('Skatteavdrag (30 %)');
      expect(page.text).to.contain(`action="${workerPath(applicationId)}/skicka"`);
    });

    it('when a saved draft is edited, then its lines are replaced and the basis stays one', async () => {
      const { applicationId, basisId } = await savedBasis();
      await postForm(worker, workerPath(applicationId), {
        ...VALID,
        basisId: String(basisId),
        line1Hours: '2,5',
        line2Description: '',
        line2Amount: '',
        vatRate: '6',
        vatReason: 'Kulturtjänst',
      }).expect(303);
      expect(await countBases(applicationId)).to.equal(1);
      expect(await basisOf(applicationId)).to.include({ vat_bp: 600, vat_reason: 'Kulturtjänst' });
      expect(await ctx.db('billing_basis_lines').where('basis_id', basisId).select('amount_ore')).to.deep.equal([
        { amount_ore: 62_500 },
      ]);
      const page = await worker.agent.get(workerPath(applicationId)).expect(200);
      expect(page.text).to.contain('value="2,5"');
      expect(page.text).to.contain(`name="basisId" value="${basisId}"`);
    });

    it('when two "new" forms for the same work are sent at once, then there is one basis and the other gets a message, never a 500', async () => {
      const { applicationId } = await work();
      const responses = await Promise.all([
        postForm(worker, workerPath(applicationId), VALID),
        postForm(worker, workerPath(applicationId), { ...VALID, line1Hours: '3' }),
      ]);
      expect(responses.map((res) => res.status).sort()).to.deep.equal([303, 409]);
      expect(responses.find((res) => res.status === 409)!.text).to.contain('Det finns redan ett fakturaunderlag');
      expect(await countBases(applicationId)).to.equal(1);
      // A stale "new" form sent later is refused the same way, with what was typed kept.
      const late = await postForm(worker, workerPath(applicationId), { ...VALID, line1Hours: '7' }).expect(409);
      expect(late.text).to.contain('value="7"');
    });

    it('when the database is asked for a second basis of the same application, then its unique key refuses it', async () => {
      const { applicationId, assignmentId } = await work();
      const row = {
        application_id: applicationId,
        worker_user_id: worker.id,
        organisation_id: organisation.id,
        assignment_id: assignmentId,
        period_start: '2026-03-01',
        period_end: '2026-03-01',
      };
      await ctx.db('billing_bases').insert(row);
      let error: unknown;
      await ctx
        .db('billing_bases')
        .insert(row)
        .catch((caught: unknown) => (error = caught));
      expect((error as { code?: string }).code).to.equal('23505');
    });
  });

  describe('hostile input is refused beside its field, the input kept, nothing stored', () => {
    const hostileNumbers = ['1e9', '-5', '12,345', 'NaN', '9'.repeat(30), '<script>alert(1)</script>', '0'];
    const cases: Array<[field: string, value: string, extra?: Record<string, string>]> = [
      ...hostileNumbers.map((value): [string, string] => ['line1Hours', value]),
      ...hostileNumbers.map((value): [string, string] => ['line1Rate', value]),
      ...hostileNumbers.map((value): [string, string] => ['line2Amount', value]),
      ['periodStart', '2026-02-30'],
      ['periodStart', 'NaN'],
      ['periodStart', '<script>alert(1)</script>'],
      ['periodEnd', '2026-13-01'],
      ['periodEnd', '2026-02-01'], // before the first day
      ['vatRate', 'NaN'],
      ['vatRate', '__proto__'],
      ['vatRate', '25.0'],
      ['vatReason', '', { vatRate: '12' }], // 12 % needs a reason
      ['vatReason', 'a\u0000b', { vatRate: '0' }],
      ['line1Description', ''],
      ['line1Description', 'x'.repeat(201)],
      ['line1Kind', '<script>alert(1)</script>'],
      ['description', 'y'.repeat(2001)],
      ['description', 'bad\u0007bell'],
    ];
    for (const [field, value, extra] of cases) {
      it(`when ${field} is ${JSON.stringify(value.length > 40 ? `${value.slice(0, 12)}… (${value.length})` : value)}, then 400 with a message beside ${field}`, async () => {
        const { applicationId } = await work();
        const res = await postForm(worker, workerPath(applicationId), { ...VALID, ...extra, [field]: value }).expect(400);
        expect(res.text).to.contain(`id="${field}-error"`);
        expect(res.text).to.match(new RegExp(`aria-describedby="[^"]*${field}-error"`));
        if (!['line1Kind', 'vatRate'].includes(field) && !value.includes('\u0000')) expect(res.text).to.contain(escaped(value));
        expect(res.text).not.to.contain('<script>alert(1)</script>');
        // The other fields keep what was typed too.
        if (field !== 'description') expect(res.text).to.contain('Skottade snö vid bygdegården.');
        expect(await countBases(applicationId)).to.equal(0);
      });
    }

    it('when a field comes as an array or the form has no line, then 400, never a 500', async () => {
      const { applicationId } = await work();
      await postForm(
        worker,
        workerPath(applicationId),
        'line1Kind=hours&line1Description=a&line1Hours=1&line1Hours=2&line1Rate=1&periodStart=2026-03-01&periodEnd=2026-03-01&vatRate=25',
      ).expect(400);
      const empty = await postForm(worker, workerPath(applicationId), {
        ...VALID,
        line1Description: '',
        line1Hours: '',
        line1Rate: '',
        line2Description: '',
        line2Amount: '',
      }).expect(400);
      expect(empty.text).to.contain('Fyll i minst en rad.');
      expect(await countBases(applicationId)).to.equal(0);
    });

    it('when the description holds markup, then it is saved as text and shown escaped', async () => {
      const { applicationId } = await savedBasis({ description: '<img src=x onerror=alert(1)>' });
      const page = await worker.agent.get(workerPath(applicationId)).expect(200);
      expect(page.text).to.contain('&lt;img src=x onerror=alert(1)&gt;');
      expect(page.text).not.to.contain('<img src=x');
    });
  });

  describe('expenses with receipts', () => {
    const uploadReceipt = (
      client: LoggedIn,
      applicationId: number,
      bytes: Buffer,
      fields: Record<string, string>,
      name = 'kvitto.png',
      type = 'image/png',
    ) => {
      let req = client.agent.post(`${workerPath(applicationId)}/utlagg?_csrf=${encodeURIComponent(client.csrf)}`);
      for (const [key, value] of Object.entries(fields)) req = req.field(key, value);
      return req.attach('receipt', bytes, fileOptions(name, type));
    };

    it('when the worker adds a PNG receipt, then it is stored re-encoded and readable by the worker, the members once sent, and payroll only', async () => {
      const { applicationId, basisId } = await savedBasis();
      const before = await filesUnder(ctx.uploadsDir);
      const res = await uploadReceipt(worker, applicationId, await png(), {
        expenseDescription: 'Sand',
        expenseAmount: '249,50',
      }).expect(303);
      expect(res.headers.location).to.equal(`${workerPath(applicationId)}?done=expenseAdded#utlagg`);
      const [expense] = await ctx.db('billing_basis_expenses').where('basis_id', basisId).select('*');
      expect(expense).to.include({ description: 'Sand', amount_ore: 24_950, receipt_content_type: 'image/webp' });
      expect((await filesUnder(ctx.uploadsDir)).length).to.equal(before.length + 1);

      const url = `/fakturaunderlag/${basisId}/kvitton/${expense.id}`;
      const own = await worker.agent.get(url).expect(200);
      expect(own.headers['content-type']).to.equal('image/webp');
      expect(own.headers['cache-control']).to.equal('private, no-store');
      expect(own.headers['content-security-policy']).to.contain('sandbox');
      // A draft is the worker's own: the organisation sees its receipts once it is sent.
      await member.agent.get(url).expect(404);
      await payroll.agent.get(url).expect(200);
      for (const other of [otherResident, otherMember, admin]) await other.agent.get(url).expect(404);
      const visitor = await request(ctx.app).get(url).expect(303);
      expect(visitor.headers.location).to.match(/^\/logga-in/);

      const page = await worker.agent.get(workerPath(applicationId)).expect(200);
      expect(page.text).to.contain(`href="${url}"`);
      // The calculation counts the expense: paid back on top of the salary, billed with VAT.
      expect(page.text).to.contain(escaped(formatMoney(ore(324_950)))); // excl. VAT

      await postForm(worker, `${workerPath(applicationId)}/skicka`).expect(303);
      await member.agent.get(url).expect(200);
      await otherMember.agent.get(url).expect(404);
      // The wrong basis in the path: as if it did not exist.
      await worker.agent.get(`/fakturaunderlag/${basisId + 1000}/kvitton/${expense.id}`).expect(404);
    });

    it('when a PDF receipt is added and then removed, then the row and the file are gone', async () => {
      const { applicationId, basisId } = await savedBasis();
      const before = await filesUnder(ctx.uploadsDir);
      await uploadReceipt(
        worker,
        applicationId,
        minimalPdf('Kvitto'),
        { expenseDescription: 'Tåg', expenseAmount: '120' },
        'kvitto.pdf',
        'application/pdf',
      ).expect(303);
      const [expense] = await ctx.db('billing_basis_expenses').where('basis_id', basisId).select('*');
      expect(expense.receipt_content_type).to.equal('application/pdf');
      const download = await worker.agent.get(`/fakturaunderlag/${basisId}/kvitton/${expense.id}`).expect(200);
      expect(download.headers['content-disposition']).to.match(/^attachment; filename="kvitto-\d+\.pdf"$/);
      // Another's removal is refused before anything is touched.
      await postForm(otherResident, `${workerPath(applicationId)}/utlagg/${expense.id}/ta-bort`).expect(404);
      await postForm(member, `${workerPath(applicationId)}/utlagg/${expense.id}/ta-bort`).expect(403);
      await postForm(worker, `${workerPath(applicationId)}/utlagg/${expense.id}/ta-bort`).expect(303);
      expect(await ctx.db('billing_basis_expenses').where('basis_id', basisId)).to.deep.equal([]);
      expect(await filesUnder(ctx.uploadsDir)).to.deep.equal(before);
    });

    it('when the receipt is HTML or the amount is hostile, then 400 beside the field with what was typed kept and nothing stored', async () => {
      const { applicationId, basisId } = await savedBasis();
      const before = await filesUnder(ctx.uploadsDir);
      const html = await uploadReceipt(
        worker,
        applicationId,
        HTML,
        { expenseDescription: 'Färg <b>', expenseAmount: '99' },
        'kvitto.png',
      ).expect(400);
      expect(html.text).to.contain('id="receipt-error"');
      expect(html.text).to.contain('Kvittot måste vara en bild');
      expect(html.text).to.contain('value="Färg &lt;b&gt;"');
      for (const amount of ['1e9', '-5', '12,345', 'NaN', '9'.repeat(30)]) {
        const res = await uploadReceipt(worker, applicationId, await png(), {
          expenseDescription: 'Sand',
          expenseAmount: amount,
        }).expect(400);
        expect(res.text).to.contain('id="expenseAmount-error"');
        expect(res.text).to.contain(`value="${amount}"`);
      }
      const noDescription = await uploadReceipt(worker, applicationId, await png(), {
        expenseDescription: '',
        expenseAmount: '10',
      }).expect(400);
      expect(noDescription.text).to.contain('id="expenseDescription-error"');
      expect(await ctx.db('billing_basis_expenses').where('basis_id', basisId)).to.deep.equal([]);
      expect(await filesUnder(ctx.uploadsDir)).to.deep.equal(before);
    });

    it('when someone other than the worker uploads, then it is refused before the body is read', async () => {
      const { applicationId, basisId } = await savedBasis();
      await uploadReceipt(otherResident, applicationId, await png(), { expenseDescription: 'Sand', expenseAmount: '10' }).expect(
        404,
      );
      await uploadReceipt(member, applicationId, await png(), { expenseDescription: 'Sand', expenseAmount: '10' }).expect(403);
      expect(await ctx.db('billing_basis_expenses').where('basis_id', basisId)).to.deep.equal([]);
    });

    it('when the expenses are more than the invoice leaves after the fee, then the calculation says so and sending is refused', async () => {
      const { applicationId, basisId } = await savedBasis({
        line1Hours: '1',
        line1Rate: '10',
        line2Description: '',
        line2Amount: '',
      });
      await uploadReceipt(worker, applicationId, await png(), { expenseDescription: 'Virke', expenseAmount: '5 000' }).expect(
        303,
      );
      const page = await worker.agent.get(workerPath(applicationId)).expect(200);
      expect(page.text).to.contain('Utläggen är större än vad fakturan räcker till');
      const res = await postForm(worker, `${workerPath(applicationId)}/skicka`).expect(409);
      expect(res.text).to.contain('Utläggen är större än vad fakturan räcker till');
      expect((await ctx.db('billing_bases').where('id', basisId).first()).status).to.equal('draft');
    });
  });

  describe('sending, disputing and approving', () => {
    it('when the worker sends the basis, then it is submitted with an event, the members are told, and it can no longer be edited', async () => {
      const { applicationId, basisId } = await savedBasis();
      const res = await postForm(worker, `${workerPath(applicationId)}/skicka`).expect(303);
      expect(res.headers.location).to.equal(`${workerPath(applicationId)}?done=submitted`);
      const basis = await basisOf(applicationId);
      expect(basis.status).to.equal('submitted');
      expect(basis.submitted_at).to.be.instanceOf(Date);
      expect(await ctx.db('billing_basis_events').where('basis_id', basisId).select('kind', 'actor_user_id')).to.deep.equal([
        { kind: 'submitted', actor_user_id: worker.id },
      ]);
      const [notice] = await ctx
        .db('notifications')
        .where({ user_id: member.id, type: 'billing_basis_submitted' })
        .orderBy('id', 'desc')
        .select('link', 'params');
      expect(notice!.link).to.equal(orgPath(basisId));
      expect(notice!.params).to.include({ sender: 'Wilma Arbetare' });

      const page = await worker.agent.get(workerPath(applicationId)).expect(200);
      expect(page.text).not.to.contain('name="line1Kind"');
      expect(page.text).to.contain('Skickat, väntar på godkännande');
      const edit = await postForm(worker, workerPath(applicationId), {
        ...VALID,
        basisId: String(basisId),
        line1Hours: '99',
      }).expect(409);
      // No form to keep the input in: the basis is the organisation's to decide on now.
      expect(edit.text).to.contain('Underlaget är skickat och kan inte ändras nu.');
      const again = await postForm(worker, `${workerPath(applicationId)}/skicka`).expect(409);
      expect(again.text).to.contain('Underlaget är redan skickat.');
    });

    it('when the worker sends twice at once, then it is sent once', async () => {
      const { applicationId, basisId } = await savedBasis();
      const responses = await Promise.all([1, 2].map(() => postForm(worker, `${workerPath(applicationId)}/skicka`)));
      expect(responses.map((res) => res.status).sort()).to.deep.equal([303, 409]);
      expect(await ctx.db('billing_basis_events').where('basis_id', basisId).count({ n: '*' })).to.deep.equal([{ n: 1 }]);
    });

    it('when there is nothing saved yet, then sending is refused with a message', async () => {
      const { applicationId } = await work();
      const res = await postForm(worker, `${workerPath(applicationId)}/skicka`).expect(409);
      expect(res.text).to.contain('Spara underlaget först.');
    });

    it('when a member opens "Att godkänna", then the sent basis is listed with its total, and its page shows lines and the invoice but not the worker’s tax or net', async () => {
      const { basisId } = await submittedBasis();
      const list = await member.agent.get(`/organisationer/${organisation.slug}/fakturaunderlag`).expect(200);
      expect(list.text).to.contain(`href="${orgPath(basisId)}"`);
      expect(list.text).to.contain(escaped(formatMoney(ore(375_000))));
      const page = await member.agent.get(orgPath(basisId)).expect(200);
      expect(page.text).to.contain('Snöskottning');
      expect(page.text).to.contain(escaped(formatMoney(ore(75_000)))); // VAT
      expect(page.text).not.to.contain('Skatteavdrag');
      expect(page.text).not.to.contain('Utbetalning till dig');
      expect(page.text).to.contain(`href="${orgPath(basisId)}/godkann"`);
      expect(page.text).to.contain(`action="${orgPath(basisId)}/bestrid"`);
    });

    it('when a member opens the approval, then a confirmation step names the invoice it sends and posts to the approval; once approved, it leads back to the basis', async () => {
      const { basisId } = await submittedBasis();
      const confirm = await member.agent.get(`${orgPath(basisId)}/godkann`).expect(200);
      expect(confirm.text).to.contain(`action="${orgPath(basisId)}/godkann"`);
      expect(confirm.text).to.contain(escaped(formatMoney(ore(375_000))));
      expect(confirm.text).to.contain('kan bara rättas med en kreditfaktura');
      expect(confirm.text).to.contain(`href="${orgPath(basisId)}"`);
      expect((await ctx.db('billing_bases').where('id', basisId).first()).status).to.equal('submitted');
      await postForm(member, `${orgPath(basisId)}/godkann`).expect(303);
      const after = await member.agent.get(`${orgPath(basisId)}/godkann`).expect(303);
      expect(after.headers.location).to.equal(orgPath(basisId));
    });

    it('when a draft is asked for by the organisation, then it does not exist for them', async () => {
      const { basisId } = await savedBasis();
      await member.agent.get(orgPath(basisId)).expect(404);
      await member.agent.get(`${orgPath(basisId)}/godkann`).expect(404);
      await postForm(member, `${orgPath(basisId)}/godkann`).expect(404);
      const list = await member.agent.get(`/organisationer/${organisation.slug}/fakturaunderlag`).expect(200);
      expect(list.text).not.to.contain(`href="${orgPath(basisId)}"`);
    });

    it('when a member disputes without a comment, then 400 beside the field; with one, the basis goes back to the worker, who edits and sends it again', async () => {
      const { applicationId, basisId } = await submittedBasis();
      const empty = await postForm(member, `${orgPath(basisId)}/bestrid`, { comment: '   ' }).expect(400);
      expect(empty.text).to.contain('id="comment-error"');
      const long = await postForm(member, `${orgPath(basisId)}/bestrid`, { comment: 'z'.repeat(2001) }).expect(400);
      expect(long.text).to.contain('zzzz');
      expect((await basisOf(applicationId)).status).to.equal('submitted');

      await postForm(member, `${orgPath(basisId)}/bestrid`, { comment: 'Vi kom överens om 8 timmar, <b>inte</b> 10.' }).expect(
        303,
      );
      expect((await basisOf(applicationId)).status).to.equal('disputed');
      const [notice] = await ctx
        .db('notifications')
        .where({ user_id: worker.id, type: 'billing_basis_disputed' })
        .orderBy('id', 'desc')
        .select('link');
      expect(notice!.link).to.equal(workerPath(applicationId));

      const mine = await worker.agent.get('/konto/fakturaunderlag').expect(200);
      expect(mine.text).to.contain('Bestritt – ändra och skicka igen');
      expect(mine.text).to.contain('Vi kom överens om 8 timmar, &lt;b&gt;inte&lt;/b&gt; 10.');
      const page = await worker.agent.get(workerPath(applicationId)).expect(200);
      expect(page.text).to.contain('Organisationen har bestridit underlaget');
      expect(page.text).to.contain('name="line1Kind"'); // editable again

      await postForm(worker, workerPath(applicationId), { ...VALID, basisId: String(basisId), line1Hours: '8' }).expect(303);
      expect((await basisOf(applicationId)).status).to.equal('disputed');
      await postForm(worker, `${workerPath(applicationId)}/skicka`).expect(303);
      expect((await basisOf(applicationId)).status).to.equal('submitted');
      const history = await ctx.db('billing_basis_events').where('basis_id', basisId).orderBy('id').select('kind', 'comment');
      expect(history.map((event) => event.kind)).to.deep.equal(['submitted', 'disputed', 'submitted']);
      // The history is shown on both sides.
      for (const client of [worker, member]) {
        const side = await client.agent.get(client === worker ? workerPath(applicationId) : orgPath(basisId)).expect(200);
        expect(side.text).to.contain('Bestritt av');
        expect(side.text).to.contain('Vi kom överens om 8 timmar');
      }
    });

    it('when a member approves, then in one transaction the basis is approved, an event written, the invoice issued and the worker told', async () => {
      const { applicationId, basisId } = await submittedBasis();
      const res = await postForm(member, `${orgPath(basisId)}/godkann`).expect(303);
      expect(res.headers.location).to.equal(`${orgPath(basisId)}?done=approved`);
      const basis = await basisOf(applicationId);
      expect(basis).to.include({ status: 'approved', approved_by: member.id });
      expect(basis.approved_at).to.be.instanceOf(Date);
      // The invoice bills what the organisation saw: 3 000 kr excl. VAT, 750 kr VAT.
      expect(
        await ctx
          .db('invoices')
          .where({ basis_id: basisId, kind: 'invoice' })
          .select('amount_excl_vat_ore', 'vat_ore', 'total_ore'),
      ).to.deep.equal([{ amount_excl_vat_ore: 300_000, vat_ore: 75_000, total_ore: 375_000 }]);
      expect(await ctx.db('billing_basis_events').where('basis_id', basisId).orderBy('id').pluck('kind')).to.deep.equal([
        'submitted',
        'approved',
      ]);
      expect(
        await ctx
          .db('notifications')
          .where({ user_id: worker.id, type: 'billing_basis_approved', link: workerPath(applicationId) })
          .first(),
      ).to.not.equal(undefined);
      const again = await postForm(member, `${orgPath(basisId)}/godkann`).expect(409);
      expect(again.text).to.contain('Underlaget väntar inte på godkännande');
      await postForm(member, `${orgPath(basisId)}/bestrid`, { comment: 'För sent' }).expect(409);
    });

    it('when two members approve at once, then one invoice is issued and the other is told', async () => {
      const { basisId } = await submittedBasis();
      const second = await logIn(await createUser(ctx.db));
      await ctx.db('organisation_members').insert({ organisation_id: organisation.id, user_id: second.id, role: 'member' });
      const responses = await Promise.all([member, second].map((client) => postForm(client, `${orgPath(basisId)}/godkann`)));
      expect(responses.map((res) => res.status).sort()).to.deep.equal([303, 409]);
      expect(await ctx.db('invoices').where({ basis_id: basisId }).count({ n: '*' })).to.deep.equal([{ n: 1 }]);
    });

    it('when the worker has since become a member of the organisation, then they may not approve their own basis', async () => {
      const { basisId } = await submittedBasis();
      await ctx.db('organisation_members').insert({ organisation_id: organisation.id, user_id: worker.id, role: 'member' });
      try {
        const actor = await logInAs(ctx.app, worker.email);
        await postForm(actor, `${orgPath(basisId)}/godkann`).expect(403);
        await postForm(actor, `${orgPath(basisId)}/bestrid`, { comment: 'Hm' }).expect(403);
      } finally {
        await ctx.db('organisation_members').where({ organisation_id: organisation.id, user_id: worker.id }).delete();
      }
    });
  });

  describe('every transition by every role', () => {
    const others = () => ({ otherResident, otherMember, admin, payroll });

    it('when anyone but the worker asks the worker’s pages and actions, then members of the organisation get 403, everyone else 404 and visitors the login', async () => {
      const { applicationId, basisId } = await savedBasis();
      const [expense] = [{ id: 1 }];
      const posts = [
        [workerPath(applicationId), { ...VALID, basisId: String(basisId) }],
        [`${workerPath(applicationId)}/skicka`, {}],
        [`${workerPath(applicationId)}/utlagg/${expense.id}/ta-bort`, {}],
      ] as const;
      await member.agent.get(workerPath(applicationId)).expect(403);
      for (const [path, fields] of posts) await postForm(member, path, fields).expect(403);
      for (const [name, client] of Object.entries(others())) {
        const res = await client.agent.get(workerPath(applicationId));
        expect(res.status, `${name} GET`).to.equal(404);
        for (const [path, fields] of posts)
          expect((await postForm(client, path, fields)).status, `${name} POST ${path}`).to.equal(404);
      }
      const visitor = request.agent(ctx.app);
      expect((await visitor.get(workerPath(applicationId)).expect(303)).headers.location).to.match(/^\/logga-in/);
      const csrf = csrfFrom((await visitor.get('/logga-in')).text);
      for (const [path, fields] of posts)
        await visitor
          .post(path)
          .type('form')
          .send({ ...fields, _csrf: csrf })
          .expect(401);
      expect((await basisOf(applicationId)).status).to.equal('draft');
      expect(await ctx.db('billing_basis_lines').where('basis_id', basisId).pluck('amount_ore')).to.deep.equal([250_000, 50_000]);
    });

    it('when anyone but the organisation’s members asks its pages, approval or dispute, then 403 (visitors the login), and nothing changes', async () => {
      const { applicationId, basisId } = await submittedBasis();
      const paths = [`/organisationer/${organisation.slug}/fakturaunderlag`, orgPath(basisId), `${orgPath(basisId)}/godkann`];
      for (const [name, client] of Object.entries({ worker, ...others() })) {
        for (const path of paths) expect((await client.agent.get(path)).status, `${name} GET ${path}`).to.equal(403);
        expect((await postForm(client, `${orgPath(basisId)}/godkann`)).status, `${name} approve`).to.equal(403);
        expect((await postForm(client, `${orgPath(basisId)}/bestrid`, { comment: 'Nej' })).status, `${name} dispute`).to.equal(
          403,
        );
      }
      const visitor = request.agent(ctx.app);
      for (const path of paths) expect((await visitor.get(path).expect(303)).headers.location).to.match(/^\/logga-in/);
      const csrf = csrfFrom((await visitor.get('/logga-in')).text);
      await visitor
        .post(`${orgPath(basisId)}/godkann`)
        .type('form')
        .send({ _csrf: csrf })
        .expect(401);
      await visitor
        .post(`${orgPath(basisId)}/bestrid`)
        .type('form')
        .send({ _csrf: csrf, comment: 'Nej' })
        .expect(401);
      // Another organisation's member, under their own organisation's path: the basis is not theirs.
      const otherSlug = (
        await ctx
          .db('organisations as o')
          .join('organisation_members as m', 'm.organisation_id', 'o.id')
          .where('m.user_id', otherMember.id)
          .first('o.slug')
      ).slug;
      await otherMember.agent.get(`/organisationer/${otherSlug}/fakturaunderlag/${basisId}`).expect(404);
      await postForm(otherMember, `/organisationer/${otherSlug}/fakturaunderlag/${basisId}/godkann`).expect(404);
      expect((await basisOf(applicationId)).status).to.equal('submitted');
      expect(await ctx.db('billing_basis_events').where('basis_id', basisId).pluck('kind')).to.deep.equal(['submitted']);
    });

    it('when ids in paths are malformed or unknown, then 404, never a 500', async () => {
      for (const path of [
        '/konto/fakturaunderlag/abc',
        '/konto/fakturaunderlag/99999999',
        '/konto/fakturaunderlag/1e9',
        `/konto/fakturaunderlag/${'9'.repeat(30)}`,
      ])
        await worker.agent.get(path).expect(404);
      await worker.agent.get('/fakturaunderlag/x/kvitton/1').expect(404);
      await member.agent.get(`/organisationer/${organisation.slug}/fakturaunderlag/NaN`).expect(404);
      await member.agent.get('/organisationer/finns-inte/fakturaunderlag').expect(404);
    });
  });

  describe('Mina fakturaunderlag', () => {
    it('when the worker opens the list from /konto, then each accepted application is listed with its basis status', async () => {
      const account = await worker.agent.get('/konto').expect(200);
      expect(account.text).to.contain('href="/konto/fakturaunderlag"');
      const none = await work();
      const draft = await savedBasis();
      const sent = await submittedBasis();
      const volunteer = await work({ compensationType: 'volunteer' });
      const declined = await work({ applicationStatus: 'declined' });
      const res = await worker.agent.get('/konto/fakturaunderlag').expect(200);
      for (const { applicationId } of [none, draft, sent, volunteer])
        expect(res.text).to.contain(`href="${workerPath(applicationId)}"`);
      expect(res.text).not.to.contain(`href="${workerPath(declined.applicationId)}"`);
      for (const status of [
        'Inget underlag ännu',
        'Utkast',
        'Skickat, väntar på godkännande',
        'Ideellt uppdrag, faktureras inte',
      ])
        expect(res.text).to.contain(status);
      // Another worker's list holds none of these.
      const other = await otherResident.agent.get('/konto/fakturaunderlag').expect(200);
      expect(other.text).not.to.contain(`href="${workerPath(draft.applicationId)}"`);
      const visitor = await request(ctx.app).get('/konto/fakturaunderlag').expect(303);
      expect(visitor.headers.location).to.match(/^\/logga-in/);
    });

    it('when an account is added later, then the same work can be billed', async () => {
      const user = await createUser(ctx.db);
      const client = await logIn(user);
      const { applicationId } = await work({}, user.id);
      await postForm(client, workerPath(applicationId), VALID).expect(409);
      await addEnterpriseAccount(ctx.db, user.id, { taxMode: 'own', ownTaxBp: 2750 });
      await postForm(client, workerPath(applicationId), VALID).expect(303);
      const page = await client.agent.get(workerPath(applicationId)).expect(200);
      expect(page.text).to.contain('Skatteavdrag (27,5 %)');
    });
  });

  it('when a basis written by the factory is sent by the organisation’s view, then the shape the factory makes is one the pages read', async () => {
    const { applicationId, assignmentId } = await work();
    const basisId = await createBasis(
      ctx.db,
      { applicationId, assignmentId, organisationId: organisation.id, workerId: worker.id },
      { status: 'submitted' },
    );
    const page = await member.agent.get(orgPath(basisId)).expect(200);
    expect(page.text).to.contain('Snöskottning');
  });
});
