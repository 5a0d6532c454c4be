import { createHash } from 'node:crypto';
import type { Settings } from 'meilisearch';
import { addDays, startOfStockholmDay } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import type { Meilisearch } from '../../platform/meilisearch.js';
import { openAssignments, type CompensationType } from '../assignments/index.js';
import { withoutMarkers } from './result.js';
import { SWEDISH_STOP_WORDS } from './swedish.js';
import { synonymMap } from './synonyms.js';

// The one adapter for assignments in Meilisearch: index name, settings,
// row → document and the batch loader. Only open assignments (published, not
// hidden, last day to apply not passed) are in the index, and no personal data.

export function assignmentIndexName(prefix: string): string {
  return `${prefix}assignments`;
}

export const ASSIGNMENT_INDEX_SETTINGS = {
  // Order = importance when ranking by attribute.
  searchableAttributes: [
    'title',
    'categoryNameSv',
    'categoryNameEn',
    'organisationName',
    'localityName',
    'municipalityName',
    'description',
    'requirements',
  ],
  filterableAttributes: [
    // Only to leave out the assignments answered from the database while their index job runs (fresh.ts).
    'id',
    'categorySlug',
    'municipalityCode',
    'localitySlug',
    'compensationType',
    'workTraining',
    'applyBy',
    'publishedAt',
    'amountSek',
    '_geo',
  ],
  sortableAttributes: ['publishedAt', 'applyBy', 'amountSek', '_geo'],
  // Deliberately no Swedish locale (measured in docs/search-relevance.md):
  // with `swe` Meilisearch keeps å, ä and ö apart from a, a and o in documents
  // and queries but folds them in the synonyms, so every synonym with å/ä/ö
  // silently never matches ("snöröjning" ↛ "snöskottning"), and a word typed
  // without the diacritic on its first letter ("almsta" for Älmsta) is not
  // found. The default normaliser folds both sides alike: all of these find,
  // highlights land on the original text, and no folded copies are needed.
  localizedAttributes: null,
  synonyms: synonymMap(),
  stopWords: [...SWEDISH_STOP_WORDS],
  // 290 municipalities must all be countable as facet values.
  faceting: { maxValuesPerFacet: 300 },
  // The app never searches within facet values (/facet-search), and keeping
  // that structure up to date made indexing one document into 100 000 take
  // about three times as long (docs/PERFORMANCE.md, publish → searchable).
  facetSearch: false,
  pagination: { maxTotalHits: 10_000 },
} satisfies Settings;

export interface AssignmentDocument {
  id: number;
  title: string;
  description: string;
  requirements: string;
  organisationName: string;
  categorySlug: string;
  categoryNameSv: string;
  categoryNameEn: string;
  municipalityCode: string;
  municipalityName: string;
  localitySlug: string | null;
  localityName: string | null;
  compensationType: CompensationType;
  amountSek: number | null;
  workTraining: boolean;
  /** Unix seconds. */
  publishedAt: number;
  /** Unix seconds at the end of the last day to apply in Sweden, or null. */
  applyBy: number | null;
  /** Unix seconds of the row's last change: search:check tells outdated documents by it. */
  updatedAt: number;
  _geo?: { lat: number; lng: number };
}

/** An open assignment's row as the index and the PostgreSQL engine read it. */
export interface IndexRow {
  id: number;
  title: string;
  description: string;
  requirements: string;
  organisation_name: string;
  category_slug: string;
  category_name_sv: string;
  category_name_en: string;
  municipality_code: string;
  municipality_name: string;
  locality_slug: string | null;
  locality_name: string | null;
  compensation_type: CompensationType;
  amount_sek: number | null;
  work_training: boolean;
  published_at: Date;
  updated_at: Date;
  apply_by: string | null;
  lat: number | null;
  lng: number | null;
}

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function toAssignmentDocument(row: IndexRow): AssignmentDocument {
  return {
    id: row.id,
    // Characters that would pass for highlight markers never reach the index (result.ts).
    title: withoutMarkers(row.title),
    description: withoutMarkers(row.description),
    requirements: row.requirements,
    organisationName: row.organisation_name,
    categorySlug: row.category_slug,
    categoryNameSv: row.category_name_sv,
    categoryNameEn: row.category_name_en,
    municipalityCode: row.municipality_code,
    municipalityName: row.municipality_name,
    localitySlug: row.locality_slug,
    localityName: row.locality_name,
    compensationType: row.compensation_type,
    amountSek: row.amount_sek,
    workTraining: row.work_training,
    publishedAt: unixSeconds(row.published_at),
    // The last second of the last day in Sweden, when applying closes (not of that day in UTC: an hour or two
    // after Swedish midnight the search would still list what can no longer be applied to).
    applyBy: row.apply_by ? unixSeconds(startOfStockholmDay(addDays(row.apply_by, 1))) - 1 : null,
    updatedAt: unixSeconds(row.updated_at),
    ...(row.lat !== null && row.lng !== null ? { _geo: { lat: row.lat, lng: row.lng } } : {}),
  };
}

