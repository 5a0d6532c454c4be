import { z } from 'zod';
import { isCommonPassword } from './common-passwords.js';

// Messages are i18n keys (src/locales/<lang>/*.json, "accounts.errors"): the views
// translate them, so a field error reads in the user's language.

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Length in characters as a person counts them (code points), not UTF-16 units. */
const length = (text: string) => [...text].length;

export const passwordSchema = z
  .string({ message: 'accounts.errors.passwordRequired' })
  .refine((value) => length(value) >= PASSWORD_MIN, 'accounts.errors.passwordTooShort')
  .refine((value) => length(value) <= PASSWORD_MAX, 'accounts.errors.passwordTooLong')
  .refine((value) => !isCommonPassword(value), 'accounts.errors.passwordCommon');

export const emailSchema = z
  .string({ message: 'accounts.errors.emailRequired' })
  .trim()
  .min(1, 'accounts.errors.emailRequired')
  .max(254, 'accounts.errors.emailInvalid')
  .pipe(z.email({ message: 'accounts.errors.emailInvalid' }));

export const signUpSchema = z.object({
  email: emailSchema,
  name: z
    .string({ message: 'accounts.errors.nameRequired' })
    .trim()
    .min(1, 'accounts.errors.nameRequired')
    .max(100, 'accounts.errors.nameTooLong')
    // Control characters have no place in a name and can break mail headers.
    .refine(
      (value) => ![...value].some((char) => char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127),
      'accounts.errors.nameInvalid',
    ),
  password: passwordSchema,
  homeMunicipality: z
    .string({ message: 'accounts.errors.municipalityRequired' })
    .regex(/^\d{4}$/, 'accounts.errors.municipalityRequired'),
  homeLocality: z
    .string()
    .max(200)
    .optional()
    .transform((value) => (value ? value : undefined)),
});

export type SignUpInput = z.input<typeof signUpSchema>;

export const logInSchema = z.object({
  email: z.string().trim().max(254).default(''),
  password: z.string().max(1024).default(''),
});

/** The password typed to prove it is you (never checked for strength: an old one may be weak). */
const currentPasswordSchema = z
  .string({ message: 'accounts.errors.currentPasswordRequired' })
  .min(1, 'accounts.errors.currentPasswordRequired')
  .max(1024, 'accounts.errors.currentPasswordWrong');

export const forgotPasswordSchema = z.object({ email: emailSchema });

export const resetPasswordSchema = z.object({ password: passwordSchema });

export const changePasswordSchema = z.object({
  currentPassword: currentPasswordSchema,
  newPassword: passwordSchema,
});

export const changeEmailSchema = z.object({
  email: emailSchema,
  password: currentPasswordSchema,
});

export { fieldErrors } from '../../platform/validation.js';
