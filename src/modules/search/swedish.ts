// Swedish text helpers for search: the stop words Meilisearch skips in
// queries, and diacritic folding as Meilisearch normalises text.

/**
 * Function words that carry no meaning in a search ("hjälp med snöskottning"
 * should rank like "snöskottning"). Kept short on purpose: only words that are
 * never the point of a query. Meilisearch still matches a stop word typed as the
 * last, unfinished word as a prefix ("för" → "förening"), see test/search/search-index.test.ts.
 */
export const SWEDISH_STOP_WORDS: readonly string[] = [
  'alla',
  'att',
  'av',
  'de',
  'dem',
  'den',
  'denna',
  'dessa',
  'det',
  'detta',
  'du',
  'där',
  'eller',
  'en',
  'er',
  'ett',
  'från',
  'för',
  'han',
  'har',
  'hon',
  'hos',
  'i',
  'inte',
  'jag',
  'man',
  'med',
  'men',
  'mot',
  'när',
  'och',
  'om',
  'oss',
  'på',
  'sig',
  'sin',
  'sina',
  'sitt',
  'som',
  'så',
  'till',
  'var',
  'vi',
  'vid',
  'är',
];

/**
 * Lower case without diacritics: "Älmsta" → "almsta", "Örträsk" → "ortrask",
 * "Café" → "cafe" — what Meilisearch's default normaliser does to the index
 * and the queries, for code that matches text itself (excerpts, the
 * PostgreSQL fallback).
 */
export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase();
}
