import { expect } from 'chai';
import fc from 'fast-check';
import { hitOrder, indexWindow, mergeHits } from '../../src/modules/search/fresh.js';
import type { SearchParams, Sort } from '../../src/modules/search/params.js';
import type { SearchHit } from '../../src/modules/search/result.js';

// The merge of the index's answer (without the assignments whose index job runs) and the database's answer
// (only those): whatever the sort, page and ties, the page must be the page of the one list both make together.

const SORTS: Sort[] = ['relevance', 'newest', 'pay', 'deadline', 'distance'];
const BASE_TIME = Date.parse('2026-12-01T00:00:00Z');

function hit(id: number, key: { day: number; pay: number | null; applyBy: number | null; km: number | null }): SearchHit {
  return {
    id,
    title: `Uppdrag ${id}`,
    url: `http://localhost/uppdrag/${id}`,
    category: 'snorojning',
    municipality: { code: '2481', name: 'Lycksele' },
    locality: null,
    compensation: { type: 'fixed', amountSek: key.pay },
    organisation: 'Byaföreningen',
    excerpt: '',
    // Few distinct values, so that ties are common.
    publishedAt: new Date(BASE_TIME + key.day * 86_400_000).toISOString(),
    applyBy: key.applyBy === null ? null : `2027-01-${String(10 + key.applyBy).padStart(2, '0')}`,
    workTraining: false,
    ...(key.km === null ? {} : { location: { lat: 64.6 + key.km / 111.2, lng: 18.7 } }),
  };
}

const params = (sort: Sort, page: number, perPage: number, q: string): SearchParams => ({
  q,
  categories: [],
  municipalities: [],
  compensation: [],
  workTraining: false,
  near: { lat: 64.6, lng: 18.7 },
  radiusKm: undefined,
  sort,
  page,
  perPage,
});

/** The one list: both sorted, merged with the database's hit first on a tie (as mergeHits promises). */
function together(search: SearchParams, indexed: SearchHit[], fresh: SearchHit[]): SearchHit[] {
  const order = hitOrder(search);
  const merged: SearchHit[] = [];
  let i = 0;
  let j = 0;
  while (i < indexed.length || j < fresh.length) {
    if (j < fresh.length && (i >= indexed.length || order(fresh[j]!, indexed[i]!) <= 0)) merged.push(fresh[j++]!);
    else merged.push(indexed[i++]!);
  }
  return merged;
}

const key = fc.record({
  day: fc.integer({ min: 0, max: 4 }),
  pay: fc.option(fc.integer({ min: 1, max: 4 }).map((n) => n * 100)),
  applyBy: fc.option(fc.integer({ min: 0, max: 3 })),
  km: fc.option(fc.integer({ min: 0, max: 5 })),
});

describe('Fresh search: merging the index’s hits with the ones it has not caught up with', () => {
  it('when any sort, page and ties, then the merged page is that page of the one list (property)', () => {
    fc.assert(
      fc.property(
        fc.array(key, { maxLength: 60 }),
        fc.array(key, { maxLength: 8 }),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom(...SORTS),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 10 }),
        fc.boolean(),
        (indexedKeys, freshKeys, extraAwaiting, sort, page, perPage, withWords) => {
          const search = params(sort, page, perPage, withWords ? 'snö' : '');
          const order = hitOrder(search);
          // The index keeps its own order among equals: here, the order the keys came in.
          const indexed = indexedKeys.map((k, i) => hit(i + 1, k)).sort(order);
          const fresh = freshKeys.map((k, i) => hit(1000 + i, k)).sort(order);
          // The waiting set may be larger than the fresh hits (some do not match the search).
          const window = indexWindow(search, fresh.length + extraAwaiting);
          const merged = mergeHits(
            search,
            {
              hits: indexed.slice(window.offset, window.offset + window.limit),
              offset: window.offset,
              totalHits: indexed.length,
            },
            fresh,
          );
          const pageStart = (page - 1) * perPage;
          const expected = together(search, indexed, fresh).slice(pageStart, pageStart + perPage);
          expect(merged.map((h) => h.id)).to.deep.equal(expected.map((h) => h.id));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('when the words rank, then the fresh matches come first on the first page, and the index’s follow in its order', () => {
    const search = params('relevance', 1, 3, 'snö');
    const indexed = [
      hit(1, { day: 4, pay: null, applyBy: null, km: null }),
      hit(2, { day: 0, pay: null, applyBy: null, km: null }),
    ];
    const fresh = [hit(9, { day: 0, pay: null, applyBy: null, km: null })];
    const window = indexWindow(search, 1);
    expect(window).to.deep.equal({ offset: 0, limit: 3 });
    expect(mergeHits(search, { hits: indexed, offset: 0, totalHits: 2 }, fresh).map((h) => h.id)).to.deep.equal([9, 1, 2]);
  });

  it('when sorted by pay, then assignments without an amount come last from both sides', () => {
    const search = params('pay', 1, 4, '');
    const indexed = [
      hit(1, { day: 0, pay: 300, applyBy: null, km: null }),
      hit(2, { day: 0, pay: null, applyBy: null, km: null }),
    ];
    const fresh = [hit(8, { day: 0, pay: 400, applyBy: null, km: null }), hit(9, { day: 1, pay: null, applyBy: null, km: null })];
    expect(mergeHits(search, { hits: indexed, offset: 0, totalHits: 2 }, fresh).map((h) => h.id)).to.deep.equal([8, 1, 9, 2]);
  });
});
