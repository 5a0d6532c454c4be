import { expect } from 'chai';
import type { Knex } from 'knex';
import { ASSIGNMENTS, BILLED_WORK } from '../../seeds/demo-content.js';
import { HISTORY_EMAIL_DOMAIN, seedDemoHistory } from '../../seeds/demo-history.js';
import { PILOT_MUNICIPALITIES } from '../../seeds/demo-logins.js';
import { seedDemo } from '../../seeds/demo.js';
import { calculateSalary } from '../../src/modules/billing/calculation.js';
import { loadPayrollRates } from '../../src/modules/billing/rates.js';
import { addMonths, todayInStockholm } from '../../src/platform/calendar.js';
import { inTransaction } from '../../src/platform/db.js';
import { oreFromDatabase } from '../../src/platform/money.js';
import { useTestApp } from '../support/test-app.js';

// The demo's 18 months of history (seeds/demo-history.ts), loaded by the demo seed on a new database: volume in
// the expected ranges, only in the pilot municipalities, closed (nothing of it open for search), salaries as
// payroll computes them, the same rows on every run of the same day, and nothing added by a second run.

const countOf = async (db: Knex, table: string) => Number((await db(table).count({ n: '*' }))[0]!.n);
const TABLES = ['users', 'assignments', 'applications', 'resident_profiles', 'billing_bases', 'invoices', 'salaries'];

/** The history as natural keys and relative facts, without ids: what two runs of the same day must share. */
/**
 * The history's rows in a comparable form. The hand-written demo is left out: its times follow the clock of the
 * moment it was seeded ("published 3 days ago"), so two seeds a minute apart differ there, and only there.
 */
async function fingerprint(db: Knex) {
  const handWritten = [...ASSIGNMENTS, ...BILLED_WORK].map((a) => a.title);
  const assignments = await db('assignments as a')
    .whereNotIn('a.title', handWritten)
    .join('categories as c', 'c.id', 'a.category_id')
    .leftJoin('localities as l', 'l.id', 'a.locality_id')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    // Every column in the order, so rows that tie on time and title still come in one order in both databases.
    .orderBy(['a.published_at', 'a.title', 'a.municipality_code', 'l.name', 'o.name', 'c.slug', 'a.status', 'a.people_needed'])
    .select(
      'a.title',
      'a.status',
      'a.municipality_code',
      'c.slug',
      'l.name as village',
      'o.name as organisation',
      db.raw(`to_char(a.published_at, 'YYYY-MM-DD"T"HH24:MI') AS published`),
      'a.people_needed',
      'a.work_training',
      db.raw(`(SELECT array_agg(u.email || ':' || ap.status ORDER BY u.email) FROM applications ap
        JOIN users u ON u.id = ap.applicant_id WHERE ap.assignment_id = a.id) AS applicants`),
    );
  const salaries = await db('salaries as s')
    .join('users as u', 'u.id', 's.worker_user_id')
    .whereLike('u.email', `%@${HISTORY_EMAIL_DOMAIN}`)
    .orderBy(['s.payout_date', 'u.email', 's.gross_ore'])
    .select('u.email', db.raw(`s.payout_date::text AS payout`), 's.gross_ore');
  return { assignments, salaries };
}

