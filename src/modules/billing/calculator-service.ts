import { isCalendarDate, todayInStockholm, type CalendarDate } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import { FormError } from '../../platform/errors.js';
import { parseMoney, type Ore } from '../../platform/money.js';
import { dateProblem, hasForbiddenCharacters } from '../../platform/validation.js';
import { calculateSalary, SalaryInputError, type PayrollRates, type SalaryCalculation, type SalaryInput } from './calculation.js';
import { currentFeeBp, loadPayrollRates, NoRatesError } from './rates.js';

// The public salary estimate: GET /api/v1/salary-estimate and the calculator page ("Vad får jag ut?"). Anyone
// may ask, so nothing here is authorised; the answer is calculateSalary's with the rates and the operator's fee
// valid on the payout date. Messages are i18n keys (salaryCalculator.errors.*), shown beside the page's fields
// and, in English, in the API's 400.

/** The API's parameters, in the order of PRODUCT.md's contract; the page's fields are a part of them. */
export const ESTIMATE_PARAMETERS = [
  'invoiceExclVat',
  'expenses',
  'birthDate',
  'taxPercent',
  'payoutDate',
  'paidEarlierThisMonth',
  'paidEarlierThisYear',
  'feePercent',
] as const;
export type EstimateParameter = (typeof ESTIMATE_PARAMETERS)[number];

/** The parameters as typed: the page shows them again beside its messages. */
export type EstimateForm = Record<EstimateParameter, string>;

/** An invoice for an odd job is far below this; the bound keeps nonsense out, not real work. */
export const MAX_ESTIMATE_AMOUNT_ORE = 10_000_000_000 as Ore; // 100 000 000 kr
/** The longest value read: an amount with grouping and öre, a date or a percentage fits well within it. */
const MAX_INPUT_LENGTH = 40;
/** Born on or after this: the oldest age band holds everyone older, so nothing earlier changes the answer. */
const EARLIEST_BIRTH_DATE = '1900-01-01';

const ERRORS = {
  required: 'salaryCalculator.errors.required',
  amount: 'salaryCalculator.errors.amount',
  amountTooLarge: 'salaryCalculator.errors.amountTooLarge',
  percent: 'salaryCalculator.errors.percent',
  birthDate: 'salaryCalculator.errors.birthDate',
  birthYear: 'salaryCalculator.errors.birthYear',
  monthAboveYear: 'salaryCalculator.errors.monthAboveYear',
  expensesAboveInvoice: 'salaryCalculator.errors.expensesAboveInvoice',
  noRates: 'salaryCalculator.errors.noRates',
  once: 'salaryCalculator.errors.once',
} as const;

export interface EstimateOptions {
  /** The page takes a birth year too ("1990"): contributions depend on the year only (calendar.ts ageWhenYearBegan). */
  acceptBirthYear: boolean;
}

/** What the calculation was given, for the page to show beside the result. */
export interface SalaryEstimate {
  calculation: SalaryCalculation;
  input: SalaryInput;
  /** No contributions while the year's pay stays under it (the page says so when there are none). */
  contributionThresholdOre: Ore;
}

/** The parameters as text: a parameter given twice, or as anything but a string, is kept as '' and refused. */
export function estimateForm(query: Record<string, unknown>): { form: EstimateForm; repeated: EstimateParameter[] } {
  const form = {} as EstimateForm;
  const repeated: EstimateParameter[] = [];
  for (const name of ESTIMATE_PARAMETERS) {
    const value = query[name];
    if (value !== undefined && typeof value !== 'string') repeated.push(name);
    form[name] = typeof value === 'string' ? value.slice(0, MAX_INPUT_LENGTH * 4) : '';
  }
  return { form, repeated };
}

type Read<T> = { value: T } | { problem: string };

function readAmount(text: string, fallback: Ore | undefined): Read<Ore> {
  if (text.trim() === '') return fallback === undefined ? { problem: ERRORS.required } : { value: fallback };
  if (text.length > MAX_INPUT_LENGTH || hasForbiddenCharacters(text)) return { problem: ERRORS.amount };
  const parsed = parseMoney(text, { allowNegative: false });
  if (!parsed.ok) return { problem: parsed.problem === 'tooLarge' ? ERRORS.amountTooLarge : ERRORS.amount };
  if (parsed.value > MAX_ESTIMATE_AMOUNT_ORE) return { problem: ERRORS.amountTooLarge };
  return { value: parsed.value };
}

const PERCENT = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*%?$/;

/** "30", "22,5", "31.42 %" → basis points, 0–100 %. */
function readPercent(text: string): Read<number> | undefined {
  if (text.trim() === '') return undefined;
  const match = PERCENT.exec(text.trim());
  if (!match) return { problem: ERRORS.percent };
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? { value: bp } : { problem: ERRORS.percent };
}

