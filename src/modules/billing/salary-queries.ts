import type { CalendarDate } from '../../platform/calendar.js';
import { preparedRaw, type DbOrTrx } from '../../platform/db.js';
import { oreFromDatabase, type Ore } from '../../platform/money.js';
import type { SalaryCalculation } from './calculation.js';
import type { TaxMode } from './account-queries.js';
import type { ContributionRateRow } from './rates-queries.js';

// Salaries (one per fully paid invoice) and their payout. The migrations 202612061400 and 202612061601 explain
// the columns; a salary row is never changed except to forget its worker and to be marked paid once.

/** What the salary of an invoice is computed from, with its credit notes taken off. */
export interface SalaryInvoice {
  id: number;
  series: string;
  number: number;
  workerUserId: number | null;
  /** The invoice's amount excl. VAT less its credit notes'. */
  amountExclVatOre: Ore;
  expensesOre: Ore;
  /** The fee of the operator settings the invoice was issued under. */
  feeBp: number;
}

/** What the salary needs of the worker's enterprise account. */
export interface SalaryAccount {
  birthDate: CalendarDate;
  taxMode: TaxMode;
  ownTaxBp: number | null;
}

/** What a salary run reads under its locks, in one statement. */
export interface SalaryRunStart {
  invoice: SalaryInvoice;
  /** Undefined when the invoice has no worker or the worker has no enterprise account. */
  account: SalaryAccount | undefined;
  salaryExists: boolean;
  /** The contribution rows valid on the payout date (as selectContributionRatesOn reads them). */
  contributionRates: ContributionRateRow[];
  /** Each payroll parameter's value on the payout date (as selectPayrollParametersOn reads them). */
  payrollParameters: Map<string, number>;
}

/**
 * Locks the invoice (not a credit note) and then its worker's enterprise account for the transaction: one salary
 * run per invoice and one per worker at a time, so each sees the month's and year's earlier pay (read by a later
 * statement: this one's snapshot is older than the locks it may wait for). Reads in the same round trip whether the
 * invoice has its salary and the rates of the payout date. Undefined when there is no such invoice.
 */
export async function lockSalaryRun(
  trx: DbOrTrx,
  invoiceId: number,
  payoutDate: CalendarDate,
): Promise<SalaryRunStart | undefined> {
  const { rows } = await preparedRaw<{
    rows: Array<{
      id: number;
      series: string;
      number: number;
      worker_user_id: number | null;
      amount_excl_vat_ore: string;
      expenses_ore: string;
      fee_bp: number;
      account_user_id: number | null;
      birth_date: CalendarDate | null;
      tax_mode: TaxMode | null;
      own_tax_bp: number | null;
      salary_exists: boolean;
      contribution_rates: ContributionRateRow[] | null;
      payroll_parameters: Record<string, number> | null;
    }>;
  }>(
    trx,
    'lock_salary_run',
    `WITH invoice AS (
       SELECT i.id, i.series, i.number, i.worker_user_id, s.fee_bp,
         i.amount_excl_vat_ore + COALESCE((SELECT sum(c.amount_excl_vat_ore) FROM invoices c WHERE c.credits_invoice_id = i.id), 0)
           AS amount_excl_vat_ore,
         i.expenses_ore + COALESCE((SELECT sum(c.expenses_ore) FROM invoices c WHERE c.credits_invoice_id = i.id), 0)
           AS expenses_ore
       FROM invoices i JOIN operator_settings s ON s.id = i.operator_settings_id
       WHERE i.id = :invoiceId AND i.kind = 'invoice'
       FOR UPDATE OF i
     ), account AS (
       SELECT user_id, birth_date, tax_mode, own_tax_bp FROM enterprise_accounts
       WHERE user_id = (SELECT worker_user_id FROM invoice)
       FOR UPDATE
     )
     SELECT invoice.*, account.user_id AS account_user_id, account.birth_date, account.tax_mode, account.own_tax_bp,
       EXISTS (SELECT 1 FROM salaries WHERE invoice_id = :invoiceId) AS salary_exists,
       -- The rows selectContributionRatesOn and selectPayrollParametersOn (rates-queries.ts) read, valid on the date.
       (SELECT json_agg(json_build_object('validFrom', valid_from, 'validTo', valid_to, 'minAge', min_age, 'maxAge', max_age,
                                          'rateBp', rate_bp, 'monthlyCapOre', monthly_cap_ore) ORDER BY id)
        FROM employer_contribution_rates
        WHERE valid_from <= :payoutDate AND (valid_to IS NULL OR valid_to >= :payoutDate)) AS contribution_rates,
       (SELECT json_object_agg(name, value)
        FROM (SELECT DISTINCT ON (name) name, value FROM payroll_parameters
              WHERE valid_from <= :payoutDate ORDER BY name, valid_from DESC) latest) AS payroll_parameters
     FROM invoice LEFT JOIN account ON true`,
    { invoiceId, payoutDate },
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    invoice: {
      id: row.id,
      series: row.series,
      number: row.number,
      workerUserId: row.worker_user_id,
      amountExclVatOre: oreFromDatabase(row.amount_excl_vat_ore),
      expensesOre: oreFromDatabase(row.expenses_ore),
      feeBp: row.fee_bp,
    },
    account:
      row.account_user_id === null ? undefined : { birthDate: row.birth_date!, taxMode: row.tax_mode!, ownTaxBp: row.own_tax_bp },
    salaryExists: row.salary_exists,
    contributionRates: row.contribution_rates ?? [],
    payrollParameters: new Map(Object.entries(row.payroll_parameters ?? {})),
  };
}

