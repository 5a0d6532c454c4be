import { inTransaction, type Db, type DbOrTrx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import type { Language } from '../../platform/i18n.js';
import { queueMail } from '../../platform/mail.js';
import { formText } from '../../platform/validation.js';
import type { ReferenceData } from '../../platform/reference-data.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { authorize, type Actor } from '../access/index.js';
import {
  applyPendingEmail,
  deleteSessionsOfUser,
  insertAdmin,
  insertEmptyProfile,
  insertUser,
  markEmailVerified,
  selectAccount,
  selectAccountByEmail,
  selectCredentials,
  selectSessionUser,
  selectUserIdByEmail,
  updatePassword,
  updatePendingEmail,
  updateToAdmin,
  type SessionUser,
} from './queries.js';
import {
  changeEmailSchema,
  changePasswordSchema,
  emailSchema,
  fieldErrors,
  forgotPasswordSchema,
  passwordSchema,
  resetPasswordSchema,
  signUpSchema,
  type SignUpInput,
} from './schemas.js';
import { consumeToken, isTokenUsable, issueToken, revokeTokens } from './tokens.js';

const VERIFY_EMAIL_VALID_MS = 48 * 60 * 60 * 1000;
const RESET_PASSWORD_VALID_MS = 60 * 60 * 1000;
const CHANGE_EMAIL_VALID_MS = 24 * 60 * 60 * 1000;

interface MailContext {
  publicUrl: string;
  language: Language;
}

export type { SessionUser };

export function getSessionUser(db: DbOrTrx, id: number): Promise<SessionUser | undefined> {
  return selectSessionUser(db, id);
}

/**
 * Registers a resident and mails a verification link, in one transaction.
 * An e-mail that is already registered gets the same answer as a new one,
 * so sign-up cannot be used to find out who has an account.
 */
export async function signUp(
  db: Db,
  input: SignUpInput,
  context: { reference: ReferenceData; publicUrl: string; language: Language },
): Promise<{ created: boolean }> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) throw new AppError('bad_request', 'Sign-up is not valid', fieldErrors(parsed.error));
  const value = parsed.data;
  if (!context.reference.municipalityByCode.has(value.homeMunicipality)) {
    throw new AppError('bad_request', 'Unknown municipality', { homeMunicipality: 'accounts.errors.municipalityRequired' });
  }
  let homeLocalityId: number | null = null;
  if (value.homeLocality) {
    // Typed as a name (no script needed to pick from 1 700 places): matched within the municipality.
    const wanted = value.homeLocality.trim().toLocaleLowerCase('sv');
    const locality = context.reference
      .localitiesOf(value.homeMunicipality)
      .find((l) => l.name.toLocaleLowerCase('sv') === wanted);
    if (!locality) {
      throw new AppError('bad_request', 'Unknown locality', { homeLocality: 'accounts.errors.localityInvalid' });
    }
    homeLocalityId = locality.id;
  }

  const passwordHash = await hashPassword(value.password);
  return inTransaction(db, async (trx) => {
    const userId = await insertUser(trx, {
      email: value.email,
      name: value.name,
      passwordHash,
      homeMunicipalityCode: value.homeMunicipality,
      homeLocalityId,
    });
    if (userId === undefined) return { created: false };
    await insertEmptyProfile(trx, userId);
    await sendVerificationMail(trx, { id: userId, name: value.name, email: value.email }, context);
    return { created: true };
  });
}

async function sendVerificationMail(
  trx: DbOrTrx,
  user: { id: number; name: string; email: string },
  context: { publicUrl: string; language: Language },
): Promise<void> {
  const token = await issueToken(trx, user.id, 'verify_email', VERIFY_EMAIL_VALID_MS);
  await queueMail(trx, {
    to: user.email,
    template: 'verify-email',
    language: context.language,
    data: {
      name: user.name,
      url: `${context.publicUrl}/verifiera-epost?token=${token}`,
      expiresInHours: VERIFY_EMAIL_VALID_MS / 3_600_000,
    },
  });
}

export function canVerifyEmail(db: DbOrTrx, token: string): Promise<boolean> {
  return isTokenUsable(db, token, 'verify_email');
}

/** Uses a verification token; the user's e-mail counts as verified from now. */
export async function verifyEmail(db: Db, token: string): Promise<number> {
  return inTransaction(db, async (trx) => {
    const userId = await consumeToken(trx, token, 'verify_email');
    if (userId === undefined)
      throw new AppError('bad_request', 'The link is used or expired', { token: 'accounts.errors.tokenInvalid' });
    await markEmailVerified(trx, userId);
    return userId;
  });
}

