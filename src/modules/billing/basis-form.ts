import { dateProblem, formText, textProblem } from '../../platform/validation.js';
import { moneyToDecimalString, multiplyByFraction, parseMoney, type MoneyProblem, type Ore } from '../../platform/money.js';
import type { BasisLine, BasisValues, LineValues } from './basis-queries.js';

// The billing basis form as the worker types it: the period, VAT, a description and a few line rows (hours ×
// rate or a fixed amount), read without JavaScript as flat fields (line1Kind, line1Hours, …). Every field is
// echoed as typed when the form is refused; messages are i18n keys beside their fields.

export const MAX_LINES = 10;
/** The rows the form shows: the filled ones and one or two empty, at least this many. */
const MIN_LINE_ROWS = 3;
export const MAX_EXPENSES = 10;
export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_LINE_DESCRIPTION_LENGTH = 200;
export const MAX_VAT_REASON_LENGTH = 300;
export const MAX_COMMENT_LENGTH = 2000;
/** Caps that keep one basis far from any overflow: 1 000 000 kr per line or expense, 1 000 hours per line. */
const MAX_AMOUNT_ORE = 100_000_000;
const MAX_HOURS_HUNDREDTHS = 100_000;

export const VAT_RATES = ['25', '12', '6', '0'] as const;
const VAT_BP: Record<string, number> = { '25': 2500, '12': 1200, '6': 600, '0': 0 };
export const LINE_KINDS = ['hours', 'fixed'] as const;

const E = 'billingBasis.errors';

export interface LineForm {
  kind: string;
  description: string;
  hours: string;
  rate: string;
  amount: string;
}

export interface BasisForm {
  /** '' for a new basis: a second "new" form for the same work is refused instead of overwriting the first. */
  basisId: string;
  periodStart: string;
  periodEnd: string;
  description: string;
  vatRate: string;
  vatReason: string;
  lines: LineForm[];
}

export interface ExpenseForm {
  expenseDescription: string;
  expenseAmount: string;
}

export const emptyLine = (): LineForm => ({ kind: 'hours', description: '', hours: '', rate: '', amount: '' });

/** Money as the form shows it: "1234,50" (no grouping, so it reads back exactly). */
const moneyForForm = (amount: Ore) => moneyToDecimalString(amount, ',');

