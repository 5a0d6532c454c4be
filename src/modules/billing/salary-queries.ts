import type { CalendarDate } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import { oreFromDatabase, type Ore } from '../../platform/money.js';
import type { SalaryCalculation } from './calculation.js';
import type { TaxMode } from './account-queries.js';

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

/** Locks the invoice (not a credit note) for the transaction: one salary run per invoice at a time. */
export async function lockSalaryInvoice(trx: DbOrTrx, invoiceId: number): Promise<SalaryInvoice | undefined> {
  const { rows } = await trx.raw<{
    rows: Array<{
      id: number;
      series: string;
      number: number;
      worker_user_id: number | null;
      amount_excl_vat_ore: string;
      expenses_ore: string;
      fee_bp: number;
    }>;
  }>(
    `SELECT i.id, i.series, i.number, i.worker_user_id, s.fee_bp,
       i.amount_excl_vat_ore + COALESCE((SELECT sum(c.amount_excl_vat_ore) FROM invoices c WHERE c.credits_invoice_id = i.id), 0)
         AS amount_excl_vat_ore,
       i.expenses_ore + COALESCE((SELECT sum(c.expenses_ore) FROM invoices c WHERE c.credits_invoice_id = i.id), 0)
         AS expenses_ore
     FROM invoices i JOIN operator_settings s ON s.id = i.operator_settings_id
     WHERE i.id = ? AND i.kind = 'invoice'
     FOR UPDATE OF i`,
    [invoiceId],
  );
  const row = rows[0];
  return (
    row && {
      id: row.id,
      series: row.series,
      number: row.number,
      workerUserId: row.worker_user_id,
      amountExclVatOre: oreFromDatabase(row.amount_excl_vat_ore),
      expensesOre: oreFromDatabase(row.expenses_ore),
      feeBp: row.fee_bp,
    }
  );
}

/** What the salary needs of the worker's enterprise account. */
export interface SalaryAccount {
  birthDate: CalendarDate;
  taxMode: TaxMode;
  ownTaxBp: number | null;
}

/**
 * Locks the worker's enterprise account for the transaction: salaries of one worker are computed one at a time,
 * so each sees the month's and year's earlier pay. Undefined when the worker has no account.
 */
export async function lockSalaryAccount(trx: DbOrTrx, userId: number): Promise<SalaryAccount | undefined> {
  return trx('enterprise_accounts')
    .where('user_id', userId)
    .forUpdate()
    .first<SalaryAccount | undefined>('birth_date as birthDate', 'tax_mode as taxMode', 'own_tax_bp as ownTaxBp');
}

export async function salaryExistsFor(db: DbOrTrx, invoiceId: number): Promise<boolean> {
  return (await db('salaries').where('invoice_id', invoiceId).first('id')) !== undefined;
}

/** The worker's gross pay with a payout date in the month and in the year of `payoutDate`. */
export async function selectGrossPaidEarlier(
  db: DbOrTrx,
  userId: number,
  payoutDate: CalendarDate,
): Promise<{ monthOre: Ore; yearOre: Ore }> {
  const { rows } = await db.raw<{ rows: Array<{ month_ore: string; year_ore: string }> }>(
    `SELECT
       COALESCE(sum(gross_ore) FILTER (WHERE date_trunc('month', payout_date) = date_trunc('month', CAST(:date AS date))), 0) AS month_ore,
       COALESCE(sum(gross_ore), 0) AS year_ore
     FROM salaries
     WHERE worker_user_id = :userId AND date_trunc('year', payout_date) = date_trunc('year', CAST(:date AS date))`,
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

export async function selectUnpaidSalaries(db: DbOrTrx, limit: number): Promise<UnpaidSalary[]> {
  const rows = await db('salaries as s')
    .join('invoices as i', 'i.id', 's.invoice_id')
    .leftJoin('users as u', 'u.id', 's.worker_user_id')
    .leftJoin('enterprise_accounts as e', 'e.user_id', 's.worker_user_id')
    .whereNull('s.paid_on')
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
