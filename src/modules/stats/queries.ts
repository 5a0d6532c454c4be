import { STOCKHOLM_TIME_ZONE, type CalendarDate } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';

// The statistics' SQL: every figure is aggregated in PostgreSQL (GROUPING SETS give the period's totals and its
// breakdowns in one pass), so a dashboard costs a handful of round trips whatever the municipality's size, and the
// county and national comparison is one grouped query over all municipalities, not one per municipality.
// Rows come back raw; the service passes every figure through suppression.ts before anything is shown.

/**
 * Assignments that were posted: every status an assignment reaches only by being published (a cancelled one
 * counts when it had been published, which its published_at in the period says). Drafts and those waiting for
 * review never have a published_at in a period; moderated (hidden) assignments are left out in the WHERE.
 * statistics_acceptances (migration 202612062000) holds the accepted applications of exactly these assignments:
 * a change here must change its triggers too.
 */
export const POSTED_STATUSES = ['published', 'closed', 'assigned', 'completed', 'expired', 'cancelled'] as const;

const POSTED = `a.status IN (${POSTED_STATUSES.map((status) => `'${status}'`).join(', ')}) AND a.hidden_at IS NULL`;

/**
 * Workers paid: distinct accounts, and the salaries of deleted accounts (worker NULL) together as ONE worker.
 * The basis of a suppressed figure must never claim more persons than there were: one person whose account is
 * gone may stand behind several salaries, so counting each such salary as a person could show an amount paid to
 * one person. The figure may thus count a few persons too few, never too many.
 */
const WORKERS = 'count(DISTINCT s.worker_user_id) + CASE WHEN bool_or(s.worker_user_id IS NULL) THEN 1 ELSE 0 END';

/**
 * Gross salary per worker and `groups` (a FROM … JOIN clause, then the caller's WHERE and GROUP BY ending in
 * s.worker_user_id): counting these rows gives WORKERS without count(DISTINCT), whose sort is what the grouping
 * over every municipality spent its time on. GROUP BY puts the deleted accounts' salaries (worker NULL) in one
 * group, so they count as one worker, as in WORKERS.
 */
const PAID_BY_WORKER = (groups: string) => `SELECT ${groups}, sum(s.gross_ore) AS gross_ore
      FROM salaries s
      JOIN invoices i ON i.id = s.invoice_id
      JOIN billing_bases b ON b.id = i.basis_id
      JOIN assignments a ON a.id = b.assignment_id`;

/**
 * Fractional days, as percentile_cont needs them; NULL without the event (GREATEST alone would turn NULL into 0),
 * and 0 for one before publishing (an assignment published again).
 */
const daysSincePublished = (column: string) =>
  `CASE WHEN ${column} IS NOT NULL THEN greatest(0, extract(epoch FROM ${column} - a.published_at)::float8 / 86400) END`;

const STOCKHOLM_MONTH = `to_char(a.published_at AT TIME ZONE '${STOCKHOLM_TIME_ZONE}', 'YYYY-MM')`;

export interface ScopeFilter {
  municipalityCode: string;
  categoryId: number | null;
  localityId: number | null;
}

/** [start, end) of the period and of the previous one: previousStart < currentStart < end. */
export interface Instants {
  previousStart: Date;
  currentStart: Date;
  end: Date;
}

const FILTERS = `a.municipality_code = :municipalityCode
  AND (CAST(:categoryId AS integer) IS NULL OR a.category_id = :categoryId)
  AND (CAST(:localityId AS integer) IS NULL OR a.locality_id = :localityId)`;

const filterBindings = (filter: ScopeFilter) => ({
  municipalityCode: filter.municipalityCode,
  categoryId: filter.categoryId,
  localityId: filter.localityId,
});

export interface MunicipalityRow {
  code: string;
  name: string;
  countyCode: string;
  countyName: string;
}

export async function selectMunicipality(db: DbOrTrx, code: string): Promise<MunicipalityRow | undefined> {
  return db('municipalities as m')
    .join('counties as c', 'c.code', 'm.county_code')
    .where('m.code', code)
    .first({ code: 'm.code', name: 'm.name', countyCode: 'm.county_code', countyName: 'c.name' });
}

export async function selectMunicipalityChoices(
  db: DbOrTrx,
  codes: string[] | 'all',
): Promise<Array<{ code: string; name: string }>> {
  const query = db('municipalities').select('code', 'name').orderBy('short_name');
  return codes === 'all' ? query : query.whereIn('code', codes);
}

