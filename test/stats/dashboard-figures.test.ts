import { expect } from 'chai';
import { VISITOR, type Actor } from '../../src/modules/access/index.js';
import { getDashboard, type DashboardInput } from '../../src/modules/stats/service.js';
import type { Cell, Comparison, Dashboard } from '../../src/modules/stats/types.js';
import { AppError } from '../../src/platform/errors.js';
import { createOrganisation } from '../support/factories.js';
import { insertPaidSalary, insertResident, insertStatsApplication, insertStatsAssignment } from '../support/stats-factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser } from '../support/users.js';

// The officer's dashboard against a hand-counted history in Lycksele (2481), "today" 2026-05-20: the default
// period is the quarter so far, 1 April – 20 May (50 days), the previous one 10 February – 31 March. Every
// expected figure below is counted from the fixture by hand, its suppression from the rule (fewer than 5
// persons or assignments: "<5"; a lone hidden part beside a shown total takes a second part with it).

const TODAY = '2026-05-20';
const LYCKSELE = '2481';
const NORSJO = '2417';

const shown = (value: number): Cell => ({ value, status: 'shown' });
const small: Cell = { value: null, status: 'small' };
const secondary: Cell = { value: null, status: 'secondary' };

describe('statistics dashboard: figures from a hand-counted history', () => {
  const ctx = useTestApp();
  const people: Array<{ name: string; email: string }> = [];
  let officer: Actor;
  let v1: { id: number; name: string };
  let v2: { id: number; name: string };
  let v3: { id: number; name: string };
  let organisationName: string;
  const titles: Record<string, string> = {};

  const dashboard = (input: Partial<DashboardInput> = {}, actor: Actor = officer) =>
    getDashboard(ctx.db, actor, { municipalityCode: LYCKSELE, ...input }, TODAY);

  before(async () => {
    const { db } = ctx;
    const villages = (await db('localities')
      .where({ municipality_code: LYCKSELE })
      .orderBy('name')
      .limit(3)
      .select('id', 'name')) as Array<{
      id: number;
      name: string;
    }>;
    [v1, v2, v3] = [villages[0]!, villages[1]!, villages[2]!];
    const officerUser = await createUser(db, { name: 'Olga Officersson' });
    people.push(officerUser);
    await db('officer_municipalities').insert({ user_id: officerUser.id, municipality_code: LYCKSELE });
    officer = { ...VISITOR, userId: officerUser.id, emailVerified: true, officerOf: new Set([LYCKSELE]) };

    const organisation = await createOrganisation(db, { municipality_code: LYCKSELE });
    organisationName = organisation.name;
    const norsjoOrganisation = await createOrganisation(db, { municipality_code: NORSJO });
    const assignment = (
      name: string,
      fields: Omit<Parameters<typeof insertStatsAssignment>[1], 'organisationId' | 'municipalityCode'>,
    ) => {
      titles[name] = `Uppdrag ${name}`;
      return insertStatsAssignment(db, {
        organisationId: organisation.id,
        municipalityCode: LYCKSELE,
        title: titles[name],
        ...fields,
      });
    };

    // Residents R1–R8 apply; R1–R6 offer snow clearing, R1 and R7 gardening. R9 lives in Norsjö but names v1
    // (counts); R10 lives in Norsjö and names nothing here (does not count).
    const tags = [['Motorsåg', 'motorsåg', 'snickeri'], [' motorsåg', 'Snickeri'], ['MOTORSÅG'], ['motorsåg '], [], [], [], []];
    const residents = [];
    for (let index = 0; index < 8; index++) {
      const categorySlugs = [...(index < 6 ? ['snorojning'] : []), ...(index === 0 || index === 6 ? ['tradgard'] : [])];
      residents.push(await insertResident(db, { categorySlugs, skillTags: tags[index]!, visible: index % 2 === 0 }));
    }
    residents.push(
      await insertResident(db, {
        homeMunicipalityCode: NORSJO,
        categorySlugs: ['snorojning'],
        localityIds: [v1.id],
        skillTags: ['Motorsåg'],
      }),
      await insertResident(db, { homeMunicipalityCode: NORSJO, categorySlugs: ['snorojning'], skillTags: ['motorsåg'] }),
    );
    people.push(...residents);
    const [r1, r2, r3, r4, r5, r6, r7, r8] = residents.map((resident) => resident.id) as number[];

    // This period: 9 posted assignments.
    const a1 = await assignment('A1', {
      categorySlug: 'snorojning',
      localityId: v1.id,
      // 00:10 in Stockholm on 1 April is still 31 March in UTC: counted in this period
      publishedAt: '2026-04-01T00:10:00+02:00',
      peopleNeeded: 2,
    });
    const a2 = await assignment('A2', {
      categorySlug: 'snorojning',
      localityId: v1.id,
      publishedAt: '2026-04-10T10:00:00+02:00',
    });
    const a3 = await assignment('A3', {
      categorySlug: 'snorojning',
      localityId: v2.id,
      publishedAt: '2026-04-20T10:00:00+02:00',
      status: 'closed',
    });
    const a4 = await assignment('A4', {
      categorySlug: 'tradgard',
      localityId: v1.id,
      publishedAt: '2026-04-25T10:00:00+02:00',
      peopleNeeded: 3,
      workTraining: true,
      status: 'completed',
    });
    const a5 = await assignment('A5', { categorySlug: 'tradgard', localityId: v2.id, publishedAt: '2026-05-02T10:00:00+02:00' });
    const a6 = await assignment('A6', { categorySlug: 'stadning', localityId: v1.id, publishedAt: '2026-05-10T10:00:00+02:00' });
    await assignment('A7', {
      categorySlug: 'snorojning',
      localityId: v1.id,
      publishedAt: '2026-05-15T10:00:00+02:00',
      peopleNeeded: 2,
      workTraining: true,
    });
    await assignment('X6', {
      categorySlug: 'stadning',
      localityId: v2.id,
      publishedAt: '2026-04-12T10:00:00+02:00',
      status: 'cancelled', // cancelled after publishing: it was posted
    });
    await assignment('A8', { categorySlug: 'stadning', publishedAt: '2026-05-18T10:00:00+02:00', status: 'expired' });
    // Not posted, or not here.
    await assignment('X1', { categorySlug: 'snorojning', status: 'draft' });
    await assignment('X2', { categorySlug: 'snorojning', status: 'pending_review' });
    await assignment('X3', { categorySlug: 'snorojning', status: 'cancelled' });
    await assignment('X4', {
      categorySlug: 'snorojning',
      localityId: v1.id,
      publishedAt: '2026-04-05T10:00:00+02:00',
      hiddenAt: '2026-04-06T10:00:00+02:00',
    });
    const x5 = await insertStatsAssignment(db, {
      organisationId: norsjoOrganisation.id,
      municipalityCode: NORSJO,
      categorySlug: 'snorojning',
      publishedAt: '2026-04-05T10:00:00+02:00',
    });
    // The previous period: 5, one at its very end; and one the day before it begins.
    const previous = [];
    for (const publishedAt of [
      '2026-03-01T10:00:00+01:00',
      '2026-03-02T10:00:00+01:00',
      '2026-03-03T10:00:00+01:00',
      '2026-03-04T10:00:00+01:00',
      '2026-03-31T23:30:00+02:00',
    ])
      previous.push(await assignment(`P${previous.length + 1}`, { categorySlug: 'snorojning', localityId: v1.id, publishedAt }));
    await assignment('P0', { categorySlug: 'snorojning', localityId: v1.id, publishedAt: '2026-02-09T23:30:00+01:00' });

    const apply = (
      assignmentId: number,
      applicantId: number,
      createdAt: string,
      status?: 'accepted' | 'declined' | 'withdrawn',
      decidedAt?: string,
    ) =>
      insertStatsApplication(db, {
        assignmentId,
        applicantId,
        createdAt,
        ...(status ? { status } : {}),
        ...(decidedAt ? { decidedAt } : {}),
      });
    // Days from publishing to the first application: A1 1/12, A2 2, A3 5, A4 1, A5 18, A6 3 → median 2.5 → 3.
    // To the first acceptance: A1 2, A2 5, A4 2 (three assignments: hidden).
    await apply(a1, r1!, '2026-04-01T02:10:00+02:00', 'accepted', '2026-04-03T00:10:00+02:00');
    await apply(a1, r2!, '2026-04-02T00:10:00+02:00', 'accepted', '2026-04-03T00:10:00+02:00');
    await apply(a2, r3!, '2026-04-12T10:00:00+02:00', 'accepted', '2026-04-15T10:00:00+02:00');
    await apply(a3, r4!, '2026-04-25T10:00:00+02:00', 'declined', '2026-04-26T10:00:00+02:00');
    await apply(a4, r5!, '2026-04-26T10:00:00+02:00', 'accepted', '2026-04-27T10:00:00+02:00');
    await apply(a4, r6!, '2026-04-26T10:00:00+02:00', 'accepted', '2026-04-28T10:00:00+02:00');
    await apply(a4, r7!, '2026-04-30T10:00:00+02:00', 'withdrawn');
    await apply(a5, r1!, '2026-05-20T10:00:00+02:00'); // 18 days after publishing: A5 had no applicant in its 14 days
    await apply(a6, r8!, '2026-05-13T10:00:00+02:00');
    await apply(x5, r8!, '2026-04-06T10:00:00+02:00', 'accepted', '2026-04-07T10:00:00+02:00');

    // Workers W1–W6 (W4 works in Norsjö); two salaries of deleted accounts (worker NULL) count as one worker.
    const workers = [];
    for (let index = 0; index < 6; index++) workers.push(await createUser(db, { name: `Walter Arbetsson ${index + 1}` }));
    people.push(...workers);
    const [w1, w2, w3, w4, w5, w6] = workers.map((worker) => worker.id) as number[];
    const pay = (
      assignmentId: number,
      workerUserId: number | null,
      payoutDate: string,
      grossOre: number,
      hoursHundredths: number[],
    ) =>
      insertPaidSalary(db, {
        assignmentId,
        organisationId: organisation.id,
        workerUserId,
        payoutDate,
        grossOre,
        hoursHundredths,
      });
    await pay(a1, w1!, '2026-04-01', 100_000, [250]);
    await pay(a1, w2!, '2026-04-15', 200_000, [500]);
    await pay(a2, w3!, '2026-04-30', 300_000, [100, 50]);
    await pay(a4, w5!, '2026-05-05', 400_000, [1000]);
    await pay(a4, w6!, '2026-05-19', 500_000, [800]);
    await pay(a4, null, '2026-05-20', 600_000, [200]);
    await pay(a3, null, '2026-05-20', 50_000, [100]);
    await pay(previous[0]!, w1!, '2026-03-15', 70_000, [300]); // the previous period
    await pay(previous[1]!, w2!, '2026-03-31', 80_000, [300]);
    await pay(a1, w1!, '2026-05-21', 90_000, [300]); // after today (a scheduled payout): not in the period
    await insertPaidSalary(db, {
      assignmentId: x5,
      organisationId: norsjoOrganisation.id,
      workerUserId: w4!,
      payoutDate: '2026-04-10',
      grossOre: 999_000,
      hoursHundredths: [100],
    });
  });

  describe('headline', () => {
    let board: Dashboard;
    before(async () => {
      board = await dashboard();
    });
    const comparison = (current: Cell, previous: Cell, changePercent: Cell): Comparison => ({ current, previous, changePercent });

    it('is for the quarter so far and the 50 days before', () => {
      expect(board.filters.period).to.deep.equal({
        preset: 'quarter',
        from: '2026-04-01',
        to: '2026-05-20',
        previous: { from: '2026-02-10', to: '2026-03-31' },
      });
      expect(board.municipality).to.deep.equal({
        code: LYCKSELE,
        name: 'Lycksele kommun',
        countyCode: '24',
        countyName: 'Västerbottens län',
      });
    });

    it('counts posted assignments: published, closed, completed, expired and cancelled-after-publishing; not drafts, reviews or hidden', () => {
      // 9 against 5: +80 %
      expect(board.headline.posted).to.deep.equal(comparison(shown(9), shown(5), shown(80)));
    });

    it('counts places and filled places', () => {
      // 2+1+1+3+1+1+2+1+1 = 13 against 5 (+160 %); accepted: A1 2, A2 1, A4 2 = 5 persons against 0 (no change from 0)
      expect(board.headline.placesPosted).to.deep.equal(comparison(shown(13), shown(5), shown(160)));
      expect(board.headline.placesFilled).to.deep.equal(comparison(shown(5), shown(0), secondary));
      // 5 / 13 = 38.46 % → 38; previous 0 / 5 = 0 %
      expect(board.headline.fillRatePercent).to.deep.equal(comparison(shown(38), shown(0), secondary));
    });

    it('takes the median days to the first application (halves up) and hides the one to acceptance (3 assignments)', () => {
      expect(board.headline.medianDaysToFirstApplication).to.deep.equal(comparison(shown(3), secondary, secondary));
      expect(board.headline.medianDaysToAcceptance).to.deep.equal(comparison(small, secondary, secondary));
    });

    it('counts assignments without an applicant 14 days after publishing', () => {
      // A5 (its only application came on day 18) and X6; A6–A8 have not had their 14 days. Previous: all 5.
      expect(board.headline.withoutApplicantAfter14Days).to.deep.equal(comparison(small, shown(5), secondary));
      expect(board.unanswered.map((row) => row.title)).to.deep.equal([titles.X6, titles.A5]);
      expect(board.unanswered[1]).to.deep.equal({
        id: board.unanswered[1]!.id,
        title: titles.A5,
        organisationName,
        publishedOn: '2026-05-02',
        village: v2.name,
      });
    });

    it('hides work-training figures under 5', () => {
      expect(board.headline.workTrainingPosted).to.deep.equal(comparison(small, shown(0), secondary));
      expect(board.headline.workTrainingMatched).to.deep.equal(comparison(small, shown(0), secondary));
    });

    it('sums the salaries paid out in the period: gross, hours and workers (deleted accounts together as one)', () => {
      // 1 000 + 2 000 + 3 000 + 4 000 + 5 000 + 6 000 + 500 kr; 2.5 + 5 + 1.5 + 10 + 8 + 2 + 1 h; W1 W2 W3 W5 W6 + deleted
      expect(board.headline.paidGrossOre).to.deep.equal(comparison(shown(2_150_000), small, secondary));
      expect(board.headline.paidHoursHundredths).to.deep.equal(comparison(shown(3000), small, secondary));
      expect(board.headline.workersPaid).to.deep.equal(comparison(shown(6), small, secondary));
      expect(board.income.total).to.deep.equal({ grossOre: shown(2_150_000), hoursHundredths: shown(3000), workers: shown(6) });
    });
  });

  describe('tables', () => {
    let board: Dashboard;
    before(async () => {
      board = await dashboard();
    });

    it('puts posted assignments per category and month, all parts under 5 hidden, the total shown', () => {
      const table = board.postedByMonthAndCategory;
      expect(table.columns).to.deep.equal(['2026-04', '2026-05']);
      expect(table.rows.map((row) => row.slug)).to.deep.equal(['snorojning', 'tradgard', 'stadning']);
      // snow 3+1, garden 1+1, cleaning 1+2: every cell and row total under 5
      expect(table.cells.flat().every((cell) => cell.status === 'small')).to.equal(true);
      expect(table.rowTotals).to.deep.equal([small, small, small]);
      // April 5 would give May's 4 away from the total of 9
      expect(table.columnTotals).to.deep.equal([secondary, small]);
      expect(table.total).to.deep.equal(shown(9));
    });

    it('lists the villages, the largest first, those without a village last', () => {
      expect(board.byVillage.map((row) => row.village?.name ?? null)).to.deep.equal([v1.name, v2.name, null]);
      const [first, second, none] = board.byVillage;
      // v1: A1 A2 A4 A6 A7; 5 accepted of 2+1+3+1+2 = 9 places → 56 %
      expect(first).to.deep.include({ posted: shown(5), placesFilled: shown(5), fillRatePercent: shown(56) });
      expect(second).to.deep.include({ posted: small, placesFilled: shown(0), fillRatePercent: small });
      expect(none).to.deep.include({ posted: small, placesFilled: shown(0) });
      expect(first!.village).to.deep.include({ id: v1.id, name: v1.name });
    });

    it('hides a village’s income with a lone hidden neighbour (secondary), with the total shown', () => {
      // v1: 6 workers (W1 W2 W3 W5 W6 and a deleted account); v2: one deleted account → "<5", and v1 is then
      // hidden too, or 2 150 000 − v1 would give v2 away
      const income = Object.fromEntries(board.income.byVillage.map((row) => [row.village?.id ?? 'none', row]));
      expect(income[v1.id]).to.deep.include({ grossOre: secondary, hoursHundredths: secondary, workers: secondary });
      expect(income[v2.id]).to.deep.include({ grossOre: small, hoursHundredths: small, workers: small });
      expect(board.byVillage[0]).to.deep.include({ paidGrossOre: secondary, workersPaid: secondary });
      expect(board.byVillage[1]).to.deep.include({ paidGrossOre: small, workersPaid: small });
    });

    it('hides income per category under 5 workers', () => {
      // snow clearing W1 W2 W3 + deleted = 4; gardening W5 W6 + deleted = 3
      expect(board.income.byCategory.map((row) => [row.category.slug, row.grossOre, row.workers])).to.deep.equal([
        ['snorojning', small, small],
        ['tradgard', small, small],
      ]);
    });

    it('sets skills demanded against residents offering them, the largest gap first', () => {
      // demand: the table's row totals (all hidden); offered snow clearing: R1–R6 and R9 (names v1) = 7, not R10
      expect(board.skills.map((row) => [row.category.slug, row.demanded, row.offered])).to.deep.equal([
        ['stadning', small, shown(0)],
        ['tradgard', small, small],
        ['snorojning', small, shown(7)],
      ]);
    });

    it('sets skills asked for against residents offering them on non-hidden profiles, under 5 suppressed', () => {
      // The typed tags resolve to the vocabulary: "motorsåg" is Motorsågskörkort. Offered by R1, R3 and R9 (R2 and R4
      // hide their profiles, R10 lives elsewhere) = 3; Snickeri by R1 only (R2 hidden). No assignment asked for a skill.
      expect(board.skillDemand).to.deep.equal([
        {
          skill: { slug: 'motorsagskorkort', name: 'Motorsågskörkort', kind: 'certificate' },
          asked: shown(0),
          offered: small,
          gap: false,
        },
        { skill: { slug: 'snickeri', name: 'Snickeri', kind: 'skill' }, asked: shown(0), offered: small, gap: false },
      ]);
    });

    it('compares with the county’s municipalities and the national median', () => {
      expect(board.county).to.have.length(15);
      const row = (code: string) => board.county.find((candidate) => candidate.municipality.code === code);
      expect(row(LYCKSELE)).to.deep.equal({
        municipality: { code: LYCKSELE, name: 'Lycksele kommun' },
        posted: shown(9),
        fillRatePercent: shown(38),
        paidGrossOre: shown(2_150_000),
      });
      expect(row(NORSJO)).to.deep.equal({
        municipality: { code: NORSJO, name: 'Norsjö kommun' },
        posted: small,
        fillRatePercent: small,
        paidGrossOre: small,
      });
      expect(row('2480')).to.deep.equal({
        municipality: { code: '2480', name: 'Umeå kommun' },
        posted: shown(0),
        fillRatePercent: secondary,
        paidGrossOre: shown(0),
      });
      // 288 municipalities at 0; fill rates where places were posted: Lycksele 38 %, Norsjö 100 % → 69 %
      expect(board.nationalMedian).to.deep.equal({ posted: 0, fillRatePercent: 69, paidGrossOre: 0 });
    });
  });

  describe('filters', () => {
    it('narrows everything to a category', async () => {
      const board = await dashboard({ category: 'snorojning' });
      expect(board.filters.categorySlug).to.equal('snorojning');
      // A1 A2 A3 A7 → 4 (hidden); the previous period's 5 were all snow clearing
      expect(board.headline.posted.current).to.deep.equal(small);
      expect(board.headline.posted.previous).to.deep.equal(shown(5));
      expect(board.postedByMonthAndCategory.rows.map((row) => row.slug)).to.deep.equal(['snorojning']);
      expect(board.skills.map((row) => [row.category.slug, row.offered])).to.deep.equal([['snorojning', shown(7)]]);
      // Neither skill belongs to snow clearing
      expect(board.skillDemand).to.deep.equal([]);
      expect(board.income.total.workers).to.deep.equal(small);
    });

    it('narrows everything to a village', async () => {
      const board = await dashboard({ village: String(v1.id) });
      expect(board.filters.localityId).to.equal(v1.id);
      expect(board.headline.posted.current).to.deep.equal(shown(5));
      expect(board.headline.placesPosted.current).to.deep.equal(shown(9));
      expect(board.headline.fillRatePercent.current).to.deep.equal(shown(56));
      expect(board.byVillage.map((row) => row.village?.id)).to.deep.equal([v1.id]);
      // only R9 names v1 (the others' home village is not set)
      expect(board.skills.find((row) => row.category.slug === 'snorojning')?.offered).to.deep.equal(small);
      // only R9 names v1
      expect(board.skillDemand.map((row) => [row.skill.slug, row.offered])).to.deep.equal([['motorsagskorkort', small]]);
      // salaries through v1's assignments: W1 W2 W3 W5 W6 and a deleted account
      expect(board.headline.workersPaid.current).to.deep.equal(shown(6));
      expect(board.headline.paidGrossOre.current).to.deep.equal(shown(2_100_000));
    });

    it('counts a village without anything as zeros', async () => {
      const board = await dashboard({ village: String(v3.id) });
      expect(board.headline.posted.current).to.deep.equal(shown(0));
      expect(board.headline.fillRatePercent.current).to.deep.equal(secondary);
      expect(board.byVillage).to.deep.equal([]);
    });

    it('offers the categories and this municipality’s villages as choices', async () => {
      const board = await dashboard();
      expect(board.choices.categories).to.have.length(13);
      expect(board.choices.categories[0]).to.deep.equal({ slug: 'snorojning', name: 'Snöröjning' });
      expect(board.choices.villages.map((village) => village.id)).to.include.members([v1.id, v2.id, v3.id]);
      expect(board.choices.municipalities).to.deep.equal([{ code: LYCKSELE, name: 'Lycksele kommun' }]);
    });

    const refusals: Array<[string, () => Partial<DashboardInput>, string]> = [
      ['an unknown category', () => ({ category: 'dykning' }), 'category'],
      ['a category of the wrong type', () => ({ category: ['snorojning'] }), 'category'],
      ['a village of another municipality', () => ({ village: 'norsjo' }), 'village'],
      ['a village that is not a number', () => ({ village: `${v1.id} OR 1=1` }), 'village'],
      ['an unknown preset', () => ({ period: '<script>' }), 'period'],
      ['an end date in the future', () => ({ period: 'custom', from: '2026-05-01', to: '2026-06-01' }), 'to'],
    ];
    for (const [name, input, field] of refusals) {
      it(`refuses ${name} with a 400 naming ${field}`, async () => {
        let values = input();
        if (values.village === 'norsjo') {
          const other = (await ctx.db('localities').where({ municipality_code: NORSJO }).first('id')) as { id: number };
          values = { village: String(other.id) };
        }
        const error = await dashboard(values).catch((caught: unknown) => caught);
        expect(error).to.be.instanceOf(AppError);
        expect((error as AppError).status).to.equal(400);
        expect(Object.keys((error as AppError).fields)).to.deep.equal([field]);
      });
    }
  });

  describe('scope', () => {
    const refusedWith404 = async (actor: Actor, municipalityCode = LYCKSELE) => {
      const error = await getDashboard(ctx.db, actor, { municipalityCode }, TODAY).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(AppError);
      expect((error as AppError).status).to.equal(404);
    };

    it('hides another municipality from an officer (404)', async () => {
      await refusedWith404(officer, NORSJO);
    });

    it('hides the dashboard from visitors and residents (404)', async () => {
      await refusedWith404(VISITOR);
      await refusedWith404({ ...VISITOR, userId: 1, emailVerified: true });
    });

    it('answers 404 for a municipality that does not exist, even to an admin', async () => {
      const admin: Actor = { ...VISITOR, userId: 1, emailVerified: true, isAdmin: true };
      await refusedWith404(admin, '9999');
      await refusedWith404(admin, '24');
      await refusedWith404(admin, "2481' OR '1'='1");
    });

    it('lets an admin see every municipality and choose among all 290', async () => {
      const admin: Actor = { ...VISITOR, userId: 1, emailVerified: true, isAdmin: true };
      const board = await getDashboard(ctx.db, admin, { municipalityCode: NORSJO }, TODAY);
      expect(board.municipality.name).to.equal('Norsjö kommun');
      expect(board.choices.municipalities).to.have.length(290);
      expect(board.headline.posted.current).to.deep.equal(small);
    });

    it('offers an officer of several municipalities exactly those', async () => {
      const both: Actor = { ...officer, officerOf: new Set([LYCKSELE, NORSJO]) };
      const board = await getDashboard(ctx.db, both, { municipalityCode: NORSJO }, TODAY);
      expect(board.choices.municipalities).to.deep.equal([
        { code: LYCKSELE, name: 'Lycksele kommun' },
        { code: NORSJO, name: 'Norsjö kommun' },
      ]);
    });
  });

  it('holds no name or e-mail of a person anywhere', async () => {
    const admin: Actor = { ...VISITOR, userId: 1, emailVerified: true, isAdmin: true };
    for (const board of [
      await dashboard(),
      await dashboard({ village: String(v1.id) }),
      await getDashboard(ctx.db, admin, { municipalityCode: NORSJO }, TODAY),
    ]) {
      const json = JSON.stringify(board);
      expect(people.length).to.be.greaterThan(15);
      for (const person of people) {
        expect(json).not.to.include(person.name);
        expect(json).not.to.include(person.email);
      }
      expect(json).not.to.match(/@/);
    }
  });
});
