import { expect } from 'chai';
import { getOpenData, type OpenDataInput } from '../../src/modules/stats/service.js';
import type { Cell, OpenDataRow } from '../../src/modules/stats/types.js';
import { AppError } from '../../src/platform/errors.js';
import { createOrganisation } from '../support/factories.js';
import { insertPaidSalary, insertResident, insertStatsApplication, insertStatsAssignment } from '../support/stats-factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser } from '../support/users.js';

// Open data (issue 13 item 5): per municipality and category, suppressed as if the municipality's total were
// shown beside each column, for anyone, with no village detail. "Today" 2026-05-20, the quarter so far.

const TODAY = '2026-05-20';
const LYCKSELE = '2481';
const NORRTALJE = '0188';

const shown = (value: number): Cell => ({ value, status: 'shown' });
const small: Cell = { value: null, status: 'small' };
const secondary: Cell = { value: null, status: 'secondary' };

describe('statistics open data: figures per municipality and category', () => {
  const ctx = useTestApp();
  const people: Array<{ name: string; email: string }> = [];

  before(async () => {
    const { db } = ctx;
    const lycksele = await createOrganisation(db, { municipality_code: LYCKSELE });
    const norrtalje = await createOrganisation(db, { municipality_code: NORRTALJE });
    const [village] = (await db('localities').where({ municipality_code: LYCKSELE }).limit(1).select('id')) as Array<{
      id: number;
    }>;
    const residents = [];
    for (let index = 0; index < 6; index++) residents.push(await insertResident(db, { categorySlugs: ['snorojning'] }));
    const workers = [];
    for (let index = 0; index < 6; index++) workers.push(await createUser(db, { name: `Wilma Lönesson ${index + 1}` }));
    people.push(...residents, ...workers);
    const post = (categorySlug: string, day: number, extra: { peopleNeeded?: number; workTraining?: boolean } = {}) =>
      insertStatsAssignment(db, {
        organisationId: lycksele.id,
        municipalityCode: LYCKSELE,
        categorySlug,
        localityId: village!.id,
        publishedAt: `2026-04-${String(day).padStart(2, '0')}T10:00:00+02:00`,
        ...extra,
      });
    const accept = (assignmentId: number, applicantId: number) =>
      insertStatsApplication(db, {
        assignmentId,
        applicantId,
        createdAt: '2026-04-29T10:00:00+02:00',
        status: 'accepted',
        decidedAt: '2026-04-30T10:00:00+02:00',
      });

    // Snow clearing: 6 assignments of 2 places, 5 of them work training, one person accepted on each; 5 workers paid.
    for (let index = 0; index < 6; index++) {
      const id = await post('snorojning', index + 1, { peopleNeeded: 2, workTraining: index < 5 });
      await accept(id, residents[index]!.id);
      if (index < 5)
        await insertPaidSalary(db, {
          assignmentId: id,
          organisationId: lycksele.id,
          workerUserId: workers[index]!.id,
          payoutDate: '2026-05-15',
          grossOre: 100_000,
          hoursHundredths: [300],
        });
    }
    // Gardening: 2 assignments, one person accepted.
    await accept(await post('tradgard', 10), residents[0]!.id);
    await post('tradgard', 11);
    // Cleaning: 7 assignments, 5 persons accepted; one worker paid.
    for (let index = 0; index < 7; index++) {
      const id = await post('stadning', 12 + index);
      if (index < 5) await accept(id, residents[index]!.id);
      if (index === 0)
        await insertPaidSalary(db, {
          assignmentId: id,
          organisationId: lycksele.id,
          workerUserId: workers[5]!.id,
          payoutDate: '2026-04-20',
          grossOre: 200_000,
          hoursHundredths: [500],
        });
    }
    // Before the quarter: not counted.
    await insertStatsAssignment(db, {
      organisationId: lycksele.id,
      municipalityCode: LYCKSELE,
      categorySlug: 'stadning',
      publishedAt: '2026-03-01T10:00:00+01:00',
    });
    await insertStatsAssignment(db, {
      organisationId: norrtalje.id,
      municipalityCode: NORRTALJE,
      categorySlug: 'ovrigt',
      publishedAt: '2026-05-01T10:00:00+02:00',
    });
  });

  const rowOf = (rows: OpenDataRow[], code: string, slug: string) =>
    rows.find((row) => row.municipality.code === code && row.category.slug === slug);

  it('gives every municipality and category with something in the period, suppressed per column with its total', async () => {
    const { period, rows } = await getOpenData(ctx.db, ctx.deps.reference, {}, TODAY);
    expect(period).to.deep.include({ preset: 'quarter', from: '2026-04-01', to: '2026-05-20' });
    expect(rows.map((row) => [row.municipality.code, row.category.slug])).to.deep.equal([
      [LYCKSELE, 'snorojning'],
      [LYCKSELE, 'tradgard'],
      [LYCKSELE, 'stadning'],
      [NORRTALJE, 'ovrigt'],
    ]);
    // Posted 6 / 2 / 7 (total 15): gardening "<5", so the next smallest (snow clearing) is hidden too.
    // Places 12 / 2 / 7: the same. Accepted persons 6 / 1 / 5: gardening "<5" takes cleaning (5) with it.
    // Work training 5 / 0 / 0: all shown. Paid: snow clearing 5 workers, cleaning 1 → both hidden.
    expect(rowOf(rows, LYCKSELE, 'snorojning')).to.deep.equal({
      municipality: { code: LYCKSELE, name: 'Lycksele kommun', countyCode: '24' },
      category: { slug: 'snorojning', name: 'Snöröjning' },
      posted: secondary,
      placesPosted: secondary,
      placesFilled: shown(6),
      workTrainingPosted: shown(5),
      paidGrossOre: secondary,
      workersPaid: secondary,
    });
    expect(rowOf(rows, LYCKSELE, 'tradgard')).to.deep.include({
      posted: small,
      placesPosted: small,
      placesFilled: small,
      workTrainingPosted: shown(0),
      paidGrossOre: shown(0),
      workersPaid: shown(0),
    });
    expect(rowOf(rows, LYCKSELE, 'stadning')).to.deep.include({
      posted: shown(7),
      placesPosted: shown(7),
      placesFilled: secondary,
      workTrainingPosted: shown(0),
      paidGrossOre: small,
      workersPaid: small,
    });
    expect(rowOf(rows, NORRTALJE, 'ovrigt')).to.deep.include({ posted: small, placesFilled: shown(0), paidGrossOre: shown(0) });
  });

  it('shows paid income where at least 5 workers stand behind it', async () => {
    // a custom range of May only: snow clearing's 5 salaries (15 May), not cleaning's (20 April)
    const { rows } = await getOpenData(ctx.db, ctx.deps.reference, { from: '2026-05-01', to: '2026-05-20' }, TODAY);
    expect(rowOf(rows, LYCKSELE, 'snorojning')).to.deep.include({ paidGrossOre: shown(500_000), workersPaid: shown(5) });
  });

  it('narrows to a county or a municipality', async () => {
    const county = await getOpenData(ctx.db, ctx.deps.reference, { county: '24' }, TODAY);
    expect([...new Set(county.rows.map((row) => row.municipality.code))]).to.deep.equal([LYCKSELE]);
    const one = await getOpenData(ctx.db, ctx.deps.reference, { municipality: NORRTALJE }, TODAY);
    expect(one.rows.map((row) => row.category.slug)).to.deep.equal(['ovrigt']);
    const neither = await getOpenData(ctx.db, ctx.deps.reference, { municipality: NORRTALJE, county: '24' }, TODAY);
    expect(neither.rows).to.deep.equal([]);
  });

  it('has no village detail and no person in it', async () => {
    const { rows } = await getOpenData(ctx.db, ctx.deps.reference, {}, TODAY);
    for (const row of rows)
      expect(Object.keys(row)).to.have.members([
        'municipality',
        'category',
        'posted',
        'placesPosted',
        'placesFilled',
        'workTrainingPosted',
        'paidGrossOre',
        'workersPaid',
      ]);
    const json = JSON.stringify(rows);
    for (const person of people) {
      expect(json).not.to.include(person.name);
      expect(json).not.to.include(person.email);
    }
  });

  const refusals: Array<[string, OpenDataInput, string]> = [
    ['an unknown municipality', { municipality: '9999' }, 'municipality'],
    ['a municipality code with SQL', { municipality: "2481' OR '1'='1" }, 'municipality'],
    ['a repeated municipality', { municipality: ['2481', '0188'] }, 'municipality'],
    ['an unknown county', { county: '99' }, 'county'],
    ['a county that is not a code', { county: '<b>24</b>' }, 'county'],
    ['an unknown preset', { period: 'week' }, 'period'],
    ['a range ending in the future', { from: '2026-05-01', to: '2027-01-01' }, 'to'],
  ];
  for (const [name, input, field] of refusals) {
    it(`refuses ${name} with a 400 naming ${field}`, async () => {
      const error = await getOpenData(ctx.db, ctx.deps.reference, input, TODAY).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(AppError);
      expect((error as AppError).status).to.equal(400);
      expect(Object.keys((error as AppError).fields)).to.deep.equal([field]);
    });
  }
});
