import type { RequestHandler } from 'express';
import type { i18n } from 'i18next';
import { formatDate, formatMonth } from '../platform/calendar.js';
import { pickLanguage, type Language } from '../platform/i18n.js';
import type { ReferenceData } from '../platform/reference-data.js';
import { urlWithQuery } from './query-string.js';
import { textBlocks } from './text-blocks.js';

const LOCALES: Record<Language, string> = { sv: 'sv-SE', en: 'en-GB' };

type Translate = ReturnType<i18n['getFixedT']>;

/** How many texts one language remembers before it starts afresh (texts with interpolated values vary). */
const MAX_REMEMBERED_TEXTS = 20_000;

/**
 * What a call is remembered by: the key, and the options when they are plain values (a count, an amount, a
 * date as text). Undefined for calls that must go to i18next every time: options holding objects or functions,
 * or asking for something other than one text.
 */
function rememberedAs(key: unknown, rest: unknown[]): string | undefined {
  if (typeof key !== 'string') return undefined;
  if (rest.length === 0) return key;
  const options = rest[0];
  if (rest.length > 1 || options === null || typeof options !== 'object' || Array.isArray(options)) return undefined;
  let remembered = key;
  for (const [name, value] of Object.entries(options)) {
    if (name === 'returnObjects' || (value !== null && (typeof value === 'object' || typeof value === 'function'))) {
      return undefined;
    }
    remembered += `\u0000${name}\u0001${typeof value}\u0001${String(value)}`;
  }
  return remembered;
}

/**
 * The translation function of one language, remembering what it answered. A page calls it hundreds of times
 * (labels, facets, cards, amounts), and i18next resolves each call anew: that was a tenth of the search page's
 * CPU time (issue 16). The texts do not change while the app runs, so the same key with the same plain options
 * gives the same text.
 */
function rememberingT(translate: Translate): Translate {
  const texts = new Map<string, string>();
  const anyCall = translate as unknown as (...args: unknown[]) => unknown;
  const remembering = (key: unknown, ...rest: unknown[]) => {
    const rememberAs = rememberedAs(key, rest);
    if (rememberAs === undefined) return anyCall(key, ...rest);
    const known = texts.get(rememberAs);
    if (known !== undefined) return known;
    const text = anyCall(key, ...rest);
    if (typeof text === 'string') {
      if (texts.size >= MAX_REMEMBERED_TEXTS) texts.clear();
      texts.set(rememberAs, text);
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
