import { MeilisearchApiError } from 'meilisearch';
import type { Meilisearch } from '../../platform/meilisearch.js';
import { AppError } from '../../platform/errors.js';
import { assignmentPath, type CompensationType } from '../assignments/index.js';
import type { ReferenceData } from '../reference/index.js';
import { assignmentIndexName, type AssignmentDocument } from './assignment-index.js';
import type { SearchParams } from './params.js';

export interface SearchHit {
  id: number;
  title: string;
  url: string;
  category: string;
  municipality: { code: string; name: string };
  locality: { slug: string; name: string } | null;
  compensation: { type: CompensationType; amountSek: number | null };
  organisation: string;
  /** A short piece of the description around the match. */
  excerpt: string;
  publishedAt: string;
  applyBy: string | null;
  workTraining: boolean;
  distanceKm?: number;
}

export interface SearchResult {
  hits: SearchHit[];
  totalHits: number;
  page: number;
  totalPages: number;
  facets: {
    category: Record<string, number>;
    municipality: Record<string, number>;
    locality: Record<string, number>;
    compensation: Record<string, number>;
    workTraining: Record<string, number>;
  };
  engine: 'meilisearch';
}

const FACETS = {
  category: 'categorySlug',
  municipality: 'municipalityCode',
  locality: 'localitySlug',
  compensation: 'compensationType',
  workTraining: 'workTraining',
} as const;

/** A filter value as a Meilisearch string literal. Values are validated codes, but quote them anyway. */
function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function buildFilter(params: SearchParams, now = new Date()): string[] {
  // A document whose last day to apply passed stays in the index until a job
  // removes it (start-up sync today, the expiry job later): never show it.
  const filter: string[] = [`(applyBy IS NULL OR applyBy >= ${Math.floor(now.getTime() / 1000)})`];
  const inList = (attribute: string, values: string[]) => `${attribute} IN [${values.map(quoteFilterValue).join(', ')}]`;
  if (params.categories.length) filter.push(inList(FACETS.category, params.categories));
  if (params.municipalities.length) filter.push(inList(FACETS.municipality, params.municipalities));
  if (params.locality) filter.push(`${FACETS.locality} = ${quoteFilterValue(params.locality)}`);
  if (params.compensation.length) filter.push(inList(FACETS.compensation, params.compensation));
  if (params.workTraining) filter.push(`${FACETS.workTraining} = true`);
  if (params.near && params.radiusKm) {
    filter.push(`_geoRadius(${params.near.lat}, ${params.near.lng}, ${Math.round(params.radiusKm * 1000)})`);
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
      return params.near ? [`_geoPoint(${params.near.lat}, ${params.near.lng}):asc`] : undefined;
    case 'relevance':
      // Without words there is nothing to rank by: show the newest first.
      return params.q ? undefined : ['publishedAt:desc'];
  }
}

export async function searchAssignments(
  client: Meilisearch | undefined,
  indexPrefix: string,
  params: SearchParams,
  options: { publicUrl: string; reference: ReferenceData },
): Promise<SearchResult> {
  if (!client) throw new AppError('unavailable', 'Search is temporarily unavailable');
  let response;
  try {
    response = await client.index<AssignmentDocument>(assignmentIndexName(indexPrefix)).search(params.q, {
      filter: buildFilter(params),
      sort: buildSort(params),
      facets: Object.values(FACETS),
      page: params.page,
      hitsPerPage: params.perPage,
      attributesToCrop: ['description'],
      cropLength: 24,
    });
  } catch (error) {
    // Unreachable, timed out, or the index not built yet: the engine cannot answer
    // now. Any other API error is our bug and goes on as a 500.
    if (error instanceof MeilisearchApiError && error.cause?.code !== 'index_not_found') throw error;
    throw Object.assign(new AppError('unavailable', 'Search is temporarily unavailable'), { cause: error });
  }

  const facetDistribution = response.facetDistribution ?? {};
  const facet = (attribute: string) => ({ ...(facetDistribution[attribute] ?? {}) });
  return {
    hits: response.hits.map((hit) => {
      const document = hit as AssignmentDocument & {
        _formatted?: Partial<Record<keyof AssignmentDocument, string>>;
        _geoDistance?: number;
      };
      const municipality = options.reference.municipalityByCode.get(document.municipalityCode);
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
        excerpt: document._formatted?.description ?? document.description.slice(0, 200),
        publishedAt: new Date(document.publishedAt * 1000).toISOString(),
        applyBy: document.applyBy === null ? null : new Date(document.applyBy * 1000).toISOString().slice(0, 10),
        workTraining: document.workTraining,
        ...(document._geoDistance !== undefined ? { distanceKm: Math.round(document._geoDistance / 100) / 10 } : {}),
      };
    }),
    totalHits: response.totalHits ?? 0,
    page: response.page ?? params.page,
    totalPages: response.totalPages ?? 0,
    facets: {
      category: facet(FACETS.category),
      municipality: facet(FACETS.municipality),
      locality: facet(FACETS.locality),
      compensation: facet(FACETS.compensation),
      workTraining: facet(FACETS.workTraining),
    },
    engine: 'meilisearch',
  };
}
