import type { DbOrTrx } from '../../platform/db.js';
import { authorize, type Actor } from '../access/index.js';
import {
  openAssignments,
  summaryCard,
  SUMMARY_COLUMNS,
  type AssignmentCard,
  type AssignmentSummary,
} from '../assignments/index.js';

// "Rekommenderat för dig" on /konto: open assignments in the categories the
// resident named as skills and in the places they can work (their villages,
// the municipalities of those villages, their home municipality), the ones in
// their own villages first, then the newest. A query on openAssignments (the
// one definition of "open"), not the search engine: this is "category in A and
// (village in B or municipality in C)", which the search parameters cannot say
// (they AND village and municipality), and it needs no words to rank by.
// Assignments they already applied to, and their own organisations', are left out.

export const RECOMMENDED_MAX = 6;

export interface Recommendations {
  /** False when the profile names neither skills nor places (nor a home municipality): show the hint. */
  hasProfile: boolean;
  cards: AssignmentCard[];
}

export async function recommendedAssignments(db: DbOrTrx, actor: Actor): Promise<Recommendations> {
  authorize(actor, 'account.view');
  const userId = actor.userId!;
  const [categoryIds, localities, user] = await Promise.all([
    db('resident_categories').where('user_id', userId).pluck('category_id') as Promise<number[]>,
    db('resident_localities as rl')
      .join('localities as l', 'l.id', 'rl.locality_id')
      .where('rl.user_id', userId)
      .select({ id: 'l.id', municipalityCode: 'l.municipality_code' }) as Promise<
      Array<{ id: number; municipalityCode: string }>
    >,
    db('users').where('id', userId).first('home_municipality_code') as Promise<
      { home_municipality_code: string | null } | undefined
    >,
  ]);
  const localityIds = localities.map((locality) => locality.id);
  const municipalityCodes = [
    ...new Set(
      [...localities.map((locality) => locality.municipalityCode), user?.home_municipality_code].filter((code): code is string =>
        Boolean(code),
      ),
    ),
  ];
  // Without skills nothing is personal enough to recommend: a home municipality alone is just "the newest near you".
  if (categoryIds.length === 0) return { hasProfile: false, cards: [] };

  const query = openAssignments(db).whereIn('a.category_id', categoryIds);
  if (municipalityCodes.length > 0)
    query.where((q) => q.whereIn('a.municipality_code', municipalityCodes).orWhereIn('a.locality_id', localityIds));
  const ownOrganisations = [...actor.memberships.keys()];
  if (ownOrganisations.length > 0) query.whereNotIn('a.organisation_id', ownOrganisations);
  query.whereNotExists((q) =>
    q.select(db.raw('1')).from('applications as ap').whereRaw('ap.assignment_id = a.id').where('ap.applicant_id', userId),
  );
  // Their own villages first.
  if (localityIds.length > 0) query.orderByRaw('(a.locality_id = ANY(?::int[])) IS TRUE DESC', [localityIds]);
  const rows = (await query
    .orderBy([
      { column: 'a.published_at', order: 'desc' },
      { column: 'a.id', order: 'desc' },
    ])
    .limit(RECOMMENDED_MAX)
    .select(SUMMARY_COLUMNS)) as AssignmentSummary[];
  return { hasProfile: true, cards: rows.map(summaryCard) };
}
