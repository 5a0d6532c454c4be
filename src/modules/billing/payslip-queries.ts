import type { CalendarDate } from '../../platform/calendar.js';
import { preparedRaw, type DbOrTrx } from '../../platform/db.js';
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

/** Everything one payslip shows, read in one statement: the salary, its worker, employer and year so far. */
export interface PayslipRecord {
  salary: PayslipSalary;
  /** Undefined when the worker's account is gone. */
  worker: PayslipWorker | undefined;
  /** The operator's settings on the payout date. */
  employer: SellerRow | undefined;
  /**
   * Gross, tax and net of the worker's salaries paid out in the same year, up to and including this one (salaries
   * paid the same day count in the order they were made).
   */
  yearToDate: YearToDate;
}

const SELLER_COLUMNS = [
  'id',
  'valid_from',
  'name',
  'organisation_number',
  'vat_number',
  'street_address',
  'postal_code',
  'city',
  'bankgiro',
  'f_tax_approved',
  'fee_bp',
  'payment_terms_days',
  'invoice_series',
  'email',
] as const satisfies ReadonlyArray<keyof SellerRow>;

type PayslipRecordRow = SalaryRecord & {
  worker_found: boolean;
  worker_name: string | null;
  worker_birth_date: CalendarDate | null;
  worker_coordination_number: boolean | null;
  year_gross: string;
  year_tax: string;
  year_net: string;
} & { [column in `employer_${(typeof SELLER_COLUMNS)[number]}`]: SellerRow[keyof SellerRow] | null };

const SALARY_COLUMNS = [
  'id',
  'worker_user_id',
  'payout_date',
  'invoice_excl_vat_ore',
  'fee_ore',
  'contributions_ore',
  'contribution_lines',
  'gross_ore',
  'vacation_pay_ore',
  'tax_bp',
  'tax_ore',
  'expenses_ore',
  'net_ore',
  'rounding_ore',
  'created_at',
] as const satisfies ReadonlyArray<keyof SalaryRecord>;

// A download is one prepared statement, not four: payslips are fetched by the thousand when payroll's run is done.
export async function selectPayslipRecord(db: DbOrTrx, salaryId: number): Promise<PayslipRecord | undefined> {
  const { rows } = await preparedRaw<{ rows: PayslipRecordRow[] }>(
    db,
    'payslip_record',
    `SELECT ${SALARY_COLUMNS.map((column) => `s.${column}`).join(', ')},
       coalesce(b.period_start, i.delivery_start) AS period_start,
       coalesce(b.period_end, i.delivery_end) AS period_end,
       -- An invoice issued without a basis still names what it was for.
       coalesce(a.title, i.subject, '') AS assignment_title,
       u.id IS NOT NULL AS worker_found, u.name AS worker_name,
       e.birth_date AS worker_birth_date, e.coordination_number AS worker_coordination_number,
       ${SELLER_COLUMNS.map((column) => `o.${column} AS employer_${column}`).join(', ')},
       y.gross AS year_gross, y.tax AS year_tax, y.net AS year_net
     FROM salaries s
     JOIN invoices i ON i.id = s.invoice_id
     LEFT JOIN billing_bases b ON b.id = i.basis_id
     LEFT JOIN assignments a ON a.id = b.assignment_id
     LEFT JOIN users u ON u.id = s.worker_user_id
     LEFT JOIN enterprise_accounts e ON e.user_id = s.worker_user_id
     LEFT JOIN LATERAL (
       SELECT * FROM operator_settings WHERE valid_from <= s.payout_date ORDER BY valid_from DESC LIMIT 1
     ) o ON true
     CROSS JOIN LATERAL (
       SELECT coalesce(sum(gross_ore), 0) AS gross, coalesce(sum(tax_ore), 0) AS tax, coalesce(sum(net_ore), 0) AS net
       FROM salaries
       WHERE worker_user_id = s.worker_user_id
         AND payout_date >= CAST(date_trunc('year', s.payout_date) AS date)
         AND (payout_date, id) <= (s.payout_date, s.id)
     ) y
     WHERE s.id = ?`,
    [salaryId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const employer =
    row.employer_id === null
      ? undefined
      : (Object.fromEntries(SELLER_COLUMNS.map((column) => [column, row[`employer_${column}`]])) as unknown as SellerRow);
  return {
    salary: payslipSalaryOf(row),
    worker: row.worker_found
      ? {
          name: row.worker_name!,
          birthDate: row.worker_birth_date,
          coordinationNumber: row.worker_coordination_number ?? false,
        }
      : undefined,
    employer,
    yearToDate: {
      grossOre: oreFromDatabase(row.year_gross),
      taxOre: oreFromDatabase(row.year_tax),
      netOre: oreFromDatabase(row.year_net),
    },
  };
}

function payslipSalaryOf(row: SalaryRecord): PayslipSalary {
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
