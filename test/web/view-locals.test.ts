import { expect } from 'chai';
import type { Request, Response } from 'express';
import { createI18n } from '../../src/platform/i18n.js';
import type { ReferenceData } from '../../src/platform/reference-data.js';
import { viewLocals } from '../../src/web/locals.js';

// The views' translation function remembers what i18next answered (issue 16: i18next took a tenth of the search
// page's CPU). Remembering must never change a text: the same key and options give i18next's own answer.

type T = (key: string, options?: Record<string, unknown>) => unknown;

async function translationFor(lang: 'sv' | 'en'): Promise<{ t: T; i18next: T }> {
  const i18n = await createI18n();
  const res = { locals: {} as Record<string, unknown>, set: () => res, vary: () => res } as unknown as Response;
  const req = { query: { lang }, path: '/', get: () => undefined } as unknown as Request;
  viewLocals(i18n, { categoryBySlug: new Map() } as unknown as ReferenceData)(req, res, () => {});
  return { t: res.locals.t as T, i18next: i18n.getFixedT(lang) as unknown as T };
}

describe('View locals: the remembering translation function', () => {
  it('when asked again with other plain options, then each answer is what i18next gives for those options', async () => {
    const { t, i18next } = await translationFor('sv');
    for (const count of [1, 2, 270, 1, 2]) {
      expect(t('searchPage.moreMunicipalities', { count })).to.equal(i18next('searchPage.moreMunicipalities', { count }));
    }
    expect(t('searchPage.moreMunicipalities', { count: 270 })).to.equal('Fler kommuner (270)');
    // A number and the same digits as text are different options, and stay apart.
    expect(t('compensation.hourly', { amount: '200' })).to.equal(i18next('compensation.hourly', { amount: '200' }));
    expect(t('compensation.hourly', { amount: 200 })).to.equal(i18next('compensation.hourly', { amount: 200 }));
  });

  it('when asked by key alone, or in English, then the same texts as i18next', async () => {
    const sv = await translationFor('sv');
    const en = await translationFor('en');
    expect(sv.t('searchPage.chooseMunicipality')).to.equal('Välj en kommun');
    expect(sv.t('searchPage.chooseMunicipality')).to.equal('Välj en kommun');
    expect(en.t('searchPage.chooseMunicipality')).to.equal('Choose a municipality');
    expect(sv.t('no.such.key')).to.equal(sv.i18next('no.such.key'));
  });

  it('when the options hold an object or ask for objects, then i18next answers every time, unremembered', async () => {
    const { t, i18next } = await translationFor('sv');
    const asObject = t('searchPage.suggestions', { returnObjects: true });
    expect(asObject).to.deep.equal(i18next('searchPage.suggestions', { returnObjects: true }));
    expect(asObject).to.be.an('object');
    const words = '<b>ved</b>';
    expect(t('searchFeed.titleWithWords', { words, interpolation: { escapeValue: false } })).to.equal(
      i18next('searchFeed.titleWithWords', { words, interpolation: { escapeValue: false } }),
    );
    expect(t('searchFeed.titleWithWords', { words })).to.equal(i18next('searchFeed.titleWithWords', { words }));
  });
});
