import type { DbOrTrx } from '../../platform/db.js';
import type { Logger } from '../../platform/logger.js';
import type { Meilisearch } from '../../platform/meilisearch.js';
import type { ReferenceData } from '../../platform/reference-data.js';
import { formText, hasForbiddenCharacters } from '../../platform/validation.js';
import { selectOrganisationsOfAssignments } from '../assignments/index.js';
import { INVALID_CHARACTERS, MAX_VALUES, parseSearchParams, type ParseResult, type SearchParams } from './params.js';
import type { SearchHit, SearchResult } from './result.js';
import { searchAssignments } from './service.js';
import { highlightParts } from './text-match.js';
import { findVillage } from './villages.js';

// The search page's use case, GET /uppdrag: read the form (a typed village
// becomes the point to measure from), refuse bad input beside its field, run
// the search, and when it finds nothing, look for what would find something.

const MAX_ECHO_LENGTH = 300;

type Query = Record<string, unknown>;

/** What the user sent, echoed back into the form as given (EJS escapes it). */
export interface SearchForm {
  q: string;
  from: string;
  near: string;
  radiusKm: string;
  sort: string;
  lang: string;
  categories: string[];
  municipalities: string[];
  locality: string;
  compensation: string[];
  workTraining: boolean;
}

/** A way out of an empty result: drop these filters and find `count`. */
export interface Alternative {
  drop: 'category' | 'municipality' | 'compensation' | 'workTraining' | 'place' | 'all';
  count: number;
}

export interface EmptyState {
  alternatives: Alternative[];
  /** The query as typo tolerance read it, searched without any filter. */
  didYouMean?: { words: string; count: number };
}

export interface SearchPage {
  form: SearchForm;
  /** Field name → the key of its message under searchPage.errors. */
  errors: Record<string, string>;
  /** The typed village the distance is measured from. */
  centre?: string;
  hasPoint: boolean;
  /** A radius chosen before any place: kept aside with a note rather than refused. */
  radiusWaitsForPlace: boolean;
  /** Undefined when the input was refused: nothing was searched. */
  result?: SearchResult;
  /** Present when the search found nothing. */
  emptyState?: EmptyState;
  /** Who posted each hit (assignment id →), for the link to its page and the "Verifierad" badge. */
  organisations?: Map<number, { slug: string; verified: boolean }>;
}

export interface SearchPageDeps {
  client: Meilisearch | undefined;
  indexPrefix: string;
  db: DbOrTrx;
  /** The app's logger (fallback warnings are rate-limited per logger). */
  log: Logger;
  publicUrl: string;
  reference: ReferenceData;
}

export async function searchPage(deps: SearchPageDeps, query: Query): Promise<SearchPage> {
  const { parsed, ...page } = readSearchForm(query, deps.reference);
  if (!parsed.ok || Object.keys(page.errors).length > 0) return page;
  const { reference, publicUrl, db, log } = deps;
  const search = (params: SearchParams): Promise<SearchResult> =>
    searchAssignments(deps.client, deps.indexPrefix, params, { publicUrl, reference, db, log });
  // Never fails for Meilisearch being down: PostgreSQL answers then (result.engine says which).
  const result = await search(parsed.params);
  const emptyState = result.totalHits === 0 ? await emptyStateAlternatives(parsed.params, result, search) : undefined;
  // Read from the database, not the index: a verification shows at once, with no reindexing.
  const organisations = await selectOrganisationsOfAssignments(
    db,
    result.hits.map((hit) => hit.id),
  );
  return { ...page, result, emptyState, organisations };
}

