import type { DbOrTrx } from '../../platform/db.js';

export interface SessionUser {
  id: number;
  name: string;
  email: string;
  emailVerified: boolean;
  isAdmin: boolean;
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