export interface CategoryRow {
  id: number;
  slug: string;
  name: string;
}

export async function selectCategoryRows(db: DbOrTrx): Promise<CategoryRow[]> {
  return db('categories')
    .select({ id: 'id', slug: 'slug', name: 'name_sv' })
    .orderBy([{ column: 'sort_order' }, { column: 'id' }]);
}

export interface VillageRowData {
  id: number;
  name: string;
  lat: number;
  lng: number;
}

export async function selectVillages(db: DbOrTrx, municipalityCode: string): Promise<VillageRowData[]> {
  return db('localities').where({ municipality_code: municipalityCode }).select('id', 'name', 'lat', 'lng').orderBy('name');
}

/** Assignment figures of one group: the period's total, a category and month, or a village. */
export interface AssignmentAggregate {
  isCurrent: boolean;
  /** 'total' | 'categoryMonth' | 'village' */
  group: 'total' | 'categoryMonth' | 'village';
  categoryId: number | null;
  month: string | null;
  localityId: number | null;
  posted: number;
  places: number;
  filled: number;
  /** Distinct persons accepted (the basis of placesFilled). */
  filledPersons: number;
  withApplication: number;
  medianDaysToApplication: number | null;
  withAcceptance: number;
  medianDaysToAcceptance: number | null;
  unanswered: number;
  workTrainingPosted: number;
  workTrainingMatched: number;
}

/**
 * The municipality's assignment figures for the period and the previous one, in one statement: one line per
 * assignment and accepted applicant (so persons are counted distinct), the assignment's own figures on its first
 * line only. `unansweredBefore`: assignments published before it have had their 14 days.
 */
export async function selectAssignmentAggregates(
  db: DbOrTrx,
  filter: ScopeFilter,
  instants: Instants,
  unansweredBefore: Date,
): Promise<AssignmentAggregate[]> {
  const { rows } = (await db.raw(
    `WITH posted AS (
      SELECT a.id, a.category_id, a.locality_id, a.people_needed, a.work_training,
        a.published_at >= :currentStart AS is_current,
        ${STOCKHOLM_MONTH} AS month,
        ${daysSincePublished('first_application.at')} AS days_to_application,
        ${daysSincePublished('acceptance.first_at')} AS days_to_acceptance,
        acceptance.n > 0 AS matched,
        a.published_at < :unansweredBefore
          AND (first_application.at IS NULL OR first_application.at >= a.published_at + interval '14 days') AS unanswered
      FROM assignments a
      LEFT JOIN LATERAL (SELECT min(x.created_at) AS at FROM applications x WHERE x.assignment_id = a.id) first_application ON true
      LEFT JOIN LATERAL (
        SELECT min(x.decided_at) AS first_at, count(*) AS n FROM applications x WHERE x.assignment_id = a.id AND x.status = 'accepted'
      ) acceptance ON true
      WHERE ${POSTED} AND ${FILTERS}
        AND a.published_at >= :previousStart AND a.published_at < :end
    ), lines AS (
      SELECT p.*, accepted.applicant_id, coalesce(accepted.n = 1, true) AS first_line
      FROM posted p
      LEFT JOIN LATERAL (
        SELECT x.applicant_id, row_number() OVER () AS n FROM applications x WHERE x.assignment_id = p.id AND x.status = 'accepted'
      ) accepted ON true
    )
    SELECT is_current AS "isCurrent",
      CASE GROUPING(category_id, month, locality_id) WHEN 7 THEN 'total' WHEN 1 THEN 'categoryMonth' ELSE 'village' END AS "group",
      category_id AS "categoryId", month, locality_id AS "localityId",
      count(*) FILTER (WHERE first_line) AS posted,
      coalesce(sum(people_needed) FILTER (WHERE first_line), 0)::integer AS places,
      count(applicant_id) AS filled,
      count(DISTINCT applicant_id) AS "filledPersons",
      count(days_to_application) FILTER (WHERE first_line) AS "withApplication",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_application) FILTER (WHERE first_line) AS "medianDaysToApplication",
      count(days_to_acceptance) FILTER (WHERE first_line) AS "withAcceptance",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_acceptance) FILTER (WHERE first_line) AS "medianDaysToAcceptance",
      count(*) FILTER (WHERE first_line AND unanswered) AS unanswered,
      count(*) FILTER (WHERE first_line AND work_training) AS "workTrainingPosted",
      count(*) FILTER (WHERE first_line AND work_training AND matched) AS "workTrainingMatched"
    FROM lines
    GROUP BY GROUPING SETS ((is_current), (is_current, category_id, month), (is_current, locality_id))`,
    { ...filterBindings(filter), ...instants, unansweredBefore },
  )) as { rows: AssignmentAggregate[] };
  return rows;
}

