import { expect } from 'chai';
import { BILLED_WORK, ENTERPRISE_ACCOUNTS } from '../../seeds/demo-content.js';
import { demoPersonalNumber } from '../../seeds/demo-billing.js';
import { PILOT_MUNICIPALITIES } from '../../seeds/demo-logins.js';
import { seedDemo } from '../../seeds/demo.js';
import { todayInStockholm } from '../../src/platform/calendar.js';
import { parsePersonnummer } from '../../src/platform/identifiers.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { logInAs, postForm } from '../support/users.js';

// Billing in the demo (seeds/demo-billing.ts): a new database shows every state of a billing basis and its invoice
// (draft, awaiting approval, disputed, invoiced, overdue, paid) in the pilot municipalities, with enterprise
// accounts sealed under the app's data key, and what each demo login sees of it.

const countOf = async (ctx: TestApp, table: string) => Number((await ctx.db(table).count({ n: '*' }))[0]!.n);

describe('Demo data: billing in every state', function () {
  this.timeout(120_000);
  const ctx = useTestApp();
  let logins: Array<{ role: string; email: string; password: string }>;
  const login = (role: string) => {
    const entry = logins.find((candidate) => candidate.role === role)!;
    return logInAs(ctx.app, entry.email, entry.password);
  };

  before(async () => {
    ({ logins } = await seedDemo(ctx.db, () => {}, { logins: true, dataKeys: ctx.config.dataKeys }));
  });

  it('when a fresh demo is loaded, then there are bases in draft, awaiting approval and disputed, and invoices not yet due, overdue and paid', async () => {
    const today = todayInStockholm();
    const bases = await ctx
      .db('billing_bases as b')
      .join('organisations as o', 'o.id', 'b.organisation_id')
      .join('assignments as a', 'a.id', 'b.assignment_id')
      // The demo's history (seeds/demo-history.ts) adds paid work of its own: these are the hand-written states.
      .whereIn(
        'a.title',
        BILLED_WORK.map((work) => work.title),
      )
      .leftJoin('invoices as i', function () {
        this.on('i.basis_id', 'b.id').andOnVal('i.kind', 'invoice');
      })
      .select('b.status', 'o.municipality_code', 'i.id as invoiceId', 'i.status as invoiceStatus', 'i.due_date', 'i.total_ore');
    const state = (basis: (typeof bases)[number]): string => {
      if (basis.status !== 'approved') return basis.status;
      if (basis.invoiceStatus === 'paid') return 'paid';
      return basis.due_date < today ? 'overdue' : 'invoiced';
    };
    expect(bases.map(state).sort()).to.deep.equal(['disputed', 'draft', 'invoiced', 'overdue', 'paid', 'submitted']);
    expect(bases.filter((basis) => basis.status === 'approved').every((basis) => basis.invoiceId !== null)).to.equal(true);
    expect([...new Set(bases.map((basis) => basis.municipality_code))].sort()).to.deep.equal([...PILOT_MUNICIPALITIES].sort());

    const paid = bases.find((basis) => state(basis) === 'paid')!;
    const payments = await ctx.db('payments').where('invoice_id', paid.invoiceId).select('amount_ore');
    expect(payments.map((payment) => payment.amount_ore)).to.deep.equal([paid.total_ore]);
    const disputed = await ctx.db('billing_basis_events').where('kind', 'disputed').first('comment');
    expect(disputed.comment).to.have.length.greaterThan(10);
    // Finished work: none of it is open for applications, so none of it is in search.
    const titles = BILLED_WORK.map((work) => work.title);
    expect(await ctx.db('assignments').whereIn('title', titles).pluck('status')).to.deep.equal(titles.map(() => 'completed'));
  });

  it('when the enterprise accounts are stored, then each is sealed with the data key and shows its made-up personnummer only to its owner', async () => {
    const handWritten = await ctx
      .db('enterprise_accounts as e')
      .join('users as u', 'u.id', 'e.user_id')
      .whereIn(
        'u.email',
        ENTERPRISE_ACCOUNTS.map((account) => account.email),
      )
      .count({ n: '*' });
    expect(Number(handWritten[0]!.n)).to.equal(ENTERPRISE_ACCOUNTS.length);
    for (const account of ENTERPRISE_ACCOUNTS)
      expect(parsePersonnummer(demoPersonalNumber(account)), account.email).to.deep.include({ ok: true });

    const resident = await login('resident'); // Erik Nilsson: an account, and bases in draft, awaiting approval and paid
    const [erik] = ENTERPRISE_ACCOUNTS;
    const number = demoPersonalNumber(erik!);
    const page = await resident.agent.get('/konto/egenanstallning').expect(200);
    expect(page.text)
      .to.contain(`${number.slice(0, 8)}-****`)
      .and.not.contain(number.slice(8));
    const revealed = await postForm(resident, '/konto/egenanstallning/visa-personnummer').expect(200);
    expect(revealed.text).to.contain(`${number.slice(0, 8)}-${number.slice(8)}`);
    const mine = await resident.agent.get('/konto/fakturaunderlag').expect(200);
    for (const status of ['Utkast', 'Skickat, väntar på godkännande', 'Godkänt och fakturerat'])
      expect(mine.text).to.contain(status);
    const invoices = await resident.agent.get('/konto/fakturor').expect(200);
    expect(invoices.text).to.contain('Ved till bygdegården i Björksele');
  });

  it('when the member and payroll demo logins look, then one has a basis to approve and the other an overdue and an unpaid invoice', async () => {
    const member = await login('member'); // Kerstin Lundmark, Rusksele byaförening
    const slug = (await ctx.db('organisations').where('name', 'Rusksele byaförening').first('slug')).slug as string;
    const waiting = await member.agent.get(`/organisationer/${slug}/fakturaunderlag`).expect(200);
    expect(waiting.text).to.contain('Röja sly längs skoterleden mot Storforsen');
    expect(waiting.text).not.to.contain('Inga underlag väntar på godkännande.');

    const payroll = await login('payroll');
    const queue = await payroll.agent.get('/lon').expect(200);
    expect(queue.text).not.to.contain('Inga fakturor är förfallna.');
    expect(queue.text).not.to.contain('Inga obetalda fakturor väntar.');
    for (const buyer of ['Bjurträsk', 'Älmsta']) expect(queue.text).to.contain(buyer);
  });
});

describe('Demo data without a data encryption key', () => {
  const ctx = useTestApp();

  it('when the demo is loaded without the key, then it says why and has no accounts or billing, the rest as usual', async () => {
    const messages: string[] = [];
    const { assignments } = await seedDemo(ctx.db, (message) => messages.push(message));
    expect(assignments).to.be.greaterThan(0);
    expect(messages.some((message) => message.startsWith('Billing demo not loaded'))).to.equal(true);
    for (const table of ['enterprise_accounts', 'billing_bases', 'invoices'])
      expect(await countOf(ctx, table), table).to.equal(0);
  });
});