describe('Demo data: 18 months of history in the pilot municipalities', function () {
  this.timeout(180_000);
  const ctx = useTestApp();
  const again = useTestApp();
  let firstRunMs = 0;

  before(async () => {
    const started = performance.now();
    await seedDemo(ctx.db, () => {}, { logins: true, dataKeys: ctx.config.dataKeys });
    firstRunMs = performance.now() - started;
    await seedDemo(again.db, () => {}, { dataKeys: again.config.dataKeys });
  });

  it('when the demo is loaded, then the history has hundreds of assignments, thousands of applications and paid work', async () => {
    const history = ctx.db('assignments').where('published_at', '<', ctx.db.raw(`now() - interval '31 days'`));
    expect(Number((await history.clone().count({ n: '*' }))[0]!.n)).to.be.within(600, 900);
    const applications = await countOf(ctx.db, 'applications');
    expect(applications).to.be.within(1200, 3500);
    const residents = await ctx.db('users').whereLike('email', `%@${HISTORY_EMAIL_DOMAIN}`).count({ n: '*' });
    expect(Number(residents[0]!.n)).to.be.within(150, 200);
    const statuses = await ctx.db('assignments').groupBy('status').select('status', ctx.db.raw('count(*)::int AS n'));
    const byStatus = Object.fromEntries(statuses.map((row: { status: string; n: number }) => [row.status, row.n]));
    expect(byStatus.completed).to.be.at.least(300);
    expect(byStatus.expired).to.be.at.least(30); // some found nobody
    expect(await ctx.db('assignments').where('work_training', true).count({ n: '*' })).to.satisfy(
      (rows: Array<{ n: string }>) => Number(rows[0]!.n) >= 30,
    );
    expect(await countOf(ctx.db, 'salaries')).to.be.within(50, 400);
    // It loads within a few seconds: the whole demo, history included.
    expect(firstRunMs).to.be.below(20_000);
  });

  it('when the history is examined, then every assignment and applicant is in a pilot municipality and it spans 18 months', async () => {
    const municipalities = await ctx.db('assignments').distinct('municipality_code').pluck('municipality_code');
    expect(municipalities.sort()).to.deep.equal([...PILOT_MUNICIPALITIES].sort());
    const outside = await ctx
      .db('applications as ap')
      .join('users as u', 'u.id', 'ap.applicant_id')
      .whereNotIn('u.home_municipality_code', PILOT_MUNICIPALITIES)
      .count({ n: '*' });
    expect(Number(outside[0]!.n)).to.equal(0);
    const { first } = (await ctx.db('assignments').min({ first: 'published_at' }).first()) as { first: Date };
    const today = todayInStockholm();
    expect(todayInStockholm(first as Date) >= addMonths(today, -18)).to.equal(true);
    expect(todayInStockholm(first as Date) <= addMonths(today, -17)).to.equal(true);
    const { last } = (await ctx.db('applications').max({ last: 'created_at' }).first()) as { last: Date };
    expect((last as Date).getTime()).to.be.below(Date.now());
  });

  it('when the volume is split by municipality, season and village, then Norrtälje has most, snow comes in winter, and some villages stay under 5', async () => {
    const perMunicipality: Record<string, number> = Object.fromEntries(
      (
        await ctx.db('assignments').groupBy('municipality_code').select('municipality_code', ctx.db.raw('count(*)::int AS n'))
      ).map((row: { municipality_code: string; n: number }) => [row.municipality_code, row.n]),
    );
    expect(perMunicipality['0188']).to.be.greaterThan(perMunicipality['2481']!);
    expect(perMunicipality['2481']).to.be.greaterThan(perMunicipality['2417']!);

    const snowByMonth: Array<{ month: number; n: number }> = (
      await ctx.db.raw(`
        SELECT extract(month FROM a.published_at AT TIME ZONE 'Europe/Stockholm')::int AS month, count(*)::int AS n
        FROM assignments a JOIN categories c ON c.id = a.category_id WHERE c.slug = 'snorojning' GROUP BY 1`)
    ).rows;
    const snowIn = (months: number[]) =>
      snowByMonth.filter((row) => months.includes(Number(row.month))).reduce((sum, row) => sum + Number(row.n), 0);
    expect(snowIn([12, 1, 2])).to.be.greaterThan(20);
    expect(snowIn([6, 7, 8])).to.equal(0);

    const perVillage = await ctx
      .db('assignments')
      .whereNotNull('locality_id')
      .groupBy('locality_id')
      .select('locality_id', ctx.db.raw('count(*)::int AS n'));
    expect(perVillage.some((row: { n: number }) => row.n < 5)).to.equal(true);
    expect(perVillage.filter((row: { n: number }) => row.n >= 5).length).to.be.at.least(20);
  });

  it('when the history is there, then none of it is open for applications (search holds only the hand-written demo)', async () => {
    const open = await ctx
      .db('assignments')
      .where('status', 'published')
      .where((q) => q.whereNull('apply_by').orWhereRaw('apply_by >= CURRENT_DATE'))
      .whereRaw(`published_at < now() - interval '31 days'`)
      .count({ n: '*' });
    expect(Number(open[0]!.n)).to.equal(0);
    // No history title repeats a hand-written one: the demo logins' pages and the billing demo find theirs by title.
    const handWritten = [...ASSIGNMENTS, ...BILLED_WORK].map((a) => a.title);
    const repeated = await ctx
      .db('assignments')
      .whereIn('title', handWritten)
      .groupBy('title')
      .havingRaw('count(*) > 1')
      .pluck('title');
    expect(repeated).to.deep.equal([]);
    const overfilled = await ctx.db.raw(`
      SELECT a.id FROM assignments a JOIN applications ap ON ap.assignment_id = a.id AND ap.status = 'accepted'
      GROUP BY a.id, a.people_needed HAVING count(*) > a.people_needed`);
    expect(overfilled.rows).to.deep.equal([]);
  });

  it('when the history’s salaries are computed again with payroll’s calculation, then every figure is the same', async () => {
    const rows = await ctx.db.raw(`
      SELECT s.*, s.payout_date::text AS payout, e.birth_date::text AS birth, i.amount_excl_vat_ore AS invoice_excl_vat,
             o.fee_bp, i.expenses_ore AS invoice_expenses,
             (SELECT COALESCE(sum(p.gross_ore), 0) FROM salaries p WHERE p.worker_user_id = s.worker_user_id AND p.id < s.id
               AND date_trunc('month', p.payout_date) = date_trunc('month', s.payout_date)) AS month_before,
             (SELECT COALESCE(sum(p.gross_ore), 0) FROM salaries p WHERE p.worker_user_id = s.worker_user_id AND p.id < s.id
               AND date_trunc('year', p.payout_date) = date_trunc('year', s.payout_date)) AS year_before
      FROM salaries s JOIN invoices i ON i.id = s.invoice_id JOIN operator_settings o ON o.id = i.operator_settings_id
      JOIN enterprise_accounts e ON e.user_id = s.worker_user_id JOIN users u ON u.id = s.worker_user_id
      WHERE u.email LIKE '%@${HISTORY_EMAIL_DOMAIN}' ORDER BY s.id`);
    expect(rows.rows.length).to.be.at.least(50);
    for (const row of rows.rows) {
      expect(row.paid_on, 'paid out').to.not.equal(null);
      const expected = calculateSalary(
        {
          invoiceExclVatOre: oreFromDatabase(row.invoice_excl_vat),
          feeBp: row.fee_bp,
          expensesOre: oreFromDatabase(row.invoice_expenses),
          birthDate: row.birth,
          taxBp: row.tax_bp,
          payoutDate: row.payout,
          paidEarlierThisMonthOre: oreFromDatabase(row.month_before),
          paidEarlierThisYearOre: oreFromDatabase(row.year_before),
        },
        await loadPayrollRates(ctx.db, row.payout),
      );
      expect(
        [row.gross_ore, row.contributions_ore, row.tax_ore, row.net_ore, row.vacation_pay_ore].map(oreFromDatabase),
        `salary ${row.id}`,
      ).to.deep.equal([expected.grossOre, expected.contributionsOre, expected.taxOre, expected.netOre, expected.vacationPayOre]);
    }
    // Every invoice's VAT and fee follow issueInvoice's arithmetic (25 %, the operator's fee), the lines its total.
    const wrong = await ctx.db.raw(`
      SELECT i.id FROM invoices i JOIN operator_settings o ON o.id = i.operator_settings_id
      WHERE i.vat_ore <> round(i.amount_excl_vat_ore * 0.25) OR i.fee_ore <> round(i.amount_excl_vat_ore * o.fee_bp / 10000.0)
         OR i.total_ore <> i.amount_excl_vat_ore + i.vat_ore
         OR i.amount_excl_vat_ore <> (SELECT sum(amount_ore) FROM invoice_lines WHERE invoice_id = i.id)`);
    expect(wrong.rows).to.deep.equal([]);
  });

  it('when the history is seeded a second time, then nothing changes', async () => {
    const before = await Promise.all(TABLES.map((table) => countOf(ctx.db, table)));
    const result = await inTransaction(ctx.db, (trx) => seedDemoHistory(trx, { dataKeys: ctx.config.dataKeys }), {
      databaseErrors: 'raw',
    });
    expect(result).to.equal(undefined);
    expect(await Promise.all(TABLES.map((table) => countOf(ctx.db, table)))).to.deep.equal(before);
  });

  it('when two new databases are seeded on the same day, then their histories are the same', async () => {
    const [one, two] = await Promise.all([fingerprint(ctx.db), fingerprint(again.db)]);
    expect(one.assignments.length).to.be.greaterThan(600);
    // The first row that differs, so a failure says where the histories part.
    const firstDifference = (a: unknown[], b: unknown[]) => {
      const index = a.findIndex((row, k) => JSON.stringify(row) !== JSON.stringify(b[k]));
      return index < 0 && a.length === b.length
        ? undefined
        : { index, one: a[index], two: b[index], lengths: [a.length, b.length] };
    };
    expect(firstDifference(one.assignments, two.assignments), 'assignments').to.equal(undefined);
    expect(firstDifference(one.salaries, two.salaries), 'salaries').to.equal(undefined);
  });
});
