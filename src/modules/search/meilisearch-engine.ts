import type { MultiSearchQuery, SearchResponse } from 'meilisearch';
import type { Meilisearch } from '../../platform/meilisearch.js';
import { plainText } from '../../web/text-blocks.js';
import { assignmentPath } from '../assignments/index.js';
import { assignmentIndexName, type AssignmentDocument } from './assignment-index.js';
import { excerptAround, highlightWords, queryWords } from './text-match.js';
import type { SearchParams } from './params.js';
import {
  distanceKm,
  FACET_NAMES,
  HIGHLIGHT_END,
  HIGHLIGHT_START,
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

// Search in Meilisearch. Disjunctive facets by multi-search: the main query with
// every filter, and for each facet with a selection one more query without that
// facet's own filter (counts only), so choosing one category keeps the other
// categories' counts in view.

const FACET_ATTRIBUTE: Record<FacetName, string> = {
  category: 'categorySlug',
  municipality: 'municipalityCode',
  locality: 'localitySlug',
  compensation: 'compensationType',
  workTraining: 'workTraining',
};

/**
 * A filter value as a Meilisearch string literal. Values reaching here are
 * already checked against the reference data or a fixed list (params.ts);
 * quoting is the second wall, not the first.
 */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A coordinate or distance as a plain decimal: `${1e-7}` would print an exponent Meilisearch does not parse. */
const decimal = (value: number, digits: number) => value.toFixed(digits);

export function buildFilter(params: SearchParams, now: Date): string[] {
  // A document whose last day to apply passed stays in the index until the
  // expiry job removes it: never show it meanwhile.
  const filter: string[] = [`(applyBy IS NULL OR applyBy >= ${Math.floor(now.getTime() / 1000)})`];
  const inList = (facet: FacetName, values: string[]) =>
    `${FACET_ATTRIBUTE[facet]} IN [${values.map(quoteFilterValue).join(', ')}]`;
  if (params.categories.length) filter.push(inList('category', params.categories));
  if (params.municipalities.length) filter.push(inList('municipality', params.municipalities));
  if (params.locality) filter.push(`${FACET_ATTRIBUTE.locality} = ${quoteFilterValue(params.locality)}`);
  if (params.compensation.length) filter.push(inList('compensation', params.compensation));
  if (params.workTraining) filter.push(`${FACET_ATTRIBUTE.workTraining} = true`);
  if (params.near && params.radiusKm) {
    const { lat, lng } = params.near;
    filter.push(`_geoRadius(${decimal(lat, 7)}, ${decimal(lng, 7)}, ${decimal(params.radiusKm * 1000, 0)})`);
  }
  return filter;
}

function buildSort(params: SearchParams): string[] | undefined {
  switch (params.sort) {
    case 'newest':
      return ['publishedAt:desc'];
    case 'pay':
      return ['amountSek:desc', 'publishedAt:desc'];
    case 'deadline':
      return ['applyBy:asc', 'publishedAt:desc'];
    case 'distance':
      return params.near ? [`_geoPoint(${decimal(params.near.lat, 7)}, ${decimal(params.near.lng, 7)}):asc`] : undefined;
    case 'relevance':
      // Without words there is nothing to rank by: show the newest first.
      return params.q ? undefined : ['publishedAt:desc'];
  }
}

type FormattedDocument = AssignmentDocument & { _formatted?: Partial<Record<'title' | 'description', string>> };

/**
 * What a hit needs (toHit), so Meilisearch sends nothing else: it repeats every retrieved attribute in
 * `_formatted`, and the requirements, the English category name and the rest made each answer about twice as
 * long for the app to read (issue 16: the API's overhead over Meilisearch).
 */
const HIT_ATTRIBUTES = [
  'id',
  'title',
  'description',
  'organisationName',
  'categorySlug',
  'municipalityCode',
  'municipalityName',
  'localitySlug',
  'localityName',
  'compensationType',
  'amountSek',
  'workTraining',
  'publishedAt',
  'applyBy',
  '_geo',
] as const satisfies ReadonlyArray<keyof AssignmentDocument>;

function toHit(document: FormattedDocument, params: SearchParams, options: SearchOptions, words: string[]): SearchHit {
  const municipality = options.reference.municipalityByCode.get(document.municipalityCode);
  const location = document._geo ? { lat: Number(document._geo.lat), lng: Number(document._geo.lng) } : undefined;
  // Meilisearch marks its matches (typos and missing å/ä/ö included); when it
  // marked nothing (a synonym, a match in another attribute) the shared
  // highlighter marks the query's words in the original text.
  const formattedTitle = document._formatted?.title;
  const formattedExcerpt = document._formatted?.description;
  const title = formattedTitle?.includes(HIGHLIGHT_START)
    ? formattedTitle
    : highlightWords(withoutMarkers(document.title), words);
  // Meilisearch crops the description as written, list lines and all: the card shows it as plain text.
  const excerpt = formattedExcerpt?.includes(HIGHLIGHT_START)
    ? plainText(formattedExcerpt)
    : highlightWords(excerptAround(withoutMarkers(document.description), words), words);
  return {
    id: document.id,
    title: document.title,
    url: options.publicUrl + assignmentPath(document),
    category: document.categorySlug,
    municipality: { code: document.municipalityCode, name: municipality?.shortName ?? document.municipalityName },
    locality:
      document.localitySlug && document.localityName ? { slug: document.localitySlug, name: document.localityName } : null,
    compensation: { type: document.compensationType, amountSek: document.amountSek },
    organisation: document.organisationName,
    excerpt: excerpt.replace(/[\uE000\uE001]/g, ''),
    publishedAt: new Date(document.publishedAt * 1000).toISOString(),
    applyBy: document.applyBy === null ? null : new Date(document.applyBy * 1000).toISOString().slice(0, 10),
    workTraining: document.workTraining,
    ...(location ? { location } : {}),
    ...(location && params.near ? { distanceKm: roundedKm(distanceKm(params.near, location)) } : {}),
    ...(words.length > 0 ? { highlight: { title, excerpt } } : {}),
  };
}

/**
 * Which part of the index a search reads. By default the page the params ask for; the fresh search
 * (fresh.ts) asks for a window of hits by offset, without the assignments it answers from the database.
 */
export interface IndexView {
  /** Assignments left out of hits, totals and facets. */
  excludeIds: readonly number[];
  /** A window of hits instead of the params' page (totals and facets stay exact). */
  window?: { offset: number; limit: number };
}

export interface IndexAnswer {
  hits: SearchHit[];
  totalHits: number;
  facets: Facets;
}

export function meilisearchEngine(client: Meilisearch, indexPrefix: string, settings: { timeoutMs: number }) {
  const indexUid = assignmentIndexName(indexPrefix);

  async function searchIndex(params: SearchParams, options: SearchOptions, view?: IndexView) {
    const now = options.now ?? new Date();
    const excluded = view?.excludeIds.length ? `NOT id IN [${view.excludeIds.map((id) => String(id)).join(', ')}]` : undefined;
    const filterFor = (search: SearchParams) => [...buildFilter(search, now), ...(excluded ? [excluded] : [])];
    const hitsQuery: MultiSearchQuery = {
      indexUid,
      q: params.q,
      filter: filterFor(params),
      sort: buildSort(params),
      ...(view?.window
        ? // Offset and limit give no exact total: the counting query below does.
          { offset: view.window.offset, limit: view.window.limit }
        : { page: params.page, hitsPerPage: params.perPage, facets: Object.values(FACET_ATTRIBUTE) }),
      attributesToRetrieve: [...HIT_ATTRIBUTES],
      attributesToHighlight: ['title', 'description'],
      attributesToCrop: ['description'],
      cropLength: 24,
      highlightPreTag: HIGHLIGHT_START,
      highlightPostTag: HIGHLIGHT_END,
    };
    const countQuery: MultiSearchQuery[] = view?.window
      ? [{ indexUid, q: params.q, filter: filterFor(params), facets: Object.values(FACET_ATTRIBUTE), page: 1, hitsPerPage: 0 }]
      : [];
    const disjunctive = FACET_NAMES.filter((facet) => isFacetSelected(params, facet));
    const facetQueries: MultiSearchQuery[] = disjunctive.map((facet) => ({
      indexUid,
      q: params.q,
      filter: filterFor(withoutFacet(params, facet)),
      facets: [FACET_ATTRIBUTE[facet]],
      page: 1,
      hitsPerPage: 0,
    }));
    const { results } = await client.multiSearch<{ queries: MultiSearchQuery[] }, AssignmentDocument>(
      { queries: [hitsQuery, ...countQuery, ...facetQueries] },
      { signal: AbortSignal.timeout(settings.timeoutMs) },
    );
    const [hitsResponse, ...rest] = results as SearchResponse<AssignmentDocument>[];
    const words = queryWords(params.q);
    const counted = view?.window ? rest.shift()! : hitsResponse!;
    const distributionOf = (facet: FacetName) => {
      const at = disjunctive.indexOf(facet);
      const source = at === -1 ? counted : rest[at]!;
      return { ...(source.facetDistribution?.[FACET_ATTRIBUTE[facet]] ?? {}) };
    };
    return {
      hits: hitsResponse!.hits.map((hit) => toHit(hit as FormattedDocument, params, options, words)),
      totalHits: counted.totalHits ?? 0,
      totalPages: counted.totalPages ?? 0,
      page: hitsResponse!.page ?? params.page,
      facets: Object.fromEntries(FACET_NAMES.map((facet) => [facet, distributionOf(facet)])) as Facets,
    };
  }

  return {
    name: 'meilisearch',
    async search(params, options) {
      const { hits, totalHits, totalPages, page, facets } = await searchIndex(params, options);
      return { hits, totalHits, page, totalPages, facets, engine: 'meilisearch' };
    },
    /** Hits, exact total and facets of a part of the index (see IndexView). */
    async searchView(params: SearchParams, options: SearchOptions, view: IndexView): Promise<IndexAnswer> {
      const { hits, totalHits, facets } = await searchIndex(params, options, view);
      return { hits, totalHits, facets };
    },
  } satisfies SearchEngine & Record<string, unknown>;
}
