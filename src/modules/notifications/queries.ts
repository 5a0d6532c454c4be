import { SQL_TODAY_IN_STOCKHOLM } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';

export interface NotificationRow {
  id: number;
  type: string;
  params: Record<string, unknown>;
  link: string;
  createdAt: Date;
  readAt: Date | null;
}

export async function countUnreadNotifications(db: DbOrTrx, userId: number): Promise<number> {
  const row = await db('notifications')
    .where('user_id', userId)
    .whereNull('read_at')
    .count<{ count: number }>('* as count')
    .first();
  return Number(row?.count ?? 0);
}

export async function selectNotificationCounts(db: DbOrTrx, userId: number): Promise<{ total: number; unread: number }> {
  const [counts] = (await db('notifications')
    .where('user_id', userId)
    .select(db.raw('count(*)::int AS total'), db.raw('count(*) FILTER (WHERE read_at IS NULL)::int AS unread'))) as Array<{
    total: number;
    unread: number;
  }>;
  return counts ?? { total: 0, unread: 0 };
}

/** Newest first. */
export async function selectNotifications(
  db: DbOrTrx,
  userId: number,
  page: { limit: number; offset: number },
): Promise<NotificationRow[]> {
  return db('notifications')
    .where('user_id', userId)
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(page.limit)
    .offset(page.offset)
    .select({ id: 'id', type: 'type', params: 'params', link: 'link', createdAt: 'created_at', readAt: 'read_at' });
}

export async function markAllNotificationsRead(db: DbOrTrx, userId: number): Promise<void> {
  await db('notifications').where('user_id', userId).whereNull('read_at').update({ read_at: db.fn.now() });
}

/** Marks the user's notification read (if it was not); its link, or undefined when it is not theirs. */
export async function markNotificationRead(db: DbOrTrx, userId: number, id: number): Promise<string | undefined> {
  const [row] = (await db('notifications')
    .where({ id, user_id: userId })
    .update({ read_at: db.raw('COALESCE(read_at, now())') })
    .returning('link')) as Array<{ link: string }>;
  return row?.link;
}

/** The user's saved choices, type → e-mail wanted (a type without a row has no choice saved). */
export async function selectEmailPreferences(db: DbOrTrx, userId: number): Promise<Map<string, boolean>> {
  const rows = (await db('notification_preferences').where('user_id', userId).select('type', 'email')) as Array<{
    type: string;
    email: boolean;
  }>;
  return new Map(rows.map((row) => [row.type, row.email]));
}

export async function upsertEmailPreferences(
  db: DbOrTrx,
  userId: number,
  preferences: ReadonlyArray<{ type: string; email: boolean }>,
): Promise<void> {
  await db('notification_preferences')
    .insert(preferences.map(({ type, email }) => ({ user_id: userId, type, email })))
    .onConflict(['user_id', 'type'])
    .merge(['email']);
}

/** The user's notifications of these types that wait for their mail will not be mailed. */
export async function cancelPendingEmails(db: DbOrTrx, userId: number, types: readonly string[]): Promise<void> {
  await db('notifications')
    .where('user_id', userId)
    .whereNull('emailed_at')
    .whereIn('type', types)
    .update({ email_wanted: false });
}

/** Of these users, those who turned e-mail off for this type. */
export async function selectEmailOptOuts(db: DbOrTrx, userIds: readonly number[], type: string): Promise<Set<number>> {
  return new Set(
    (await db('notification_preferences').whereIn('user_id', userIds).where({ type, email: false }).pluck('user_id')) as number[],
  );
}

/** Inserts the notifications; a (user, dedupe key) that is already there is skipped. Returns the rows inserted. */
export async function insertNotifications(
  db: DbOrTrx,
  rows: ReadonlyArray<{
    userId: number;
    type: string;
    params: Record<string, string | number>;
    link: string;
    dedupeKey: string | null;
    emailWanted: boolean;
  }>,
): Promise<Array<{ userId: number; emailWanted: boolean }>> {
  const inserted = (await db('notifications')
    .insert(
      rows.map((row) => ({
        user_id: row.userId,
        type: row.type,
        params: JSON.stringify(row.params),
        link: row.link,
        dedupe_key: row.dedupeKey,
        email_wanted: row.emailWanted,
      })),
    )
    .onConflict(['user_id', 'dedupe_key'])
    .ignore()
    .returning(['user_id', 'email_wanted'])) as Array<{ user_id: number; email_wanted: boolean }>;
  return inserted.map((row) => ({ userId: row.user_id, emailWanted: row.email_wanted }));
}

/** Published, visible assignments whose last day to apply is `day` ('YYYY-MM-DD'; default: tomorrow in Stockholm). */
export async function selectAssignmentsClosingOn(
  db: DbOrTrx,
  day: string | undefined,
): Promise<Array<{ id: number; title: string; organisationId: number }>> {
  return db('assignments')
    .where('status', 'published')
    .whereNull('hidden_at')
    .where('apply_by', day ? db.raw('?::date', [day]) : db.raw(`${SQL_TODAY_IN_STOCKHOLM} + 1`))
    .orderBy('id')
    .select({ id: 'id', title: 'title', organisationId: 'organisation_id' });
}

export async function selectOrganisationMemberIds(db: DbOrTrx, organisationId: number): Promise<number[]> {
  return db('organisation_members').where('organisation_id', organisationId).pluck('user_id');
}

/** Where the user's mail goes; undefined for an address not confirmed (or a deleted account). */
export async function selectMailRecipient(
  db: DbOrTrx,
  userId: number,
): Promise<{ email: string; name: string | null } | undefined> {
  return db('users').where('id', userId).whereNotNull('email_verified_at').first('email', 'name');
}

/**
 * The user's notifications that want e-mail and were not mailed yet, oldest
 * first, locked; rows another transaction holds are skipped (it mails them).
 */
export async function selectNotificationsToMailForUpdate(
  db: DbOrTrx,
  userId: number,
): Promise<Array<{ id: number; type: string; params: unknown; link: string }>> {
  return db('notifications')
    .where('user_id', userId)
    .where('email_wanted', true)
    .whereNull('emailed_at')
    .orderBy('id')
    .forUpdate()
    .skipLocked()
    .select('id', 'type', 'params', 'link');
}

export async function markNotificationsEmailed(db: DbOrTrx, ids: readonly number[]): Promise<void> {
  await db('notifications').whereIn('id', ids).update({ emailed_at: db.fn.now() });
}
