import type { DbOrTrx } from '../../platform/db.js';
import type { SkillKind } from './vocabulary-queries.js';

// Demand against supply per municipality (issue 15, item 7): the skills assignments asked for against the skills
// residents offer, for the statistics (the stats module renders them through its suppression rules; these are raw
// counts and must never reach a page without them).
//
// Demand: the asked-for skills (assignment_skills) of assignments posted in the period in the municipality: posted
// as the statistics count it (a status reached only by publishing, published_at in [start, end), not hidden by
// moderation), optionally in one village or one category.
//
// Supply: residents whose home municipality is it or who name one of its villages (with a village: home in that
// village or naming it), counted once per skill, with the skill on their competence profile (a certificate only
// while it has not expired). Residents whose profile is hidden are NOT counted. The figures are aggregates with
// small-count suppression and would reveal nobody, but "hidden" is the resident's own answer to "who may use what
// I wrote about my skills?", and a municipality's planning is a use of it like any other; respecting the choice
// costs the statistics little (people who want to be found do not hide), counting them would make the setting
// mean less than it says.
//
// A skill merged into another counts as the one it became.

/** Statuses an assignment reaches only by being published (the statistics' "posted"; stats/queries.ts agrees). */
const POSTED_STATUSES = ['published', 'closed', 'assigned', 'completed', 'expired', 'cancelled'] as const;

export interface DemandSupplyFilter {
  municipalityCode: string;
  /** [start, end) of the period. */
  start: Date;
  end: Date;
  /** One village of the municipality, or null for all of it. */
  localityId?: number | null;
  /** Only skills of this assignment category (and demand from assignments in it), or null for every skill. */
  categoryId?: number | null;
}

export interface DemandSupplyRow {
  skillId: number;
  slug: string;
  kind: SkillKind;
  nameSv: string;
  nameEn: string;
  /** A curated vocabulary word; false for a free tag (a word someone typed, which may describe one person). */
  curated: boolean;
  /** Assignments posted in the period asking for the skill. */
  asked: number;
  /** Residents (non-hidden profiles) offering it. */
  offered: number;
}

/**
 * Every skill asked for or offered in the municipality (and period, for demand), with both counts; the most asked
 * for first. Free tags only when an assignment asked for them (its words are public) or at least
 * `minResidentsForFreeTags` residents offer them: a free tag of fewer residents could name or describe a person,
 * so even its existence is left out.
 */
export async function selectDemandAndSupply(
  db: DbOrTrx,
  filter: DemandSupplyFilter,
  minResidentsForFreeTags: number,
): Promise<DemandSupplyRow[]> {
  const { rows } = (await db.raw(
    `WITH asked AS (
      SELECT coalesce(s.merged_into_id, s.id) AS skill_id, count(DISTINCT a.id)::int AS n
      FROM assignment_skills ak
      JOIN assignments a ON a.id = ak.assignment_id
      JOIN skills s ON s.id = ak.skill_id
      WHERE a.municipality_code = :municipalityCode
        AND a.status IN (${POSTED_STATUSES.map((status) => `'${status}'`).join(', ')}) AND a.hidden_at IS NULL
        AND a.published_at >= :start AND a.published_at < :end
        AND (CAST(:localityId AS integer) IS NULL OR a.locality_id = :localityId)
        AND (CAST(:categoryId AS integer) IS NULL OR a.category_id = :categoryId)
      GROUP BY 1
    ), residents AS (
      SELECT u.id FROM users u
      WHERE CASE WHEN CAST(:localityId AS integer) IS NULL THEN u.home_municipality_code = :municipalityCode
        ELSE u.home_locality_id = :localityId END
      UNION
      SELECT rl.user_id FROM resident_localities rl JOIN localities l ON l.id = rl.locality_id
      WHERE CASE WHEN CAST(:localityId AS integer) IS NULL THEN l.municipality_code = :municipalityCode
        ELSE l.id = :localityId END
    ), offered AS (
      SELECT coalesce(s.merged_into_id, s.id) AS skill_id, count(DISTINCT rs.user_id)::int AS n
      FROM residents r
      JOIN resident_profiles p ON p.user_id = r.id AND p.visibility <> 'hidden'
      JOIN resident_skills rs ON rs.user_id = r.id
      JOIN skills s ON s.id = rs.skill_id
      WHERE rs.expires_on IS NULL OR rs.expires_on >= CURRENT_DATE
      GROUP BY 1
    )
    SELECT s.id AS "skillId", s.slug, s.kind, s.name_sv AS "nameSv", s.name_en AS "nameEn", s.curated,
      coalesce(asked.n, 0) AS asked, coalesce(offered.n, 0) AS offered
    FROM skills s
    LEFT JOIN asked ON asked.skill_id = s.id
    LEFT JOIN offered ON offered.skill_id = s.id
    WHERE (asked.n > 0 OR offered.n > 0)
      AND (s.curated OR asked.n > 0 OR offered.n >= :minResidents)
      AND (CAST(:categoryId AS integer) IS NULL OR s.category_id = :categoryId OR asked.n > 0)
    ORDER BY asked DESC, offered DESC, s.name_sv COLLATE "sv-SE-x-icu", s.id`,
    {
      municipalityCode: filter.municipalityCode,
      start: filter.start,
      end: filter.end,
      localityId: filter.localityId ?? null,
      categoryId: filter.categoryId ?? null,
      minResidents: minResidentsForFreeTags,
    },
  )) as { rows: DemandSupplyRow[] };
  return rows;
}

/** The gaps: skills asked for more often than residents offer them (raw counts: suppress before showing). */
export function demandGaps(rows: readonly DemandSupplyRow[]): DemandSupplyRow[] {
  return rows.filter((row) => row.asked > row.offered);
}
