import type { DbOrTrx } from '../../platform/db.js';
import { assignmentsAwaitingIndex } from '../assignments/index.js';
import type { IndexAnswer } from './meilisearch-engine.js';
import type { SearchParams } from './params.js';
import { distanceKm, FACET_NAMES, type Facets, type SearchHit, type SearchResult } from './result.js';

// Fresh within a second (issue 16). Meilisearch needs about a second, at times three, to index one document
// into 100 000 on this machine, however small the change (docs/PERFORMANCE.md). Until an assignment's index
// job has finished, the index shows an older version of it, or nothing. So a search leaves those assignments
// out of Meilisearch's answer and asks PostgreSQL about them alone, with the same words, filters and sort, and
// merges the two: hits in the sort's order, totals and facet counts added. The set is the index jobs waiting
// or running, read from the job queue (no table of our own to keep in step); it is usually empty, and then a
// search costs what it did before.
//
// While an assignment waits for the index it is matched the database's way: words and prefixes, no typo
// tolerance or synonyms. For the second or two that lasts, that is the trade: the one who just published finds
// it by its words at once.

/** How long one process reuses the set it read: a publish is searchable at most this much later. */
export const AWAITING_TTL_MS = 200;
/**
 * Above this many waiting assignments (a bulk change, the worker down) the index answers alone, as before:
 * a filter of thousands of ids and a database search among them would cost every search more than it gives.
 */
export const MAX_AWAITING = 500;

interface Cached {
  at: number;
  ids: Promise<number[]>;
}
const cache = new WeakMap<object, Cached>();

/** The assignments whose index job has not finished, read at most once per AWAITING_TTL_MS per database handle. */
export function awaitingIndex(db: DbOrTrx, now = performance.now()): Promise<number[]> {
  const cached = cache.get(db);
  if (cached && now - cached.at < AWAITING_TTL_MS) return cached.ids;
  // Concurrent searches share one read; a failed read is not kept.
  const ids = assignmentsAwaitingIndex(db);
  cache.set(db, { at: now, ids });
  ids.catch(() => {
    if (cache.get(db)?.ids === ids) cache.delete(db);
  });
  return ids;
}

/**
 * Negative when `a` comes before `b` in the search's order; 0 when the sort cannot tell them apart (then an
 * assignment from the database goes first). Mirrors buildSort (meilisearch-engine.ts) and ordered
 * (postgres-engine.ts), with missing values last as both engines put them.
 */
export function hitOrder(params: SearchParams): (a: SearchHit, b: SearchHit) => number {
  const newest = (a: SearchHit, b: SearchHit) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt);
  const missingLast = <T>(a: T | null | undefined, b: T | null | undefined, compare: (x: T, y: T) => number) =>
    a == null ? (b == null ? 0 : 1) : b == null ? -1 : compare(a, b);
  switch (params.sort) {
    case 'newest':
      return newest;
    case 'pay':
      return (a, b) => missingLast(a.compensation.amountSek, b.compensation.amountSek, (x, y) => y - x) || newest(a, b);
    case 'deadline':
      return (a, b) => missingLast(a.applyBy, b.applyBy, (x, y) => x.localeCompare(y)) || newest(a, b);
    case 'distance': {
      const near = params.near;
      if (!near) return () => 0;
      const km = (hit: SearchHit) => (hit.location ? distanceKm(near, hit.location) : undefined);
      return (a, b) => missingLast(km(a), km(b), (x, y) => x - y);
    }
    case 'relevance':
      // Two engines' relevance cannot be compared: the few fresh matches go first.
      return params.q ? () => 0 : newest;
  }
}

/**
 * Where to read the index's hits so that the merged page is exact: `awaiting` fresh hits can push index hits
 * back by at most that many places.
 */
export function indexWindow(params: SearchParams, awaiting: number): { offset: number; limit: number } {
  const pageStart = (params.page - 1) * params.perPage;
  const offset = Math.max(0, pageStart - awaiting);
  return { offset, limit: params.perPage + (pageStart - offset) };
}

/**
 * The page the params ask for from `indexed` (the index's hits from `indexOffset` on, without the fresh
 * assignments) and `fresh` (every fresh hit, in the search's order).
 */
export function mergeHits(
  params: SearchParams,
  indexed: { hits: SearchHit[]; offset: number; totalHits: number },
  fresh: SearchHit[],
): SearchHit[] {
  const order = hitOrder(params);
  const pageStart = (params.page - 1) * params.perPage;
  const pageEnd = pageStart + params.perPage;
  const placed: Array<{ at: number; hit: SearchHit }> = [];
  // An index hit's place: its own, plus the fresh hits before it (ties: fresh first).
  indexed.hits.forEach((hit, i) => {
    const at = indexed.offset + i + fresh.filter((other) => order(other, hit) <= 0).length;
    if (at >= pageStart && at < pageEnd) placed.push({ at, hit });
  });
  // A fresh hit's place: the fresh hits before it, plus the index hits before it — known only inside the window.
  const windowEnd = indexed.offset + indexed.hits.length;
  fresh.forEach((hit, i) => {
    const before = indexed.hits.filter((other) => order(other, hit) < 0).length;
    // Before the window's first index hit: it lies before the page (indexWindow's margin).
    if (before === 0 && indexed.offset > 0) return;
    // After the window's last index hit while the index has more: it lies after the page.
    if (before === indexed.hits.length && windowEnd < indexed.totalHits) return;
    const at = indexed.offset + before + i;
    if (at >= pageStart && at < pageEnd) placed.push({ at, hit });
  });
  return placed.sort((a, b) => a.at - b.at).map(({ hit }) => hit);
}

function addFacets(a: Facets, b: Facets): Facets {
  return Object.fromEntries(
    FACET_NAMES.map((facet) => {
      const sum = { ...a[facet] };
      for (const [value, count] of Object.entries(b[facet])) sum[value] = (sum[value] ?? 0) + count;
      return [facet, sum];
    }),
  ) as Facets;
}

/** One answer from the index's part (without the fresh ones) and the database's (only the fresh ones). */
export function mergeFresh(params: SearchParams, indexed: IndexAnswer & { offset: number }, fresh: SearchResult): SearchResult {
  const totalHits = indexed.totalHits + fresh.totalHits;
  return {
    hits: mergeHits(params, indexed, [...fresh.hits].sort(hitOrder(params))),
    totalHits,
    page: params.page,
    totalPages: Math.ceil(totalHits / params.perPage),
    facets: addFacets(indexed.facets, fresh.facets),
    engine: 'meilisearch',
  };
}
