import { expect } from 'chai';
import fs from 'node:fs';
import { createI18n, readResource } from '../../src/platform/i18n.js';
import { NOTIFICATION_TYPES } from '../../src/modules/notifications/notify.js';
import { notificationText } from '../../src/modules/notifications/texts.js';

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
        .readdirSync(new URL(`../../src/locales/${language}/`, import.meta.url))
        .filter((name) => name.endsWith('.json'))
        .sort();
    expect(files('en')).to.deep.equal(files('sv'));
  });

  it('when a notification of any type is shown, then it has its own text and settings label in both languages', async () => {
    const i18n = await createI18n();
    for (const lng of ['sv', 'en']) {
      const t = i18n.getFixedT(lng);
      for (const type of NOTIFICATION_TYPES) {
        expect(i18n.exists(`notifications.types.${type}`, { lng }), `${lng} text of ${type}`).to.equal(true);
        expect(i18n.exists(`notifications.settings.types.${type}`, { lng }), `${lng} label of ${type}`).to.equal(true);
      }
      // Moderation's notices differ by what was done (i18next context).
      for (const context of ['hidden', 'restored', 'warned', 'suspended', 'reinstated'])
        expect(
          notificationText(t, 'moderation_notice', { context, organisation: 'Byaföreningen', assignment: 'Skotta' }),
        ).to.match(/Byaföreningen|Skotta/);
    }
    expect(
      notificationText(i18n.getFixedT('sv'), 'moderation_notice', { context: 'suspended', organisation: 'Byaföreningen' }),
    ).to.equal('Byaföreningen är avstängd av moderatorerna');
  });
});
