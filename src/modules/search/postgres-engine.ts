import type { Knex } from 'knex';
import type { DbOrTrx } from '../../platform/db.js';
import { assignmentPath, openAssignments } from '../assignments/index.js';
import type { SearchParams } from './params.js';
import {
  distanceKm,
  FACET_NAMES,
  isFacetSelected,
  roundedKm,
  withoutFacet,
  withoutMarkers,
  type FacetName,
  type Facets,
  type SearchEngine,
  type SearchHit,
  type SearchOptions,
} from './result.js';
import { excerptAround, highlightWords, queryWords } from './text-match.js';
import type { IndexRow } from './assignment-index.js';

// The same search answered by PostgreSQL, for when Meilisearch cannot answer:
// the same filters over what openAssignments() deems public, the same sorts,
// disjunctive facet counts by SQL, distances by the haversine formula. Every
// value is a bound parameter; the SQL text is fixed.

// Folded like the stored vector (migrations/202611261201_add_assignment_search_vector.ts).
const fold = (expression: string) => `lower(regexp_replace(normalize(${expression}, NFD), '[\\u0300-\\u036f]', '', 'g'))`;
const vectorOf = (expression: string) => `to_tsvector('swedish'::regconfig, ${fold(expression)})`;
const TS_QUERY = `to_tsquery('swedish'::regconfig, ?)`;

const LAT = 'COALESCE(a.lat, l.lat)';
const LNG = 'COALESCE(a.lng, l.lng)';
// Haversine with Meilisearch's earth radius; bindings: lat, lat, lng.
const DISTANCE_KM = `(2 * 6371.0088 * asin(least(1, sqrt(
  power(sin(radians(${LAT} - ?) / 2), 2) +
  cos(radians(?)) * cos(radians(${LAT})) * power(sin(radians(${LNG} - ?) / 2), 2)))))`;

type FacetColumns = Record<FacetName, string>;
const ROW_COLUMNS: FacetColumns = {
  category: 'c.slug',
  municipality: 'a.municipality_code',
  locality: 'l.slug',
  compensation: 'a.compensation_type',
  workTraining: 'a.work_training',
};
// The same values as columns of the candidate set the facet counts are taken from.
const CANDIDATE_COLUMNS: FacetColumns = {
  category: 'f_category',
  municipality: 'f_municipality',
  locality: 'f_locality',
  compensation: 'f_compensation',
  workTraining: 'f_work_training',
};

/**
 * One query word as a tsquery term, with what it names besides the assignment's
 * own text: categories, villages, municipalities and organisations. Looking
 * those up in their small tables first keeps the big scan on the stored,
 * indexed vector instead of building a vector per row.
 */
interface Term {
  term: string;
  categoryIds: number[];
  localityIds: number[];
  municipalityCodes: string[];
  organisationIds: number[];
}

interface TextMatch {
  terms: Term[];
  /** Every term ANDed, for ranking. */
  rankQuery: string;
}

/** "snö skottn" → terms "sno" and "skottn:*" (the last word a prefix: typing as you go); stop words dropped. */
async function resolveText(db: DbOrTrx, q: string): Promise<TextMatch | undefined> {
  const words = queryWords(q);
  if (words.length === 0) return undefined;
  const terms = words.map((word, i) => (i === words.length - 1 ? `${word}:*` : word));
  const { rows } = (await db.raw(
    `SELECT w.term, numnode(w.q) AS nodes,
       ARRAY(SELECT id FROM categories WHERE ${vectorOf("name_sv || ' ' || name_en")} @@ w.q) AS category_ids,
       ARRAY(SELECT id FROM localities WHERE ${vectorOf('name')} @@ w.q) AS locality_ids,
       ARRAY(SELECT code FROM municipalities WHERE ${vectorOf('short_name')} @@ w.q) AS municipality_codes,
       ARRAY(SELECT id FROM organisations WHERE ${vectorOf('name')} @@ w.q) AS organisation_ids
     FROM (SELECT term, ${TS_QUERY.replace('?', 'term')} AS q
           FROM unnest(ARRAY[${terms.map(() => '?').join(', ')}]::text[]) AS term) AS w`,
    terms,
  )) as {
    rows: Array<{
      term: string;
      nodes: number;
      category_ids: number[];
      locality_ids: number[];
      municipality_codes: string[];
      organisation_ids: number[];
    }>;
  };
  // A stop word ("med", "och") has no lexemes: it then narrows nothing, as in Meilisearch.
  const kept = rows.filter((row) => row.nodes > 0);
  if (kept.length === 0) return undefined;
  return {
    terms: kept.map((row) => ({
      term: row.term,
      categoryIds: row.category_ids,
      localityIds: row.locality_ids,
      municipalityCodes: row.municipality_codes,
      organisationIds: row.organisation_ids,
    })),
    rankQuery: kept.map((row) => row.term).join(' & '),
  };
}