function readBirthDate(text: string, acceptYear: boolean, payoutDate: CalendarDate | undefined): Read<CalendarDate> {
  const value = text.trim();
  if (value === '') return { problem: ERRORS.required };
  const date = acceptYear && /^\d{4}$/.test(value) ? `${value}-01-01` : value;
  const problem = acceptYear ? ERRORS.birthYear : ERRORS.birthDate;
  if (!isCalendarDate(date) || date < EARLIEST_BIRTH_DATE || (payoutDate !== undefined && date > payoutDate)) return { problem };
  return { value: date };
}

/**
 * Reads the parameters (defaults: no expenses, the side-income withholding and the operator's fee valid on the
 * payout date, the payout today, nothing paid earlier) and calculates. Throws FormError<EstimateForm> with a
 * message per refused parameter.
 */
export async function estimateSalary(
  db: DbOrTrx,
  query: Record<string, unknown>,
  options: EstimateOptions,
): Promise<SalaryEstimate> {
  const { form, repeated } = estimateForm(query);
  const errors: Partial<Record<EstimateParameter, string>> = {};
  for (const name of repeated) errors[name] = ERRORS.once;
  const refuse = () => new FormError({ ...errors } as Record<string, string>, form);

  const amount = (name: EstimateParameter, fallback?: Ore): Ore | undefined => {
    const read = readAmount(form[name], fallback);
    if ('problem' in read) errors[name] ??= read.problem;
    return 'value' in read ? read.value : undefined;
  };
  const percent = (name: EstimateParameter): number | undefined => {
    const read = readPercent(form[name]);
    if (read && 'problem' in read) errors[name] ??= read.problem;
    return read && 'value' in read ? read.value : undefined;
  };

  const invoice = amount('invoiceExclVat');
  const expenses = amount('expenses', 0 as Ore);
  const paidThisMonth = amount('paidEarlierThisMonth', 0 as Ore);
  const paidThisYear = amount('paidEarlierThisYear', 0 as Ore);
  const taxBp = percent('taxPercent');
  const feeBp = percent('feePercent');

  let payoutDate: CalendarDate | undefined = todayInStockholm();
  if (form.payoutDate.trim() !== '') {
    const problem = dateProblem(form.payoutDate.trim());
    payoutDate = problem ? undefined : form.payoutDate.trim();
    if (problem) errors.payoutDate ??= problem;
  }
  const birth = readBirthDate(form.birthDate, options.acceptBirthYear, payoutDate);
  if ('problem' in birth) errors.birthDate ??= birth.problem;
  if (paidThisMonth !== undefined && paidThisYear !== undefined && paidThisMonth > paidThisYear)
    errors.paidEarlierThisMonth ??= ERRORS.monthAboveYear;
  if (Object.keys(errors).length > 0) throw refuse();

  let rates: PayrollRates;
  try {
    rates = await loadPayrollRates(db, payoutDate!);
  } catch (error) {
    if (!(error instanceof NoRatesError)) throw error;
    errors.payoutDate = ERRORS.noRates;
    throw refuse();
  }
  const input: SalaryInput = {
    invoiceExclVatOre: invoice!,
    feeBp: feeBp ?? (await currentFeeBp(db, payoutDate!)),
    expensesOre: expenses!,
    birthDate: (birth as { value: CalendarDate }).value,
    taxBp: taxBp ?? rates.taxSideIncomeBp,
    payoutDate: payoutDate!,
    paidEarlierThisMonthOre: paidThisMonth!,
    paidEarlierThisYearOre: paidThisYear!,
  };
  try {
    return { calculation: calculateSalary(input, rates), input, contributionThresholdOre: rates.contributionThresholdOre };
  } catch (error) {
    // Every other field was checked above; what is left is expenses the invoice cannot pay back.
    if (!(error instanceof SalaryInputError) || error.field !== 'expensesOre') throw error;
    errors.expenses = ERRORS.expensesAboveInvoice;
    throw refuse();
  }
}

/** What the calculator page says about its defaults, from the rates valid on `date` (none before the first rates). */
export async function calculatorDefaults(
  db: DbOrTrx,
  date: CalendarDate,
): Promise<{ taxSideIncomeBp: number; contributionThresholdOre: Ore } | undefined> {
  try {
    const rates = await loadPayrollRates(db, date);
    return { taxSideIncomeBp: rates.taxSideIncomeBp, contributionThresholdOre: rates.contributionThresholdOre };
  } catch (error) {
    if (error instanceof NoRatesError) return undefined;
    throw error;
  }
}
