import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import type { Storage } from '../../platform/storage.js';
import { authorize, type Actor } from '../access/index.js';
import { authenticate } from '../accounts/index.js';
import { USER_REFERENCES } from './user-data.js';

/** Everything stored about the actor, as one JSON-ready object. */
export async function exportMyData(db: Db, actor: Actor): Promise<Record<string, unknown>> {
  authorize(actor, 'account.view');
  const userId = actor.userId!;
  const user = await db('users')
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
  const data: Record<string, unknown> = { exportedAt: new Date().toISOString(), user };
  for (const reference of USER_REFERENCES) {
    if (!reference.exportRows) continue;
    data[`${reference.table}.${reference.column}`] = await reference.exportRows(db, userId);
  }
  data.mails = await db('mails')
    .where('to_address', user.email)
    .orderBy('id')
    .select('subject', 'template', 'created_at', 'sent_at');
  data.sessions = Number(
    (
      await db('sessions')
        .whereRaw(`sess -> 'passport' ->> 'user' = ?`, [String(userId)])
        .count<{ count: string }[]>({ count: '*' })
    )[0]?.count ?? 0,
  );
  return data;
}

/**
 * Deletes the account: the user row and everything that is only theirs; rows
 * that belong to others (an organisation's assignments, invites) stay without
 * the person. The password is asked again. The last admin of an organisation
 * must hand it over first, so no organisation is left without an admin.
 * Uploaded files of the user (the CV) are deleted after the rows.
 * (Billing records the law requires to keep arrive with billing and will be
 * pseudonymised here, not deleted.)
 */
export async function deleteMyAccount(db: Db, storage: Storage, actor: Actor, password: unknown): Promise<void> {
  authorize(actor, 'account.view');
  const userId = actor.userId!;
  const user = await db('users').where({ id: userId }).first('email');
  if (typeof password !== 'string' || !(await authenticate(db, user.email, password))) {
    throw new AppError('bad_request', 'Wrong password', { password: 'myData.errors.password' });
  }
  // Uploaded files that go with the rows: deleted once the rows are gone for good.
  const files = await db.transaction(async (trx) => {
    // Lock every member row of the organisations this user administers, so a
    // concurrent removal of the other admin cannot leave one without an admin.
    const adminOf = await trx('organisation_members').where({ user_id: userId, role: 'admin' }).pluck('organisation_id');
    const members = adminOf.length
      ? await trx('organisation_members')
          .whereIn('organisation_id', adminOf)
          .forUpdate()
          .select('organisation_id', 'user_id', 'role')
      : [];
    const soleAdminOf = adminOf.filter(
      (organisationId) =>
        !members.some((m) => m.organisation_id === organisationId && m.role === 'admin' && m.user_id !== userId),
    );
    if (soleAdminOf.length > 0) {
      throw new AppError('conflict', 'Sole admin', { form: 'myData.errors.soleAdmin' });
    }
    const cvKeys = (await trx('resident_profiles')
      .where('user_id', userId)
      .whereNotNull('cv_key')
      .forUpdate()
      .pluck('cv_key')) as string[];
    await trx('mails').where('to_address', user.email).delete();
    await trx('sessions')
      .whereRaw(`sess -> 'passport' ->> 'user' = ?`, [String(userId)])
      .delete();
    for (const reference of USER_REFERENCES) {
      if (reference.onDelete === 'keep-without-person')
        await trx(reference.table)
          .where(reference.column, userId)
          .update({ [reference.column]: null });
      else await trx(reference.table).where(reference.column, userId).delete();
    }
    await trx('users').where({ id: userId }).delete();
    return cvKeys;
  });
  await Promise.all(files.map((key) => storage.delete(key)));
}