/** The worker's gross pay with a payout date in the month and in the year of `payoutDate`. */
export async function selectGrossPaidEarlier(
  db: DbOrTrx,
  userId: number,
  payoutDate: CalendarDate,
): Promise<{ monthOre: Ore; yearOre: Ore }> {
  // Ranges on payout_date rather than date_trunc() of it: the (worker_user_id, payout_date) index answers them in
  // the prepared statement's generic plan too.
  const { rows } = await preparedRaw<{ rows: Array<{ month_ore: string; year_ore: string }> }>(
    db,
    'gross_paid_earlier',
    `WITH bounds AS (
       SELECT CAST(date_trunc('month', CAST(:date AS date)) AS date) AS month_start,
              CAST(date_trunc('year', CAST(:date AS date)) AS date) AS year_start
     )
     SELECT
       COALESCE(sum(s.gross_ore) FILTER (
         WHERE s.payout_date >= b.month_start AND s.payout_date < CAST(b.month_start + interval '1 month' AS date)), 0) AS month_ore,
       COALESCE(sum(s.gross_ore), 0) AS year_ore
     FROM bounds b
     JOIN salaries s ON s.worker_user_id = :userId
       AND s.payout_date >= b.year_start AND s.payout_date < CAST(b.year_start + interval '1 year' AS date)`,
    { userId, date: payoutDate },
  );
  return { monthOre: oreFromDatabase(rows[0]!.month_ore), yearOre: oreFromDatabase(rows[0]!.year_ore) };
}

export interface NewSalary {
  invoiceId: number;
  workerUserId: number;
  payoutDate: CalendarDate;
  taxBp: number;
  calculation: SalaryCalculation;
}

