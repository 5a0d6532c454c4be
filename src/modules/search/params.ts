import { hasForbiddenCharacters } from '../../platform/validation.js';
import { COMPENSATION_TYPES, type CompensationType } from '../assignments/index.js';
import type { ReferenceData } from '../../platform/reference-data.js';

// Search parameters, shared by the search page and the JSON API
// (PRODUCT.md, "/api/v1/assignments"). Every value is checked against a fixed
// list or the reference data, so nothing the user typed reaches a Meilisearch
// filter except as a known code or slug.

export const SORTS = ['relevance', 'newest', 'pay', 'distance', 'deadline'] as const;
export type Sort = (typeof SORTS)[number];
export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 20;
export const MAX_PAGE = 500;
export const MAX_QUERY_LENGTH = 200;
export const MAX_VALUES = 50;

/** Every query parameter the search reads; any other is ignored (OpenAPI lists exactly these). */
export const SEARCH_PARAMETERS = [
  'q',
  'category',
  'municipality',
  'locality',
  'compensation',
  'workTraining',
  'near',
  'radiusKm',
  'sort',
  'page',
  'perPage',
] as const;

export interface SearchParams {
  q: string;
  categories: string[];
  municipalities: string[];
  locality?: string;
  compensation: CompensationType[];
  workTraining: boolean;
  near?: { lat: number; lng: number };
  radiusKm?: number;
  sort: Sort;
  page: number;
  perPage: number;
}

export type ParseResult = { ok: true; params: SearchParams } | { ok: false; errors: Record<string, string> };

type Query = Record<string, unknown>;

/** The message for a value with control characters or a lone surrogate (the page shows its own text for it). */
export const INVALID_CHARACTERS = 'must not contain control characters';

function single(query: Query, name: string, errors: Record<string, string>): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    errors[name] = 'must be given once';
    return undefined;
  }
  if (hasForbiddenCharacters(value)) {
    errors[name] = INVALID_CHARACTERS;
    return undefined;
  }
  return value.trim();
}

function many(query: Query, name: string, errors: Record<string, string>): string[] {
  const value = query[name];
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  if (!values.every((v): v is string => typeof v === 'string')) {
    errors[name] = 'must be plain values';
    return [];
  }
  if (values.length > MAX_VALUES) {
    errors[name] = `may be given at most ${MAX_VALUES} times`;
    return [];
  }
  if (values.some((v) => hasForbiddenCharacters(v))) {
    errors[name] = INVALID_CHARACTERS;
    return [];
  }
  return [...new Set(values.map((v) => v.trim()).filter((v) => v !== ''))];
}

function integer(
  text: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
  errors: Record<string, string>,
): number {
  if (text === undefined || text === '') return fallback;
  if (!/^\d{1,6}$/.test(text) || Number(text) < min || Number(text) > max) {
    errors[name] = `must be a whole number from ${min} to ${max}`;
    return fallback;
  }
  return Number(text);
}

export function parseSearchParams(query: Query, reference: ReferenceData): ParseResult {
  const errors: Record<string, string> = {};

  const q = single(query, 'q', errors) ?? '';
  if (q.length > MAX_QUERY_LENGTH) errors.q = `must be at most ${MAX_QUERY_LENGTH} characters`;

  const categories = many(query, 'category', errors);
  const unknownCategory = categories.find((slug) => !reference.categoryBySlug.has(slug));
  if (unknownCategory !== undefined) errors.category = 'is not a known category';

  const municipalities = many(query, 'municipality', errors);
  const unknownMunicipality = municipalities.find((code) => !reference.municipalityByCode.has(code));
  if (unknownMunicipality !== undefined) errors.municipality = 'must be a known 4-digit municipality code';

  const locality = single(query, 'locality', errors) || undefined;
  if (locality !== undefined && !reference.localityBySlug.has(locality)) errors.locality = 'is not a known locality';

  const compensation = many(query, 'compensation', errors);
  if (compensation.some((c) => !(COMPENSATION_TYPES as readonly string[]).includes(c))) {
    errors.compensation = `must be one of ${COMPENSATION_TYPES.join(', ')}`;
  }

  const workTrainingText = single(query, 'workTraining', errors);
  if (workTrainingText !== undefined && !['true', 'false', ''].includes(workTrainingText))
    errors.workTraining = 'must be true or false';

  let near: SearchParams['near'];
  const nearText = single(query, 'near', errors);
  if (nearText) {
    const match = /^(-?\d{1,2}(?:\.\d{1,10})?),\s*(-?\d{1,3}(?:\.\d{1,10})?)$/.exec(nearText);
    const lat = Number(match?.[1]);
    const lng = Number(match?.[2]);
    if (!match || Math.abs(lat) > 90 || Math.abs(lng) > 180) errors.near = 'must be LAT,LNG in decimal degrees';
    else near = { lat, lng };
  }

  let radiusKm: number | undefined;
  const radiusText = single(query, 'radiusKm', errors);
  if (radiusText) {
    const value = Number(radiusText);
    if (!/^\d{1,4}(\.\d{1,3})?$/.test(radiusText) || value <= 0 || value > 1000)
      errors.radiusKm = 'must be a number of kilometres from 0.1 to 1000';
    else if (!nearText) errors.radiusKm = 'needs near=LAT,LNG';
    else radiusKm = value;
  }

  const sortText = single(query, 'sort', errors) || 'relevance';
  if (!(SORTS as readonly string[]).includes(sortText)) errors.sort = `must be one of ${SORTS.join(', ')}`;
  else if (sortText === 'distance' && !nearText) errors.sort = 'distance needs near=LAT,LNG';

  const page = integer(single(query, 'page', errors), 'page', 1, MAX_PAGE, 1, errors);
  const perPage = integer(single(query, 'perPage', errors), 'perPage', 1, MAX_PER_PAGE, DEFAULT_PER_PAGE, errors);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    params: {
      q,
      categories,
      municipalities,
      locality,
      compensation: compensation as CompensationType[],
      workTraining: workTrainingText === 'true',
      near,
      radiusKm,
      sort: sortText as Sort,
      page,
      perPage,
    },
  };
}
