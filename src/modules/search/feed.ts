import type { SearchResult } from './result.js';

// An Atom 1.0 feed (RFC 4287) of a search's newest matches, built as a string:
// every text and attribute goes through xmlText(), which escapes markup and
// drops the characters XML 1.0 cannot carry at all.

export const FEED_SIZE = 50;

// XML 1.0 allows tab, newline, carriage return and everything from U+0020 except
// surrogates (paired ones form valid characters and are kept by the u flag) and U+FFFE/U+FFFF.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export interface FeedText {
  title: string;
  /** Absolute URL of this feed (its id and rel="self"). */
  selfUrl: string;
  /** Absolute URL of the same search as a page. */
  pageUrl: string;
  language: string;
}

export function atomFeed(result: SearchResult, text: FeedText, publicUrl: string, now = new Date()): string {
  // The feed changed when its newest entry appeared; an empty feed now.
  const updated =
    result.hits.reduce((latest, hit) => (hit.publishedAt > latest ? hit.publishedAt : latest), '') || now.toISOString();
  const entries = result.hits.map(
    (hit) => `  <entry>
    <id>${xmlText(`${publicUrl}/uppdrag/${hit.id}`)}</id>
    <title type="text">${xmlText(hit.title)}</title>
    <link rel="alternate" type="text/html" href="${xmlText(hit.url)}"/>
    <published>${xmlText(hit.publishedAt)}</published>
    <updated>${xmlText(hit.publishedAt)}</updated>
    <author><name>${xmlText(hit.organisation)}</name></author>
    <category term="${xmlText(hit.category)}"/>
    <summary type="text">${xmlText(hit.excerpt)}</summary>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlText(text.language)}">
  <id>${xmlText(text.selfUrl)}</id>
  <title type="text">${xmlText(text.title)}</title>
  <updated>${xmlText(updated)}</updated>
  <author><name>Uppdragsbanken</name></author>
  <link rel="self" type="application/atom+xml" href="${xmlText(text.selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${xmlText(text.pageUrl)}"/>
${entries.join('\n')}
</feed>
`;
}