/** Open assignments matching the words and the radius: everything but the facet filters. */
function candidates(
  db: DbOrTrx,
  params: SearchParams,
  text: TextMatch | undefined,
  onlyIds?: readonly number[],
): Knex.QueryBuilder {
  const query = openAssignments(db);
  if (onlyIds) query.whereIn('a.id', onlyIds);
  for (const term of text?.terms ?? []) {
    query.where((match) => {
      match.whereRaw(`a.search_vector @@ ${TS_QUERY}`, [term.term]);
      if (term.categoryIds.length) match.orWhereIn('a.category_id', term.categoryIds);
      if (term.localityIds.length) match.orWhereIn('a.locality_id', term.localityIds);
      if (term.municipalityCodes.length) match.orWhereIn('a.municipality_code', term.municipalityCodes);
      if (term.organisationIds.length) match.orWhereIn('a.organisation_id', term.organisationIds);
    });
  }
  if (params.near && params.radiusKm) {
    query.whereRaw(`${DISTANCE_KM} <= ?`, [params.near.lat, params.near.lat, params.near.lng, params.radiusKm]);
  }
  return query;
}

function withFacetFilters(query: Knex.QueryBuilder, params: SearchParams, columns: FacetColumns): Knex.QueryBuilder {
  if (params.categories.length) query.whereIn(columns.category, params.categories);
  if (params.municipalities.length) query.whereIn(columns.municipality, params.municipalities);
  if (params.locality) query.where(columns.locality, params.locality);
  if (params.compensation.length) query.whereIn(columns.compensation, params.compensation);
  if (params.workTraining) query.where(columns.workTraining, true);
  return query;
}

function ordered(query: Knex.QueryBuilder, params: SearchParams, text: TextMatch | undefined): Knex.QueryBuilder {
  switch (params.sort) {
    case 'newest':
      return query.orderBy('a.published_at', 'desc');
    case 'pay':
      return query.orderByRaw('a.amount_sek DESC NULLS LAST, a.published_at DESC');
    case 'deadline':
      return query.orderByRaw('a.apply_by ASC NULLS LAST, a.published_at DESC');
    case 'distance':
      return params.near
        ? query.orderByRaw(`${DISTANCE_KM} ASC NULLS LAST`, [params.near.lat, params.near.lat, params.near.lng])
        : query;
    case 'relevance':
      // Title above description above requirements (the vector's weights); a
      // match only in a category, place or organisation name ranks after those.
      if (!text) return query.orderBy('a.published_at', 'desc');
      return query.orderByRaw(`ts_rank(a.search_vector, ${TS_QUERY}) DESC, a.published_at DESC`, [text.rankQuery]);
  }
}

/** The columns of a hit: the index's row less what only the index needs. */
type HitRow = Omit<IndexRow, 'requirements' | 'category_name_sv' | 'category_name_en' | 'updated_at'>;

function toHit(row: HitRow, params: SearchParams, options: SearchOptions): SearchHit {
  const words = queryWords(params.q);
  const location = row.lat !== null && row.lng !== null ? { lat: row.lat, lng: row.lng } : undefined;
  const excerpt = excerptAround(withoutMarkers(row.description), words);
  return {
    id: row.id,
    // As the index stores it (toAssignmentDocument): no characters that pass for highlight markers.
    title: withoutMarkers(row.title),
    url: options.publicUrl + assignmentPath(row),
    category: row.category_slug,
    municipality: { code: row.municipality_code, name: row.municipality_name },
    locality: row.locality_slug && row.locality_name ? { slug: row.locality_slug, name: row.locality_name } : null,
    compensation: { type: row.compensation_type, amountSek: row.amount_sek },
    organisation: row.organisation_name,
    excerpt,
    // Whole seconds, as the index keeps them, so both engines give the same string.
    publishedAt: new Date(Math.floor(row.published_at.getTime() / 1000) * 1000).toISOString(),
    // The last day to apply, as Meilisearch stores it: that day in UTC.
    applyBy: row.apply_by,
    workTraining: row.work_training,
    ...(location ? { location } : {}),
    ...(location && params.near ? { distanceKm: roundedKm(distanceKm(params.near, location)) } : {}),
    ...(words.length > 0
      ? { highlight: { title: highlightWords(withoutMarkers(row.title), words), excerpt: highlightWords(excerpt, words) } }
      : {}),
  };
}