/** Hours as the form shows them: 250 → "2,5". */
export function hoursForForm(hundredths: number): string {
  const whole = Math.trunc(hundredths / 100);
  const rest = hundredths % 100;
  return rest === 0 ? String(whole) : `${whole},${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}

export function lineToForm(line: BasisLine): LineForm {
  return line.kind === 'hours'
    ? {
        kind: 'hours',
        description: line.description,
        hours: hoursForForm(line.quantityHundredths!),
        rate: moneyForForm(line.unitPriceOre!),
        amount: '',
      }
    : { kind: 'fixed', description: line.description, hours: '', rate: '', amount: moneyForForm(line.amountOre) };
}

/** The rows to show: what is filled, then empty ones up to MIN_LINE_ROWS (one spare at least), at most MAX_LINES. */
export function withSpareRows(lines: LineForm[]): LineForm[] {
  const rows = lines.slice(0, MAX_LINES);
  const wanted = Math.min(MAX_LINES, Math.max(MIN_LINE_ROWS, rows.length + 1));
  while (rows.length < wanted) rows.push(emptyLine());
  return rows;
}

const isBlank = (line: LineForm) => [line.description, line.hours, line.rate, line.amount].every((value) => value.trim() === '');

/** The form as typed, cut to what the form can hold (nothing else is echoed). */
export function readBasisForm(body: Record<string, unknown>): BasisForm {
  const lines: LineForm[] = [];
  for (let row = 1; row <= MAX_LINES; row++) {
    lines.push({
      kind: formText(body[`line${row}Kind`], 20),
      description: formText(body[`line${row}Description`], MAX_LINE_DESCRIPTION_LENGTH + 100),
      hours: formText(body[`line${row}Hours`], 40),
      rate: formText(body[`line${row}Rate`], 40),
      amount: formText(body[`line${row}Amount`], 40),
    });
  }
  while (lines.length > 0 && isBlank(lines[lines.length - 1]!)) lines.pop();
  return {
    basisId: formText(body.basisId, 20),
    periodStart: formText(body.periodStart, 40),
    periodEnd: formText(body.periodEnd, 40),
    description: formText(body.description, MAX_DESCRIPTION_LENGTH + 100),
    vatRate: formText(body.vatRate, 10),
    vatReason: formText(body.vatReason, MAX_VAT_REASON_LENGTH + 100),
    lines,
  };
}

const MONEY_MESSAGES: Record<MoneyProblem, string> = {
  empty: `${E}.amountRequired`,
  format: `${E}.amountFormat`,
  tooManyDecimals: `${E}.amountDecimals`,
  tooLarge: `${E}.amountTooLarge`,
  negative: `${E}.amountPositive`,
};

/** An amount above 0 and at most MAX_AMOUNT_ORE, or the message for its field. */
function readAmount(text: string): { value: Ore } | { problem: string } {
  const parsed = parseMoney(text, { allowNegative: false });
  if (!parsed.ok) return { problem: MONEY_MESSAGES[parsed.problem] };
  if (parsed.value > MAX_AMOUNT_ORE) return { problem: `${E}.amountTooLarge` };
  if (parsed.value <= 0) return { problem: `${E}.amountPositive` };
  return { value: parsed.value };
}

/** Hours as hundredths: "2", "2,5", "2.25"; above 0, at most 1 000. */
function readHours(text: string): { value: number } | { problem: string } {
  const value = text.trim();
  if (value === '') return { problem: `${E}.hoursRequired` };
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(value);
  if (!match) return { problem: value.startsWith('-') ? `${E}.hoursPositive` : `${E}.hoursFormat` };
  const decimals = match[2] ?? '';
  if (decimals.length > 2) return { problem: `${E}.hoursDecimals` };
  if (match[1]!.length > 5) return { problem: `${E}.hoursTooMany` };
  const hundredths = Number(match[1]) * 100 + Number(decimals.padEnd(2, '0'));
  if (hundredths > MAX_HOURS_HUNDREDTHS) return { problem: `${E}.hoursTooMany` };
  if (hundredths <= 0) return { problem: `${E}.hoursPositive` };
  return { value: hundredths };
}

function readText(
  text: string,
  field: string,
  errors: Record<string, string>,
  { max, required, multiline = false }: { max: number; required: boolean; multiline?: boolean },
): string {
  const value = text.trim();
  const problem = textProblem(value, { multiline });
  if (problem) errors[field] = problem;
  else if (required && value === '') errors[field] = `${E}.required`;
  else if (value.length > max) errors[field] = `${E}.tooLong`;
  return value;
}

export interface ValidBasis {
  values: BasisValues;
  lines: LineValues[];
}

/** The form's values, or the messages per field. */
export function validateBasisForm(form: BasisForm): { valid?: ValidBasis; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const startProblem = dateProblem(form.periodStart.trim());
  const endProblem = dateProblem(form.periodEnd.trim());
  if (startProblem) errors.periodStart = startProblem;
  if (endProblem) errors.periodEnd = endProblem;
  if (!startProblem && !endProblem && form.periodEnd.trim() < form.periodStart.trim()) errors.periodEnd = `${E}.periodOrder`;
  const description = readText(form.description, 'description', errors, {
    max: MAX_DESCRIPTION_LENGTH,
    required: false,
    multiline: true,
  });
  const vatBp = Object.hasOwn(VAT_BP, form.vatRate) ? VAT_BP[form.vatRate] : undefined;
  if (vatBp === undefined) errors.vatRate = `${E}.vatRate`;
  const vatReason = readText(form.vatReason, 'vatReason', errors, { max: MAX_VAT_REASON_LENGTH, required: false });
  if (vatBp !== undefined && vatBp !== 2500 && vatReason === '' && !errors.vatReason) errors.vatReason = `${E}.vatReasonRequired`;

  const lines: LineValues[] = [];
  form.lines.forEach((line, index) => {
    if (isBlank(line)) return;
    const field = (name: string) => `line${index + 1}${name}`;
    const lineDescription = readText(line.description, field('Description'), errors, {
      max: MAX_LINE_DESCRIPTION_LENGTH,
      required: true,
    });
    if (line.kind === 'hours') {
      const hours = readHours(line.hours);
      const rate = readAmount(line.rate);
      if ('problem' in hours) errors[field('Hours')] = hours.problem;
      if ('problem' in rate) errors[field('Rate')] = rate.problem;
      if ('value' in hours && 'value' in rate) {
        const amountOre = multiplyByFraction(rate.value, hours.value, 100);
        if (amountOre > MAX_AMOUNT_ORE) errors[field('Hours')] = `${E}.lineTooLarge`;
        else if (amountOre <= 0) errors[field('Hours')] = `${E}.hoursPositive`;
        else
          lines.push({
            kind: 'hours',
            description: lineDescription,
            quantityHundredths: hours.value,
            unitPriceOre: rate.value,
            amountOre,
          });
      }
    } else if (line.kind === 'fixed') {
      const amount = readAmount(line.amount);
      if ('problem' in amount) errors[field('Amount')] = amount.problem;
      else
        lines.push({
          kind: 'fixed',
          description: lineDescription,
          quantityHundredths: null,
          unitPriceOre: null,
          amountOre: amount.value,
        });
    } else {
      errors[field('Kind')] = `${E}.lineKind`;
    }
  });
  if (form.lines.every(isBlank)) errors.line1Description = `${E}.noLines`;
  if (Object.keys(errors).length > 0) return { errors };
  return {
    valid: {
      values: {
        periodStart: form.periodStart.trim(),
        periodEnd: form.periodEnd.trim(),
        vatBp: vatBp!,
        vatReason: vatBp === 2500 ? null : vatReason,
        description,
      },
      lines,
    },
    errors,
  };
}

export function readExpenseForm(body: Record<string, unknown>): ExpenseForm {
  return {
    expenseDescription: formText(body.expenseDescription, MAX_LINE_DESCRIPTION_LENGTH + 100),
    expenseAmount: formText(body.expenseAmount, 40),
  };
}

export function validateExpenseForm(form: ExpenseForm): {
  valid?: { description: string; amountOre: Ore };
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const description = readText(form.expenseDescription, 'expenseDescription', errors, {
    max: MAX_LINE_DESCRIPTION_LENGTH,
    required: true,
  });
  const amount = readAmount(form.expenseAmount);
  if ('problem' in amount) errors.expenseAmount = amount.problem;
  if (Object.keys(errors).length > 0 || !('value' in amount)) return { errors };
  return { valid: { description, amountOre: amount.value }, errors };
}

/** The dispute's comment: required, one text of at most MAX_COMMENT_LENGTH. */
export function validateComment(body: Record<string, unknown>): { comment: string; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const comment = readText(formText(body.comment, MAX_COMMENT_LENGTH + 100), 'comment', errors, {
    max: MAX_COMMENT_LENGTH,
    required: true,
    multiline: true,
  });
  return { comment, errors };
}
