import { MeilisearchError } from 'meilisearch';
import type { DbOrTrx } from '../../platform/db.js';
import type { Logger } from '../../platform/logger.js';
import type { Meilisearch } from '../../platform/meilisearch.js';
import type { ReferenceData } from '../../platform/reference-data.js';
import { formText, hasForbiddenCharacters } from '../../platform/validation.js';
import { competenceVisibilitiesFor, type Actor } from '../access/index.js';
import { distanceKm, findVillage, SEARCH_TIMEOUT_MS } from '../search/index.js';
import type { PeopleSearchParams, PeopleSearchResult } from './people-engine.js';
import { LEVELS, type Level, type Visibility } from './people-index.js';
import { peopleMeilisearchEngine } from './people-meilisearch-engine.js';
import { peoplePostgresEngine } from './people-postgres-engine.js';
import { SKILL_KINDS, type SkillKind } from './vocabulary-queries.js';

// The use case of GET /kompetens: read the form (every value checked against a fixed list, the reference data or
// the vocabulary, so nothing typed reaches a filter except as a known slug or code), scope it to what the actor may
// see (competenceVisibilitiesFor: organisation members see 'organisations' and 'public' profiles, everyone else only
// 'public' ones — never taken from the query), and search: Meilisearch with a short timeout, else PostgreSQL.

export const PEOPLE_PER_PAGE = 20;
export const MAX_PAGE = 500;
export const MAX_QUERY_LENGTH = 200;
export const MAX_VALUES = 50;
export const RADII = ['5', '10', '20', '50', '100'] as const;

/** What the user sent, echoed into the form as given (EJS escapes it). */
export interface PeopleForm {
  q: string;
  from: string;
  radiusKm: string;
  kinds: string[];
  skills: string[];
  categories: string[];
  municipalities: string[];
  levels: string[];
  confirmed: boolean;
}

/** Field → the key of its message under peopleSearch.errors. */
export type PeopleErrors = Record<string, string>;

export interface PeopleSearchPage {
  form: PeopleForm;
  errors: PeopleErrors;
  /** Undefined when the input was refused: nothing was searched. */
  result?: PeopleSearchResult;
  /** Names of the skills in the facets and the selection, by slug. */
  skillNames: Map<string, { nameSv: string; nameEn: string; kind: SkillKind }>;
  page: number;
}

export interface PeopleSearchDeps {
  client: Meilisearch | undefined;
  indexPrefix: string;
  db: DbOrTrx;
  log?: Logger;
  reference: ReferenceData;
}

type Query = Record<string, unknown>;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ECHO = 300;

function formValues(query: Query): PeopleForm {
  const texts = (value: unknown) =>
    (Array.isArray(value) ? value : [value])
      .filter((item): item is string => typeof item === 'string')
      .slice(0, MAX_VALUES)
      .map((item) => item.slice(0, ECHO));
  return {
    q: formText(query.q, ECHO),
    from: formText(query.from, ECHO),
    radiusKm: formText(query.radiusKm, ECHO),
    kinds: texts(query.kind),
    skills: texts(query.skill),
    categories: texts(query.category),
    municipalities: texts(query.municipality),
    levels: texts(query.level),
    confirmed: query.confirmed === 'true',
  };
}

function single(query: Query, name: string, errors: PeopleErrors): string {
  const value = query[name];
  if (value === undefined) return '';
  if (typeof value !== 'string') {
    errors[name] = 'once';
    return '';
  }
  if (hasForbiddenCharacters(value)) {
    errors[name] = 'characters';
    return '';
  }
  return value.trim();
}

function many(query: Query, name: string, errors: PeopleErrors, allowed: (value: string) => boolean): string[] {
  const value = query[name];
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  if (!values.every((item): item is string => typeof item === 'string')) {
    errors[name] = 'plain';
    return [];
  }
  if (values.length > MAX_VALUES) {
    errors[name] = 'tooMany';
    return [];
  }
  const kept = [...new Set(values.map((item) => item.trim()).filter((item) => item !== ''))];
  if (kept.some((item) => hasForbiddenCharacters(item) || !allowed(item))) {
    errors[name] = 'unknown';
    return [];
  }
  return kept;
}

async function knownSkillSlugs(db: DbOrTrx, slugs: readonly string[]): Promise<Set<string>> {
  const wellFormed = slugs.filter((slug) => slug.length <= 80 && SLUG.test(slug));
  if (wellFormed.length === 0) return new Set();
  return new Set((await db('skills').whereIn('slug', wellFormed).whereNull('merged_into_id').pluck('slug')) as string[]);
}

