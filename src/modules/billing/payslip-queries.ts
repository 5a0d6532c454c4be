import type { CalendarDate } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import { oreFromDatabase, type Ore } from '../../platform/money.js';
import type { ContributionLine } from './calculation.js';
import { selectSellerOn, type SellerRow } from './invoice-queries.js';

// The knex code of payslips and the yearly income summary: a salary with what its payslip names (the basis'
// period and assignment, the worker, the operator's settings on the payout date) and a worker's salaries by year.

/** One salary as its payslip shows it. */
export interface PayslipSalary {
  id: number;
  workerUserId: number | null;
  payoutDate: CalendarDate;
  invoiceExclVatOre: Ore;
  feeOre: Ore;
  contributionsOre: Ore;
  contributionLines: ContributionLine[];
  grossOre: Ore;
  vacationPayOre: Ore;
  taxBp: number;
  taxOre: Ore;
  expensesOre: Ore;
  netOre: Ore;
  roundingOre: Ore;
  createdAt: Date;
  periodStart: CalendarDate;
  periodEnd: CalendarDate;
  assignmentTitle: string;
}

export interface PayslipWorker {
  name: string;
  /** NULL without an enterprise account (then no personnummer is known to mask). */
  birthDate: CalendarDate | null;
  coordinationNumber: boolean;
}

export interface YearToDate {
  grossOre: Ore;
  taxOre: Ore;
  netOre: Ore;
}

/** The worker's salaries of one payout year, as the summary and the list need them. */
export interface SalaryListRow {
  id: number;
  payoutDate: CalendarDate;
  grossOre: Ore;
  taxOre: Ore;
  expensesOre: Ore;
  netOre: Ore;
  createdAt: Date;
  assignmentTitle: string;
}

interface SalaryRecord {
  id: number;
  worker_user_id: number | null;
  payout_date: CalendarDate;
  invoice_excl_vat_ore: number;
  fee_ore: number;
  contributions_ore: number;
  contribution_lines: Array<{ ratePercent: string; baseOre: number; amountOre: number; earlierPayouts?: true }>;
  gross_ore: number;
  vacation_pay_ore: number;
  tax_bp: number;
  tax_ore: number;
  expenses_ore: number;
  net_ore: number;
  rounding_ore: number;
  created_at: Date;
  period_start: CalendarDate;
  period_end: CalendarDate;
  assignment_title: string;
}

export async function selectPayslipSalary(db: DbOrTrx, salaryId: number): Promise<PayslipSalary | undefined> {
  const row = (await db('salaries as s')
    .join('invoices as i', 'i.id', 's.invoice_id')
    .leftJoin('billing_bases as b', 'b.id', 'i.basis_id')
    .leftJoin('assignments as a', 'a.id', 'b.assignment_id')
    .where('s.id', salaryId)
    .first(
      's.*',
      db.raw('coalesce(b.period_start, i.delivery_start) as period_start'),
      db.raw('coalesce(b.period_end, i.delivery_end) as period_end'),
      // An invoice issued without a basis still names what it was for.
      db.raw(`coalesce(a.title, i.subject, '') as assignment_title`),
    )) as SalaryRecord | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    workerUserId: row.worker_user_id,
    payoutDate: row.payout_date,
    invoiceExclVatOre: oreFromDatabase(row.invoice_excl_vat_ore),
    feeOre: oreFromDatabase(row.fee_ore),
    contributionsOre: oreFromDatabase(row.contributions_ore),
    contributionLines: row.contribution_lines.map((line) => ({
      ratePercent: line.ratePercent,
      baseOre: oreFromDatabase(line.baseOre),
      amountOre: oreFromDatabase(line.amountOre),
      ...(line.earlierPayouts ? { earlierPayouts: true as const } : {}),
    })),
    grossOre: oreFromDatabase(row.gross_ore),
    vacationPayOre: oreFromDatabase(row.vacation_pay_ore),
    taxBp: row.tax_bp,
    taxOre: oreFromDatabase(row.tax_ore),
    expensesOre: oreFromDatabase(row.expenses_ore),
    netOre: oreFromDatabase(row.net_ore),
    roundingOre: oreFromDatabase(row.rounding_ore),
    createdAt: row.created_at,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    assignmentTitle: row.assignment_title,
  };
}

