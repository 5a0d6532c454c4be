import fs from 'node:fs';
import i18next, { type i18n, type TFunction } from 'i18next';

// Swedish first, English second. Texts live in src/locales/<lang>/*.json: one
// file per feature area, each owning its own top-level sections, merged into
// one resource per language (a section defined in two files stops the start).

export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'sv';
export type { TFunction };

export function readResource(language: Language): Record<string, unknown> {
  const dir = new URL(`../locales/${language}/`, import.meta.url);
  const resource: Record<string, unknown> = {};
  for (const file of fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const sections = JSON.parse(fs.readFileSync(new URL(file, dir), 'utf8')) as Record<string, unknown>;
    for (const [section, texts] of Object.entries(sections)) {
      if (section in resource)
        throw new Error(`i18n: section "${section}" of ${language}/${file} is already defined in another file`);
      resource[section] = texts;
    }
  }
  return resource;
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
