import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { authorize, type Actor } from '../access/index.js';
import { NOTIFICATION_TYPES, type NotificationType } from './notify.js';
import {
  cancelPendingEmails,
  countUnreadNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  selectEmailPreferences,
  selectNotificationCounts,
  selectNotifications,
  upsertEmailPreferences,
} from './queries.js';

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
  return countUnreadNotifications(db, userId);
}

/** Newest first. Opening the list marks nothing read: each notice is read when it is opened (or all at once). */
export async function listNotifications(db: DbOrTrx, actor: Actor, page: number): Promise<NotificationPage> {
  authorize(actor, 'account.view');
  const userId = actor.userId!;
  const { total, unread } = await selectNotificationCounts(db, userId);
  const totalPages = Math.max(1, Math.ceil(total / NOTIFICATIONS_PER_PAGE));
  const current = Math.min(Math.max(1, page), totalPages);
  const rows = await selectNotifications(db, userId, {
    limit: NOTIFICATIONS_PER_PAGE,
    offset: (current - 1) * NOTIFICATIONS_PER_PAGE,
  });
  return {
    items: rows.map(({ readAt, ...row }) => ({ ...row, read: readAt !== null })),
    page: current,
    totalPages,
    unread,
  };
}

export async function markAllRead(db: DbOrTrx, actor: Actor): Promise<void> {
  authorize(actor, 'account.view');
  await markAllNotificationsRead(db, actor.userId!);
}

/** Marks one of the actor's notifications read; returns the site path it leads to (404 for anyone else's). */
export async function openNotification(db: DbOrTrx, actor: Actor, id: number): Promise<string> {
  authorize(actor, 'account.view');
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  const link = await markNotificationRead(db, actor.userId!, id);
  if (link === undefined) throw notFound();
  // The database refuses links that are not paths; this keeps the redirect ours even if one slipped in.
  return sitePath(link) ?? '/konto/notiser';
}

/** type → e-mail wanted; a type without a row is on. */
export async function getEmailPreferences(db: DbOrTrx, actor: Actor): Promise<Record<NotificationType, boolean>> {
  authorize(actor, 'account.view');
  const saved = await selectEmailPreferences(db, actor.userId!);
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
  await inTransaction(db, async (trx) => {
    await upsertEmailPreferences(
      trx,
      userId,
      NOTIFICATION_TYPES.map((type) => ({ type, email: wanted.has(type) })),
    );
    await cancelPendingEmails(
      trx,
      userId,
      NOTIFICATION_TYPES.filter((type) => !wanted.has(type)),
    );
  });
}