/** The user for a correct e-mail and password; undefined for anything else (one answer for every failure). */
export async function authenticate(db: DbOrTrx, email: string, password: string): Promise<SessionUser | undefined> {
  const parsedEmail = emailSchema.safeParse(email);
  const credentials = parsedEmail.success ? await selectCredentials(db, parsedEmail.data) : undefined;
  const ok = await verifyPassword(credentials?.passwordHash, password);
  return ok && credentials ? selectSessionUser(db, credentials.id) : undefined;
}

/**
 * Creates a platform admin, or makes an existing user one (with the given
 * password). Only the CLI calls this: there is no default admin anywhere.
 */
export async function createAdmin(
  db: Db,
  input: { email: string; password: string; name?: string },
): Promise<{ id: number; created: boolean }> {
  const email = emailSchema.safeParse(input.email);
  if (!email.success)
    throw new AppError('bad_request', 'The e-mail address is not valid', { email: email.error.issues[0]!.message });
  const password = passwordSchema.safeParse(input.password);
  if (!password.success)
    throw new AppError('bad_request', 'The password is not acceptable', { password: password.error.issues[0]!.message });
  const passwordHash = await hashPassword(password.data);
  return inTransaction(db, async (trx) => {
    const existingId = await selectUserIdByEmail(trx, email.data);
    if (existingId !== undefined) {
      await updateToAdmin(trx, existingId, passwordHash);
      return { id: existingId, created: false };
    }
    const id = await insertAdmin(trx, { email: email.data, name: input.name?.trim() || 'Administratör', passwordHash });
    return { id, created: true };
  });
}

// ---------------------------------------------------------------------------
// Password reset

/**
 * Mails a single-use link (valid one hour) to choose a new password, if the
 * address belongs to an account. The caller answers the same whether or not it
 * does; a newer link replaces the older ones. Token and mail commit together.
 */
export async function requestPasswordReset(db: Db, input: { email: unknown }, context: MailContext): Promise<void> {
  const parsed = forgotPasswordSchema.safeParse(input);
  if (!parsed.success) throw new AppError('bad_request', 'The e-mail address is not valid', fieldErrors(parsed.error));
  await inTransaction(db, async (trx) => {
    const user = await selectAccountByEmail(trx, parsed.data.email);
    if (!user) return;
    await revokeTokens(trx, user.id, ['reset_password']);
    const token = await issueToken(trx, user.id, 'reset_password', RESET_PASSWORD_VALID_MS);
    await queueMail(trx, {
      to: user.email,
      template: 'reset-password',
      language: context.language,
      data: {
        name: user.name,
        url: `${context.publicUrl}/aterstall-losenord?token=${token}`,
        expiresInHours: RESET_PASSWORD_VALID_MS / 3_600_000,
      },
    });
  });
}

export function canResetPassword(db: DbOrTrx, token: unknown): Promise<boolean> {
  return isTokenUsable(db, formText(token), 'reset_password');
}

const unusableToken = () => new AppError('bad_request', 'The link is used or expired', { token: 'accounts.errors.tokenInvalid' });

/**
 * Uses a reset token to set a new password. The token is checked before the
 * password, so a weak password does not use it up; the password change, the
 * token, every session of the user (all devices are logged out), other reset
 * links and a pending e-mail change (the owner is taking the account back)
 * go in one transaction. The address counts as verified: the link reached it.
 */
export async function resetPassword(db: Db, input: { token: unknown; password: unknown }): Promise<{ userId: number }> {
  const token = formText(input.token);
  if (!(await isTokenUsable(db, token, 'reset_password'))) throw unusableToken();
  const parsed = resetPasswordSchema.safeParse({ password: input.password });
  if (!parsed.success) throw new AppError('bad_request', 'The password is not acceptable', fieldErrors(parsed.error));
  const passwordHash = await hashPassword(parsed.data.password);
  return inTransaction(db, async (trx) => {
    const userId = await consumeToken(trx, token, 'reset_password');
    if (userId === undefined) throw unusableToken(); // used by a request that came in between
    await updatePassword(trx, userId, passwordHash, { verifyEmail: true });
    await revokeTokens(trx, userId, ['reset_password', 'change_email']);
    await updatePendingEmail(trx, userId, null);
    await deleteSessionsOfUser(trx, userId);
    return { userId };
  });
}

// ---------------------------------------------------------------------------
// Changes to the own account (logged in)

export interface AccountView {
  name: string;
  email: string;
  pendingEmail: string | null;
}

export async function getAccount(db: DbOrTrx, actor: Actor): Promise<AccountView> {
  authorize(actor, 'account.view');
  const account = await selectAccount(db, actor.userId!);
  if (!account) throw new AppError('unauthenticated', 'Log in first'); // deleted meanwhile
  return { name: account.name, email: account.email, pendingEmail: account.pendingEmail };
}

/**
 * The actor's account after checking their current password. When it is wrong:
 * a field error beside `field`, together with the form's other errors.
 */