export async function selectPayslipWorker(db: DbOrTrx, userId: number): Promise<PayslipWorker | undefined> {
  const row = (await db('users as u')
    .leftJoin('enterprise_accounts as e', 'e.user_id', 'u.id')
    .where('u.id', userId)
    .first('u.name', 'e.birth_date', 'e.coordination_number')) as
    { name: string; birth_date: CalendarDate | null; coordination_number: boolean | null } | undefined;
  return row && { name: row.name, birthDate: row.birth_date, coordinationNumber: row.coordination_number ?? false };
}

/**
 * Gross, tax and net of the worker's salaries paid out in the same year as `salary`, up to and including it
 * (salaries paid the same day count in the order they were made).
 */
export async function selectYearToDate(
  db: DbOrTrx,
  salary: Pick<PayslipSalary, 'id' | 'workerUserId' | 'payoutDate'>,
): Promise<YearToDate> {
  const yearStart = `${salary.payoutDate.slice(0, 4)}-01-01`;
  const sums = (await db('salaries')
    .where({ worker_user_id: salary.workerUserId })
    .where('payout_date', '>=', yearStart)
    .whereRaw('(payout_date, id) <= (?::date, ?)', [salary.payoutDate, salary.id])
    .first(
      db.raw('coalesce(sum(gross_ore), 0) as gross'),
      db.raw('coalesce(sum(tax_ore), 0) as tax'),
      db.raw('coalesce(sum(net_ore), 0) as net'),
    )) as { gross: string; tax: string; net: string };
  return { grossOre: oreFromDatabase(sums.gross), taxOre: oreFromDatabase(sums.tax), netOre: oreFromDatabase(sums.net) };
}

/** The operator's settings on the payout date: the employer the payslip names. */
export const selectEmployerOn = (db: DbOrTrx, date: CalendarDate): Promise<SellerRow | undefined> => selectSellerOn(db, date);

interface SalaryListRecord {
  id: number;
  payout_date: CalendarDate;
  gross_ore: number;
  tax_ore: number;
  expenses_ore: number;
  net_ore: number;
  created_at: Date;
  assignment_title: string;
}

/** The worker's salaries, the latest first; only those paid out in `year` when it is given. */
export async function selectWorkerSalaries(db: DbOrTrx, workerUserId: number, year?: number): Promise<SalaryListRow[]> {
  const query = db('salaries as s')
    .join('invoices as i', 'i.id', 's.invoice_id')
    .leftJoin('billing_bases as b', 'b.id', 'i.basis_id')
    .leftJoin('assignments as a', 'a.id', 'b.assignment_id')
    .where('s.worker_user_id', workerUserId)
    .orderBy([
      { column: 's.payout_date', order: 'desc' },
      { column: 's.id', order: 'desc' },
    ])
    .select(
      's.id',
      's.payout_date',
      's.gross_ore',
      's.tax_ore',
      's.expenses_ore',
      's.net_ore',
      's.created_at',
      db.raw(`coalesce(a.title, i.subject, '') as assignment_title`),
    );
  if (year !== undefined) query.whereBetween('s.payout_date', [`${year}-01-01`, `${year}-12-31`]);
  const rows = (await query) as SalaryListRecord[];
  return rows.map((row) => ({
    id: row.id,
    payoutDate: row.payout_date,
    grossOre: oreFromDatabase(row.gross_ore),
    taxOre: oreFromDatabase(row.tax_ore),
    expensesOre: oreFromDatabase(row.expenses_ore),
    netOre: oreFromDatabase(row.net_ore),
    createdAt: row.created_at,
    assignmentTitle: row.assignment_title,
  }));
}
