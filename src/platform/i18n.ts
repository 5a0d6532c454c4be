import fs from 'node:fs';
import i18next, { type i18n, type TFunction } from 'i18next';

// Swedish first, English second. Texts live in src/locales/<lang>.json.

export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'sv';
export type { TFunction };

function readResource(language: Language): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(new URL(`../locales/${language}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

export async function createI18n(): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.init({
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    resources: Object.fromEntries(LANGUAGES.map((language) => [language, { translation: readResource(language) }])),
    interpolation: { escapeValue: false }, // EJS escapes on output
    returnNull: false,
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0]);
  return instance;
}

/** Picks the language: an explicit ?lang=, else the browser's Accept-Language, else Swedish. */
export function pickLanguage(explicit: unknown, acceptLanguage: string | undefined): Language {
  if (typeof explicit === 'string' && (LANGUAGES as readonly string[]).includes(explicit)) return explicit as Language;
  const preferences = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { language: tag.trim().toLowerCase().split('-')[0]!, q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((entry) => entry.language && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { language } of preferences) {
    if ((LANGUAGES as readonly string[]).includes(language)) return language as Language;
  }
  return DEFAULT_LANGUAGE;
}
