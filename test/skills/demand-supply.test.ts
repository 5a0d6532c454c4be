import { expect } from 'chai';
import { VISITOR, type Actor } from '../../src/modules/access/index.js';
import { demandGaps, resolveTypedSkills, selectDemandAndSupply } from '../../src/modules/skills/index.js';
import { getDashboard } from '../../src/modules/stats/service.js';
import { createOrganisation } from '../support/factories.js';
import { askSkills, createResident } from '../support/skills-h3-factories.js';
import { insertStatsAssignment } from '../support/stats-factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser } from '../support/users.js';

// Demand against supply per municipality (issue 15, item 7), counted by hand from a small fixture in Lycksele (2481)
// for April 2026: skills asked for in the assignments posted there in the period against the skills residents there
// offer (hidden profiles and expired certificates not counted), the gaps, and the dashboard's suppressed table.

const LYCKSELE = '2481';
const NORSJO = '2417';
const APRIL = { start: new Date('2026-03-31T22:00:00Z'), end: new Date('2026-04-30T22:00:00Z') };

describe('Skills: demand against supply per municipality', function () {
  this.timeout(60_000);
  const ctx = useTestApp();
  let village: number;
  let otherVillage: number;

  const figures = (rows: Awaited<ReturnType<typeof selectDemandAndSupply>>) =>
    rows.map((row) => [row.slug, row.asked, row.offered]);

  before(async () => {
    const { db } = ctx;
    const villages = (await db('localities')
      .where({ municipality_code: LYCKSELE })
      .orderBy('name')
      .limit(2)
      .select('id')) as Array<{
      id: number;
    }>;
    [village, otherVillage] = [villages[0]!.id, villages[1]!.id];
    const organisation = await createOrganisation(db, { municipality_code: LYCKSELE });
    const posted = (fields: Partial<Parameters<typeof insertStatsAssignment>[1]> = {}) =>
      insertStatsAssignment(db, {
        organisationId: organisation.id,
        municipalityCode: LYCKSELE,
        categorySlug: 'skog-och-mark',
        publishedAt: '2026-04-10T10:00:00+02:00',
        ...fields,
      });
    // Counted: A1 (vedhuggning, snickeri, in the village), A2 (vedhuggning), A3 closed since (vedhuggning),
    // A4 (a free tag typed by the poster).
    await askSkills(db, await posted({ localityId: village }), ['vedhuggning', 'snickeri']);
    await askSkills(db, await posted(), ['vedhuggning']);
    await askSkills(db, await posted({ status: 'closed' }), ['vedhuggning']);
    const tag = (await resolveTypedSkills(db, ['Flottning'], 'skill')).get('Flottning')!;
    await db('assignment_skills').insert({ assignment_id: await posted(), skill_id: tag.id });
    // Not counted: hidden by moderation, a draft, published in March, in Norsjö.
    await askSkills(db, await posted({ hiddenAt: '2026-04-11T10:00:00+02:00' }), ['vedhuggning']);
    await askSkills(db, await posted({ status: 'draft', publishedAt: null }), ['vedhuggning']);
    await askSkills(db, await posted({ publishedAt: '2026-03-31T23:59:00+02:00' }), ['snickeri']);
    await askSkills(db, await posted({ municipalityCode: NORSJO }), ['vedhuggning']);

    // Supply: R1 home here (vedhuggning); R2 hidden (not counted); R3 lives in Norsjö but names a village here
    // (snickeri, counted); R4 in Norsjö naming nothing here; R5's chainsaw licence expired; R6 a free tag alone.
    await createResident(db, { skills: [{ slug: 'vedhuggning', level: 'can_teach' }] });
    await createResident(db, { visibility: 'hidden', skills: [{ slug: 'vedhuggning' }, { slug: 'snickeri' }] });
    await createResident(db, { homeMunicipalityCode: NORSJO, villages: [village], skills: [{ slug: 'snickeri' }] });
    await createResident(db, { homeMunicipalityCode: NORSJO, skills: [{ slug: 'snickeri' }] });
    await createResident(db, { skills: [{ slug: 'motorsagskorkort', expiresOn: '2020-01-01' }] });
    const freeTag = (await resolveTypedSkills(db, ['Näverslöjd'], 'skill')).get('Näverslöjd')!;
    const lone = await createResident(db);
    await db('resident_skills').insert({ user_id: lone.id, skill_id: freeTag.id });
  });

  it('when a period is asked, then each skill has the assignments asking for it and the residents offering it', async () => {
    const rows = await selectDemandAndSupply(ctx.db, { municipalityCode: LYCKSELE, ...APRIL }, 5);
    expect(figures(rows)).to.deep.equal([
      ['vedhuggning', 3, 1],
      ['snickeri', 1, 1],
      ['flottning', 1, 0],
    ]);
    expect(demandGaps(rows).map((row) => row.slug)).to.deep.equal(['vedhuggning', 'flottning']);
  });

  it('when a village is asked, then demand is its assignments and supply its residents', async () => {
    const rows = await selectDemandAndSupply(ctx.db, { municipalityCode: LYCKSELE, ...APRIL, localityId: village }, 5);
    expect(figures(rows)).to.deep.equal([
      ['snickeri', 1, 1],
      ['vedhuggning', 1, 0],
    ]);
    expect(
      await selectDemandAndSupply(ctx.db, { municipalityCode: LYCKSELE, ...APRIL, localityId: otherVillage }, 5),
    ).to.deep.equal([]);
  });

  it('when the free-tag threshold is 1, then a free tag one resident offers shows too', async () => {
    const rows = await selectDemandAndSupply(ctx.db, { municipalityCode: LYCKSELE, ...APRIL }, 1);
    expect(figures(rows)).to.deep.include(['naverslojd', 0, 1]);
  });

  it('when an officer opens the dashboard, then the skills table shows the figures with counts under 5 suppressed and the gaps (told by shown cells) first', async () => {
    // Five more residents with vedhuggning (one hidden): 6 shown beside 3 asked.
    for (let n = 0; n < 5; n++) await createResident(ctx.db, { skills: [{ slug: 'vedhuggning' }] });
    await createResident(ctx.db, { visibility: 'hidden', skills: [{ slug: 'vedhuggning' }] });
    // Four more assignments asking for snickeri: 5 asked (shown), 1 offered (small): a gap the shown cells tell.
    for (let n = 0; n < 4; n++)
      await askSkills(
        ctx.db,
        await insertStatsAssignment(ctx.db, {
          organisationId: (await createOrganisation(ctx.db)).id,
          municipalityCode: LYCKSELE,
          categorySlug: 'bygg-och-reparation',
          publishedAt: '2026-04-15T10:00:00+02:00',
        }),
        ['snickeri'],
      );
    const officer = await createUser(ctx.db);
    await ctx.db('officer_municipalities').insert({ user_id: officer.id, municipality_code: LYCKSELE });
    const actor: Actor = { ...VISITOR, userId: officer.id, emailVerified: true, officerOf: new Set([LYCKSELE]) };
    const board = await getDashboard(
      ctx.db,
      actor,
      { municipalityCode: LYCKSELE, period: 'custom', from: '2026-04-01', to: '2026-04-30' },
      '2026-05-20',
    );
    const small = { value: null, status: 'small' };
    expect(board.skillDemand.map((row) => [row.skill.slug, row.asked, row.offered, row.gap])).to.deep.equal([
      ['snickeri', { value: 5, status: 'shown' }, small, true],
      ['vedhuggning', small, { value: 6, status: 'shown' }, false],
      ['flottning', small, { value: 0, status: 'shown' }, false],
    ]);
  });
});
