import { z } from 'zod';
import { textField } from '../../platform/validation.js';
import type { MemberRole } from '../access/index.js';
import { parseOrganisationNumber } from './organisation-number.js';

// Messages are i18n keys (src/locales/<lang>/*.json, "organisations.errors"): the
// views translate them, so a field error reads in the user's language.

export const ORGANISATION_TYPES = ['forening', 'kommun', 'socialt_foretag', 'foretag'] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export const MEMBER_ROLES: readonly MemberRole[] = ['admin', 'member'];

const E = 'organisations.errors';

/** Length in characters as a person counts them (code points), not UTF-16 units. */
const length = (text: string) => [...text].length;

/** Any typed text of these forms: no control characters (line breaks where multi-line), no lone surrogates. */
const typed = (key: string, multiline = false) =>
  textField({ multiline, typeMessage: `${E}.${key}Required`, message: `${E}.invalidCharacters` });

/** A trimmed one-line text of 1…max characters. */
const line = (max: number, key: string) =>
  typed(key)
    .trim()
    .min(1, `${E}.${key}Required`)
    .refine((value) => length(value) <= max, `${E}.${key}TooLong`);

/** A trimmed multi-line text of min…max characters; line endings become \n. */
const text = (min: number, max: number, key: string) =>
  typed(key, true)
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .refine((value) => length(value) >= min, `${E}.${key}Required`)
    .refine((value) => length(value) <= max, `${E}.${key}TooLong`);

export const emailSchema = typed('email')
  .trim()
  .min(1, `${E}.emailRequired`)
  .max(254, `${E}.emailInvalid`)
  .pipe(z.email({ message: `${E}.emailInvalid` }));

/**
 * A website: http or https only (never javascript:, data: …), with a host that
 * has a dot. "www.rusksele.se" is read as https://www.rusksele.se/.
 */
export function normaliseWebsite(input: string): string | undefined {
  const value = input.trim();
  if (value === '' || length(value) > 300 || /\s/.test(value)) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined; // https://user:pass@… only confuses readers
  if (!/^[^.]+(\.[^.]+)+$/.test(url.hostname)) return undefined;
  return url.href;
}

const websiteSchema = textField({ message: `${E}.websiteInvalid` })
  .optional()
  .transform((value, context) => {
    if (value === undefined || value.trim() === '') return null;
    const website = normaliseWebsite(value);
    if (website === undefined) {
      context.addIssue({ code: 'custom', message: `${E}.websiteInvalid` });
      return z.NEVER;
    }
    return website;
  });

const organisationNumberSchema = typed('organisationNumber').transform((value, context) => {
  if (value.trim() === '') {
    context.addIssue({ code: 'custom', message: `${E}.organisationNumberRequired` });
    return z.NEVER;
  }
  const parsed = parseOrganisationNumber(value);
  if (!parsed.ok) {
    context.addIssue({ code: 'custom', message: `${E}.organisationNumber.${parsed.problem}` });
    return z.NEVER;
  }
  return parsed.value;
});

/** The create and edit form; municipalities are checked against the reference data in memory. */
export const organisationSchema = (isMunicipality: (code: string) => boolean) =>
  z.object({
    name: line(120, 'name'),
    type: z.enum(ORGANISATION_TYPES, { message: `${E}.typeRequired` }),
    organisationNumber: organisationNumberSchema,
    municipality: z
      .string({ message: `${E}.municipalityRequired` })
      .regex(/^\d{4}$/, `${E}.municipalityRequired`)
      .refine(isMunicipality, `${E}.municipalityRequired`),
    address: text(1, 300, 'address'),
    billingEmail: emailSchema,
    description: text(1, 5000, 'description'),
    website: websiteSchema,
  });

export type OrganisationInput = z.output<ReturnType<typeof organisationSchema>>;

/** The form's fields, as strings, for re-showing what the user typed. */
export const FORM_FIELDS = [
  'name',
  'type',
  'organisationNumber',
  'municipality',
  'address',
  'billingEmail',
  'description',
  'website',
] as const;
export type OrganisationForm = Record<(typeof FORM_FIELDS)[number], string>;

export const inviteSchema = z.object({
  email: emailSchema,
  role: z.enum(['admin', 'member'], { message: `${E}.roleRequired` }).default('member'),
});

export const roleSchema = z.enum(['admin', 'member'], { message: `${E}.roleRequired` });

export { fieldErrors } from '../../platform/validation.js';