export interface UnansweredRow {
  id: number;
  title: string;
  organisationName: string;
  publishedOn: CalendarDate;
  village: string | null;
}

/** The period's assignments nobody applied to within 14 days of publishing, the oldest first, at most `limit`. */
export async function selectUnanswered(
  db: DbOrTrx,
  filter: ScopeFilter,
  range: { start: Date; end: Date },
  unansweredBefore: Date,
  limit: number,
): Promise<UnansweredRow[]> {
  const { rows } = (await db.raw(
    `SELECT a.id, a.title, o.name AS "organisationName",
      to_char(a.published_at AT TIME ZONE '${STOCKHOLM_TIME_ZONE}', 'YYYY-MM-DD') AS "publishedOn", l.name AS village
    FROM assignments a
    JOIN organisations o ON o.id = a.organisation_id
    LEFT JOIN localities l ON l.id = a.locality_id
    WHERE ${POSTED} AND ${FILTERS}
      AND a.published_at >= :start AND a.published_at < :end AND a.published_at < :unansweredBefore
      AND NOT EXISTS (
        SELECT 1 FROM applications x WHERE x.assignment_id = a.id AND x.created_at < a.published_at + interval '14 days'
      )
    ORDER BY a.published_at, a.id
    LIMIT :limit`,
    { ...filterBindings(filter), ...range, unansweredBefore, limit },
  )) as { rows: UnansweredRow[] };
  return rows;
}

export interface IncomeAggregate {
  isCurrent: boolean;
  group: 'total' | 'category' | 'village';
  categoryId: number | null;
  localityId: number | null;
  grossOre: number;
  hoursHundredths: number;
  workers: number;
}

/**
 * Salaries paid out (payout date) in the period and the previous one through the assignments of the municipality
 * (salary → invoice → billing basis → assignment), with the hours of the basis behind each. Paid work counts even
 * when its assignment was published earlier or moderated since: the income reached the village all the same.
 */
export async function selectIncomeAggregates(
  db: DbOrTrx,
  filter: ScopeFilter,
  days: { previousFrom: CalendarDate; from: CalendarDate; to: CalendarDate },
): Promise<IncomeAggregate[]> {
  const { rows } = (await db.raw(
    `WITH paid AS (
      SELECT s.payout_date >= :from AS is_current, s.worker_user_id, s.gross_ore, a.category_id, a.locality_id, hours.hundredths
      FROM salaries s
      JOIN invoices i ON i.id = s.invoice_id
      JOIN billing_bases b ON b.id = i.basis_id
      JOIN assignments a ON a.id = b.assignment_id
      LEFT JOIN LATERAL (
        SELECT sum(line.quantity_hundredths) AS hundredths FROM billing_basis_lines line WHERE line.basis_id = b.id
      ) hours ON true
      WHERE s.payout_date BETWEEN :previousFrom AND :to AND ${FILTERS}
    )
    SELECT is_current AS "isCurrent",
      CASE GROUPING(category_id, locality_id) WHEN 3 THEN 'total' WHEN 1 THEN 'category' ELSE 'village' END AS "group",
      category_id AS "categoryId", locality_id AS "localityId",
      sum(gross_ore)::bigint AS "grossOre",
      coalesce(sum(hundredths), 0)::bigint AS "hoursHundredths",
      ${WORKERS} AS workers
    FROM paid s
    GROUP BY GROUPING SETS ((is_current), (is_current, category_id), (is_current, locality_id))`,
    { ...filterBindings(filter), ...days },
  )) as { rows: IncomeAggregate[] };
  return rows;
}

/**
 * Residents of the municipality: home there, or naming a village in it; with a village filter, home in that
 * village or naming it; with a category filter, only those offering it. Every resident counts, whatever their
 * profile's visibility: the figures are counts of at least 5 persons (suppression), which reveal nobody, and
 * leaving out hidden profiles would understate what the municipality has to offer.
 */
