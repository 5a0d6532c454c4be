import type { EngineName } from '../search/index.js';
import type { Level, PersonDocument, PersonSkill, PersonVillage, Visibility } from './people-index.js';
import type { SkillKind } from './vocabulary-queries.js';

// What both people-search engines answer (the same contract as the assignments' engines, search/result.ts):
// Meilisearch when it answers, PostgreSQL when it cannot. Filters inside one facet are alternatives (OR), facets
// together narrow (AND); each facet's counts ignore its own selection (disjunctive facets).

export const PEOPLE_FACETS = ['kind', 'skill', 'category', 'municipality', 'level', 'confirmed'] as const;
export type PeopleFacet = (typeof PEOPLE_FACETS)[number];
export type PeopleFacets = Record<PeopleFacet, Record<string, number>>;

/** The document attribute each facet counts and filters. */
export const FACET_ATTRIBUTE = {
  kind: 'kinds',
  skill: 'skillSlugs',
  category: 'categorySlugs',
  municipality: 'municipalityCodes',
  level: 'levels',
  confirmed: 'confirmed',
} as const satisfies Record<PeopleFacet, keyof PersonDocument>;

export interface PeopleSearchParams {
  q: string;
  /** Who the searcher may see: set by the service from the actor, never from the query. */
  visibilities: Visibility[];
  kinds: SkillKind[];
  skills: string[];
  categories: string[];
  municipalities: string[];
  /** The villages within the chosen radius of the chosen village (any of them). */
  localities: string[];
  levels: Level[];
  confirmed: boolean;
  page: number;
  perPage: number;
}

/** A person card: only what the document holds for the card, nothing else. */
export interface PersonHit {
  publicId: string;
  name: string;
  availability: string;
  villages: PersonVillage[];
  skills: PersonSkill[];
  offerTitles: string[];
}

export interface PeopleSearchResult {
  hits: PersonHit[];
  totalHits: number;
  page: number;
  totalPages: number;
  facets: PeopleFacets;
  engine: EngineName;
}

export interface PeopleSearchEngine {
  readonly name: EngineName;
  search(params: PeopleSearchParams): Promise<PeopleSearchResult>;
}

export function toPersonHit(document: PersonDocument): PersonHit {
  return {
    publicId: document.id,
    name: document.name,
    availability: document.availability,
    villages: document.villages,
    skills: document.skills,
    offerTitles: document.offerTitles,
  };
}

export function isFacetSelected(params: PeopleSearchParams, facet: PeopleFacet): boolean {
  switch (facet) {
    case 'kind':
      return params.kinds.length > 0;
    case 'skill':
      return params.skills.length > 0;
    case 'category':
      return params.categories.length > 0;
    case 'municipality':
      return params.municipalities.length > 0;
    case 'level':
      return params.levels.length > 0;
    case 'confirmed':
      return params.confirmed;
  }
}

export function withoutFacet(params: PeopleSearchParams, facet: PeopleFacet): PeopleSearchParams {
  switch (facet) {
    case 'kind':
      return { ...params, kinds: [] };
    case 'skill':
      return { ...params, skills: [] };
    case 'category':
      return { ...params, categories: [] };
    case 'municipality':
      return { ...params, municipalities: [] };
    case 'level':
      return { ...params, levels: [] };
    case 'confirmed':
      return { ...params, confirmed: false };
  }
}

export const emptyFacets = (): PeopleFacets =>
  Object.fromEntries(PEOPLE_FACETS.map((facet) => [facet, {} as Record<string, number>])) as PeopleFacets;
