import { Router, type Request } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { formText, hasForbiddenCharacters } from '../../platform/validation.js';
import { urlWithQuery } from '../../web/query-string.js';
import { assignmentPath, COMPENSATION_TYPES, type AssignmentCard } from '../assignments/index.js';
import type { Locality, ReferenceData } from '../../platform/reference-data.js';
import { INVALID_CHARACTERS, parseSearchParams, SORTS, type SearchParams } from './params.js';
import { HIGHLIGHT_END, HIGHLIGHT_START, type SearchHit, type SearchResult } from './result.js';
import { searchAssignments } from './service.js';

// The search page, GET /uppdrag: an ordinary GET form whose every state is in
// the URL. With htmx the same route answers a request carrying HX-Request with
// only the region below the search field (views/search/region.ejs), so one
// template serves both the full page and the live update.

const RADIUS_CHOICES_KM = ['5', '10', '25', '50', '100'] as const;
/** Villages in the facet: the ones with most hits, so the list stays short. */
const LOCALITY_FACET_LIMIT = 40;
/** Villages offered as suggestions for the distance field. */
const VILLAGE_SUGGESTION_LIMIT = 100;
const MAX_ECHO_LENGTH = 300;

/** A piece of text, marked when it is what the search matched. */
export interface TextPart {
  text: string;
  match: boolean;
}

type SearchCard = AssignmentCard & { titleParts?: TextPart[]; excerptParts?: TextPart[]; distanceKm?: number };

interface FacetOption {
  value: string;
  label: string;
  /** Undefined when no search ran (bad input, search down): no count is shown. */
  count?: number;
  selected: boolean;
}

interface Suggestion {
  url: string;
  /** An i18n key under searchPage.suggestions and its values. */
  key: string;
  values: Record<string, string | number>;
}

