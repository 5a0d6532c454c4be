import { z } from 'zod';
import { formatDate, todayInStockholm } from '../../platform/calendar.js';
import { inTransaction, type Db } from '../../platform/db.js';
import { defineJob, jobTask, type TaskList } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { queueMail } from '../../platform/mail.js';
import { formatMoney, subtractMoney } from '../../platform/money.js';
import type { JobDeps } from '../../web/module.js';
import { invoiceLabel } from './payments-service.js';
import { insertReminder, markForCollection, selectInvoicesDueReminder, type ReminderInvoice } from './payments-queries.js';

// Reminders of unpaid invoices, by themselves each morning: the first the day after the due date, the second
// fourteen days after that, and fourteen days after the second an invoice still unpaid is marked for collection
// (payroll's queue lists it for the collection agency). Days are Stockholm's calendar days, counted from the
// due date; a step waits for the one before it to have gone out on an earlier day. Each reminder goes
// out once per invoice and level: its row in invoice_reminders (the primary key) is written in the transaction
// that queues its mail, so a rerun, a catch-up after downtime or two workers at once send nothing twice.

export const SEND_INVOICE_REMINDERS_TASK = 'send_invoice_reminders';
const sendInvoiceRemindersJob = defineJob(SEND_INVOICE_REMINDERS_TASK, z.object({}));

/** Days from the first reminder's day to the second's, and from the second's to collection. */
const REMINDER_INTERVAL_DAYS = 14;

/**
 * graphile-worker's crontab runs in UTC: 07:00 UTC is 08:00 or 09:00 in Stockholm, after the night's bank files.
 * `?fill=12h` catches up a morning missed by downtime (the reminder rows keep it to once).
 */
export const REMINDERS_CRONTAB = `0 7 * * * ${SEND_INVOICE_REMINDERS_TASK} ?fill=12h`;

export interface ReminderRun {
  first: number[];
  second: number[];
  collection: number[];
}

/** Sends the reminders due on the Stockholm day of `now` and marks invoices for collection. */
export async function sendInvoiceReminders(
  db: Db,
  options: { publicUrl: string; log: Logger; now?: Date },
): Promise<ReminderRun> {
  // The run's instant, not the database's clock, dates what it writes: the next step counts from that day.
  const now = options.now ?? new Date();
  const today = todayInStockholm(now);
  const run: ReminderRun = { first: [], second: [], collection: [] };
  for (const level of [1, 2] as const) {
    const due = await selectInvoicesDueReminder(db, level, today, REMINDER_INTERVAL_DAYS);
    for (const invoice of due) {
      // One transaction per invoice: a billing address the mail refuses holds up no other invoice's reminder.
      try {
        const sent = await inTransaction(
          db,
          async (trx) => {
            if (!(await insertReminder(trx, invoice.id, level, now))) return false;
            await queueMail(trx, {
              to: invoice.email,
              template: 'invoice-reminder',
              data: reminderMail(invoice, level, options.publicUrl),
            });
            return true;
          },
          { databaseErrors: 'raw' },
        );
        if (sent) (level === 1 ? run.first : run.second).push(invoice.id);
      } catch (error) {
        options.log.error({ err: error, invoiceId: invoice.id, level }, 'Invoice reminder not sent');
      }
    }
  }
  run.collection = await inTransaction(db, (trx) => markForCollection(trx, today, REMINDER_INTERVAL_DAYS, now), {
    databaseErrors: 'raw',
  });
  return run;
}

function reminderMail(invoice: ReminderInvoice, level: 1 | 2, publicUrl: string) {
  return {
    url: new URL('/', publicUrl).toString(),
    level,
    organisationName: invoice.buyerName,
    invoiceNumber: invoiceLabel(invoice),
    amountLeft: formatMoney(subtractMoney(invoice.dueOre, invoice.paidOre), 'sv'),
    dueDate: formatDate(invoice.dueDate, 'sv'),
    ocr: invoice.ocr,
    bankgiro: formatBankgiro(invoice.bankgiro),
    sellerName: invoice.sellerName,
    sellerEmail: invoice.sellerEmail,
  };
}

/** A bankgiro number as it is printed: 7 or 8 digits with a hyphen before the last four (123-4567, 1234-5678). */
const formatBankgiro = (digits: string) => `${digits.slice(0, -4)}-${digits.slice(-4)}`;

/** The background task of reminders (payroll's part of billing). */
export function reminderTasks(deps: Pick<JobDeps, 'db' | 'config' | 'log'>): TaskList {
  return jobTask(sendInvoiceRemindersJob, deps.log, async () => {
    const run = await sendInvoiceReminders(deps.db, { publicUrl: deps.config.publicUrl, log: deps.log });
    if (run.first.length + run.second.length + run.collection.length > 0)
      deps.log.info(
        { first: run.first.length, second: run.second.length, collection: run.collection.length },
        'Invoice reminders sent',
      );
  });
}
