import type { TFunction } from '../../platform/i18n.js';
import type { ReferenceData } from '../../platform/reference-data.js';
import { findVillage, parseSearchParams, SEARCH_PARAMETERS, type SearchParams } from '../search/index.js';

// A saved search keeps the search's own query string (the names of /uppdrag
// and the API), so "run it" is a plain link and the alert asks the search
// exactly what the page would. Paging and the language are not part of a search.

/** Every search parameter but paging: a saved search is the search, not a page of it. */
const SAVED_PARAMETERS = SEARCH_PARAMETERS.filter((name) => name !== 'page' && name !== 'perPage');
export const MAX_QUERY_LENGTH = 4000;

export type SavedQuery = { ok: true; query: string; params: SearchParams } | { ok: false; errors: Record<string, string> };

/**
 * The saved parameters of a request's query (or of a stored query string),
 * checked by the search's own parser; blank values are left out.
 */
export function savedQueryFrom(input: Record<string, unknown> | string, reference: ReferenceData): SavedQuery {
  const source = typeof input === 'string' ? queryObject(input) : input;
  const kept = new URLSearchParams();
  const picked: Record<string, unknown> = {};
  for (const name of SAVED_PARAMETERS) {
    const value = source[name];
    if (value === undefined) continue;
    picked[name] = value;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string' && item.trim() !== '') kept.append(name, item.trim());
    }
  }
  const parsed = parseSearchParams(picked, reference);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const query = kept.toString();
  if (query.length > MAX_QUERY_LENGTH) return { ok: false, errors: { query: 'too long' } };
  return { ok: true, query, params: parsed.params };
}

/**
 * The search page names the centre of a radius search by a typed village
 * (`from`), which it turns into `near`; a saved search keeps the point, as the
 * API and the alerts need it. Returns the query with `near` in place of `from`,
 * or undefined when the village is unknown or ambiguous.
 */
export function withVillageAsPoint(
  query: Record<string, unknown>,
  reference: ReferenceData,
): Record<string, unknown> | undefined {
  const { from, ...rest } = query;
  if (from === undefined || from === '') return rest;
  if (typeof from !== 'string') return undefined;
  const municipalities = [rest.municipality].flat().filter((code): code is string => typeof code === 'string');
  const { locality } = findVillage(from, reference, municipalities);
  return locality ? { ...rest, near: `${locality.lat},${locality.lng}` } : undefined;
}

/** A query string as the object Express makes of one ('simple' parser: repeated names become arrays). */
function queryObject(query: string): Record<string, unknown> {
  const object: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    const existing = object[name];
    object[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return object;
}

/** The search page's address for a saved query. */
export function searchPath(query: string): string {
  return query ? `/uppdrag?${query}` : '/uppdrag';
}

/** A name for a new saved search: its words, else its first filter, else a generic one; at most 100 characters. */
export function defaultName(params: SearchParams, reference: ReferenceData, t: TFunction, lang: string): string {
  const [first] = describeSearch(params, reference, t, lang);
  return Array.from(params.q || first || t('savedSearches.everything'))
    .slice(0, 100)
    .join('');
}

/** The search in words, one phrase per parameter ("Kategori: Trädgård"), in the viewer's language. */
export function describeSearch(params: SearchParams, reference: ReferenceData, t: TFunction, lang: string): string[] {
  const words: string[] = [];
  const categoryName = (slug: string) => {
    const category = reference.categoryBySlug.get(slug);
    return category ? (lang === 'en' ? category.nameEn : category.nameSv) : slug;
  };
  if (params.q) words.push(t('savedSearches.describe.q', { q: params.q }));
  if (params.categories.length)
    words.push(t('savedSearches.describe.category', { values: params.categories.map(categoryName).join(', ') }));
  if (params.municipalities.length) {
    const names = params.municipalities.map((code) => reference.municipalityByCode.get(code)?.shortName ?? code);
    words.push(t('savedSearches.describe.municipality', { values: names.join(', ') }));
  }
  if (params.locality)
    words.push(
      t('savedSearches.describe.locality', { value: reference.localityBySlug.get(params.locality)?.name ?? params.locality }),
    );
  if (params.compensation.length) {
    const types = params.compensation.map((type) => t(`savedSearches.compensation.${type}`));
    words.push(t('savedSearches.describe.compensation', { values: types.join(', ') }));
  }
  if (params.workTraining) words.push(t('savedSearches.describe.workTraining'));
  if (params.near && params.radiusKm) words.push(t('savedSearches.describe.near', { km: params.radiusKm }));
  return words;
}
