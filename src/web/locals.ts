import type { RequestHandler } from 'express';
import type { i18n } from 'i18next';
import { formatDate, formatMonth } from '../platform/calendar.js';
import { pickLanguage, type Language } from '../platform/i18n.js';
import type { ReferenceData } from '../platform/reference-data.js';
import { urlWithQuery } from './query-string.js';
import { textBlocks } from './text-blocks.js';

const LOCALES: Record<Language, string> = { sv: 'sv-SE', en: 'en-GB' };

type Translate = ReturnType<i18n['getFixedT']>;

/**
 * The translation function of one language, remembering the texts asked for by key alone. A page calls it
 * hundreds of times (labels, facets, cards), and i18next resolves each call anew: that was a tenth of the
 * search page's CPU time (issue 16). The texts do not change while the app runs; calls with options
 * (interpolation, plurals) go to i18next every time.
 */
function rememberingT(translate: Translate): Translate {
  const texts = new Map<string, string>();
  const anyCall = translate as unknown as (...args: unknown[]) => unknown;
  const remembering = (key: unknown, ...rest: unknown[]) => {
    if (rest.length > 0 || typeof key !== 'string') return anyCall(key, ...rest);
    let text = texts.get(key);
    if (text === undefined) {
      text = String(anyCall(key));
      texts.set(key, text);
    }
    return text;
  };
  return remembering as unknown as Translate;
}

/** Language, translation and formatting helpers for every view. */
export function viewLocals(i18n: i18n, reference: ReferenceData): RequestHandler {
  // Made once per language, not per request: an Intl.NumberFormat takes longer to make than to use.
  const perLanguage = Object.fromEntries(
    (Object.keys(LOCALES) as Language[]).map((lang) => [
      lang,
      { t: rememberingT(i18n.getFixedT(lang)), number: new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 1 }) },
    ]),
  ) as Record<Language, { t: Translate; number: Intl.NumberFormat }>;
  return (req, res, next) => {
    const lang = pickLanguage(req.query.lang, req.get('accept-language'));
    const { t, number } = perLanguage[lang];

    res.set('Content-Language', lang);
    res.vary('Accept-Language');
    Object.assign(res.locals, {
      lang,
      t,
      currentPath: req.path,
      formatNumber: (value: number) => number.format(value),
      /** 'YYYY-MM-DD' (a calendar day) or a Date (an instant). */
      formatDate: (value: string | Date) => formatDate(value, lang),
      /** The month and year, "mars 2026". */
      formatMonth: (value: string | Date) => formatMonth(value, lang),
      compensationText: (type: string, amountSek: number | null) =>
        t(`compensation.${type}`, { amount: amountSek === null ? '' : number.format(amountSek) }),
      textBlocks,
      categoryName: (slug: string) => {
        const category = reference.categoryBySlug.get(slug);
        return category ? (lang === 'sv' ? category.nameSv : category.nameEn) : slug;
      },
      /** The same page in another language. */
      languageUrl: (target: Language) => urlWithQuery(req.path, req.query, { lang: target }),
    });
    next();
  };
}
