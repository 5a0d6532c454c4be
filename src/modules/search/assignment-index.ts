import type { Settings } from 'meilisearch';
import type { DbOrTrx } from '../../platform/db.js';
import type { Meilisearch } from '../../platform/meilisearch.js';
import { openAssignments, type CompensationType } from '../assignments/index.js';

// The one adapter for assignments in Meilisearch: index name, settings,
// row → document and the batch loader. Only open assignments (published, not
// hidden, last day to apply not passed) are in the index, and no personal data.

export function assignmentIndexName(prefix: string): string {
  return `${prefix}assignments`;
}

export const ASSIGNMENT_INDEX_SETTINGS: Settings = {
  // Order = importance when ranking by attribute.
  searchableAttributes: [
    'title',
    'categoryNameSv',
    'categoryNameEn',
    'organisationName',
    'localityName',
    'municipalityName',
    'description',
  ],
  filterableAttributes: [
    'categorySlug',
    'municipalityCode',
    'localitySlug',
    'compensationType',
    'workTraining',
    'applyBy',
    'publishedAt',
    '_geo',
  ],
  sortableAttributes: ['publishedAt', 'applyBy', 'amountSek', '_geo'],
  localizedAttributes: [{ attributePatterns: ['*'], locales: ['swe'] }],
  // 290 municipalities must all be countable as facet values.
  faceting: { maxValuesPerFacet: 300 },
  pagination: { maxTotalHits: 10_000 },
};

export interface AssignmentDocument {
  id: number;
  title: string;
  description: string;
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
  /** Unix seconds at the end of the last day to apply, or null. */
  applyBy: number | null;
  _geo?: { lat: number; lng: number };
}

interface IndexRow {
  id: number;
  title: string;
  description: string;
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
  apply_by: string | null;
  lat: number | null;
  lng: number | null;
}

export function toAssignmentDocument(row: IndexRow): AssignmentDocument {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
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
    publishedAt: Math.floor(row.published_at.getTime() / 1000),
    applyBy: row.apply_by ? Math.floor(Date.parse(`${row.apply_by}T23:59:59Z`) / 1000) : null,
    ...(row.lat !== null && row.lng !== null ? { _geo: { lat: row.lat, lng: row.lng } } : {}),
  };
}

function indexableQuery(db: DbOrTrx) {
  return openAssignments(db).select({
    id: 'a.id',
    title: 'a.title',
    description: 'a.description',
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

/** Creates the index if missing and applies the settings (a no-op task when unchanged). */
export async function ensureAssignmentIndex(client: Meilisearch, prefix: string): Promise<void> {
  const uid = assignmentIndexName(prefix);
  const created = await client.createIndex(uid, { primaryKey: 'id' }).waitTask({ timeout: 30_000 });
  if (created.status === 'failed' && created.error?.code !== 'index_already_exists') {
    throw new Error(`Could not create index ${uid}: ${created.error?.message}`);
  }
  const updated = await client.index(uid).updateSettings(ASSIGNMENT_INDEX_SETTINGS).waitTask({ timeout: 60_000 });
  if (updated.status === 'failed') throw new Error(`Could not apply settings to ${uid}: ${updated.error?.message}`);
}
