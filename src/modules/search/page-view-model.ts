import type { ReferenceData } from '../../platform/reference-data.js';
import { urlWithQuery } from '../../web/query-string.js';
import { assignmentPath, COMPENSATION_TYPES, type AssignmentCard } from '../assignments/index.js';
import { SORTS } from './params.js';
import type { SearchHit, SearchResult } from './result.js';
import type { Alternative, EmptyState, SearchForm, SearchPage } from './search-page.js';
import { highlightParts, type TextPart } from './text-match.js';
import { villageLabel } from './villages.js';

// What views/search/index.ejs and region.ejs show, made from the search page's
// outcome and the request's query (every link keeps the rest of the search).

const RADIUS_CHOICES_KM = ['5', '10', '25', '50', '100'] as const;
/** Villages in the facet: the ones with most hits, so the list stays short. */
const LOCALITY_FACET_LIMIT = 40;
/**
 * Municipalities as checkboxes: the ones with most hits; the rest are one choice away in a list ("Fler
 * kommuner"). A search over the whole country has hits in all 290, and 290 checkboxes were more than half of
 * the page's bytes (and 290 stops for a keyboard) — issue 16, the page's cost per search.
 */
const MUNICIPALITY_CHECKBOX_LIMIT = 20;
/** Villages offered as suggestions for the distance field. */
const VILLAGE_SUGGESTION_LIMIT = 100;

/** The parameters each alternative of the empty state leaves out of the URL. */
const DROPPED_PARAMETERS: Record<Alternative['drop'], string[]> = {
  category: ['category'],
  municipality: ['municipality'],
  compensation: ['compensation'],
  workTraining: ['workTraining'],
  place: ['locality', 'from', 'near', 'radiusKm'],
  all: ['category', 'municipality', 'locality', 'compensation', 'workTraining', 'from', 'near', 'radiusKm'],
};

type Query = Record<string, unknown>;

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

interface Pagination {
  page: number;
  totalPages: number;
  previousUrl?: string;
  nextUrl?: string;
}

export interface SearchPageViewContext {
  reference: ReferenceData;
  map?: { tileUrl: string; attribution: string };
  t: (key: string) => string;
  categoryName: (slug: string) => string;
}

export function searchPageView(page: SearchPage, query: Query, context: SearchPageViewContext) {
  const { form, result } = page;
  const { reference, map, t, categoryName } = context;
  const empty = page.emptyState && emptyStateLinks(page.emptyState, query);
  return {
    form,
    errors: page.errors,
    centre: page.centre,
    hasPoint: page.hasPoint,
    radiusWaitsForPlace: page.radiusWaitsForPlace,
    positionClearUrl: urlWithQuery('/uppdrag', query, { near: undefined, radiusKm: undefined, sort: undefined, page: undefined }),
    sorts: SORTS,
    radii: RADIUS_CHOICES_KM,
    map: map ? { tileUrl: map.tileUrl, attribution: map.attribution } : undefined,
    result,
    cards: result?.hits.map((hit) => hitCard(hit, page.organisations?.get(hit.id))) ?? [],
    mapPoints:
      result?.hits.flatMap((hit) => (hit.location ? [{ ...hit.location, title: hit.title, url: assignmentPath(hit) }] : [])) ??
      [],
    pagination: result ? pagination(query, result.page, result.totalPages) : { page: 1, totalPages: 0 },
    suggestions: empty?.suggestions ?? [],
    didYouMean: empty?.didYouMean,
    facets: facetOptions(form, reference, result?.facets, t, categoryName),
    villages: villageSuggestions(form, reference, result?.facets),
  };
}

function hitCard(hit: SearchHit, organisation: { slug: string; verified: boolean } | undefined): SearchCard {
  return {
    url: assignmentPath(hit),
    title: hit.title,
    organisation: hit.organisation,
    // An assignment gone from the database since it was indexed: its name without a link.
    organisationSlug: organisation?.slug,
    organisationVerified: organisation?.verified ?? false,
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

function pagination(query: Query, page: number, totalPages: number): Pagination {
  const urlFor = (target: number) => urlWithQuery('/uppdrag', query, { page: target > 1 ? String(target) : undefined });
  return {
    page,
    totalPages,
    previousUrl: page > 1 ? urlFor(page - 1) : undefined,
    nextUrl: page < totalPages ? urlFor(page + 1) : undefined,
  };
}

/** The empty state as links: each alternative is this search without its filters; "did you mean" is the words alone. */
function emptyStateLinks(
  { alternatives, didYouMean }: EmptyState,
  query: Query,
): { suggestions: Suggestion[]; didYouMean?: { url: string; words: string; count: number } } {
  const without = (names: string[]) =>
    urlWithQuery('/uppdrag', query, Object.fromEntries([...names, 'page'].map((name) => [name, undefined])));
  return {
    suggestions: alternatives.map(({ drop, count }) => ({
      url: without(DROPPED_PARAMETERS[drop]),
      key: drop,
      values: { count },
    })),
    didYouMean: didYouMean && {
      // The corrected words alone: with the filters they found nothing either.
      url: urlWithQuery('/uppdrag', {}, { q: didYouMean.words, lang: typeof query.lang === 'string' ? query.lang : undefined }),
      ...didYouMean,
    },
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
    .filter((option) => option.selected || (option.count ?? 0) > 0);
  const boxed = new Set(
    [...municipalities]
      .sort((a, b) => (b.count ?? 0) - (a.count ?? 0))
      .slice(0, MUNICIPALITY_CHECKBOX_LIMIT)
      .map((option) => option.value),
  );
  const inBoxes = (option: FacetOption) => option.selected || boxed.has(option.value);

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
    municipalities: municipalities.filter(inBoxes).sort(byName),
    moreMunicipalities: municipalities.filter((option) => !inBoxes(option)).sort(byName),
    localities,
    compensation,
    localitiesCut: localitiesWithHits > LOCALITY_FACET_LIMIT ? LOCALITY_FACET_LIMIT : undefined,
    workTrainingCount: count('workTraining', 'true'),
  };
}

/** Villages offered in the distance field: those of the chosen municipalities, else those with hits. */
function villageSuggestions(form: SearchForm, reference: ReferenceData, facets: SearchResult['facets'] | undefined): string[] {
  const localities = form.municipalities.length
    ? form.municipalities.flatMap((code) => reference.localitiesOf(code))
    : Object.keys(facets?.locality ?? {}).flatMap((slug) => reference.localityBySlug.get(slug) ?? []);
  return [...new Set(localities.slice(0, VILLAGE_SUGGESTION_LIMIT).map((l) => villageLabel(l, reference)))].sort((a, b) =>
    a.localeCompare(b, 'sv'),
  );
}
