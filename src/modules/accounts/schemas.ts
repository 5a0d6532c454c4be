import { z } from 'zod';
import { textField } from '../../platform/validation.js';
import { isCommonPassword } from './common-passwords.js';

// Messages are i18n keys (src/locales/<lang>/*.json, "accounts.errors"): the views
// translate them, so a field error reads in the user's language.

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Length in characters as a person counts them (code points), not UTF-16 units. */
const length = (text: string) => [...text].length;

/**
 * A new password. Control characters and lone surrogates are refused like in
 * any text (a lone surrogate would be hashed as U+FFFD, so two different
 * passwords would be one). A password typed to prove who you are is only
 * compared, never stored: it is not checked, so a password set before this
 * rule still works.
 */
export const passwordSchema = textField({ typeMessage: 'accounts.errors.passwordRequired' })
  .refine((value) => length(value) >= PASSWORD_MIN, 'accounts.errors.passwordTooShort')
  .refine((value) => length(value) <= PASSWORD_MAX, 'accounts.errors.passwordTooLong')
  .refine((value) => !isCommonPassword(value), 'accounts.errors.passwordCommon');

export const emailSchema = textField({ typeMessage: 'accounts.errors.emailRequired' })
  .trim()
  .min(1, 'accounts.errors.emailRequired')
  .max(254, 'accounts.errors.emailInvalid')
  .pipe(z.email({ message: 'accounts.errors.emailInvalid' }));

export const signUpSchema = z.object({
  email: emailSchema,
  // Control characters have no place in a name and can break mail headers.
  name: textField({ typeMessage: 'accounts.errors.nameRequired', message: 'accounts.errors.nameInvalid' })
    .trim()
    .min(1, 'accounts.errors.nameRequired')
    .max(100, 'accounts.errors.nameTooLong'),
  password: passwordSchema,
  homeMunicipality: z
    .string({ message: 'accounts.errors.municipalityRequired' })
    .regex(/^\d{4}$/, 'accounts.errors.municipalityRequired'),
  homeLocality: textField({ message: 'accounts.errors.localityInvalid' })
    .max(200)
    .optional()
    .transform((value) => (value ? value : undefined)),
});

export type SignUpInput = z.input<typeof signUpSchema>;

/** The password typed to prove it is you (never checked for strength or characters: an old one may be weak). */
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
