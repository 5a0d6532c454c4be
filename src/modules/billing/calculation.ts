import type { CalendarDate } from '../../platform/calendar.js';
import type { Ore } from '../../platform/money.js';

// The salary calculation of PRODUCT.md ("Salary"), pure: no I/O, every rate and threshold passed in (read from
// the dated rows in employer_contribution_rates and payroll_parameters by rates.ts). Used by the billing
// preview, the public calculator and GET /api/v1/salary-estimate, and by the salary job of issue 12.
// INTERFACE FIXED FOR THE HELPERS OF ISSUE 11; the implementation is being written.

export interface ContributionRate {
  validFrom: CalendarDate;
  validTo: CalendarDate | null;
  minAge: number | null;
  maxAge: number | null;
  rateBp: number;
  monthlyCapOre: Ore | null;
}

/** The rates in force on one payout date. */
export interface PayrollRates {
  /** Every contribution row valid on the payout date. */
  contributionRates: ContributionRate[];
  vacationPayBp: number;
  contributionThresholdOre: Ore;
  taxSideIncomeBp: number;
  taxSinkBp: number;
}

export interface SalaryInput {
  invoiceExclVatOre: Ore;
  feeBp: number;
  expensesOre: Ore;
  birthDate: CalendarDate;
  taxBp: number;
  payoutDate: CalendarDate;
  /** Gross pay from the operator to this person earlier in the payout's calendar month and year. */
  paidEarlierThisMonthOre: Ore;
  paidEarlierThisYearOre: Ore;
}

export interface ContributionLine {
  /** '31.42' */
  ratePercent: string;
  baseOre: Ore;
  amountOre: Ore;
}

export interface SalaryCalculation {
  invoiceExclVatOre: Ore;
  feeOre: Ore;
  contributionsOre: Ore;
  contributionLines: ContributionLine[];
  grossOre: Ore;
  vacationPayOre: Ore;
  taxOre: Ore;
  expensesOre: Ore;
  netOre: Ore;
  roundingOre: Ore;
}

export function calculateSalary(_input: SalaryInput, _rates: PayrollRates): SalaryCalculation {
  throw new Error('calculateSalary: not written yet');
}

/** The withholding for a worker's tax choice on their enterprise account. */
export function taxRateFor(
  account: { taxMode: 'side_income' | 'own' | 'sink'; ownTaxBp: number | null },
  rates: PayrollRates,
): number {
  if (account.taxMode === 'own') return account.ownTaxBp!;
  return account.taxMode === 'sink' ? rates.taxSinkBp : rates.taxSideIncomeBp;
}
