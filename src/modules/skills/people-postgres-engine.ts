import type { DbOrTrx } from '../../platform/db.js';
import { SWEDISH_STOP_WORDS } from '../search/index.js';
import {
  FACET_ATTRIBUTE,
  isFacetSelected,
  PEOPLE_FACETS,
  toPersonHit,
  withoutFacet,
  type PeopleFacets,
  type PeopleSearchEngine,
  type PeopleSearchParams,
} from './people-engine.js';
import { foldedWords, loadVisiblePersonDocuments, type PersonDocument } from './people-index.js';

// The same people search answered from PostgreSQL, for when Meilisearch cannot answer. The documents are built by
// the very statement that feeds the index (people-index.ts), limited in SQL to the visibilities the searcher may
// see; words, filters and facets are then matched as Meilisearch matches them: every word must be found (folded,
// so å/ä/ö and case do not matter), the last one also as the beginning of a word, with one typo allowed from five
// letters and two from nine. Meant for an outage: it reads every visible profile per search (thousands, not
// millions; the pilot's municipalities have a few thousand residents).

const STOP_WORDS = new Set(SWEDISH_STOP_WORDS.flatMap((word) => foldedWords(word)));
const MAX_WORDS = 10;

/** Levenshtein distance, stopping early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      rowMin = Math.min(rowMin, current[j]!);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

const typosAllowed = (word: string) => (word.length >= 9 ? 2 : word.length >= 5 ? 1 : 0);

/** The fewest typos with which `word` matches a word of the text, or undefined when it matches none. */
function wordMatch(word: string, textWords: readonly string[], isLast: boolean): number | undefined {
  const allowed = typosAllowed(word);
  let best: number | undefined;
  for (const textWord of textWords) {
    if (textWord === word || (isLast && textWord.startsWith(word))) return 0;
    if (allowed === 0) continue;
    let distance = editDistance(word, textWord, allowed);
    if (isLast) {
      // The last word may be the beginning of a longer word, typos included ("motrsåg" → "motorsågskörkort").
      for (let length = word.length - allowed; length <= word.length + allowed; length++) {
        if (length > 0 && length < textWord.length)
          distance = Math.min(distance, editDistance(word, textWord.slice(0, length), allowed));
      }
    }
    if (distance <= allowed) best = Math.min(best ?? distance, distance);
  }
  return best;
}

export function searchableWords(document: PersonDocument): string[] {
  return [
    ...new Set(
      [
        ...document.skillNames,
        ...document.skillSynonyms,
        ...document.offerTitles,
        ...document.villageNames,
        ...document.municipalityNames,
        document.availability,
      ].flatMap((text) => foldedWords(text)),
    ),
  ];
}

/** The query's words as Meilisearch reads them: folded, stop words dropped, at most ten. */
export function peopleQueryWords(q: string): string[] {
  return foldedWords(q)
    .filter((word) => !STOP_WORDS.has(word))
    .slice(0, MAX_WORDS);
}

function matchesFilters(document: PersonDocument, params: PeopleSearchParams): boolean {
  const any = (values: readonly string[], selected: readonly string[]) =>
    selected.length === 0 || values.some((value) => selected.includes(value));
  return (
    params.visibilities.includes(document.visibility) &&
    any(document.kinds, params.kinds) &&
    any(document.skillSlugs, params.skills) &&
    any(document.categorySlugs, params.categories) &&
    any(document.municipalityCodes, params.municipalities) &&
    any(document.localitySlugs, params.localities) &&
    any(document.levels, params.levels) &&
    (!params.confirmed || document.confirmed)
  );
}

export function peoplePostgresEngine(db: DbOrTrx): PeopleSearchEngine {
  return {
    name: 'postgres',
    async search(params) {
      const documents = await loadVisiblePersonDocuments(db, params.visibilities);
      const words = peopleQueryWords(params.q);
      // Every word must match; fewer typos rank first, then more confirmations, then the public id (as Meilisearch's
      // sort of the same data).
      const found: Array<{ document: PersonDocument; typos: number }> = [];
      for (const document of documents) {
        const textWords = searchableWords(document);
        let typos = 0;
        for (const [i, word] of words.entries()) {
          const match = wordMatch(word, textWords, i === words.length - 1);
          if (match === undefined) {
            typos = -1;
            break;
          }
          typos += match;
        }
        if (typos >= 0) found.push({ document, typos });
      }
      const hits = found
        .filter(({ document }) => matchesFilters(document, params))
        .sort(
          (a, b) =>
            a.typos - b.typos ||
            b.document.confirmedCount - a.document.confirmedCount ||
            (a.document.id < b.document.id ? -1 : a.document.id > b.document.id ? 1 : 0),
        );
      const facets = Object.fromEntries(
        PEOPLE_FACETS.map((facet) => {
          const source = isFacetSelected(params, facet) ? withoutFacet(params, facet) : params;
          const counts: Record<string, number> = {};
          for (const { document } of found) {
            if (!matchesFilters(document, source)) continue;
            const value = document[FACET_ATTRIBUTE[facet]];
            for (const item of Array.isArray(value) ? value : [value]) counts[String(item)] = (counts[String(item)] ?? 0) + 1;
          }
          return [facet, counts];
        }),
      ) as PeopleFacets;
      const start = (params.page - 1) * params.perPage;
      return {
        hits: hits.slice(start, start + params.perPage).map(({ document }) => toPersonHit(document)),
        totalHits: hits.length,
        page: params.page,
        totalPages: Math.ceil(hits.length / params.perPage),
        facets,
        engine: 'postgres',
      };
    },
  };
}
