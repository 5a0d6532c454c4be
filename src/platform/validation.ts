import { z } from 'zod';

// What every form field and query parameter goes through on its way in.
// Messages are i18n keys (src/locales/<lang>/core.json, "validation"), shown
// beside the field like any other field error.

/** i18n keys of this file's messages. */
export const VALIDATION_MESSAGES = {
  invalidCharacters: 'validation.invalidCharacters',
  dateFormat: 'validation.dateFormat',
  dateInvalid: 'validation.dateInvalid',
  dateOutOfRange: 'validation.dateOutOfRange',
} as const;

/** The dates a form accepts: wide enough for any real plan, narrow enough that no date arithmetic overflows. */
export const EARLIEST_DATE = '2000-01-01';
export const LATEST_DATE = '2100-12-31';

export interface TextRules {
  /** A textarea: tab, line feed and carriage return are allowed. */
  multiline?: boolean;
}

// Cc is C0 (U+0000–001F), DEL and C1 (U+007F–009F); a multi-line text keeps
// tab, LF and CR. A UTF-16 surrogate without its partner (a "lone" one) is no
// character at all, and no UTF-8 text can hold it.
const CONTROL_ONE_LINE = /\p{Cc}/u;
const CONTROL_MULTILINE = /(?![\t\n\r])\p{Cc}/u;
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Whether a text holds something no field may keep: PostgreSQL refuses NUL
 * outright (a 500 before this check), the other controls break mail headers,
 * logs and what the next reader sees, and a lone surrogate cannot be stored as UTF-8.
 */
export function hasForbiddenCharacters(value: string, rules: TextRules = {}): boolean {
  return (rules.multiline ? CONTROL_MULTILINE : CONTROL_ONE_LINE).test(value) || LONE_SURROGATE.test(value);
}

/** The message for a text with forbidden characters, else undefined (for hand-written parsers). */
export function textProblem(value: string, rules: TextRules = {}): string | undefined {
  return hasForbiddenCharacters(value, rules) ? VALIDATION_MESSAGES.invalidCharacters : undefined;
}

/**
 * The zod schema every text field starts from: a string without forbidden
 * characters. The check runs first and stops the field's other checks, so the
 * message names the real problem; trimming, lengths and their messages stay
 * the field's own (chain them as before: `textField().trim().max(…)`).
 */
export function textField(rules: TextRules & { message?: string; typeMessage?: string } = {}) {
  return z
    .string(rules.typeMessage ? { message: rules.typeMessage } : undefined)
    .refine((value) => !hasForbiddenCharacters(value, rules), {
      message: rules.message ?? VALIDATION_MESSAGES.invalidCharacters,
      abort: true,
    });
}

/**
 * A submitted value as text, for showing it again in a re-rendered form or
 * reading it further: only a string counts (an array or object from a crafted
 * body is ''), cut to `max` UTF-16 units where the form bounds what it echoes.
 * Never a check: the field's schema decides whether the value is acceptable.
 */
export function formText(value: unknown, max = Infinity): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/**
 * A typed date, `YYYY-MM-DD`: the message when it is no date of the calendar or
 * lies outside EARLIEST_DATE … LATEST_DATE, else undefined. Checked on the
 * digits before any Date is made, so "0000-00-00" or "2026-02-30" never reach
 * Date arithmetic (where they throw or roll over into another month).
 */
export function dateProblem(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return VALIDATION_MESSAGES.dateFormat;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (daysInMonth === undefined || day < 1 || day > daysInMonth) return VALIDATION_MESSAGES.dateInvalid;
  if (value < EARLIEST_DATE || value > LATEST_DATE) return VALIDATION_MESSAGES.dateOutOfRange;
  return undefined;
}

/** The zod schema of a date field: `YYYY-MM-DD`, a real date in the accepted range (see dateProblem). */
export function dateField(messages: { typeMessage?: string } = {}) {
  return z.string(messages.typeMessage ? { message: messages.typeMessage } : undefined).check((context) => {
    const problem = dateProblem(context.value);
    if (problem) context.issues.push({ code: 'custom', message: problem, input: context.value });
  });
}

/** zod issues → { field: message (an i18n key) }, the first message per field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    fields[field] ??= issue.message;
  }
  return fields;
}
