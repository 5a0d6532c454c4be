import type { DbOrTrx } from '../../platform/db.js';

export interface SessionUser {
  id: number;
  name: string;
  email: string;
  emailVerified: boolean;
  isAdmin: boolean;
}

// passport's req.user is the session user. Declared here, with the type, because web/auth.ts (below the modules)
// may not import it: it works with Express.User and is handed the functions that load one (app.ts).
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

const SESSION_USER_COLUMNS = {
  id: 'id',
  name: 'name',
  email: 'email',
  emailVerified: 'email_verified_at',
  isAdmin: 'is_admin',
};

function toSessionUser(row: {
  id: number;
  name: string;
  email: string;
  emailVerified: Date | null;
  isAdmin: boolean;
}): SessionUser {
  return { ...row, emailVerified: row.emailVerified !== null };
}

export async function selectSessionUser(db: DbOrTrx, id: number): Promise<SessionUser | undefined> {
  const row = await db('users').where({ id }).first(SESSION_USER_COLUMNS);
  return row ? toSessionUser(row) : undefined;
}

export async function selectCredentials(
  db: DbOrTrx,
  email: string,
): Promise<{ id: number; passwordHash: string | null } | undefined> {
  return db('users').where({ email }).first({ id: 'id', passwordHash: 'password_hash' });
}

export async function insertUser(
  db: DbOrTrx,
  user: { email: string; name: string; passwordHash: string; homeMunicipalityCode: string; homeLocalityId: number | null },
): Promise<number | undefined> {
  const [row] = await db('users')
    .insert({
      email: user.email,
      name: user.name,
      password_hash: user.passwordHash,
      home_municipality_code: user.homeMunicipalityCode,
      home_locality_id: user.homeLocalityId,
    })
    .onConflict('email')
    .ignore()
    .returning<{ id: number }[]>('id');
  return row?.id;
}

export async function markEmailVerified(db: DbOrTrx, userId: number): Promise<void> {
  await db('users')
    .where({ id: userId })
    .whereNull('email_verified_at')
    .update({ email_verified_at: db.fn.now(), updated_at: db.fn.now() });
}

export interface AccountRow {
  id: number;
  name: string;
  email: string;
  /** A new address waiting for its confirmation link to be used. */
  pendingEmail: string | null;
  passwordHash: string | null;
}

const ACCOUNT_COLUMNS = {
  id: 'id',
  name: 'name',
  email: 'email',
  pendingEmail: 'pending_email',
  passwordHash: 'password_hash',
};

export async function selectAccount(db: DbOrTrx, id: number): Promise<AccountRow | undefined> {
  return db('users').where({ id }).first(ACCOUNT_COLUMNS);
}

export async function selectAccountByEmail(db: DbOrTrx, email: string): Promise<AccountRow | undefined> {
  return db('users').where({ email }).first(ACCOUNT_COLUMNS);
}

/** A new password hash. `verifyEmail`: the change came through a link mailed to the address, which proves it. */
export async function updatePassword(
  db: DbOrTrx,
  userId: number,
  passwordHash: string,
  options: { verifyEmail: boolean },
): Promise<void> {
  await db('users')
    .where({ id: userId })
    .update({
      password_hash: passwordHash,
      password_changed_at: db.fn.now(),
      ...(options.verifyEmail ? { email_verified_at: db.raw('COALESCE(email_verified_at, now())') } : {}),
      updated_at: db.fn.now(),
    });
}

export async function updatePendingEmail(db: DbOrTrx, userId: number, pendingEmail: string | null): Promise<void> {
  await db('users').where({ id: userId }).update({ pending_email: pendingEmail, updated_at: db.fn.now() });
}

/**
 * Makes the pending address the account's address (verified: the link mailed
 * to it was used). Undefined when nothing is pending. A taken address breaks
 * users.email's unique index (23505), which the caller translates.
 */
export async function applyPendingEmail(db: DbOrTrx, userId: number): Promise<{ email: string } | undefined> {
  const [row] = await db('users')
    .where({ id: userId })
    .whereNotNull('pending_email')
    .update({
      email: db.ref('pending_email'),
      pending_email: null,
      email_verified_at: db.fn.now(),
      updated_at: db.fn.now(),
    })
    .returning<{ email: string }[]>('email');
  return row;
}

/**
 * Ends the user's sessions (connect-pg-simple's table; the session keeps the
 * user id under passport.user, indexed by sessions_user), all but `exceptSid` if given.
 */
export async function deleteSessionsOfUser(db: DbOrTrx, userId: number, exceptSid?: string): Promise<number> {
  const query = db('sessions').whereRaw(`(sess -> 'passport' ->> 'user') = ?`, [String(userId)]);
  if (exceptSid !== undefined) query.whereNot('sid', exceptSid);
  return query.delete();
}

/** The resident's profile row, empty: every resident has one from sign-up on. */
export async function insertEmptyProfile(db: DbOrTrx, userId: number): Promise<void> {
  await db('resident_profiles').insert({ user_id: userId });
}

export async function selectUserIdByEmail(db: DbOrTrx, email: string): Promise<number | undefined> {
  const row = (await db('users').where({ email }).first('id')) as { id: number } | undefined;
  return row?.id;
}

/** Makes the user a platform admin with this password; the address counts as verified. */
export async function updateToAdmin(db: DbOrTrx, userId: number, passwordHash: string): Promise<void> {
  await db('users')
    .where({ id: userId })
    .update({
      is_admin: true,
      password_hash: passwordHash,
      password_changed_at: db.fn.now(),
      email_verified_at: db.raw('COALESCE(email_verified_at, now())'),
      updated_at: db.fn.now(),
    });
}

/** A new platform admin, the address verified; returns the id. */
export async function insertAdmin(db: DbOrTrx, admin: { email: string; name: string; passwordHash: string }): Promise<number> {
  const [row] = await db('users')
    .insert({
      email: admin.email,
      name: admin.name,
      password_hash: admin.passwordHash,
      is_admin: true,
      email_verified_at: db.fn.now(),
    })
    .returning<{ id: number }[]>('id');
  return row!.id;
}
