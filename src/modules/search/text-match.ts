import { plainText } from '../../web/text-blocks.js';
import { HIGHLIGHT_END, HIGHLIGHT_START } from './result.js';
import { foldDiacritics } from './swedish.js';

// Excerpts and highlights made in code, the same for both engines where the
// engine gives none: the PostgreSQL fallback, and Meilisearch matches found
// only through the folded copies of a text. And the marked text read back
// into parts, for the page and its "did you mean".

const WORD = /[\p{L}\p{N}]+/gu;
const MAX_QUERY_WORDS = 20;
const EXCERPT_WORDS = 24;

/** The words of a query, folded (lower case, no diacritics), each once. */
export function queryWords(q: string): string[] {
  return [...new Set(foldDiacritics(q).match(WORD) ?? [])].slice(0, MAX_QUERY_WORDS);
}

/**
 * True when a word of the text answers a query word: the query word begins it
 * (typing as you go), or all but its last two letters do (Swedish endings:
 * "gräsklippningen" finds "gräsklippning").
 */
function matches(textWord: string, words: string[]): boolean {
  const folded = foldDiacritics(textWord);
  return words.some((word) => folded.startsWith(word.length > 4 ? word.slice(0, -2) : word));
}

/** The text with every matching word between the highlight markers. */
export function highlightWords(text: string, words: string[]): string {
  if (words.length === 0) return text;
  return text.replace(WORD, (word) => (matches(word, words) ? `${HIGHLIGHT_START}${word}${HIGHLIGHT_END}` : word));
}

/** About 24 words of the text as plain text (web/text-blocks.ts) around the first match (from the start without one), "…" where cut. */
export function excerptAround(text: string, words: string[]): string {
  const parts = plainText(text)
    .split(/\s+/)
    .filter((part) => part !== '');
  if (parts.length <= EXCERPT_WORDS) return parts.join(' ');
  const first = words.length === 0 ? -1 : parts.findIndex((part) => (part.match(WORD) ?? []).some((w) => matches(w, words)));
  const start = Math.max(0, Math.min(first - Math.floor(EXCERPT_WORDS / 3), parts.length - EXCERPT_WORDS));
  const end = start + EXCERPT_WORDS;
  return `${start > 0 ? '…' : ''}${parts.slice(start, end).join(' ')}${end < parts.length ? '…' : ''}`;
}

/** A piece of text, marked when it is what the search matched. */
export interface TextPart {
  text: string;
  match: boolean;
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