/** Adds the salary; undefined when the invoice has one already (invoice_id is unique). */
export async function insertSalary(trx: DbOrTrx, salary: NewSalary): Promise<number | undefined> {
  const c = salary.calculation;
  const [row] = await trx('salaries')
    .insert({
      invoice_id: salary.invoiceId,
      worker_user_id: salary.workerUserId,
      payout_date: salary.payoutDate,
      invoice_excl_vat_ore: c.invoiceExclVatOre,
      fee_ore: c.feeOre,
      contributions_ore: c.contributionsOre,
      contribution_lines: JSON.stringify(c.contributionLines),
      gross_ore: c.grossOre,
      vacation_pay_ore: c.vacationPayOre,
      tax_bp: salary.taxBp,
      tax_ore: c.taxOre,
      expenses_ore: c.expensesOre,
      net_ore: c.netOre,
      rounding_ore: c.roundingOre,
    })
    .onConflict('invoice_id')
    .ignore()
    .returning<{ id: number }[]>('id');
  return row?.id;
}

// --- the payout list ------------------------------------------------------------------------------------------------

/** A salary waiting to be paid, with what payroll needs to pay it. */
export interface UnpaidSalary {
  id: number;
  invoiceId: number;
  series: string;
  number: number;
  /** Null when the worker's account is deleted. */
  workerName: string | null;
  /** Null when the worker has no enterprise account (any more). */
  clearingNumber: string | null;
  accountNumber: string | null;
  netOre: Ore;
  expensesOre: Ore;
  payoutDate: CalendarDate;
}

/** The unpaid salaries, the oldest salary day first; with `ids`, only those of them. */
export async function selectUnpaidSalaries(db: DbOrTrx, limit: number, ids?: readonly number[]): Promise<UnpaidSalary[]> {
  const rows = await db('salaries as s')
    .join('invoices as i', 'i.id', 's.invoice_id')
    .leftJoin('users as u', 'u.id', 's.worker_user_id')
    .leftJoin('enterprise_accounts as e', 'e.user_id', 's.worker_user_id')
    .whereNull('s.paid_on')
    .modify((query) => {
      if (ids) query.whereIn('s.id', ids);
    })
    .orderBy([{ column: 's.payout_date' }, { column: 's.id' }])
    .limit(limit)
    .select<
      Array<{
        id: number;
        invoice_id: number;
        series: string;
        number: number;
        name: string | null;
        clearing_number: string | null;
        account_number: string | null;
        net_ore: number;
        expenses_ore: number;
        payout_date: string;
      }>
    >(
      's.id',
      's.invoice_id',
      'i.series',
      'i.number',
      'u.name',
      'e.clearing_number',
      'e.account_number',
      's.net_ore',
      's.expenses_ore',
      's.payout_date',
    );
  return rows.map((row) => ({
    id: row.id,
    invoiceId: row.invoice_id,
    series: row.series,
    number: row.number,
    workerName: row.name,
    clearingNumber: row.clearing_number,
    accountNumber: row.account_number,
    netOre: oreFromDatabase(row.net_ore),
    expensesOre: oreFromDatabase(row.expenses_ore),
    payoutDate: row.payout_date,
  }));
}

/** A salary just marked paid: whom to tell. */
export interface PaidSalary {
  id: number;
  workerUserId: number | null;
  series: string;
  number: number;
  payoutDate: CalendarDate;
}

/** Marks the unpaid ones of `ids` paid on `paidOn`; returns those it marked (an already paid one is left as it is). */
export async function markSalariesPaid(trx: DbOrTrx, ids: readonly number[], paidOn: CalendarDate): Promise<PaidSalary[]> {
  const { rows } = await trx.raw<{
    rows: Array<{ id: number; worker_user_id: number | null; series: string; number: number; payout_date: string }>;
  }>(
    `UPDATE salaries s SET paid_on = ?
     FROM invoices i
     WHERE i.id = s.invoice_id AND s.id = ANY(?::bigint[]) AND s.paid_on IS NULL
     RETURNING s.id, s.worker_user_id, i.series, i.number, s.payout_date`,
    [paidOn, [...ids]],
  );
  return rows
    .map((row) => ({
      id: row.id,
      workerUserId: row.worker_user_id,
      series: row.series,
      number: row.number,
      payoutDate: row.payout_date,
    }))
    .sort((a, b) => a.id - b.id);
}
