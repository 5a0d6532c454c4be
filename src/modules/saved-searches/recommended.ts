import type { DbOrTrx } from '../../platform/db.js';
import { authorize, type Actor } from '../access/index.js';
import { summaryCard, type AssignmentCard } from '../assignments/index.js';
import {
  selectHomeMunicipalityCode,
  selectRecommendedAssignments,
  selectResidentCategoryIds,
  selectResidentLocalities,
  selectResidentSkillIds,
} from './queries.js';

// "Rekommenderat för dig" on /konto: open assignments in the categories the
// resident named, or in those of their skills and certificates (the
// vocabulary's category), or asking for one of their skills, and in the places they can work (their villages,
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
  const [categoryIds, skillIds, localities, homeMunicipalityCode] = await Promise.all([
    selectResidentCategoryIds(db, userId),
    selectResidentSkillIds(db, userId),
    selectResidentLocalities(db, userId),
    selectHomeMunicipalityCode(db, userId),
  ]);
  const localityIds = localities.map((locality) => locality.id);
  const municipalityCodes = [
    ...new Set(
      [...localities.map((locality) => locality.municipalityCode), homeMunicipalityCode].filter((code): code is string =>
        Boolean(code),
      ),
    ),
  ];
  // Without skills nothing is personal enough to recommend: a home municipality alone is just "the newest near you".
  if (categoryIds.length === 0 && skillIds.length === 0) return { hasProfile: false, cards: [] };

  const rows = await selectRecommendedAssignments(db, {
    userId,
    categoryIds,
    skillIds,
    municipalityCodes,
    localityIds,
    excludedOrganisationIds: [...actor.memberships.keys()],
    limit: RECOMMENDED_MAX,
  });
  return { hasProfile: true, cards: rows.map(summaryCard) };
}
