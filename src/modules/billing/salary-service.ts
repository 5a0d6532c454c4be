import { todayInStockholm, type CalendarDate } from '../../platform/calendar.js';
import { inTransaction, type Db } from '../../platform/db.js';
import { FormError } from '../../platform/errors.js';
import { sumMoney, type Ore } from '../../platform/money.js';
import { jobTask, type TaskList } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { csvContentType, toCsv } from '../../platform/documents/csv.js';
import type { TFunction } from '../../platform/i18n.js';
import { dateProblem, formText } from '../../platform/validation.js';
import type { JobDeps } from '../../web/module.js';
import type { Actor } from '../access/index.js';
import { notify } from '../notifications/index.js';
import { recordAudit } from './audit.js';
import { calculateSalary, SalaryInputError, taxRateFor } from './calculation.js';
import { invoiceLabel, invoicePaidJob, requirePayroll } from './payments-service.js';
import { payrollRatesFrom } from './rates.js';
import {
  insertSalary,
  lockSalaryRun,
  markSalariesPaid,
  selectGrossPaidEarlier,
  selectUnpaidSalaries,
  type UnpaidSalary,
} from './salary-queries.js';

// The salary of a fully paid invoice, computed by calculation.ts from the invoice, the operator's fee it was
// issued under, the worker's enterprise account and the pay they had earlier in the month and year; then its
// payout: payroll's list of salaries to pay (with the bank account), marked paid with the day the money went out.

/** The worker's payslips (helper P2's page): where the salary's notices link. */
export const WORKER_PAYSLIPS_PATH = '/konto/lonebesked';

/** How many salaries the payout list shows (the oldest first; the rest come as those are paid). */
const LIST_LIMIT = 500;

export type SalaryRun = { salaryId: number } | { skipped: 'exists' | 'noInvoice' | 'noWorker' | 'noAccount' | 'refused' };

/**
 * Computes and records the salary of a paid invoice, once: the invoice's and the worker's account's row locks
 * make a second run (or a concurrent one) wait and then find the salary there; invoice_id is unique besides.
 * An invoice whose worker is gone or has no account records nothing (logged by invoice id, never by person).
 */
export async function runSalary(db: Db, log: Logger, invoiceId: number, payoutDate = todayInStockholm()): Promise<SalaryRun> {
  return inTransaction(
    db,
    async (trx): Promise<SalaryRun> => {
      const run = await lockSalaryRun(trx, invoiceId, payoutDate);
      if (!run) {
        log.warn({ invoiceId }, 'Salary not computed: no such invoice');
        return { skipped: 'noInvoice' };
      }
      const { invoice, account } = run;
      if (invoice.workerUserId === null) {
        log.warn({ invoiceId }, 'Salary not computed: the worker’s account is deleted');
        return { skipped: 'noWorker' };
      }
      if (!account) {
        log.warn({ invoiceId }, 'Salary not computed: the worker has no enterprise account');
        return { skipped: 'noAccount' };
      }
      if (run.salaryExists) return { skipped: 'exists' };
      const rates = payrollRatesFrom(payoutDate, run.contributionRates, run.payrollParameters);
      const earlier = await selectGrossPaidEarlier(trx, invoice.workerUserId, payoutDate);
      const taxBp = taxRateFor(account, rates);
      let calculation;
      try {
        calculation = calculateSalary(
          {
            invoiceExclVatOre: invoice.amountExclVatOre,
            feeBp: invoice.feeBp,
            expensesOre: invoice.expensesOre,
            birthDate: account.birthDate,
            taxBp,
            payoutDate,
            paidEarlierThisMonthOre: earlier.monthOre,
            paidEarlierThisYearOre: earlier.yearOre,
          },
          rates,
        );
      } catch (error) {
        // Running it again cannot mend the invoice's figures (credited below its expenses, …): payroll must look.
        if (!(error instanceof SalaryInputError)) throw error;
        log.error({ invoiceId, field: error.field }, 'Salary not computed: the invoice’s figures make no salary');
        return { skipped: 'refused' };
      }
      const salaryId = await insertSalary(trx, { invoiceId, workerUserId: invoice.workerUserId, payoutDate, taxBp, calculation });
      if (salaryId === undefined) return { skipped: 'exists' };
      await recordAudit(trx, {
        kind: 'salary_run',
        subject: `invoice ${invoiceLabel(invoice)}`,
        details: { invoiceId, salaryId, payoutDate },
      });
      await notify(trx, {
        userIds: [invoice.workerUserId],
        type: 'salary_ready',
        params: { invoice: invoiceLabel(invoice) },
        link: WORKER_PAYSLIPS_PATH,
        dedupeKey: `salary_ready:${salaryId}`,
      });
      return { salaryId };
    },
    { databaseErrors: 'raw' },
  );
}

/** The task of the salary job (enqueued by payments-service.ts when an invoice becomes fully paid). */
export function salaryTasks(deps: Pick<JobDeps, 'db' | 'log'>): TaskList {
  return jobTask(invoicePaidJob, deps.log, async ({ invoiceId }) => {
    const run = await runSalary(deps.db, deps.log, invoiceId);
    if ('salaryId' in run) deps.log.info({ invoiceId, salaryId: run.salaryId }, 'Salary computed');
  });
}

// --- the payout -----------------------------------------------------------------------------------------------------

export interface PayoutList {
  today: CalendarDate;
  salaries: UnpaidSalary[];
}