/** Reads and checks the form; the actor's visibilities go in here and nowhere else. */
export async function readPeopleQuery(
  deps: Pick<PeopleSearchDeps, 'db' | 'reference'>,
  actor: Actor,
  query: Query,
): Promise<{ form: PeopleForm; errors: PeopleErrors; params?: PeopleSearchParams }> {
  const form = formValues(query);
  const errors: PeopleErrors = {};
  const { reference } = deps;

  const q = single(query, 'q', errors);
  if (q.length > MAX_QUERY_LENGTH) errors.q = 'tooLong';
  const kinds = many(query, 'kind', errors, (kind) => (SKILL_KINDS as readonly string[]).includes(kind)) as SkillKind[];
  const typedSkills = many(query, 'skill', errors, (slug) => slug.length <= 80 && SLUG.test(slug));
  const known = await knownSkillSlugs(deps.db, typedSkills);
  if (typedSkills.some((slug) => !known.has(slug))) errors.skill = 'unknown';
  const categories = many(query, 'category', errors, (slug) => reference.categoryBySlug.has(slug));
  const municipalities = many(query, 'municipality', errors, (code) => reference.municipalityByCode.has(code));
  const levels = many(query, 'level', errors, (level) => (LEVELS as readonly string[]).includes(level)) as Level[];
  const confirmedText = single(query, 'confirmed', errors);
  if (!['', 'true', 'false'].includes(confirmedText)) errors.confirmed = 'unknown';

  // Near a village: the villages within the radius of the one typed (its own municipality's choice settles a
  // name shared by several). Without a radius, that village only.
  let localities: string[] = [];
  const from = single(query, 'from', errors);
  const radiusText = single(query, 'radiusKm', errors);
  if (radiusText && !(RADII as readonly string[]).includes(radiusText)) errors.radiusKm = 'radius';
  if (from.length > 100) errors.from = 'tooLong';
  else if (from) {
    const { locality, error } = findVillage(from, reference, municipalities);
    if (!locality) errors.from = error === 'fromAmbiguous' ? 'villageAmbiguous' : 'villageUnknown';
    else if (!errors.radiusKm) {
      const radius = Number(radiusText || 0);
      localities = radius
        ? [...reference.localityBySlug.values()]
            .filter((candidate) => distanceKm(locality, candidate) <= radius)
            .map((candidate) => candidate.slug)
        : [locality.slug];
    }
  }

  const pageText = single(query, 'page', errors);
  let page = 1;
  if (pageText) {
    if (!/^\d{1,4}$/.test(pageText) || Number(pageText) < 1 || Number(pageText) > MAX_PAGE) errors.page = 'page';
    else page = Number(pageText);
  }

  if (Object.keys(errors).length > 0) return { form, errors };
  return {
    form,
    errors,
    params: {
      q,
      visibilities: competenceVisibilitiesFor(actor).filter((visibility): visibility is Visibility => visibility !== 'hidden'),
      kinds,
      skills: typedSkills,
      categories,
      municipalities,
      localities,
      levels,
      confirmed: confirmedText === 'true',
      page,
      perPage: PEOPLE_PER_PAGE,
    },
  };
}

const lastWarning = new WeakMap<Logger, number>();

/** Meilisearch with a short timeout; on its failure (only) the same search from PostgreSQL. */
export async function searchPeople(
  deps: Pick<PeopleSearchDeps, 'client' | 'indexPrefix' | 'db' | 'log'>,
  params: PeopleSearchParams,
  options: { timeoutMs?: number } = {},
): Promise<PeopleSearchResult> {
  if (deps.client) {
    try {
      return await peopleMeilisearchEngine(deps.client, deps.indexPrefix, {
        timeoutMs: options.timeoutMs ?? SEARCH_TIMEOUT_MS,
      }).search(params);
    } catch (error) {
      if (!(error instanceof MeilisearchError)) throw error;
      if (deps.log && Date.now() - (lastWarning.get(deps.log) ?? 0) > 60_000) {
        lastWarning.set(deps.log, Date.now());
        deps.log.warn({ reason: error.name }, 'Meilisearch cannot answer; people searches are answered from PostgreSQL');
      }
    }
  }
  return peoplePostgresEngine(deps.db).search(params);
}

/** GET /kompetens: the form, its errors, and the result when the input was acceptable. */
export async function peopleSearchPage(deps: PeopleSearchDeps, actor: Actor, query: Query): Promise<PeopleSearchPage> {
  const { form, errors, params } = await readPeopleQuery(deps, actor, query);
  const slugs = new Set(form.skills.filter((slug) => SLUG.test(slug) && slug.length <= 80));
  let result: PeopleSearchResult | undefined;
  if (params) {
    result = await searchPeople(deps, params);
    for (const slug of Object.keys(result.facets.skill)) slugs.add(slug);
  }
  const rows = slugs.size
    ? ((await deps
        .db('skills')
        .whereIn('slug', [...slugs])
        .select({
          slug: 'slug',
          nameSv: 'name_sv',
          nameEn: 'name_en',
          kind: 'kind',
        })) as Array<{ slug: string; nameSv: string; nameEn: string; kind: SkillKind }>)
    : [];
  return {
    form,
    errors,
    result,
    skillNames: new Map(rows.map((row) => [row.slug, row])),
    page: params?.page ?? 1,
  };
}
