import type { DbOrTrx } from '../../platform/db.js';
import { z } from 'zod';
import { defineJob, jobId } from '../../platform/jobs.js';
import { insertNotifications } from './queries.js';

// Telling people what happened: one in-app notification per recipient, and,
// when the recipient wants e-mail for that type, a place in their next
// notification mail. Called inside the transaction of the change it reports,
// so a rolled-back change notifies nobody.
//
// Mails are batched per person: one send_notification_mail job per recipient
// (job key), which mails every notification not yet mailed. Most types ask for
// the mail at once; new messages wait MESSAGE_MAIL_DELAY_MS and keep the
// earlier time when more arrive (preserve_run_at), so a conversation gives
// one mail, not one per message.

export const NOTIFICATION_TYPES = [
  'application_received', // to the organisation's members
  'application_withdrawn', // to the organisation's members
  'application_accepted', // to the resident
  'application_declined', // to the resident
  'message_received', // to the other side of the thread
  'assignment_expiring', // to the organisation's members, the day before the last day to apply
  'assignment_completed', // to the accepted residents
  'feedback_received', // to the one the feedback is about
  'moderation_notice', // to the organisation's members: hidden, restored, warned, suspended
  'billing_basis_submitted', // to the organisation's members: a billing basis to approve
  'billing_basis_disputed', // to the worker: the organisation sent the basis back with a comment
  'billing_basis_approved', // to the worker: approved, the invoice is issued
  'invoice_paid', // to the worker and the organisation's members: payroll has the whole amount (billing)
  'salary_ready', // to the worker: the salary of a paid invoice is calculated, the payslip is there (billing)
  'salary_paid', // to the worker: payroll has paid the salary out (billing)
  'organisation_verified', // to the organisation's members: a platform admin verified it (organisations)
  'assignment_approved', // to the organisation's members: a platform admin approved an assignment waiting for review (posting)
  'assignment_refused', // to the organisation's members: review sent an assignment back as a draft, with a note (posting)
  'skill_confirmed', // to the resident: an organisation confirmed skills they used in a completed assignment (skills)
  'skill_invite', // to the resident: an organisation invites them to apply to an open assignment (skills)
  'learning_contact', // to the resident: a learn-from-each-other match sent them a message (skills)
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const SEND_NOTIFICATION_MAIL_TASK = 'send_notification_mail';
/** Mails a user their unmailed notifications in one message; one waiting job per user. */
export const notificationMailJob = defineJob(SEND_NOTIFICATION_MAIL_TASK, z.object({ userId: jobId }), ({ userId }) => ({
  jobKey: `${SEND_NOTIFICATION_MAIL_TASK}:${userId}`,
}));
export const MESSAGE_MAIL_DELAY_MS = 10 * 60_000;

export interface Notification {
  /** Everyone to tell; duplicates and the actor themself should be left out by the caller. */
  userIds: readonly number[];
  type: NotificationType;
  /** A path inside the site, e.g. /ansokningar/12. */
  link: string;
  /** Texts the message needs (i18n interpolation), e.g. { assignment: 'Snöskottning' }. */
  params?: Record<string, string | number>;
  /** Makes a scheduled notice idempotent: one row per user and key. */
  dedupeKey?: string;
}

export async function notify(trx: DbOrTrx, notification: Notification): Promise<void> {
  const userIds = [...new Set(notification.userIds)];
  if (userIds.length === 0) return;
  const inserted = await insertNotifications(trx, userIds, {
    type: notification.type,
    params: notification.params ?? {},
    link: notification.link,
    dedupeKey: notification.dedupeKey ?? null,
  });
  const batched = notification.type === 'message_received';
  for (const row of inserted.filter((r) => r.emailWanted)) {
    await notificationMailJob.enqueue(
      trx,
      { userId: row.userId },
      batched ? { jobKeyMode: 'preserve_run_at', runAt: new Date(Date.now() + MESSAGE_MAIL_DELAY_MS) } : {},
    );
  }
}