export async function getPayoutList(db: Db, actor: Actor): Promise<PayoutList> {
  requirePayroll(actor);
  return { today: todayInStockholm(), salaries: await selectUnpaidSalaries(db, LIST_LIMIT) };
}

/** The payout list as CSV for the bank's or the bookkeeping's program, headed in the reader's language. */
export async function payoutListCsv(
  db: Db,
  actor: Actor,
  t: TFunction,
): Promise<{ filename: string; contentType: string; body: Buffer }> {
  const list = await getPayoutList(db, actor);
  const column = (key: string) => t(`salaryPayout.columns.${key}`);
  const body = toCsv({
    columns: [
      { header: column('worker') },
      { header: column('clearingNumber') },
      { header: column('accountNumber') },
      { header: column('net'), kind: 'amount' },
      { header: column('expenses'), kind: 'amount' },
      { header: column('payoutDate'), kind: 'date' },
      { header: column('invoice') },
    ],
    rows: list.salaries.map((salary) => [
      salary.workerName ?? t('salaryPayout.accountDeleted'),
      salary.clearingNumber,
      salary.accountNumber,
      salary.netOre,
      salary.expensesOre,
      salary.payoutDate,
      invoiceLabel(salary),
    ]),
  });
  return { filename: t('salaryPayout.csvFilename', { date: list.today }), contentType: csvContentType, body };
}

/** The mark-paid form as typed: the chosen salaries' ids and the day. */
export interface PayoutForm {
  salaryIds: string[];
  paidOn: string;
}

export const emptyPayoutForm = (): PayoutForm => ({ salaryIds: [], paidOn: todayInStockholm() });

const E = 'salaryPayout.errors';
const ID = /^\d{1,15}$/;

function payoutFormFrom(body: Record<string, unknown>): PayoutForm {
  const chosen = Array.isArray(body.salary) ? (body.salary as unknown[]) : [body.salary];
  return {
    salaryIds: chosen
      .slice(0, LIST_LIMIT)
      .map((value) => formText(value, 20))
      .filter((value) => value !== ''),
    paidOn: formText(body.paidOn, 40),
  };
}

/** The chosen salaries and day, checked as far as the form alone allows; refused with the form's messages. */
function validPayout(body: Record<string, unknown>): { form: PayoutForm; ids: number[]; paidOn: CalendarDate } {
  const form = payoutFormFrom(body);
  const errors: Record<string, string> = {};
  const paidOn = form.paidOn.trim();
  const dateError = dateProblem(paidOn);
  if (dateError) errors.paidOn = dateError;
  else if (paidOn > todayInStockholm()) errors.paidOn = `${E}.paidOnFuture`;
  if (form.salaryIds.length === 0) errors.salary = `${E}.noneChosen`;
  else if (!form.salaryIds.every((id) => ID.test(id))) errors.salary = `${E}.gone`;
  if (Object.keys(errors).length > 0) throw new FormError(errors, form);
  return { form, ids: [...new Set(form.salaryIds.map(Number))], paidOn };
}

/**
 * The confirmation step of marking salaries paid (it cannot be undone: the day is written once, the workers are
 * told): the chosen salaries with their net pay and the total, refused as the change itself would be.
 */
export async function getPayoutToConfirm(
  db: Db,
  actor: Actor,
  body: Record<string, unknown>,
): Promise<{ form: PayoutForm; paidOn: CalendarDate; salaries: UnpaidSalary[]; totalNetOre: Ore }> {
  requirePayroll(actor);
  const { form, ids, paidOn } = validPayout(body);
  const salaries = await selectUnpaidSalaries(db, ids.length, ids);
  if (salaries.length !== ids.length) throw new FormError({ salary: `${E}.gone` }, form);
  if (salaries.some((salary) => salary.payoutDate > paidOn)) throw new FormError({ paidOn: `${E}.paidOnBeforePayout` }, form);
  return { form, paidOn, salaries, totalNetOre: sumMoney(salaries.map((salary) => salary.netOre)) };
}

/** Marks the chosen salaries paid on the day given and tells their workers. Returns how many. */
export async function markSalariesPaidByPayroll(db: Db, actor: Actor, body: Record<string, unknown>): Promise<number> {
  requirePayroll(actor);
  const { form, ids, paidOn } = validPayout(body);
  return inTransaction(db, async (trx) => {
    const paid = await markSalariesPaid(trx, ids, paidOn);
    // All or nothing: a salary paid meanwhile by someone else (or no such id) sends the form back unchanged.
    if (paid.length !== ids.length) throw new FormError({ salary: `${E}.gone` }, form);
    if (paid.some((salary) => salary.payoutDate > paidOn)) throw new FormError({ paidOn: `${E}.paidOnBeforePayout` }, form);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      kind: 'salary_paid',
      subject: paid.length === 1 ? `salary ${paid[0]!.id}` : `${paid.length} salaries`,
      details: { salaryIds: paid.map((salary) => salary.id), paidOn },
    });
    for (const salary of paid)
      if (salary.workerUserId !== null)
        await notify(trx, {
          userIds: [salary.workerUserId],
          type: 'salary_paid',
          params: { invoice: invoiceLabel(salary) },
          link: WORKER_PAYSLIPS_PATH,
          dedupeKey: `salary_paid:${salary.id}`,
        });
    return paid.length;
  });
}
