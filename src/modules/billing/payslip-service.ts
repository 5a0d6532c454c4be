import type { DbOrTrx } from '../../platform/db.js';
import { toCsv } from '../../platform/documents/csv.js';
import { AppError, notFound } from '../../platform/errors.js';
import { authorize, can, type Actor } from '../access/index.js';
import { invoiceTexts } from './invoice-pdf.js';
import { incomeSummaryPdf, payslipPdf } from './pdf-rendering.js';
import {
  incomeSummaryFilename,
  payslipFilename,
  summariseYear,
  type IncomeSummary,
  type IncomeSummaryDocument,
} from './payslip-pdf.js';
import {
  selectEmployerOn,
  selectPayslipRecord,
  selectPayslipWorker,
  selectWorkerSalaries,
  type SalaryListRow,
} from './payslip-queries.js';

// The worker's payslips and yearly income summaries (issue 12, items 3 and 4): their own only. Another person's
// salary is answered like one that does not exist: whether it exists is no one else's business.

export const PAYSLIPS_PATH = '/konto/lonebesked';
export const payslipPdfPath = (salaryId: number) => `${PAYSLIPS_PATH}/${salaryId}/pdf`;
export const incomeSummaryPath = (year: number, format: 'pdf' | 'csv') => `${PAYSLIPS_PATH}/ar/${year}/${format}`;

export interface PayslipsPage {
  salaries: SalaryListRow[];
  /** The years with a payout, the latest first; the current year too, so its summary is always at hand. */
  years: number[];
}

export async function getWorkerPayslips(db: DbOrTrx, actor: Actor, currentYear: number): Promise<PayslipsPage> {
  authorize(actor, 'billing.viewWorker', { workerId: actor.userId });
  const salaries = await selectWorkerSalaries(db, actor.userId!);
  const years = new Set([currentYear, ...salaries.map((salary) => Number(salary.payoutDate.slice(0, 4)))]);
  return { salaries, years: [...years].sort((a, b) => b - a) };
}

export async function getPayslipPdf(db: DbOrTrx, actor: Actor, salaryId: number): Promise<{ filename: string; body: Buffer }> {
  if (actor.userId === undefined) throw new AppError('unauthenticated', 'Log in first');
  const record = Number.isSafeInteger(salaryId) ? await selectPayslipRecord(db, salaryId) : undefined;
  if (
    !record ||
    record.salary.workerUserId === null ||
    !can(actor, 'billing.viewWorker', { workerId: record.salary.workerUserId })
  )
    throw notFound();
  const { salary, worker, employer, yearToDate } = record;
  // A salary is only made under operator settings, so both are there unless the data is broken.
  if (!worker || !employer) throw new Error(`Salary ${salary.id} lacks its worker or the operator's settings`);
  return { filename: payslipFilename(salary), body: await payslipPdf({ salary, worker, employer, yearToDate }) };
}

// Years well around any payout: the path names one of them or no page at all.
const FIRST_YEAR = 2000;
const LAST_YEAR = 2200;

/** The year of the path: four digits within reach, else the same 404 as a year with no page. */
function yearOf(value: unknown): number {
  if (typeof value !== 'string' || !/^\d{4}$/.test(value)) throw notFound();
  const year = Number(value);
  if (year < FIRST_YEAR || year > LAST_YEAR) throw notFound();
  return year;
}

async function incomeSummaryOf(db: DbOrTrx, actor: Actor, yearParam: unknown): Promise<IncomeSummaryDocument> {
  authorize(actor, 'billing.viewWorker', { workerId: actor.userId });
  const year = yearOf(yearParam);
  const workerId = actor.userId!;
  const [salaries, worker] = await Promise.all([selectWorkerSalaries(db, workerId, year), selectPayslipWorker(db, workerId)]);
  if (!worker) throw notFound();
  const latest = salaries[0];
  return {
    summary: summariseYear(year, salaries),
    worker,
    employer: await selectEmployerOn(db, latest?.payoutDate ?? `${year}-12-31`),
    createdAt: salaries.reduce(
      (newest, salary) => (salary.createdAt > newest ? salary.createdAt : newest),
      new Date(Date.UTC(year, 0, 1)),
    ),
  };
}

export async function getIncomeSummaryPdf(
  db: DbOrTrx,
  actor: Actor,
  yearParam: unknown,
): Promise<{ filename: string; body: Buffer }> {
  const document = await incomeSummaryOf(db, actor, yearParam);
  return { filename: incomeSummaryFilename(document.summary.year, 'pdf'), body: await incomeSummaryPdf(document) };
}

/** One row per month ('2026-01') and a last row of totals; amounts in kronor with a decimal comma. */
export async function incomeSummaryCsv(summary: IncomeSummary): Promise<Buffer> {
  const t = await invoiceTexts();
  return toCsv({
    columns: [
      { header: t('payslipPdf.month') },
      { header: t('payslipPdf.grossShort'), kind: 'amount' },
      { header: t('payslipPdf.taxShort'), kind: 'amount' },
      { header: t('payslipPdf.expenses'), kind: 'amount' },
      { header: t('payslipPdf.netShort'), kind: 'amount' },
    ],
    rows: [
      ...summary.months.map((month) => [month.month, month.grossOre, month.taxOre, month.expensesOre, month.netOre]),
      [t('payslipPdf.total'), summary.total.grossOre, summary.total.taxOre, summary.total.expensesOre, summary.total.netOre],
    ],
  });
}

export async function getIncomeSummaryCsv(
  db: DbOrTrx,
  actor: Actor,
  yearParam: unknown,
): Promise<{ filename: string; body: Buffer }> {
  const { summary } = await incomeSummaryOf(db, actor, yearParam);
  return { filename: incomeSummaryFilename(summary.year, 'csv'), body: await incomeSummaryCsv(summary) };
}
