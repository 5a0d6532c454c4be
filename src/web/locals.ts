import type { RequestHandler } from 'express';
import type { i18n } from 'i18next';
import { formatDate, formatMonth } from '../platform/calendar.js';
import { pickLanguage, type Language } from '../platform/i18n.js';
import type { ReferenceData } from '../platform/reference-data.js';
import { urlWithQuery } from './query-string.js';
import { textBlocks } from './text-blocks.js';

const LOCALES: Record<Language, string> = { sv: 'sv-SE', en: 'en-GB' };

/** Language, translation and formatting helpers for every view. */
export function viewLocals(i18n: i18n, reference: ReferenceData): RequestHandler {
  return (req, res, next) => {
    const lang = pickLanguage(req.query.lang, req.get('accept-language'));
    const locale = LOCALES[lang];
    const t = i18n.getFixedT(lang);
    const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });

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
