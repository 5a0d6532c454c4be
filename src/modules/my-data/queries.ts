import type { DbOrTrx } from '../../platform/db.js';
import type { UserReference } from './user-data.js';

/** The user's own row as the export shows it (column names as stored); no password hash. */
export async function selectUserForExport(
  db: DbOrTrx,
  userId: number,
): Promise<(Record<string, unknown> & { email: string }) | undefined> {
  return db('users')
    .where({ id: userId })
    .first(
      'id',
      'email',
      'pending_email',
      'name',
      'home_municipality_code',
      'home_locality_id',
      'email_verified_at',
      'password_changed_at',
      'is_admin',
      'created_at',
      'updated_at',
    );
}

export async function selectUserEmail(db: DbOrTrx, userId: number): Promise<{ email: string } | undefined> {
  return db('users').where({ id: userId }).first('email');
}

export async function selectMailsTo(
  db: DbOrTrx,
  address: string,
): Promise<Array<{ subject: string; template: string; created_at: Date; sent_at: Date | null }>> {
  return db('mails').where('to_address', address).orderBy('id').select('subject', 'template', 'created_at', 'sent_at');
}

export async function deleteMailsTo(db: DbOrTrx, address: string): Promise<void> {
  await db('mails').where('to_address', address).delete();
}

// connect-pg-simple's table: the session keeps the user id under passport.user.
const sessionsOf = (db: DbOrTrx, userId: number) =>
  db('sessions').whereRaw(`sess -> 'passport' ->> 'user' = ?`, [String(userId)]);

export async function countSessionsOfUser(db: DbOrTrx, userId: number): Promise<number> {
  return Number((await sessionsOf(db, userId).count<{ count: string }[]>({ count: '*' }))[0]?.count ?? 0);
}

export async function deleteSessionsOfUser(db: DbOrTrx, userId: number): Promise<void> {
  await sessionsOf(db, userId).delete();
}

export async function selectAdministeredOrganisationIds(db: DbOrTrx, userId: number): Promise<number[]> {
  return db('organisation_members').where({ user_id: userId, role: 'admin' }).pluck('organisation_id');
}

/** Every member row of these organisations, locked until the transaction ends. */
export async function selectMembersForUpdate(
  db: DbOrTrx,
  organisationIds: readonly number[],
): Promise<Array<{ organisationId: number; userId: number; role: string }>> {
  return db('organisation_members')
    .whereIn('organisation_id', organisationIds)
    .forUpdate()
    .select({ organisationId: 'organisation_id', userId: 'user_id', role: 'role' });
}

/** The storage keys of the user's CV (none or one), the profile row locked. */
export async function selectCvKeysForUpdate(db: DbOrTrx, userId: number): Promise<string[]> {
  return db('resident_profiles').where('user_id', userId).whereNotNull('cv_key').forUpdate().pluck('cv_key');
}

/** Deletes the rows that refer to the user, or empties the reference where the row stays without the person. */
export async function removeUserReference(db: DbOrTrx, reference: UserReference, userId: number): Promise<void> {
  if (reference.onDelete === 'keep-without-person')
    await db(reference.table)
      .where(reference.column, userId)
      .update({ [reference.column]: null });
  else await db(reference.table).where(reference.column, userId).delete();
}

export async function deleteUser(db: DbOrTrx, userId: number): Promise<void> {
  await db('users').where({ id: userId }).delete();
}
