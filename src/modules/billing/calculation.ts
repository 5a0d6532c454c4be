import { ageWhenYearBegan, isCalendarDate, type CalendarDate } from '../../platform/calendar.js';
import { multiplyByBasisPoints, multiplyByFraction, ore, type Ore } from '../../platform/money.js';

// The salary calculation of PRODUCT.md ("Salary") and issue 12, pure: no I/O, every rate and threshold passed in
// (read from the dated rows in employer_contribution_rates and payroll_parameters by rates.ts). Used by the
// billing preview, the public calculator and GET /api/v1/salary-estimate, and by the salary job of issue 12.
// Amounts are integer öre throughout; products with rates are taken in BigInt, so no float ever holds an amount.

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
  /** Every contribution row valid on the payout date (rows valid on other dates are ignored). */
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
  /**
   * Only on the line(s) for the year's earlier payouts, which bore no contributions while the year's pay stayed
   * under the threshold: this payout made it reach the threshold, so it bears them (a line of its own).
   */
  earlierPayouts?: true;
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

/** An input no salary can be made of; `field` names it (the expenses above what the invoice leaves, …). */
export class SalaryInputError extends RangeError {
  override readonly name = 'SalaryInputError';
  constructor(
    readonly field: keyof SalaryInput,
    message: string,
  ) {
    super(message);
  }
}

/** The rates' tables lack what this payout needs (no general contribution rate on its date): a data problem. */
export class MissingRateError extends Error {
  override readonly name = 'MissingRateError';
}

const FULL_BP = 10_000;