const RESIDENTS = `residents AS (
  SELECT u.id FROM users u
  WHERE CASE WHEN CAST(:localityId AS integer) IS NULL THEN u.home_municipality_code = :municipalityCode
    ELSE u.home_locality_id = :localityId END
  UNION
  SELECT rl.user_id FROM resident_localities rl JOIN localities l ON l.id = rl.locality_id
  WHERE CASE WHEN CAST(:localityId AS integer) IS NULL THEN l.municipality_code = :municipalityCode
    ELSE l.id = :localityId END
), offering AS (
  SELECT r.id FROM residents r
  WHERE CAST(:categoryId AS integer) IS NULL
    OR EXISTS (SELECT 1 FROM resident_categories rc WHERE rc.user_id = r.id AND rc.category_id = :categoryId)
)`;

/** Residents offering each category (category id → residents). */
export async function selectOfferedCategories(
  db: DbOrTrx,
  filter: ScopeFilter,
): Promise<Array<{ categoryId: number; residents: number }>> {
  const { rows } = (await db.raw(
    `WITH ${RESIDENTS}
    SELECT rc.category_id AS "categoryId", count(*) AS residents
    FROM resident_categories rc JOIN offering o ON o.id = rc.user_id
    WHERE CAST(:categoryId AS integer) IS NULL OR rc.category_id = :categoryId
    GROUP BY rc.category_id`,
    filterBindings(filter),
  )) as { rows: Array<{ categoryId: number; residents: number }> };
  return rows;
}

export interface MunicipalityFigures {
  code: string;
  name: string;
  countyCode: string;
  posted: number;
  places: number;
  filled: number;
  grossOre: number;
  workers: number;
}

/**
 * Every municipality's posted assignments, places, accepted applications and paid gross salary for a period
 * (optionally one category), zeros included: the county comparison and the national median in one statement.
 * The accepted ones from statistics_acceptances (the accepted applications of posted assignments, see its
 * migration): no join of every acceptance in the period with its assignment.
 */
export async function selectMunicipalityFigures(
  db: DbOrTrx,
  categoryId: number | null,
  period: { start: Date; end: Date; from: CalendarDate; to: CalendarDate },
): Promise<MunicipalityFigures[]> {
  const { rows } = (await db.raw(
    `WITH posted AS (
      SELECT a.id, a.municipality_code, a.people_needed FROM assignments a
      WHERE ${POSTED} AND a.published_at >= :start AND a.published_at < :end
        AND (CAST(:categoryId AS integer) IS NULL OR a.category_id = :categoryId)
    ), assignment_figures AS (
      SELECT municipality_code, count(*) AS posted, sum(people_needed) AS places FROM posted GROUP BY municipality_code
    ), accepted AS (
      SELECT s.municipality_code, count(*) AS filled FROM statistics_acceptances s
      WHERE s.published_at >= :start AND s.published_at < :end
        AND (CAST(:categoryId AS integer) IS NULL OR s.category_id = :categoryId)
      GROUP BY s.municipality_code
    ), paid AS (
      ${PAID_BY_WORKER('a.municipality_code')}
      WHERE s.payout_date BETWEEN :from AND :to AND (CAST(:categoryId AS integer) IS NULL OR a.category_id = :categoryId)
      GROUP BY a.municipality_code, s.worker_user_id
    )
    SELECT m.code, m.name, m.county_code AS "countyCode",
      coalesce(f.posted, 0)::integer AS posted, coalesce(f.places, 0)::integer AS places,
      coalesce(acc.filled, 0)::integer AS filled,
      coalesce(paid.gross_ore, 0)::bigint AS "grossOre", coalesce(paid.workers, 0)::integer AS workers
    FROM municipalities m
    LEFT JOIN assignment_figures f ON f.municipality_code = m.code
    LEFT JOIN accepted acc ON acc.municipality_code = m.code
    LEFT JOIN (
      SELECT municipality_code, sum(gross_ore) AS gross_ore, count(*) AS workers FROM paid GROUP BY municipality_code
    ) paid ON paid.municipality_code = m.code
    ORDER BY m.name`,
    { categoryId, ...period },
  )) as { rows: MunicipalityFigures[] };
  return rows;
}