function indexableQuery(db: DbOrTrx) {
  return openAssignments(db).select({
    id: 'a.id',
    title: 'a.title',
    description: 'a.description',
    requirements: 'a.requirements',
    organisation_name: 'o.name',
    category_slug: 'c.slug',
    category_name_sv: 'c.name_sv',
    category_name_en: 'c.name_en',
    municipality_code: 'm.code',
    municipality_name: 'm.short_name',
    locality_slug: 'l.slug',
    locality_name: 'l.name',
    compensation_type: 'a.compensation_type',
    amount_sek: 'a.amount_sek',
    work_training: 'a.work_training',
    published_at: 'a.published_at',
    updated_at: 'a.updated_at',
    apply_by: 'a.apply_by',
    // The exact point if given, else the locality's.
    lat: db.raw('COALESCE(a.lat, l.lat)'),
    lng: db.raw('COALESCE(a.lng, l.lng)'),
  });
}

/** The document for one assignment, or undefined when it should not be in the index. */
export async function loadAssignmentDocument(db: DbOrTrx, id: number): Promise<AssignmentDocument | undefined> {
  const row = await indexableQuery(db).where('a.id', id).first();
  return row ? toAssignmentDocument(row as IndexRow) : undefined;
}

/** The documents of those of `ids` that should be in the index. */
export async function loadAssignmentDocuments(db: DbOrTrx, ids: readonly number[]): Promise<AssignmentDocument[]> {
  if (ids.length === 0) return [];
  const rows = (await indexableQuery(db).whereIn('a.id', ids).orderBy('a.id')) as IndexRow[];
  return rows.map(toAssignmentDocument);
}

/** Every indexable assignment, in id order, `batchSize` at a time. */
export async function* loadAssignmentDocumentBatches(db: DbOrTrx, batchSize = 1000): AsyncGenerator<AssignmentDocument[]> {
  let afterId = 0;
  for (;;) {
    const rows = (await indexableQuery(db).where('a.id', '>', afterId).orderBy('a.id').limit(batchSize)) as IndexRow[];
    if (rows.length === 0) return;
    yield rows.map(toAssignmentDocument);
    afterId = rows[rows.length - 1]!.id;
  }
}

export async function countIndexableAssignments(db: DbOrTrx): Promise<number> {
  const [row] = await db.from(indexableQuery(db).as('x')).count<{ count: string }[]>({ count: '*' });
  return Number(row?.count ?? 0);
}

/** Creates the index `uid` if missing and applies the settings (a no-op task when unchanged). */
export async function ensureIndexWithSettings(client: Meilisearch, uid: string): Promise<void> {
  const created = await client.createIndex(uid, { primaryKey: 'id' }).waitTask({ timeout: 30_000 });
  if (created.status === 'failed' && created.error?.code !== 'index_already_exists') {
    throw new Error(`Could not create index ${uid}: ${created.error?.message}`);
  }
  const updated = await client.index(uid).updateSettings(ASSIGNMENT_INDEX_SETTINGS).waitTask({ timeout: 120_000 });
  if (updated.status === 'failed') throw new Error(`Could not apply settings to ${uid}: ${updated.error?.message}`);
}

/** The live assignment index with its settings. */
export async function ensureAssignmentIndex(client: Meilisearch, prefix: string): Promise<void> {
  await ensureIndexWithSettings(client, assignmentIndexName(prefix));
}

// Settings as Meilisearch returns them differ in form from what we send (sets
// come back sorted, objects gain defaults): compare what we set, by meaning.
const ORDERED_SETTINGS: ReadonlySet<string> = new Set(['searchableAttributes']);

function canonical(value: unknown, ordered = false): string {
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(item));
    return `[${(ordered ? items : items.sort()).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** True when the index's settings are the ones this code wants (extra defaults Meilisearch adds are ignored). */
export function settingsAreCurrent(actual: Settings): boolean {
  return settingsMatch(ASSIGNMENT_INDEX_SETTINGS, actual);
}

/** True when `actual` has every setting of `wanted` (compared by meaning; extra defaults are ignored). Any index. */
export function settingsMatch(wantedSettings: Settings, actual: Settings): boolean {
  return Object.entries(wantedSettings).every(([key, wanted]) => {
    const current = (actual as Record<string, unknown>)[key];
    if (wanted && typeof wanted === 'object' && !Array.isArray(wanted) && key !== 'synonyms') {
      // faceting, pagination: only the fields we set.
      return Object.entries(wanted).every(
        ([field, value]) => canonical((current as Record<string, unknown>)?.[field]) === canonical(value),
      );
    }
    return canonical(current, ORDERED_SETTINGS.has(key)) === canonical(wanted, ORDERED_SETTINGS.has(key));
  });
}

/** A short, stable fingerprint of a document's content, to compare the database's version with the index's. */
export function documentFingerprint(document: object): string {
  return createHash('sha1').update(canonical(document)).digest('base64');
}

/** id → updatedAt (Unix seconds) of every indexable assignment: the cheap comparison after a reindex. */
export async function loadIndexableVersions(db: DbOrTrx): Promise<Map<number, number>> {
  const rows = (await openAssignments(db).select({ id: 'a.id', updated_at: 'a.updated_at' })) as {
    id: number;
    updated_at: Date;
  }[];
  return new Map(rows.map((row) => [Number(row.id), unixSeconds(row.updated_at)]));
}