/** '31.42' from 3142: the rate as the payslip and the API print it. */
export function basisPointsToPercent(bp: number): string {
  return `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

/** `amount` × bp / 10 000 in whole kronor, öre dropped (Skatteverket's rule for tax and contributions). */
function wholeKronorOf(amount: Ore, bp: number): Ore {
  return ore(Number(((BigInt(amount) * BigInt(bp)) / BigInt(FULL_BP * 100)) * 100n));
}

const validOn = (row: ContributionRate, date: CalendarDate) =>
  row.validFrom <= date && (row.validTo === null || row.validTo >= date);

const covers = (row: ContributionRate, age: number) =>
  (row.minAge === null || age >= row.minAge) && (row.maxAge === null || age <= row.maxAge);

/** Bounds set first, then the narrower band, then the newer row: an age band wins over the general rate. */
function moreSpecific(a: ContributionRate, b: ContributionRate): number {
  const bounds = (row: ContributionRate) => (row.minAge === null ? 0 : 1) + (row.maxAge === null ? 0 : 1);
  const width = (row: ContributionRate) =>
    row.minAge === null || row.maxAge === null ? Number.POSITIVE_INFINITY : row.maxAge - row.minAge;
  return bounds(b) - bounds(a) || width(a) - width(b) || (a.validFrom < b.validFrom ? 1 : a.validFrom > b.validFrom ? -1 : 0);
}

interface AgeRates {
  /** The rate of the person's age band, or the general one when no band covers them. */
  own: ContributionRate;
  /** The general rate of the day: for pay above a band's monthly cap. */
  generalBp: number;
}

function ratesForAge(rates: PayrollRates, age: number, date: CalendarDate): AgeRates {
  const valid = rates.contributionRates.filter((row) => validOn(row, date));
  const general = valid.filter((row) => row.minAge === null && row.maxAge === null).sort(moreSpecific)[0];
  if (!general) throw new MissingRateError(`No general employer contribution rate is valid on ${date}`);
  const own = valid.filter((row) => covers(row, age)).sort(moreSpecific)[0] ?? general;
  return { own, generalBp: general.rateBp };
}

interface Portion {
  rateBp: number;
  baseOre: Ore;
}

/** Pay split by rate: the band's rate up to what is left of its monthly cap, the general rate on the rest. */
function portions(pay: Ore, ageRates: AgeRates, capLeftOre: Ore | null): Portion[] {
  if (capLeftOre === null || ageRates.own.rateBp === ageRates.generalBp) return [{ rateBp: ageRates.own.rateBp, baseOre: pay }];
  const reduced = ore(Math.min(pay, capLeftOre));
  return [
    { rateBp: ageRates.own.rateBp, baseOre: reduced },
    { rateBp: ageRates.generalBp, baseOre: ore(pay - reduced) },
  ];
}

const linesOf = (parts: Portion[], earlierPayouts: boolean): ContributionLine[] =>
  parts
    .filter((part) => part.baseOre > 0)
    .map((part) => ({
      ratePercent: basisPointsToPercent(part.rateBp),
      baseOre: part.baseOre,
      amountOre: wholeKronorOf(part.baseOre, part.rateBp),
      ...(earlierPayouts ? { earlierPayouts: true as const } : {}),
    }));

const total = (lines: ContributionLine[]) => lines.reduce((sum, line) => sum + line.amountOre, 0);

function checkInput(input: SalaryInput): void {
  const amounts = ['invoiceExclVatOre', 'expensesOre', 'paidEarlierThisMonthOre', 'paidEarlierThisYearOre'] as const;
  for (const field of amounts) {
    if (!Number.isSafeInteger(input[field]) || input[field] < 0)
      throw new SalaryInputError(field, `${field} is not a whole number of öre ≥ 0`);
  }
  for (const field of ['feeBp', 'taxBp'] as const) {
    if (!Number.isSafeInteger(input[field]) || input[field] < 0 || input[field] > FULL_BP)
      throw new SalaryInputError(field, `${field} is not 0–10 000 basis points`);
  }
  for (const field of ['birthDate', 'payoutDate'] as const) {
    if (!isCalendarDate(input[field])) throw new SalaryInputError(field, `${field} is not a calendar date`);
  }
  if (input.birthDate > input.payoutDate) throw new SalaryInputError('birthDate', 'The birth date is after the payout date');
  if (input.paidEarlierThisMonthOre > input.paidEarlierThisYearOre)
    throw new SalaryInputError('paidEarlierThisMonthOre', 'The month’s earlier pay is more than the year’s');
}

/**
 * The salary of one payout, to the öre (PRODUCT.md "Salary", issue 12 item 1):
 * - fee = invoice excl. VAT × fee %, half up to the öre;
 * - contributions by the age when the payout year began, at the most specific rate valid on the payout date,
 *   a band's monthly cap counting the month's earlier pay; none while the year's pay stays under the threshold,
 *   and the payout that reaches it also bears the year's earlier payouts' (lines of their own, at this payout's
 *   rates: their own dates are not known here, and under the threshold they are far below any cap);
 * - gross incl. vacation pay = the largest amount with gross + contributions ≤ invoice − fee − expenses,
 *   contributions per line in whole kronor, öre dropped;
 * - tax = gross × tax %, whole kronor, öre dropped; net = gross − tax + expenses;
 * - rounding = what is left, so that fee + contributions + gross + expenses + rounding = invoice, exactly.
 * Throws SalaryInputError for an input no salary can be made of (expenses above what the invoice leaves after
 * the fee, a negative amount, …) and MissingRateError when no general rate is valid on the payout date.
 */
export function calculateSalary(input: SalaryInput, rates: PayrollRates): SalaryCalculation {
  checkInput(input);
  const invoice = input.invoiceExclVatOre;
  const fee = multiplyByBasisPoints(invoice, input.feeBp);
  const available = invoice - fee - input.expensesOre;
  if (available < 0) throw new SalaryInputError('expensesOre', 'The expenses are more than the invoice leaves after the fee');

  const year = Number(input.payoutDate.slice(0, 4));
  const ageRates = ratesForAge(rates, ageWhenYearBegan(input.birthDate, year), input.payoutDate);
  const cap = ageRates.own.monthlyCapOre;
  const capLeft = cap === null ? null : ore(Math.max(0, cap - input.paidEarlierThisMonthOre));

  const paidBefore = input.paidEarlierThisYearOre;
  const threshold = rates.contributionThresholdOre;
  const earlierLines =
    paidBefore < threshold ? linesOf(portions(paidBefore, ageRates, cap === null ? null : ore(cap)), true) : [];
  const earlierTotal = total(earlierLines);
  const linesFor = (gross: Ore) => linesOf(portions(gross, ageRates, capLeft), false);
  const costOf = (gross: number) => gross + total(linesFor(ore(gross))) + earlierTotal;

  // Pay that keeps the year under the threshold bears nothing; pay that reaches it bears its own contributions
  // and the earlier payouts'. The cost grows with the gross in each range, so the largest gross that fits is
  // found by bisection there, and the range that reaches the threshold wins when anything in it fits.
  const firstContributing = Math.max(0, threshold - paidBefore);
  let gross: number;
  let lines: ContributionLine[] = [];
  if (available < firstContributing || costOf(firstContributing) > available) {
    gross = Math.min(available, firstContributing - 1);
  } else {
    let fits = firstContributing;
    let tooMuch = available + 1;
    while (tooMuch - fits > 1) {
      const middle = fits + Math.floor((tooMuch - fits) / 2);
      if (costOf(middle) <= available) fits = middle;
      else tooMuch = middle;
    }
    gross = fits;
    lines = [...linesFor(ore(gross)), ...earlierLines];
  }

  const grossOre = ore(gross);
  const contributionsOre = ore(total(lines));
  const taxOre = wholeKronorOf(grossOre, input.taxBp);
  return {
    invoiceExclVatOre: invoice,
    feeOre: fee,
    contributionsOre,
    contributionLines: lines,
    grossOre,
    vacationPayOre: multiplyByFraction(grossOre, rates.vacationPayBp, FULL_BP + rates.vacationPayBp),
    taxOre,
    expensesOre: input.expensesOre,
    netOre: ore(gross - taxOre + input.expensesOre),
    roundingOre: ore(available - gross - contributionsOre),
  };
}

/** The withholding for a worker's tax choice on their enterprise account. */
export function taxRateFor(
  account: { taxMode: 'side_income' | 'own' | 'sink'; ownTaxBp: number | null },
  rates: PayrollRates,
): number {
  if (account.taxMode === 'own') return account.ownTaxBp!;
  return account.taxMode === 'sink' ? rates.taxSinkBp : rates.taxSideIncomeBp;
}
