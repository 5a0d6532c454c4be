import { Router } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { noStore } from '../../web/cache.js';
import { PEOPLE_FACETS, type PeopleFacet } from './people-engine.js';
import { LEVELS } from './people-index.js';
import { peopleSearchPage, RADII, type PeopleSearchDeps, type PeopleSearchPage } from './people-search-service.js';
import { SKILL_KINDS } from './vocabulary-queries.js';

// GET /kompetens: find people by skill, certificate, language, village and radius. An ordinary GET form (every
// state in the URL), server-rendered, for everyone; what a searcher sees is scoped in the service by who they are.
// Not cached (no-store): the same URL shows organisation members more than visitors.

interface FacetOption {
  value: string;
  label: string;
  count: number;
  selected: boolean;
}

const FORM_FIELD: Record<PeopleFacet, 'kinds' | 'skills' | 'categories' | 'municipalities' | 'levels' | 'confirmed'> = {
  kind: 'kinds',
  skill: 'skills',
  category: 'categories',
  municipality: 'municipalities',
  level: 'levels',
  confirmed: 'confirmed',
};

function facetOptions(
  page: PeopleSearchPage,
  facet: PeopleFacet,
  label: (value: string) => string,
  order?: readonly string[],
): FacetOption[] {
  const counts = page.result?.facets[facet] ?? {};
  const field = FORM_FIELD[facet];
  const selectedValues = field === 'confirmed' ? (page.form.confirmed ? ['true'] : []) : page.form[field];
  const values = new Set([...Object.keys(counts), ...selectedValues.filter((value) => value in counts || !page.errors[facet])]);
  if (facet === 'confirmed') {
    values.delete('false');
    if (!values.has('true') && !page.form.confirmed) return [];
  }
  const options = [...values].map((value) => ({
    value,
    label: label(value),
    count: counts[value] ?? 0,
    selected: selectedValues.includes(value),
  }));
  return order
    ? options.sort((a, b) => order.indexOf(a.value) - order.indexOf(b.value))
    : options.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'sv'));
}

export function peopleRoutes(deps: AppDeps): Router {
  const router = Router();
  const searchDeps: PeopleSearchDeps = {
    client: deps.search,
    indexPrefix: deps.config.meili.indexPrefix,
    db: deps.db,
    log: deps.log,
    reference: deps.reference,
  };

  router.get('/kompetens', noStore, async (req, res) => {
    const page = await peopleSearchPage(searchDeps, req.actor, req.query);
    const t = res.locals.t as (key: string, options?: Record<string, unknown>) => string;
    const lang = res.locals.lang as 'sv' | 'en';
    const skillName = (slug: string) => {
      const skill = page.skillNames.get(slug);
      return skill ? (lang === 'sv' ? skill.nameSv : skill.nameEn) : slug;
    };
    const reference = deps.reference;
    const facets = {
      kind: facetOptions(page, 'kind', (kind) => t(`peopleSearch.kinds.${kind}`), SKILL_KINDS),
      skill: facetOptions(page, 'skill', skillName),
      category: facetOptions(page, 'category', res.locals.categoryName as (slug: string) => string),
      municipality: facetOptions(page, 'municipality', (code) => reference.municipalityByCode.get(code)?.shortName ?? code),
      level: facetOptions(page, 'level', (level) => t(`peopleSearch.levels.${level}`), LEVELS),
      confirmed: facetOptions(page, 'confirmed', () => t('peopleSearch.confirmedOnly')),
    };
    if (!page.result) res.status(400);
    res.render('skills/people-search', {
      ...page,
      facets,
      facetNames: PEOPLE_FACETS,
      radii: RADII,
      skillName,
      municipalityName: (code: string) => reference.municipalityByCode.get(code)?.shortName ?? code,
      pageQuery: req.query,
    });
  });

  return router;
}
