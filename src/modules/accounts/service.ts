import type { Db, DbOrTrx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import type { Language } from '../../platform/i18n.js';
import { queueMail } from '../../platform/mail.js';
import type { ReferenceData } from '../reference/index.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { insertUser, markEmailVerified, selectCredentials, selectSessionUser, type SessionUser } from './queries.js';
import { emailSchema, fieldErrors, passwordSchema, signUpSchema, type SignUpInput } from './schemas.js';
import { consumeToken, isTokenUsable, issueToken } from './tokens.js';

const VERIFY_EMAIL_VALID_MS = 48 * 60 * 60 * 1000;

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
  return db.transaction(async (trx) => {
    const userId = await insertUser(trx, {
      email: value.email,
      name: value.name,
      passwordHash,
      homeMunicipalityCode: value.homeMunicipality,
      homeLocalityId,
    });
    if (userId === undefined) return { created: false };
    await trx('resident_profiles').insert({ user_id: userId });
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
  return db.transaction(async (trx) => {
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
  return db.transaction(async (trx) => {
    const existing = await trx('users').where({ email: email.data }).first('id');
    if (existing) {
      await trx('users')
        .where({ id: existing.id })
        .update({
          is_admin: true,
          password_hash: passwordHash,
          password_changed_at: trx.fn.now(),
          email_verified_at: trx.raw('COALESCE(email_verified_at, now())'),
          updated_at: trx.fn.now(),
        });
      return { id: existing.id as number, created: false };
    }
    const [row] = await trx('users')
      .insert({
        email: email.data,
        name: input.name?.trim() || 'Administratör',
        password_hash: passwordHash,
        is_admin: true,
        email_verified_at: trx.fn.now(),
      })
      .returning<{ id: number }[]>('id');
    return { id: row!.id, created: true };
  });
}
