import type { i18n } from 'i18next';
import { inTransaction, type Db } from '../../platform/db.js';
import { createI18n, DEFAULT_LANGUAGE } from '../../platform/i18n.js';
import type { Logger } from '../../platform/logger.js';
import { jobTask, type TaskList } from '../../platform/jobs.js';
import { queueMail } from '../../platform/mail.js';
import { notificationMailJob } from './notify.js';
import { markNotificationsEmailed, selectMailRecipient, selectNotificationsToMailForUpdate } from './queries.js';
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
  return inTransaction(
    deps.db,
    async (trx) => {
      // Deleted accounts are gone with their notifications; an unconfirmed address gets nothing.
      const user = await selectMailRecipient(trx, userId);
      if (!user) return 0;
      const rows = await selectNotificationsToMailForUpdate(trx, userId);
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
      await markNotificationsEmailed(
        trx,
        rows.map((row) => row.id),
      );
      return rows.length;
    },
    { databaseErrors: 'raw' },
  );
}

export function notificationMailTasks(deps: { db: Db; publicUrl: string; log: Logger }): TaskList {
  return {
    ...jobTask(notificationMailJob, deps.log, async ({ userId }) => {
      const count = await sendNotificationMail(deps, userId);
      if (count) deps.log.info({ userId, count }, 'Notification mail queued');
    }),
  };
}
