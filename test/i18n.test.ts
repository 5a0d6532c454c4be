import { expect } from 'chai';
import fs from 'node:fs';
import { readResource } from '../src/platform/i18n.js';

// Swedish is the first language and English the second: every text exists in
// both, so no page ever shows a bare key or silently falls back to Swedish.

function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    keyPaths(child, prefix ? `${prefix}.${key}` : key),
  );
}

describe('i18n resources', () => {
  it('when the files are merged, then Swedish and English have exactly the same keys', () => {
    const sv = keyPaths(readResource('sv')).sort();
    const en = keyPaths(readResource('en')).sort();
    expect(
      sv.filter((key) => !en.includes(key)),
      'only in Swedish',
    ).to.deep.equal([]);
    expect(
      en.filter((key) => !sv.includes(key)),
      'only in English',
    ).to.deep.equal([]);
  });

  it('when a language has its files, then the other has files of the same names', () => {
    const files = (language: string) =>
      fs
        .readdirSync(new URL(`../src/locales/${language}/`, import.meta.url))
        .filter((name) => name.endsWith('.json'))
        .sort();
    expect(files('en')).to.deep.equal(files('sv'));
  });
});
