import { addDays, addMonths, daysBetween, isCalendarDate, type CalendarDate } from '../../platform/calendar.js';
import { badRequest } from '../../platform/errors.js';
import type { DateRange, Period, PeriodPreset } from './types.js';

// The statistics' period: a preset counted back from today, or a custom range of Stockholm days. Every preset
// ends today (a quarter "so far"), and the previous period is the same number of days just before, so a
// comparison sets equal lengths side by side.

export const PERIOD_PRESETS: readonly PeriodPreset[] = ['month', 'last30', 'quarter', 'year', 'custom'];
export const DEFAULT_PRESET: PeriodPreset = 'quarter';
/** The longest custom range, in years (the dashboard's queries and charts are sized for it). */
export const MAX_CUSTOM_YEARS = 3;

export interface PeriodInput {
  period?: unknown;
  from?: unknown;
  to?: unknown;
}

const isPreset = (value: string): value is PeriodPreset => (PERIOD_PRESETS as readonly string[]).includes(value);

/** An absent or empty query value, as a form with an untouched field sends it. */
const isBlank = (value: unknown) => value === undefined || value === null || value === '';

/** The period the query asks for, on `today` (Stockholm); bad input → AppError 400 naming the field. */
export function parsePeriod(input: PeriodInput, today: CalendarDate): Period {
  let preset: PeriodPreset;
  if (isBlank(input.period)) {
    // A range without a preset is what a form sends when only the dates were filled in.
    preset = isBlank(input.from) && isBlank(input.to) ? DEFAULT_PRESET : 'custom';
  } else if (typeof input.period === 'string' && isPreset(input.period)) {
    preset = input.period;
  } else {
    throw badRequest('Unknown period', { period: `is not one of ${PERIOD_PRESETS.join(', ')}` });
  }
  const range = preset === 'custom' ? customRange(input, today) : presetRange(preset, today);
  return { preset, ...range, previous: previousRange(range) };
}

function presetRange(preset: Exclude<PeriodPreset, 'custom'>, today: CalendarDate): DateRange {
  const year = today.slice(0, 4);
  const month = Number(today.slice(5, 7));
  switch (preset) {
    case 'month':
      return { from: `${today.slice(0, 7)}-01`, to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'quarter': {
      const firstMonth = month - ((month - 1) % 3);
      return { from: `${year}-${String(firstMonth).padStart(2, '0')}-01`, to: today };
    }
    case 'year':
      return { from: `${year}-01-01`, to: today };
  }
}

function customRange(input: PeriodInput, today: CalendarDate): DateRange {
  if (!isCalendarDate(input.from)) throw badRequest('Bad start date', { from: 'is not a date (YYYY-MM-DD)' });
  if (!isCalendarDate(input.to)) throw badRequest('Bad end date', { to: 'is not a date (YYYY-MM-DD)' });
  const { from, to } = input;
  if (to > today) throw badRequest('The period ends in the future', { to: 'is after today' });
  if (from > to) throw badRequest('The period ends before it starts', { to: 'is before the start date' });
  if (from < addDays(addMonths(to, -12 * MAX_CUSTOM_YEARS), 1))
    throw badRequest('The period is too long', { from: `is more than ${MAX_CUSTOM_YEARS} years before the end date` });
  return { from, to };
}

/** The same number of days just before `range`. */
export function previousRange(range: DateRange): DateRange {
  const days = daysBetween(range.from, range.to) + 1;
  return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
}

/** The calendar months ('YYYY-MM') that `range` touches, in order. */
export function monthsOf(range: DateRange): string[] {
  const months: string[] = [];
  for (let first = `${range.from.slice(0, 7)}-01`; first <= range.to; first = addMonths(first, 1)) months.push(first.slice(0, 7));
  return months;
}
