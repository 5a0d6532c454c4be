import type { CalendarDate } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import { ore } from '../../platform/money.js';
import type { PayrollRates } from './calculation.js';
import {
  selectContributionRatesOn,
  selectFeeBpOn,
  selectPayrollParametersOn,
  type ContributionRateRow,
} from './rates-queries.js';

// The rates in force on a payout date, read from the dated rows, for calculateSalary (calculation.ts).

/** The rows hold nothing for this date (a payout before the first rates, a parameter never entered). */
export class NoRatesError extends Error {
  override readonly name = 'NoRatesError';
  constructor(
    readonly date: CalendarDate,
    what: string,
  ) {
    super(`No ${what} is valid on ${date}`);
  }
}

/**
 * The service fee when the operator has no settings valid on the date yet (a new installation before its
 * admin has entered them): PRODUCT.md's default, 6 % of the invoice excl. VAT.
 */
export const DEFAULT_FEE_BP = 600;

/** The contribution rows valid on `payoutDate` and each payroll parameter's latest value on or before it. */
export async function loadPayrollRates(db: DbOrTrx, payoutDate: CalendarDate): Promise<PayrollRates> {
  const [rows, parameters] = await Promise.all([
    selectContributionRatesOn(db, payoutDate),
    selectPayrollParametersOn(db, payoutDate),
  ]);
  return payrollRatesFrom(payoutDate, rows, parameters);
}

/**
 * The rates of `payoutDate` from the rows valid on it (as rates-queries.ts selects them, or the salary job's
 * statement that reads them with its locks); NoRatesError when a general rate or a parameter is missing.
 */
export function payrollRatesFrom(
  payoutDate: CalendarDate,
  rows: readonly ContributionRateRow[],
  parameters: ReadonlyMap<string, number>,
): PayrollRates {
  if (!rows.some((row) => row.minAge === null && row.maxAge === null))
    throw new NoRatesError(payoutDate, 'general employer contribution rate');
  const parameter = (name: string): number => {
    const value = parameters.get(name);
    if (value === undefined) throw new NoRatesError(payoutDate, `payroll parameter ${name}`);
    return value;
  };
  return {
    contributionRates: rows.map((row) => ({
      ...row,
      monthlyCapOre: row.monthlyCapOre === null ? null : ore(row.monthlyCapOre),
    })),
    vacationPayBp: parameter('vacation_pay_bp'),
    contributionThresholdOre: ore(parameter('contribution_threshold_ore')),
    taxSideIncomeBp: parameter('tax_side_income_bp'),
    taxSinkBp: parameter('tax_sink_bp'),
  };
}

/** The operator's service fee on `date` (the settings version in force then), DEFAULT_FEE_BP when there is none. */
export async function currentFeeBp(db: DbOrTrx, date: CalendarDate): Promise<number> {
  return (await selectFeeBpOn(db, date)) ?? DEFAULT_FEE_BP;
}
