import type { DbOrTrx } from '../../platform/db.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { authorize, type Actor } from '../access/index.js';
import { NOTIFICATION_TYPES, type NotificationType } from './notify.js';

// The person's own notifications: the in-app list, marking them read, and
// which types also come by e-mail. Only ever the actor's own rows.

export const NOTIFICATIONS_PER_PAGE = 50;

export interface NotificationItem {
  id: number;
  type: string;
  params: Record<string, unknown>;
  link: string;
  createdAt: Date;
  read: boolean;
}

export interface NotificationPage {
  items: NotificationItem[];
  page: number;
  totalPages: number;
  unread: number;
}

/** A link of our own site (a path, never another host), or undefined. */
export function sitePath(link: string): string | undefined {
  // "//host" and "/\host" are read by browsers as another host.
  return /^\/(?![/\\])[^\s\\]*$/.test(link) ? link : undefined;
}

/** The unread notifications of a person (the header's count). */
export async function unreadNotificationCount(db: DbOrTrx, userId: number): Promise<number> {
  const row = await db('notifications')
    .where('user_id', userId)
    .whereNull('read_at')
    .count<{ count: number }>('* as count')
    .first();
  return Number(row?.count ?? 0);
}

/** Newest first. Opening the list marks nothing read: each notice is read when it is opened (or all at once). */
export async function listNotifications(db: DbOrTrx, actor: Actor, page: number): Promise<NotificationPage> {
  authorize(actor, 'account.view');
  const userId = actor.userId!;
  const [counts] = (await db('notifications')
    .where('user_id', userId)
    .select(db.raw('count(*)::int AS total'), db.raw('count(*) FILTER (WHERE read_at IS NULL)::int AS unread'))) as Array<{
    total: number;
    unread: number;
  }>;
  const { total, unread } = counts ?? { total: 0, unread: 0 };
  const totalPages = Math.max(1, Math.ceil(total / NOTIFICATIONS_PER_PAGE));
  const current = Math.min(Math.max(1, page), totalPages);
  const rows = (await db('notifications')
    .where('user_id', userId)
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(NOTIFICATIONS_PER_PAGE)
    .offset((current - 1) * NOTIFICATIONS_PER_PAGE)
    .select('id', 'type', 'params', 'link', 'created_at', 'read_at')) as Array<{
    id: number;
    type: string;
    params: Record<string, unknown>;
    link: string;
    created_at: Date;
    read_at: Date | null;
  }>;
  return {
    items: rows.map((row) => ({
      id: row.id,
      type: row.type,
      params: row.params,
      link: row.link,
      createdAt: row.created_at,
      read: row.read_at !== null,
    })),
    page: current,
    totalPages,
    unread,
  };
}

export async function markAllRead(db: DbOrTrx, actor: Actor): Promise<void> {
  authorize(actor, 'account.view');
  await db('notifications').where('user_id', actor.userId!).whereNull('read_at').update({ read_at: db.fn.now() });
}

/** Marks one of the actor's notifications read; returns the site path it leads to (404 for anyone else's). */
export async function openNotification(db: DbOrTrx, actor: Actor, id: number): Promise<string> {
  authorize(actor, 'account.view');
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  const [row] = (await db('notifications')
    .where({ id, user_id: actor.userId! })
    .update({ read_at: db.raw('COALESCE(read_at, now())') })
    .returning('link')) as Array<{ link: string }>;
  if (!row) throw notFound();
  // The database refuses links that are not paths; this keeps the redirect ours even if one slipped in.
  return sitePath(row.link) ?? '/konto/notiser';
}

/** type → e-mail wanted; a type without a row is on. */
export async function getEmailPreferences(db: DbOrTrx, actor: Actor): Promise<Record<NotificationType, boolean>> {
  authorize(actor, 'account.view');
  const rows = (await db('notification_preferences').where('user_id', actor.userId!).select('type', 'email')) as Array<{
    type: string;
    email: boolean;
  }>;
  const saved = new Map(rows.map((row) => [row.type, row.email]));
  return Object.fromEntries(NOTIFICATION_TYPES.map((type) => [type, saved.get(type) ?? true])) as Record<
    NotificationType,
    boolean
  >;
}

/**
 * Saves the types checked for e-mail (the form's `email` checkboxes; every
 * type not checked is off). Notices already waiting for their mail follow
 * the new choice.
 */
export async function saveEmailPreferences(db: DbOrTrx, actor: Actor, body: unknown): Promise<void> {
  authorize(actor, 'account.view');
  const raw = (body as { email?: unknown } | null)?.email;
  const checked = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (
    checked.length > NOTIFICATION_TYPES.length ||
    !checked.every((type) => (NOTIFICATION_TYPES as readonly unknown[]).includes(type))
  )
    throw badRequest('Unknown notification type', { email: 'notifications.settings.unknownType' });
  const wanted = new Set(checked as string[]);
  const userId = actor.userId!;
  await db.transaction(async (trx) => {
    await trx('notification_preferences')
      .insert(NOTIFICATION_TYPES.map((type) => ({ user_id: userId, type, email: wanted.has(type) })))
      .onConflict(['user_id', 'type'])
      .merge(['email']);
    await trx('notifications')
      .where('user_id', userId)
      .whereNull('emailed_at')
      .whereIn(
        'type',
        NOTIFICATION_TYPES.filter((type) => !wanted.has(type)),
      )
      .update({ email_wanted: false });
  });
}
