import type { Task } from 'graphile-worker';
import type { i18n } from 'i18next';
import type { Db } from '../../platform/db.js';
import { createI18n, DEFAULT_LANGUAGE } from '../../platform/i18n.js';
import type { Logger } from '../../platform/logger.js';
import { queueMail } from '../../platform/mail.js';
import { SEND_NOTIFICATION_MAIL_TASK } from './notify.js';
import { sitePath } from './service.js';
import { notificationText } from './texts.js';

// The send_notification_mail task: one mail with every notification of a
// person that wants e-mail and has not been mailed yet. The rows are locked
// (SKIP LOCKED, so two runs never mail the same notice) and marked emailed in
// the transaction that queues the mail: a second run finds nothing to send.
//
// A mail carries only what the in-app line says (the type, the assignment's
// title, who wrote), never a message's text: mail passes through servers
// outside the service and is forwarded and kept for years, while the
// conversation is between the two sides and stays in the platform (PRODUCT.md
// flow 7), where it can be deleted with the account.

/** Lines in one mail; the rest are summed up as "and N more" (they are all in the list). */
export const MAIL_ITEMS_MAX = 20;

let sharedI18n: Promise<i18n> | undefined;
const mailI18n = () => (sharedI18n ??= createI18n());

/** Sends the person's pending notifications as one mail; returns how many it carried (0: none sent). */
export async function sendNotificationMail(deps: { db: Db; publicUrl: string }, userId: number): Promise<number> {
  const t = (await mailI18n()).getFixedT(DEFAULT_LANGUAGE);
  return deps.db.transaction(async (trx) => {
    // Deleted accounts are gone with their notifications; an unconfirmed address gets nothing.
    const user = (await trx('users').where('id', userId).whereNotNull('email_verified_at').first('email', 'name')) as
      { email: string; name: string | null } | undefined;
    if (!user) return 0;
    const rows = (await trx('notifications')
      .where('user_id', userId)
      .where('email_wanted', true)
      .whereNull('emailed_at')
      .orderBy('id')
      .forUpdate()
      .skipLocked()
      .select('id', 'type', 'params', 'link')) as Array<{ id: number; type: string; params: unknown; link: string }>;
    if (rows.length === 0) return 0;
    const shown = rows.slice(-MAIL_ITEMS_MAX); // the newest ones
    await queueMail(trx, {
      to: user.email,
      template: 'notifications',
      data: {
        name: user.name ?? undefined,
        url: `${deps.publicUrl}/konto/notiser`,
        count: rows.length,
        moreCount: rows.length - shown.length,
        items: shown.map((row) => ({
          text: Array.from(notificationText(t, row.type, row.params))
            .slice(0, 300)
            .join(''),
          url: `${deps.publicUrl}${sitePath(row.link) ?? '/konto/notiser'}`,
        })),
      },
    });
    await trx('notifications')
      .whereIn(
        'id',
        rows.map((row) => row.id),
      )
      .update({ emailed_at: trx.fn.now() });
    return rows.length;
  });
}

export function notificationMailTasks(deps: { db: Db; publicUrl: string; log: Logger }): Record<string, Task> {
  return {
    [SEND_NOTIFICATION_MAIL_TASK]: async (payload) => {
      const userId = Number((payload as { userId?: unknown } | null)?.userId);
      if (!Number.isSafeInteger(userId) || userId <= 0) {
        deps.log.error({ payload }, `${SEND_NOTIFICATION_MAIL_TASK}: payload without a valid userId; dropped`);
        return;
      }
      const count = await sendNotificationMail(deps, userId);
      if (count) deps.log.info({ userId, count }, 'Notification mail queued');
    },
  };
}