const text = (value: unknown) => formText(value, MAX_ECHO_LENGTH);
const texts = (value: unknown) =>
  (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string').slice(0, MAX_VALUES);

function formValues(query: Query): SearchForm {
  return {
    q: text(query.q),
    from: text(query.from),
    near: text(query.near),
    radiusKm: text(query.radiusKm),
    sort: text(query.sort),
    lang: text(query.lang),
    categories: texts(query.category),
    municipalities: texts(query.municipality),
    locality: text(query.locality),
    compensation: texts(query.compensation),
    workTraining: query.workTraining === 'true',
  };
}

function readSearchForm(
  query: Query,
  reference: ReferenceData,
): Omit<SearchPage, 'result' | 'emptyState'> & { parsed: ParseResult } {
  const form = formValues(query);
  const errors: Record<string, string> = {};

  // The distance field names a village; the search needs its point. A typed
  // village wins over a browser position sent before.
  const searchQuery: Query = { ...query };
  delete searchQuery.from;
  let centre: string | undefined;
  if (query.from !== undefined && typeof query.from !== 'string') errors.from = 'fromUnknown';
  else if (hasForbiddenCharacters(form.from)) errors.from = 'invalidCharacters';
  else if (form.from.trim()) {
    const { locality, error } = findVillage(form.from, reference, form.municipalities);
    if (locality) {
      searchQuery.near = `${locality.lat},${locality.lng}`;
      centre = locality.name;
      form.near = '';
    } else errors.from = error!;
  }
  // Empty fields of the form are "not chosen".
  for (const name of ['near', 'radiusKm', 'sort'] as const) if (searchQuery[name] === '') delete searchQuery[name];
  if (errors.from) delete searchQuery.near;
  // A radius chosen before a place (the live update searches at once) waits
  // for the place with a note beside it, rather than failing the whole search;
  // a malformed radius is still refused like any bad input.
  let radiusWaitsForPlace = false;
  if (typeof searchQuery.radiusKm === 'string' && searchQuery.near === undefined) {
    if (!parseSearchParams({ near: '0,0', radiusKm: searchQuery.radiusKm }, reference).ok) errors.radiusKm = 'radiusKm';
    else radiusWaitsForPlace = !errors.from;
    delete searchQuery.radiusKm;
  }

  const parsed = parseSearchParams(searchQuery, reference);
  for (const [name, message] of Object.entries(parsed.ok ? {} : parsed.errors)) {
    // "Nearest" without a place: said as such, unless the typed village is what is missing.
    if (message === INVALID_CHARACTERS) errors[name] = 'invalidCharacters';
    else if (name === 'sort' && searchQuery.sort === 'distance') {
      if (!errors.from) errors.sort = 'sortDistance';
    } else errors[name] = name;
  }
  const hasPoint = Boolean(searchQuery.near) && !errors.near;
  return { form, errors, centre, hasPoint, radiusWaitsForPlace, parsed };
}

const sumOf = (counts: Record<string, number>) => Object.values(counts).reduce((sum, count) => sum + count, 0);

/**
 * The words a hit matched in its title (else its excerpt), read from the
 * highlight markers ("did you mean"). A typo-tolerant match may mark only part
 * of a word ("snöskottnin" for "snoskotning"): the whole word is taken.
 */
function matchedWords(hit: SearchHit | undefined): string[] {
  for (const marked of [hit?.highlight?.title, hit?.highlight?.excerpt]) {
    const parts = highlightParts(marked ?? '');
    const words = parts.flatMap((part, index) => {
      if (!part.match) return [];
      const before = index > 0 ? (/[\p{L}\p{N}]*$/u.exec(parts[index - 1]!.text)?.[0] ?? '') : '';
      const after = index < parts.length - 1 ? (/^[\p{L}\p{N}]*/u.exec(parts[index + 1]!.text)?.[0] ?? '') : '';
      const word = `${before}${part.text}${after}`.trim().toLocaleLowerCase('sv');
      return word ? [word] : [];
    });
    if (words.length) return [...new Set(words)];
  }
  return [];
}

/**
 * The empty state: which filter to drop and how many that would find. The
 * facet filters need no extra search: a facet's counts ignore its own
 * selection (disjunctive facets), and every assignment has exactly one
 * category, municipality, compensation type and work-training value, so their
 * sum is the count without that filter. At most two extra searches: one without
 * any filter (also "did you mean", from what it matched) and one without the place.
 */
async function emptyStateAlternatives(
  params: SearchParams,
  result: SearchResult,
  search: (params: SearchParams) => Promise<SearchResult>,
): Promise<EmptyState> {
  const alternatives: Alternative[] = [];
  const facetFilters = [
    ['category', params.categories.length > 0],
    ['municipality', params.municipalities.length > 0],
    ['compensation', params.compensation.length > 0],
    ['workTraining', params.workTraining],
  ] as const;
  for (const [facet, active] of facetFilters) {
    const count = sumOf(result.facets[facet]);
    if (active && count > 0) alternatives.push({ drop: facet, count });
  }
  const placeActive = params.locality !== undefined || params.radiusKm !== undefined;
  const activeGroups = facetFilters.filter(([, active]) => active).length + (placeActive ? 1 : 0);
  if (activeGroups === 0 && !params.q) return { alternatives };

  const firstPage = { page: 1, perPage: 1 };
  const unfiltered: SearchParams = {
    ...params,
    ...firstPage,
    categories: [],
    municipalities: [],
    locality: undefined,
    compensation: [],
    workTraining: false,
    radiusKm: undefined,
  };
  const [withoutFilters, withoutPlace] = await Promise.all([
    activeGroups > 0 ? search(unfiltered) : undefined,
    placeActive && activeGroups > 1 ? search({ ...params, ...firstPage, locality: undefined, radiusKm: undefined }) : undefined,
  ]);
  if (withoutPlace && withoutPlace.totalHits > 0) alternatives.push({ drop: 'place', count: withoutPlace.totalHits });
  if (!withoutFilters || withoutFilters.totalHits === 0) return { alternatives };

  // Typo tolerance found the words spelt otherwise: offer that spelling.
  const typed = params.q.toLocaleLowerCase('sv').split(/\s+/).filter(Boolean);
  const matched = params.q ? matchedWords(withoutFilters.hits[0]) : [];
  if (matched.length && !typed.every((word) => matched.includes(word)))
    return { alternatives, didYouMean: { words: matched.join(' '), count: withoutFilters.totalHits } };
  if (activeGroups > 1 || alternatives.length === 0) alternatives.push({ drop: 'all', count: withoutFilters.totalHits });
  return { alternatives };
}