/**
 * The total and every facet's counts in one statement over one scan: the
 * candidates are gathered once, then counted per facet under every filter but
 * that facet's own (disjunctive facets).
 */
async function totalAndFacets(
  db: DbOrTrx,
  params: SearchParams,
  text: TextMatch | undefined,
  onlyIds: readonly number[] | undefined,
): Promise<{ totalHits: number; facets: Facets }> {
  const gathered = candidates(db, params, text, onlyIds).select(
    Object.fromEntries(FACET_NAMES.map((facet) => [CANDIDATE_COLUMNS[facet], ROW_COLUMNS[facet]])),
  );
  const total = withFacetFilters(
    db
      .with('candidates', gathered)
      .from('candidates')
      .select({ facet: db.raw("'total'"), value: db.raw('NULL') }),
    params,
    CANDIDATE_COLUMNS,
  ).count({ count: '*' });
  const perFacet = FACET_NAMES.map((facet) => {
    const column = CANDIDATE_COLUMNS[facet];
    const source = isFacetSelected(params, facet) ? withoutFacet(params, facet) : params;
    return withFacetFilters(
      db
        .from('candidates')
        .select({ facet: db.raw('?', [facet]), value: db.raw(`${column}::text`) })
        .whereNotNull(column)
        .count({ count: '*' })
        .groupBy(column),
      source,
      CANDIDATE_COLUMNS,
    );
  });
  const rows = (await total.unionAll(perFacet, true)) as Array<{ facet: string; value: string | null; count: string | number }>;
  const facets = Object.fromEntries(FACET_NAMES.map((facet) => [facet, {} as Record<string, number>])) as Facets;
  let totalHits = 0;
  for (const row of rows) {
    if (row.facet === 'total') totalHits = Number(row.count);
    else facets[row.facet as FacetName][row.value!] = Number(row.count);
  }
  return { totalHits, facets };
}

/** `onlyIds`: search among these assignments only (the ones the index has not caught up with, fresh.ts). */
export function postgresEngine(db: DbOrTrx, scope: { onlyIds?: readonly number[] } = {}): SearchEngine {
  const { onlyIds } = scope;
  return {
    name: 'postgres',
    async search(params, options) {
      const text = await resolveText(db, params.q);
      const hitsQuery = ordered(withFacetFilters(candidates(db, params, text, onlyIds), params, ROW_COLUMNS), params, text)
        .orderBy('a.id', 'desc')
        .limit(params.perPage)
        .offset((params.page - 1) * params.perPage)
        .select({
          id: 'a.id',
          title: 'a.title',
          description: 'a.description',
          organisation_name: 'o.name',
          category_slug: 'c.slug',
          municipality_code: 'a.municipality_code',
          municipality_name: 'm.short_name',
          locality_slug: 'l.slug',
          locality_name: 'l.name',
          compensation_type: 'a.compensation_type',
          amount_sek: 'a.amount_sek',
          work_training: 'a.work_training',
          published_at: 'a.published_at',
          apply_by: 'a.apply_by',
          lat: db.raw(LAT),
          lng: db.raw(LNG),
        });
      const [rows, { totalHits, facets }] = await Promise.all([
        hitsQuery as Promise<HitRow[]>,
        totalAndFacets(db, params, text, onlyIds),
      ]);
      return {
        hits: rows.map((row) => toHit(row, params, options)),
        totalHits,
        page: params.page,
        totalPages: Math.ceil(totalHits / params.perPage),
        facets,
        engine: 'postgres',
      };
    },
  };
}