async function accountWithPassword(
  db: DbOrTrx,
  actor: Actor,
  password: string,
  field: string,
  otherErrors: Record<string, string>,
) {
  const account = await selectAccount(db, actor.userId!);
  if (!account) throw new AppError('unauthenticated', 'Log in first');
  if (!(await verifyPassword(account.passwordHash, password))) {
    throw new AppError('bad_request', 'The current password is wrong', {
      ...otherErrors,
      [field]: 'accounts.errors.currentPasswordWrong',
    });
  }
  return account;
}

/**
 * Changes the password after checking the current one, and ends the user's
 * other sessions (the one in `keepSessionId` stays; the route gives it a new id).
 */
export async function changePassword(
  db: Db,
  actor: Actor,
  input: { currentPassword: unknown; newPassword: unknown },
  options: { keepSessionId: string },
): Promise<void> {
  authorize(actor, 'account.view');
  const parsed = changePasswordSchema.safeParse(input);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (errors.currentPassword) throw new AppError('bad_request', 'The form is not valid', errors);
  // The current password is checked even when the new one is refused, so both messages show at once.
  const account = await accountWithPassword(db, actor, input.currentPassword as string, 'currentPassword', errors);
  if (!parsed.success) throw new AppError('bad_request', 'The form is not valid', errors);
  const value = parsed.data;
  const passwordHash = await hashPassword(value.newPassword);
  await inTransaction(db, async (trx) => {
    await updatePassword(trx, account.id, passwordHash, { verifyEmail: false });
    await revokeTokens(trx, account.id, ['reset_password']);
    await deleteSessionsOfUser(trx, account.id, options.keepSessionId);
  });
}

/**
 * Starts a change of e-mail address (the current password is needed). The new
 * address gets a confirmation link and waits in pending_email; the account
 * keeps its old address, for logging in and for password resets, until the
 * link is used. The old address is told at once, with a way to take the
 * account back (a password reset, which also cancels the pending change).
 * Whether the new address belongs to another account is not checked here:
 * the answer and the mails are the same either way; the confirmation refuses it.
 */
export async function requestEmailChange(
  db: Db,
  actor: Actor,
  input: { email: unknown; password: unknown },
  context: MailContext,
): Promise<{ email: string }> {
  authorize(actor, 'account.view');
  const parsed = changeEmailSchema.safeParse(input);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (errors.password) throw new AppError('bad_request', 'The form is not valid', errors);
  const account = await accountWithPassword(db, actor, input.password as string, 'password', errors);
  if (!parsed.success) throw new AppError('bad_request', 'The form is not valid', errors);
  const value = parsed.data;
  if (value.email.toLowerCase() === account.email.toLowerCase()) {
    throw new AppError('bad_request', 'That is the current address', { email: 'accounts.errors.emailSame' });
  }
  await inTransaction(db, async (trx) => {
    // The row lock taken here orders concurrent requests, so only the last link works.
    await updatePendingEmail(trx, account.id, value.email);
    await revokeTokens(trx, account.id, ['change_email']);
    const token = await issueToken(trx, account.id, 'change_email', CHANGE_EMAIL_VALID_MS);
    await queueMail(trx, {
      to: value.email,
      template: 'verify-email',
      language: context.language,
      data: {
        name: account.name,
        url: `${context.publicUrl}/bekrafta-ny-epost?token=${token}`,
        expiresInHours: CHANGE_EMAIL_VALID_MS / 3_600_000,
      },
    });
    await queueMail(trx, {
      to: account.email,
      template: 'email-changed',
      language: context.language,
      data: { name: account.name, newEmail: value.email, url: `${context.publicUrl}/glomt-losenord` },
    });
  });
  return { email: value.email };
}

export function canConfirmEmailChange(db: DbOrTrx, token: unknown): Promise<boolean> {
  return isTokenUsable(db, formText(token), 'change_email');
}

/**
 * Uses a change_email token: the pending address becomes the account's,
 * verified. Links mailed to the old address (reset, verification) stop working.
 * A taken address is refused (409) and changes nothing, the token included.
 */
export async function confirmEmailChange(db: Db, token: unknown): Promise<{ userId: number; email: string }> {
  const value = formText(token);
  return inTransaction(
    db,
    async (trx) => {
      const userId = await consumeToken(trx, value, 'change_email');
      if (userId === undefined) throw unusableToken();
      const changed = await applyPendingEmail(trx, userId);
      if (!changed) throw unusableToken(); // cancelled by a password reset
      await revokeTokens(trx, userId, ['reset_password', 'verify_email']);
      return { userId, email: changed.email };
    },
    {
      constraints: {
        users_email_unique: () =>
          new AppError('conflict', 'The address belongs to another account', { email: 'accounts.errors.emailTaken' }),
      },
    },
  );
}