/** What the user sent, echoed back into the form as given (EJS escapes it). */
interface SearchForm {
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

const text = (value: unknown) => formText(value, MAX_ECHO_LENGTH);
const texts = (value: unknown) =>
  (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string').slice(0, 50);

function formValues(query: Request['query']): SearchForm {
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

/** How a village is written in the distance field: its name, with the municipality when the name is not unique. */
function villageLabel(locality: Locality, reference: ReferenceData, ambiguous: ReadonlySet<string>): string {
  if (!ambiguous.has(locality.name.toLocaleLowerCase('sv'))) return locality.name;
  return `${locality.name}, ${reference.municipalityByCode.get(locality.municipalityCode)?.shortName ?? locality.municipalityCode}`;
}

// Reference data is loaded once per app, so are the village names.
const villageIndex = new WeakMap<ReferenceData, { byName: Map<string, Locality[]>; ambiguous: Set<string> }>();

function villagesByName(reference: ReferenceData) {
  let index = villageIndex.get(reference);
  if (!index) {
    const byName = new Map<string, Locality[]>();
    for (const locality of reference.localityBySlug.values()) {
      const key = locality.name.toLocaleLowerCase('sv');
      byName.set(key, [...(byName.get(key) ?? []), locality]);
    }
    const ambiguous = new Set([...byName].filter(([, list]) => list.length > 1).map(([name]) => name));
    index = { byName, ambiguous };
    villageIndex.set(reference, index);
  }
  return index;
}

/**
 * The village typed in the distance field, as the posting form reads one: its
 * name, any case; "Name, Municipality" or "Name (Municipality)" when several
 * villages share the name (one in a chosen municipality also settles it).
 */
export function findVillage(
  typed: string,
  reference: ReferenceData,
  chosenMunicipalities: readonly string[] = [],
): { locality?: Locality; error?: 'fromUnknown' | 'fromAmbiguous' } {
  const { byName } = villagesByName(reference);
  const match = /^\s*([^,(]+?)\s*(?:[,(]\s*([^)]+?)\s*\)?)?\s*$/.exec(typed);
  if (!match) return { error: 'fromUnknown' };
  const candidates = byName.get(match[1]!.toLocaleLowerCase('sv')) ?? [];
  const municipalityName = match[2]?.toLocaleLowerCase('sv');
  const inMunicipality = municipalityName
    ? candidates.filter((locality) => {
        const municipality = reference.municipalityByCode.get(locality.municipalityCode);
        return [municipality?.shortName, municipality?.name].some((name) => name?.toLocaleLowerCase('sv') === municipalityName);
      })
    : candidates;
  if (inMunicipality.length === 1) return { locality: inMunicipality[0] };
  if (inMunicipality.length === 0) return { error: 'fromUnknown' };
  const chosen = inMunicipality.filter((locality) => chosenMunicipalities.includes(locality.municipalityCode));
  return chosen.length === 1 ? { locality: chosen[0] } : { error: 'fromAmbiguous' };
}

/** The search field's marked text split into parts; the view escapes each part, so a title can never add markup. */
export function highlightParts(marked: string): TextPart[] {
  const parts: TextPart[] = [];
  let match = false;
  for (const piece of marked.split(/([\uE000\uE001])/)) {
    if (piece === HIGHLIGHT_START) match = true;
    else if (piece === HIGHLIGHT_END) match = false;
    else if (piece !== '') parts.push({ text: piece, match });
  }
  return parts;
}

function hitCard(hit: SearchHit): SearchCard {
  return {
    url: assignmentPath(hit),
    title: hit.title,
    organisation: hit.organisation,
    categorySlug: hit.category,
    municipalityName: hit.municipality.name,
    localityName: hit.locality?.name ?? null,
    compensationType: hit.compensation.type,
    amountSek: hit.compensation.amountSek,
    applyBy: hit.applyBy,
    excerpt: hit.excerpt,
    workTraining: hit.workTraining,
    ...(hit.highlight?.title ? { titleParts: highlightParts(hit.highlight.title) } : {}),
    ...(hit.highlight?.excerpt ? { excerptParts: highlightParts(hit.highlight.excerpt) } : {}),
    ...(hit.distanceKm !== undefined ? { distanceKm: hit.distanceKm } : {}),
  };
}

interface Pagination {
  page: number;
  totalPages: number;
  previousUrl?: string;
  nextUrl?: string;
}

function pagination(query: Request['query'], page: number, totalPages: number): Pagination {
  const urlFor = (target: number) => urlWithQuery('/uppdrag', query, { page: target > 1 ? String(target) : undefined });
  return {
    page,
    totalPages,
    previousUrl: page > 1 ? urlFor(page - 1) : undefined,
    nextUrl: page < totalPages ? urlFor(page + 1) : undefined,
  };
}

/**
 * The facet lists: every value with hits plus the selected ones (a selected
 * value with no hits stays, so it can be unticked). Categories and compensation
 * keep their fixed order, municipalities and villages go by name, so a box does
 * not jump while the counts change.
 */
function facetOptions(
  form: SearchForm,
  reference: ReferenceData,
  facets: SearchResult['facets'] | undefined,
  t: (key: string) => string,
  categoryName: (slug: string) => string,
) {
  const count = (facet: keyof SearchResult['facets'], value: string) => (facets ? (facets[facet][value] ?? 0) : undefined);
  const shown = (option: FacetOption) => option.selected || (option.count ?? 0) > 0 || facets === undefined;
  const byName = (a: FacetOption, b: FacetOption) => a.label.localeCompare(b.label, 'sv');

  const categories = reference.categories
    .map((category) => ({
      value: category.slug,
      label: categoryName(category.slug),
      count: count('category', category.slug),
      selected: form.categories.includes(category.slug),
    }))
    .filter(shown);

  const municipalities = reference.municipalities
    .map((municipality) => ({
      value: municipality.code,
      label: municipality.shortName,
      count: count('municipality', municipality.code),
      selected: form.municipalities.includes(municipality.code),
    }))
    // Without counts all 290 would be listed: then only the chosen ones.
    .filter((option) => option.selected || (option.count ?? 0) > 0)
    .sort(byName);

  const localityOptions = Object.entries(facets?.locality ?? {})
    .filter(([slug, hits]) => hits > 0 && reference.localityBySlug.has(slug))
    .sort(([, a], [, b]) => b - a)
    .slice(0, LOCALITY_FACET_LIMIT)
    .map(([slug]) => slug);
  const localitiesWithHits = Object.values(facets?.locality ?? {}).filter((hits) => hits > 0).length;
  if (reference.localityBySlug.has(form.locality) && !localityOptions.includes(form.locality))
    localityOptions.push(form.locality);
  const localities = localityOptions
    .map((slug) => ({
      value: slug,
      label: reference.localityBySlug.get(slug)!.name,
      count: count('locality', slug),
      selected: form.locality === slug,
    }))
    .sort(byName);

  const compensation = COMPENSATION_TYPES.map((type) => ({
    value: type,
    label: t(`postings.compensationTypes.${type}`),
    count: count('compensation', type),
    selected: form.compensation.includes(type),
  })).filter(shown);

  return {
    categories,
    municipalities,
    localities,
    compensation,
    localitiesCut: localitiesWithHits > LOCALITY_FACET_LIMIT ? LOCALITY_FACET_LIMIT : undefined,
    workTrainingCount: count('workTraining', 'true'),
  };
}

/** Villages offered in the distance field: those of the chosen municipalities, else those with hits. */
function villageSuggestions(form: SearchForm, reference: ReferenceData, facets: SearchResult['facets'] | undefined): string[] {
  const { ambiguous } = villagesByName(reference);
  const localities = form.municipalities.length
    ? form.municipalities.flatMap((code) => reference.localitiesOf(code))
    : Object.keys(facets?.locality ?? {}).flatMap((slug) => reference.localityBySlug.get(slug) ?? []);
  return [...new Set(localities.slice(0, VILLAGE_SUGGESTION_LIMIT).map((l) => villageLabel(l, reference, ambiguous)))].sort(
    (a, b) => a.localeCompare(b, 'sv'),
  );
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
async function emptyStateSuggestions(
  params: SearchParams,
  result: SearchResult,
  query: Request['query'],
  search: (params: SearchParams) => Promise<SearchResult>,
): Promise<{ suggestions: Suggestion[]; didYouMean?: { url: string; words: string; count: number } }> {
  const without = (names: string[]) =>
    urlWithQuery('/uppdrag', query, Object.fromEntries([...names, 'page'].map((name) => [name, undefined])));
  const suggestions: Suggestion[] = [];
  const facetFilters = [
    ['category', params.categories.length > 0, ['category']],
    ['municipality', params.municipalities.length > 0, ['municipality']],
    ['compensation', params.compensation.length > 0, ['compensation']],
    ['workTraining', params.workTraining, ['workTraining']],
  ] as const;
  for (const [facet, active, names] of facetFilters) {
    const count = sumOf(result.facets[facet]);
    if (active && count > 0) suggestions.push({ url: without([...names]), key: facet, values: { count } });
  }
  const placeActive = params.locality !== undefined || params.radiusKm !== undefined;
  const activeGroups = facetFilters.filter(([, active]) => active).length + (placeActive ? 1 : 0);
  if (activeGroups === 0 && !params.q) return { suggestions };

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
  if (withoutPlace && withoutPlace.totalHits > 0)
    suggestions.push({
      url: without(['locality', 'from', 'near', 'radiusKm']),
      key: 'place',
      values: { count: withoutPlace.totalHits },
    });
  if (!withoutFilters || withoutFilters.totalHits === 0) return { suggestions };

  const allFiltersUrl = without([
    'category',
    'municipality',
    'locality',
    'compensation',
    'workTraining',
    'from',
    'near',
    'radiusKm',
  ]);
  // Typo tolerance found the words spelt otherwise: offer that spelling.
  const typed = params.q.toLocaleLowerCase('sv').split(/\s+/).filter(Boolean);
  const matched = params.q ? matchedWords(withoutFilters.hits[0]) : [];
  if (matched.length && !typed.every((word) => matched.includes(word))) {
    const words = matched.join(' ');
    return {
      suggestions,
      didYouMean: {
        // The corrected words alone: with the filters they found nothing either.
        url: urlWithQuery('/uppdrag', {}, { q: words, lang: typeof query.lang === 'string' ? query.lang : undefined }),
        words,
        count: withoutFilters.totalHits,
      },
    };
  }
  if (activeGroups > 1 || suggestions.length === 0)
    suggestions.push({ url: allFiltersUrl, key: 'all', values: { count: withoutFilters.totalHits } });
  return { suggestions };
}

export function searchPageRoutes(deps: AppDeps): Router {
  const router = Router();
  const options = { publicUrl: deps.config.publicUrl, reference: deps.reference, db: deps.db, log: deps.log };
  const search = (params: SearchParams): Promise<SearchResult> =>
    searchAssignments(deps.search, deps.config.meili.indexPrefix, params, options);

  router.get('/uppdrag', async (req, res) => {
    // The live update asks for the results region only; the history restore (back button) needs the whole page.
    res.vary('HX-Request');
    const partial = req.get('HX-Request') === 'true' && req.get('HX-History-Restore-Request') !== 'true';
    const t = res.locals.t as (key: string) => string;
    const categoryName = res.locals.categoryName as (slug: string) => string;
    const form = formValues(req.query);
    const errors: Record<string, string> = {};

    // The distance field names a village; the search needs its point. A typed
    // village wins over a browser position sent before.
    const query: Record<string, unknown> = { ...req.query };
    delete query.from;
    let centre: string | undefined;
    if (req.query.from !== undefined && typeof req.query.from !== 'string') errors.from = 'fromUnknown';
    else if (hasForbiddenCharacters(form.from)) errors.from = 'invalidCharacters';
    else if (form.from.trim()) {
      const { locality, error } = findVillage(form.from, deps.reference, form.municipalities);
      if (locality) {
        query.near = `${locality.lat},${locality.lng}`;
        centre = locality.name;
        form.near = '';
      } else errors.from = error!;
    }
    // Empty fields of the form are "not chosen".
    for (const name of ['near', 'radiusKm', 'sort'] as const) if (query[name] === '') delete query[name];
    if (errors.from) delete query.near;
    // A radius chosen before a place (the live update searches at once) waits
    // for the place with a note beside it, rather than failing the whole search;
    // a malformed radius is still refused like any bad input.
    let radiusWaitsForPlace = false;
    if (typeof query.radiusKm === 'string' && query.near === undefined) {
      if (!parseSearchParams({ near: '0,0', radiusKm: query.radiusKm }, deps.reference).ok) errors.radiusKm = 'radiusKm';
      else radiusWaitsForPlace = !errors.from;
      delete query.radiusKm;
    }

    const parsed = parseSearchParams(query, deps.reference);
    for (const [name, message] of Object.entries(parsed.ok ? {} : parsed.errors)) {
      // "Nearest" without a place: said as such, unless the typed village is what is missing.
      if (message === INVALID_CHARACTERS) errors[name] = 'invalidCharacters';
      else if (name === 'sort' && query.sort === 'distance') {
        if (!errors.from) errors.sort = 'sortDistance';
      } else errors[name] = name;
    }
    const hasPoint = Boolean(query.near) && !errors.near;
    const view = {
      layout: partial ? false : undefined,
      form,
      errors,
      centre,
      hasPoint,
      radiusWaitsForPlace,
      positionClearUrl: urlWithQuery('/uppdrag', req.query, {
        near: undefined,
        radiusKm: undefined,
        sort: undefined,
        page: undefined,
      }),
      sorts: SORTS,
      radii: RADIUS_CHOICES_KM,
      map: deps.config.map ? { tileUrl: deps.config.map.tileUrl, attribution: deps.config.map.attribution } : undefined,
      result: undefined as SearchResult | undefined,
      cards: [] as SearchCard[],
      mapPoints: [] as Array<{ lat: number; lng: number; title: string; url: string }>,
      pagination: { page: 1, totalPages: 0 } as Pagination,
      suggestions: [] as Suggestion[],
      didYouMean: undefined as { url: string; words: string; count: number } | undefined,
      facets: facetOptions(form, deps.reference, undefined, t, categoryName),
      villages: villageSuggestions(form, deps.reference, undefined),
    };
    const template = partial ? 'search/region' : 'search/index';
    if (!parsed.ok || Object.keys(errors).length > 0) {
      res.status(400).render(template, view);
      return;
    }
    const params = parsed.params;
    // Never fails for Meilisearch being down: PostgreSQL answers then (result.engine says which).
    const result = await search(params);
    const empty = result.totalHits === 0 ? await emptyStateSuggestions(params, result, req.query, search) : undefined;
    res.render(template, {
      ...view,
      result,
      cards: result.hits.map(hitCard),
      mapPoints: result.hits.flatMap((hit) =>
        hit.location ? [{ ...hit.location, title: hit.title, url: assignmentPath(hit) }] : [],
      ),
      pagination: pagination(req.query, result.page, result.totalPages),
      suggestions: empty?.suggestions ?? [],
      didYouMean: empty?.didYouMean,
      facets: facetOptions(form, deps.reference, result.facets, t, categoryName),
      villages: villageSuggestions(form, deps.reference, result.facets),
    });
  });

  return router;
}