export interface OpenDataAggregate {
  municipalityCode: string;
  categoryId: number;
  posted: number;
  places: number;
  filled: number;
  filledPersons: number;
  workTrainingPosted: number;
  grossOre: number;
  workers: number;
}

/**
 * Per municipality and category with anything posted or paid in the period; all municipalities or a county's or one;
 * in no particular order. Three statements side by side (posted, accepted, paid), merged here: over every
 * municipality and a long period each reads tens of thousands of index entries, and on separate connections they
 * use the machine's cores at once. The accepted ones come from statistics_acceptances (see its migration), whose
 * index is sorted as the grouping needs it, so counting distinct persons takes one pass and no join.
 */
export async function selectOpenDataAggregates(
  db: DbOrTrx,
  scope: { municipalityCode: string | null; countyCode: string | null },
  period: { start: Date; end: Date; from: CalendarDate; to: CalendarDate },
): Promise<OpenDataAggregate[]> {
  const inScope = (alias: string) => `(CAST(:municipalityCode AS text) IS NULL OR ${alias}.municipality_code = :municipalityCode)
    AND (CAST(:countyCode AS text) IS NULL
      OR ${alias}.municipality_code IN (SELECT code FROM municipalities WHERE county_code = :countyCode))`;
  const bindings = { ...scope, ...period };
  type Key = { municipalityCode: string; categoryId: number };
  const [postedRows, acceptedRows, paidRows] = await Promise.all([
    db.raw(
      `SELECT a.municipality_code AS "municipalityCode", a.category_id AS "categoryId", count(*)::integer AS posted,
        sum(a.people_needed)::integer AS places, (count(*) FILTER (WHERE a.work_training))::integer AS "workTrainingPosted"
      FROM assignments a
      WHERE ${POSTED} AND a.published_at >= :start AND a.published_at < :end AND ${inScope('a')}
      GROUP BY a.municipality_code, a.category_id`,
      bindings,
    ) as Promise<{ rows: Array<Key & { posted: number; places: number; workTrainingPosted: number }> }>,
    db.raw(
      `SELECT s.municipality_code AS "municipalityCode", s.category_id AS "categoryId", count(*)::integer AS filled,
        count(DISTINCT s.applicant_id)::integer AS "filledPersons"
      FROM statistics_acceptances s
      WHERE s.published_at >= :start AND s.published_at < :end AND ${inScope('s')}
      GROUP BY s.municipality_code, s.category_id`,
      bindings,
    ) as Promise<{ rows: Array<Key & { filled: number; filledPersons: number }> }>,
    db.raw(
      `SELECT municipality_code AS "municipalityCode", category_id AS "categoryId", sum(gross_ore)::bigint AS "grossOre",
        count(*)::integer AS workers
      FROM (
        ${PAID_BY_WORKER('a.municipality_code, a.category_id')}
        WHERE s.payout_date BETWEEN :from AND :to AND ${inScope('a')}
        GROUP BY a.municipality_code, a.category_id, s.worker_user_id
      ) by_worker
      GROUP BY municipality_code, category_id`,
      bindings,
    ) as Promise<{ rows: Array<Key & { grossOre: number; workers: number }> }>,
  ]);
  const keyOf = (row: Key) => `${row.municipalityCode}:${row.categoryId}`;
  const accepted = new Map(acceptedRows.rows.map((row) => [keyOf(row), row]));
  // The pairs with anything posted or paid.
  const pairs = new Map<string, OpenDataAggregate>();
  const pairOf = ({ municipalityCode, categoryId }: Key) => {
    const key = keyOf({ municipalityCode, categoryId });
    const existing = pairs.get(key);
    if (existing) return existing;
    const acceptance = accepted.get(key);
    const created: OpenDataAggregate = {
      municipalityCode,
      categoryId,
      posted: 0,
      places: 0,
      filled: acceptance?.filled ?? 0,
      filledPersons: acceptance?.filledPersons ?? 0,
      workTrainingPosted: 0,
      grossOre: 0,
      workers: 0,
    };
    pairs.set(key, created);
    return created;
  };
  for (const row of postedRows.rows)
    Object.assign(pairOf(row), { posted: row.posted, places: row.places, workTrainingPosted: row.workTrainingPosted });
  for (const row of paidRows.rows) Object.assign(pairOf(row), { grossOre: row.grossOre, workers: row.workers });
  return [...pairs.values()];
}
