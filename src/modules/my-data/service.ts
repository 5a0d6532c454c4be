import { inTransaction, type Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import type { Storage } from '../../platform/storage.js';
import { authorize, type Actor } from '../access/index.js';
import { authenticate } from '../accounts/index.js';
import { enqueuePeopleIndexSync } from '../skills/index.js';
import { USER_REFERENCES } from './user-data.js';
import {
  countSessionsOfUser,
  deleteMailsTo,
  deleteSessionsOfUser,
  deleteUser,
  removeUserReference,
  selectAdministeredOrganisationIds,
  selectCvKeysForUpdate,
  selectMailsTo,
  selectMembersForUpdate,
  selectUserEmail,
  selectUserForExport,
} from './queries.js';

/** Everything stored about the actor, as one JSON-ready object. */
export async function exportMyData(db: Db, actor: Actor): Promise<Record<string, unknown>> {
  authorize(actor, 'account.view');
  const userId = actor.userId!;
  const user = await selectUserForExport(db, userId);
  const data: Record<string, unknown> = { exportedAt: new Date().toISOString(), user };
  for (const reference of USER_REFERENCES) {
    if (!reference.exportRows) continue;
    data[`${reference.table}.${reference.column}`] = await reference.exportRows(db, userId);
  }
  data.mails = await selectMailsTo(db, user!.email);
  data.sessions = await countSessionsOfUser(db, userId);
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
  const user = await selectUserEmail(db, userId);
  if (typeof password !== 'string' || !(await authenticate(db, user!.email, password))) {
    throw new AppError('bad_request', 'Wrong password', { password: 'myData.errors.password' });
  }
  // Uploaded files that go with the rows: deleted once the rows are gone for good.
  const files = await inTransaction(db, async (trx) => {
    // Lock every member row of the organisations this user administers, so a
    // concurrent removal of the other admin cannot leave one without an admin.
    const adminOf = await selectAdministeredOrganisationIds(trx, userId);
    const members = adminOf.length ? await selectMembersForUpdate(trx, adminOf) : [];
    const soleAdminOf = adminOf.filter(
      (organisationId) => !members.some((m) => m.organisationId === organisationId && m.role === 'admin' && m.userId !== userId),
    );
    if (soleAdminOf.length > 0) {
      throw new AppError('conflict', 'Sole admin', { form: 'myData.errors.soleAdmin' });
    }
    const cvKeys = await selectCvKeysForUpdate(trx, userId);
    await deleteMailsTo(trx, user!.email);
    await deleteSessionsOfUser(trx, userId);
    for (const reference of USER_REFERENCES) await removeUserReference(trx, reference, userId);
    await deleteUser(trx, userId);
    // The person's card leaves the people search (the job finds no account and removes the document).
    await enqueuePeopleIndexSync(trx, [userId]);
    return cvKeys;
  });
  await Promise.all(files.map((key) => storage.delete(key)));
}
