import { SQL_TODAY_IN_STOCKHOLM } from '../../platform/calendar.js';
import { preparedRaw, type DbOrTrx } from '../../platform/db.js';

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

/**
 * Inserts one notification per user, each wanting e-mail unless its user turned that type's mail off; a (user,
 * dedupe key) that is already there is skipped. One statement (the opt-outs read inside it): notify runs in the
 * transaction of every change it reports, and each round trip there counts (a salary run, npm run bench:billing).
 * Returns the rows inserted.
 */
export async function insertNotifications(
  db: DbOrTrx,
  userIds: readonly number[],
  notification: { type: string; params: Record<string, string | number>; link: string; dedupeKey: string | null },
): Promise<Array<{ userId: number; emailWanted: boolean }>> {
  const { rows } = await preparedRaw<{ rows: Array<{ user_id: string | number; email_wanted: boolean }> }>(
    db,
    'insert_notifications',
    `INSERT INTO notifications (user_id, type, params, link, dedupe_key, email_wanted)
     SELECT u.id, :type, CAST(:params AS jsonb), :link, :dedupeKey,
            NOT EXISTS (SELECT 1 FROM notification_preferences p WHERE p.user_id = u.id AND p.type = :type AND NOT p.email)
     FROM unnest(CAST(:userIds AS bigint[])) AS u(id)
     ON CONFLICT (user_id, dedupe_key) DO NOTHING
     RETURNING user_id, email_wanted`,
    {
      type: notification.type,
      params: JSON.stringify(notification.params),
      link: notification.link,
      dedupeKey: notification.dedupeKey,
      // An array literal: knex would spread a JS array into a list of bindings.
      userIds: `{${userIds.map((id) => Number(id)).join(',')}}`,
    },
  );
  return rows.map((row) => ({ userId: Number(row.user_id), emailWanted: row.email_wanted }));
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
