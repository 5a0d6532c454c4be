import type { DbOrTrx } from '../../platform/db.js';
import { openAssignments, SUMMARY_COLUMNS, type AssignmentSummary } from '../assignments/index.js';

export const FREQUENCIES = ['instant', 'daily', 'off'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export interface SavedSearchRow {
  id: number;
  user_id: number;
  name: string;
  query: string;
  frequency: Frequency;
  created_at: Date;
  updated_at: Date;
  checked_until: Date;
  last_mailed_at: Date | null;
}

export function selectOwnSavedSearches(db: DbOrTrx, userId: number): Promise<SavedSearchRow[]> {
  return db('saved_searches').where('user_id', userId).orderBy('id').select('*') as Promise<SavedSearchRow[]>;
}

export async function selectOwnSavedSearch(db: DbOrTrx, userId: number, id: number): Promise<SavedSearchRow | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  return (await db('saved_searches').where({ id, user_id: userId }).first()) as SavedSearchRow | undefined;
}

export async function insertSavedSearch(
  db: DbOrTrx,
  row: Pick<SavedSearchRow, 'user_id' | 'name' | 'query' | 'frequency'>,
): Promise<number> {
  const [inserted] = await db('saved_searches').insert(row).returning<{ id: number }[]>('id');
  return inserted!.id;
}

export async function countSavedSearches(db: DbOrTrx, userId: number): Promise<number> {
  const [count] = await db('saved_searches').where('user_id', userId).count<{ count: string }[]>({ count: '*' });
  return Number(count?.count ?? 0);
}

/** Locks the person's user row until the transaction ends. */
export async function lockUser(db: DbOrTrx, userId: number): Promise<void> {
  await db('users').where('id', userId).forUpdate().first('id');
}

export async function updateOwnSavedSearch(
  db: DbOrTrx,
  userId: number,
  id: number,
  values: { name: string; frequency: Frequency },
): Promise<void> {
  await db('saved_searches')
    .where({ id, user_id: userId })
    .update({ name: values.name, frequency: values.frequency, updated_at: db.fn.now() });
}

/** Returns how many were deleted (0 or 1). */
export async function deleteOwnSavedSearch(db: DbOrTrx, userId: number, id: number): Promise<number> {
  return db('saved_searches').where({ id, user_id: userId }).delete();
}

export async function selectSavedSearch(
  db: DbOrTrx,
  id: number,
): Promise<{ id: number; name: string; frequency: Frequency } | undefined> {
  return db('saved_searches').where('id', id).first('id', 'name', 'frequency');
}

export async function updateFrequency(db: DbOrTrx, id: number, frequency: Frequency): Promise<void> {
  await db('saved_searches').where('id', id).update({ frequency, updated_at: db.fn.now() });
}

// ---------------------------------------------------------------------------
// Recommendations

/** The categories the resident named, and those of their skills and certificates (the vocabulary gives each one). */
export async function selectResidentCategoryIds(db: DbOrTrx, userId: number): Promise<number[]> {
  const { rows } = await db.raw<{ rows: Array<{ id: number }> }>(
    `SELECT category_id AS id FROM resident_categories WHERE user_id = :userId
     UNION
     SELECT s.category_id FROM resident_skills rs JOIN skills s ON s.id = rs.skill_id
     WHERE rs.user_id = :userId AND s.category_id IS NOT NULL`,
    { userId },
  );
  return rows.map((row) => row.id);
}

/** The resident's skills, certificates and languages (an assignment that asks for one of them is recommended). */
export async function selectResidentSkillIds(db: DbOrTrx, userId: number): Promise<number[]> {
  return db('resident_skills').where('user_id', userId).pluck('skill_id');
}

export async function selectResidentLocalities(
  db: DbOrTrx,
  userId: number,
): Promise<Array<{ id: number; municipalityCode: string }>> {
  return db('resident_localities as rl')
    .join('localities as l', 'l.id', 'rl.locality_id')
    .where('rl.user_id', userId)
    .select({ id: 'l.id', municipalityCode: 'l.municipality_code' });
}

export async function selectHomeMunicipalityCode(db: DbOrTrx, userId: number): Promise<string | null> {
  const user = (await db('users').where('id', userId).first('home_municipality_code')) as
    { home_municipality_code: string | null } | undefined;
  return user?.home_municipality_code ?? null;
}

/**
 * Open assignments in the categories or asking for one of the skills, and (when any municipality is given) in
 * the municipalities or the villages; not of the excluded organisations, not
 * applied to by the person; in the villages first, then the newest.
 */
