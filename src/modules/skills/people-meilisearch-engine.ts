import type { MultiSearchQuery, SearchResponse } from 'meilisearch';
import type { Meilisearch } from '../../platform/meilisearch.js';
import { quoteFilterValue } from '../search/index.js';
import {
  FACET_ATTRIBUTE,
  isFacetSelected,
  PEOPLE_FACETS,
  toPersonHit,
  withoutFacet,
  type PeopleFacet,
  type PeopleFacets,
  type PeopleSearchEngine,
  type PeopleSearchParams,
} from './people-engine.js';
import { peopleIndexName, type PersonDocument } from './people-index.js';

// People in Meilisearch: one multi-search, the main query with every filter and one count-only query per selected
// facet without its own filter (disjunctive facets), as the assignments' engine does.

export function buildPeopleFilter(params: PeopleSearchParams): string[] {
  const inList = (attribute: string, values: readonly string[]) => `${attribute} IN [${values.map(quoteFilterValue).join(', ')}]`;
  // Who may be seen is always a filter; an empty list finds nobody.
  const filter = [params.visibilities.length ? inList('visibility', params.visibilities) : 'visibility IN ["-"]'];
  if (params.kinds.length) filter.push(inList(FACET_ATTRIBUTE.kind, params.kinds));
  if (params.skills.length) filter.push(inList(FACET_ATTRIBUTE.skill, params.skills));
  if (params.categories.length) filter.push(inList(FACET_ATTRIBUTE.category, params.categories));
  if (params.municipalities.length) filter.push(inList(FACET_ATTRIBUTE.municipality, params.municipalities));
  if (params.localities.length) filter.push(inList('localitySlugs', params.localities));
  if (params.levels.length) filter.push(inList(FACET_ATTRIBUTE.level, params.levels));
  if (params.confirmed) filter.push(`${FACET_ATTRIBUTE.confirmed} = true`);
  return filter;
}

export function peopleMeilisearchEngine(
  client: Meilisearch,
  indexPrefix: string,
  settings: { timeoutMs: number },
): PeopleSearchEngine {
  const indexUid = peopleIndexName(indexPrefix);
  return {
    name: 'meilisearch',
    async search(params) {
      const main: MultiSearchQuery = {
        indexUid,
        q: params.q,
        filter: buildPeopleFilter(params),
        sort: ['confirmedCount:desc', 'id:asc'],
        facets: Object.values(FACET_ATTRIBUTE),
        matchingStrategy: 'all',
        page: params.page,
        hitsPerPage: params.perPage,
      };
      const disjunctive = PEOPLE_FACETS.filter((facet) => isFacetSelected(params, facet));
      const facetQueries: MultiSearchQuery[] = disjunctive.map((facet) => ({
        indexUid,
        q: params.q,
        filter: buildPeopleFilter(withoutFacet(params, facet)),
        facets: [FACET_ATTRIBUTE[facet]],
        matchingStrategy: 'all',
        page: 1,
        hitsPerPage: 0,
      }));
      const { results } = await client.multiSearch<{ queries: MultiSearchQuery[] }, PersonDocument>(
        { queries: [main, ...facetQueries] },
        { signal: AbortSignal.timeout(settings.timeoutMs) },
      );
      const [response, ...facetResponses] = results as SearchResponse<PersonDocument>[];
      const distributionOf = (facet: PeopleFacet) => {
        const at = disjunctive.indexOf(facet);
        const source = at === -1 ? response! : facetResponses[at]!;
        return { ...(source.facetDistribution?.[FACET_ATTRIBUTE[facet]] ?? {}) };
      };
      const facets = Object.fromEntries(PEOPLE_FACETS.map((facet) => [facet, distributionOf(facet)])) as PeopleFacets;
      return {
        hits: response!.hits.map((hit) => toPersonHit(hit)),
        totalHits: response!.totalHits ?? 0,
        page: response!.page ?? params.page,
        totalPages: response!.totalPages ?? 0,
        facets,
        engine: 'meilisearch',
      };
    },
  };
}
