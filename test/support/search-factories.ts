import type { Db } from '../../src/platform/db.js';
import { openAssignments } from '../../src/modules/assignments/index.js';
import { createOrganisation, createTestAssignment, isoDay } from './factories.js';

// One set of assignments for the search contract: every facet value, sort key
// and distance in it is known, so each engine's answer can be checked exactly.

export const LYCKSELE = { lat: 64.595861, lng: 18.677755 };
// Meilisearch's earth radius: one degree of latitude is this many kilometres.
const KM_PER_DEGREE = (6371.0088 * Math.PI) / 180;
/** A point exactly 10 km due north of Lycksele's centre. */
export const TEN_KM_NORTH = { lat: LYCKSELE.lat + 10 / KM_PER_DEGREE, lng: LYCKSELE.lng };

export type FixtureKey = 'snow' | 'lawn' | 'web' | 'firewood' | 'fair';

export interface SearchFixture {
  ids: Record<FixtureKey, number>;
  /** Assignments that must never come out of a search. */
  hiddenIds: number[];
  localities: { rusksele: string; almsta: string; norsjo: string; lycksele: string };
}

const daysAgo = (days: number) => new Date(Math.floor((Date.now() - days * 86_400_000) / 1000) * 1000);

export async function createSearchFixture(db: Db, localitySlug: (code: string, name: string) => string): Promise<SearchFixture> {
  const lyckseleOrg = await createOrganisation(db, { name: 'Rusksele byaförening' });
  const norrtaljeOrg = await createOrganisation(db, { name: 'Älmsta-Väddö IF', municipality_code: '0188' });
  const norsjoOrg = await createOrganisation(db, { name: 'Norsjö hembygdsförening', municipality_code: '2417' });
  const suspendedOrg = await createOrganisation(db, { name: 'Avstängda föreningen' });
  const localities = {
    rusksele: localitySlug('2481', 'Rusksele'),
    almsta: localitySlug('0188', 'Älmsta'),
    norsjo: localitySlug('2417', 'Norsjö'),
    lycksele: localitySlug('2481', 'Lycksele'),
  };

  const ids = {
    snow: await createTestAssignment(db, {
      organisationId: lyckseleOrg.id,
      title: 'Snöskottning vid bygdegården',
      description: 'Bygdegården behöver skottas efter varje snöfall, från trappan till parkeringen.',
      categorySlug: 'snorojning',
      localitySlug: localities.rusksele,
      compensationType: 'hourly',
      amountSek: 250,
      applyBy: isoDay(10),
      publishedAt: daysAgo(5),
    }),
    lawn: await createTestAssignment(db, {
      organisationId: norrtaljeOrg.id,
      title: 'Gräsklippning av fotbollsplanen',
      description: 'Planen vid idrottsplatsen ska klippas varannan vecka under sommaren.',
      categorySlug: 'tradgard',
      municipalityCode: '0188',
      localitySlug: localities.almsta,
      compensationType: 'fixed',
      amountSek: 1500,
      applyBy: isoDay(20),
      workTraining: true,
      publishedAt: daysAgo(4),
    }),
    web: await createTestAssignment(db, {
      organisationId: norsjoOrg.id,
      title: 'Ny hemsida till föreningen',
      description: 'Föreningen vill ha en enkel hemsida med kalender, bilder och en sida om snöskottning och andra tjänster.',
      categorySlug: 'it-och-webb',
      municipalityCode: '2417',
      localitySlug: localities.norsjo,
      compensationType: 'fixed',
      amountSek: 5000,
      applyBy: null,
      publishedAt: daysAgo(3),
    }),
    firewood: await createTestAssignment(db, {
      organisationId: lyckseleOrg.id,
      title: 'Vedhuggning åt äldre grannar',
      description: 'Några äldre i byn behöver hjälp att hugga och stapla ved inför vintern.',
      categorySlug: 'skog-och-mark',
      localitySlug: localities.lycksele,
      ...TEN_KM_NORTH,
      compensationType: 'volunteer',
      amountSek: null,
      applyBy: isoDay(3),
      workTraining: true,
      publishedAt: daysAgo(2),
    }),
    fair: await createTestAssignment(db, {
      organisationId: lyckseleOrg.id,
      title: 'Hjälp på midsommarfesten',
      description: 'Vi behöver folk som bär bord, säljer lotter och städar efteråt på festplatsen.',
      categorySlug: 'evenemang',
      compensationType: 'by_agreement',
      amountSek: null,
      applyBy: isoDay(30),
      publishedAt: daysAgo(1),
    }),
  };

  const draft = await createTestAssignment(db, {
    organisationId: lyckseleOrg.id,
    title: 'Snöskottning i utkast',
    status: 'draft',
  });
  const expired = await createTestAssignment(db, {
    organisationId: lyckseleOrg.id,
    title: 'Snöskottning som gått ut',
    applyBy: isoDay(-1),
  });
  const hidden = await createTestAssignment(db, { organisationId: lyckseleOrg.id, title: 'Snöskottning som dolts' });
  await db('assignments').where('id', hidden).update({ hidden_at: new Date() });
  const suspended = await createTestAssignment(db, { organisationId: suspendedOrg.id, title: 'Snöskottning hos avstängd' });
  await db('organisations').where('id', suspendedOrg.id).update({ suspended_at: new Date() });

  return { ids, hiddenIds: [draft, expired, hidden, suspended], localities };
}

/** Facet counts straight from the database: what every engine must report for an unfiltered search. */
export async function facetCountsInDatabase(db: Db): Promise<Record<string, Record<string, number>>> {
  const countBy = async (column: string) => {
    const rows = (await openAssignments(db)
      .whereNotNull(column)
      .select({ value: column })
      .count({ count: '*' })
      .groupBy(column)) as Array<{ value: string | boolean; count: string }>;
    return Object.fromEntries(rows.map((row) => [String(row.value), Number(row.count)]));
  };
  return {
    category: await countBy('c.slug'),
    municipality: await countBy('a.municipality_code'),
    locality: await countBy('l.slug'),
    compensation: await countBy('a.compensation_type'),
    workTraining: await countBy('a.work_training'),
  };
}