export async function selectRecommendedAssignments(
  db: DbOrTrx,
  options: {
    userId: number;
    categoryIds: readonly number[];
    /** An assignment that asks for one of these skills is recommended in any category. */
    skillIds: readonly number[];
    municipalityCodes: readonly string[];
    localityIds: readonly number[];
    excludedOrganisationIds: readonly number[];
    limit: number;
  },
): Promise<AssignmentSummary[]> {
  const query = openAssignments(db).where((q) => {
    q.whereIn('a.category_id', options.categoryIds);
    if (options.skillIds.length > 0)
      q.orWhereExists((asked) =>
        asked
          .select(db.raw('1'))
          .from('assignment_skills as ask')
          .whereRaw('ask.assignment_id = a.id')
          .whereIn('ask.skill_id', options.skillIds),
      );
  });
  if (options.municipalityCodes.length > 0)
    query.where((q) =>
      q.whereIn('a.municipality_code', options.municipalityCodes).orWhereIn('a.locality_id', options.localityIds),
    );
  if (options.excludedOrganisationIds.length > 0) query.whereNotIn('a.organisation_id', options.excludedOrganisationIds);
  query.whereNotExists((q) =>
    q.select(db.raw('1')).from('applications as ap').whereRaw('ap.assignment_id = a.id').where('ap.applicant_id', options.userId),
  );
  if (options.localityIds.length > 0)
    query.orderByRaw('(a.locality_id = ANY(?::int[])) IS TRUE DESC', [options.localityIds as number[]]);
  return (await query
    .orderBy([
      { column: 'a.published_at', order: 'desc' },
      { column: 'a.id', order: 'desc' },
    ])
    .limit(options.limit)
    .select(SUMMARY_COLUMNS)) as AssignmentSummary[];
}

// ---------------------------------------------------------------------------
// Alerts

/** The owners of saved searches of `frequency` whose address is confirmed (nobody else gets alert mail), by id. */
export async function selectAlertRecipientIds(db: DbOrTrx, frequency: Frequency): Promise<number[]> {
  return db('saved_searches as s')
    .join('users as u', 'u.id', 's.user_id')
    .whereNotNull('u.email_verified_at')
    .where('s.frequency', frequency)
    .distinct('s.user_id')
    .orderBy('s.user_id')
    .pluck('s.user_id');
}

/** Where the person's mail goes; undefined for an address not confirmed. */
export async function selectMailRecipient(
  db: DbOrTrx,
  userId: number,
): Promise<{ email: string; name: string | null } | undefined> {
  return db('users').where('id', userId).whereNotNull('email_verified_at').first('email', 'name');
}

/** The person's saved searches of `frequency`, locked until the transaction ends. */
export async function selectSavedSearchesForUpdate(db: DbOrTrx, userId: number, frequency: Frequency): Promise<SavedSearchRow[]> {
  return db('saved_searches').where({ user_id: userId, frequency }).orderBy('id').forUpdate().select('*');
}

/** When the assignment was published, while it is open; undefined otherwise. */
export async function selectOpenPublishedAt(db: DbOrTrx, assignmentId: number): Promise<Date | undefined> {
  const row = (await openAssignments(db).where('a.id', assignmentId).first({ publishedAt: 'a.published_at' })) as
    { publishedAt: Date } | undefined;
  return row?.publishedAt;
}

export interface NewMatchRow {
  id: number;
  title: string;
  municipalityName: string;
  localityName: string | null;
}

/**
 * Of the candidates, those still open, published after the saved search was
 * made and not yet delivered for it; newest first.
 */
export async function selectUndelivered(
  db: DbOrTrx,
  savedSearch: { id: number; createdAt: Date },
  candidateIds: readonly number[],
): Promise<NewMatchRow[]> {
  return (await openAssignments(db)
    .whereIn('a.id', candidateIds)
    .where('a.published_at', '>', savedSearch.createdAt)
    .whereNotExists((q) =>
      q
        .select(db.raw('1'))
        .from('saved_search_deliveries as d')
        .where('d.saved_search_id', savedSearch.id)
        .whereRaw('d.assignment_id = a.id'),
    )
    .orderBy([
      { column: 'a.published_at', order: 'desc' },
      { column: 'a.id', order: 'desc' },
    ])
    .select({ id: 'a.id', title: 'a.title', municipalityName: 'm.short_name', localityName: 'l.name' })) as NewMatchRow[];
}

/** The saved search counts as checked up to the transaction's start. */
export async function updateCheckedUntil(db: DbOrTrx, savedSearchId: number): Promise<void> {
  await db('saved_searches').where('id', savedSearchId).update({ checked_until: db.fn.now() });
}

export async function insertDeliveries(db: DbOrTrx, savedSearchId: number, assignmentIds: readonly number[]): Promise<void> {
  await db('saved_search_deliveries').insert(assignmentIds.map((id) => ({ saved_search_id: savedSearchId, assignment_id: id })));
}

/** The saved search's deliveries not yet in a mail go with this one; the saved search was mailed now. */
export async function markDeliveriesMailed(db: DbOrTrx, savedSearchId: number, mailId: number): Promise<void> {
  await db('saved_search_deliveries').where('saved_search_id', savedSearchId).whereNull('mail_id').update({ mail_id: mailId });
  await db('saved_searches').where('id', savedSearchId).update({ last_mailed_at: db.fn.now() });
}
