// Swedish calendar dates and times, in one place. A calendar date (the day an
// assignment's application closes, a birth date, an invoice's due date) is a
// 'YYYY-MM-DD' string, as PostgreSQL's DATE columns arrive (platform/db.ts),
// and its arithmetic is done on the date itself, never through a local-time
// Date. An instant (a Date) becomes a date only through Stockholm's clock:
// "today" for this service is today in Sweden, whatever time zone the server
// runs in. Stockholm's clock changes at 01:00 UTC (02:00 → 03:00 on the last
// Sunday of March, 03:00 → 02:00 on the last Sunday of October), so a
// Stockholm day lasts 23, 24 or 25 hours and always starts at 00:00 local.
// Intl with Node's full ICU gives the offsets; no time-zone library is needed.

export const STOCKHOLM_TIME_ZONE = 'Europe/Stockholm';

/**
 * Today's date in Stockholm as PostgreSQL computes it, for SQL that compares DATE columns with "today" in the
 * database's own clock (one statement, no round trip): `db.raw(SQL_TODAY_IN_STOCKHOLM)`.
 */
export const SQL_TODAY_IN_STOCKHOLM = `(now() AT TIME ZONE '${STOCKHOLM_TIME_ZONE}')::date`;

/** A calendar date, 'YYYY-MM-DD'. */
export type CalendarDate = string;

/** A span of time [start, end): `end` is the first instant after it (the next day's start). */
export interface InstantRange {
  start: Date;
  end: Date;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a 'YYYY-MM-DD' string naming a day that exists (2026-02-29 does not). */
export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC reads years 0–99 as 1900–1999
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function parts(date: CalendarDate): [year: number, month: number, day: number] {
  if (!isCalendarDate(date)) throw new RangeError(`"${date}" is not a calendar date (YYYY-MM-DD)`);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

/** Milliseconds of a UTC midnight, correct for years 0–99 too. */
function utcMidnight(year: number, month: number, day: number): number {
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

function dateOfUtcMidnight(ms: number): CalendarDate {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError('A calendar date has a four-digit year');
  return `${String(year).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------
// Instants and Stockholm's clock

const WALL_CLOCK = new Intl.DateTimeFormat('en-US', {
  timeZone: STOCKHOLM_TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

/** What a clock in Stockholm shows at `instant`. */
function stockholmWallClock(instant: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const values: Record<string, number> = {};
  for (const part of WALL_CLOCK.formatToParts(instant)) if (part.type !== 'literal') values[part.type] = Number(part.value);
  return values as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
}

/** How far Stockholm's clock is ahead of UTC at `ms` (3 600 000 or 7 200 000). */
function stockholmOffsetMs(ms: number): number {
  const wall = stockholmWallClock(new Date(ms));
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return wallAsUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The Stockholm calendar date at `instant`. */
export function calendarDateInStockholm(instant: Date): CalendarDate {
  const wall = stockholmWallClock(instant);
  return `${String(wall.year).padStart(4, '0')}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
}

/** Today in Sweden, 'YYYY-MM-DD'. */
export function todayInStockholm(now: Date = new Date()): CalendarDate {
  return calendarDateInStockholm(now);
}

/** The instant a Stockholm day begins (00:00 Swedish time). */
export function startOfStockholmDay(date: CalendarDate): Date {
  const wallMidnight = utcMidnight(...parts(date));
  // The offset at the UTC midnight can differ from the one at Stockholm's midnight
  // only if the clock changed in between; asking again at the first guess settles it.
  const guess = wallMidnight - stockholmOffsetMs(wallMidnight);
  return new Date(wallMidnight - stockholmOffsetMs(guess));
}

/** A Stockholm day as [its first instant, the next day's first instant). */
export function stockholmDay(date: CalendarDate): InstantRange {
  return { start: startOfStockholmDay(date), end: startOfStockholmDay(addDays(date, 1)) };
}

/** A Stockholm calendar month (1–12) as [its first instant, the next month's first instant). */
export function stockholmMonth(year: number, month: number): InstantRange {
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`${month} is not a month (1–12)`);
  return stockholmMonths(year, month, 1);
}

/** A Stockholm calendar year as [1 January 00:00, the next 1 January 00:00). */
export function stockholmYear(year: number): InstantRange {
  return stockholmMonths(year, 1, 12);
}

function stockholmMonths(year: number, fromMonth: number, months: number): InstantRange {
  const first = dateOfUtcMidnight(utcMidnight(year, fromMonth, 1));
  return { start: startOfStockholmDay(first), end: startOfStockholmDay(addMonths(first, months)) };
}

// ---------------------------------------------------------------------------
// Calendar arithmetic

/** `date` plus `days` (negative to go back). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  if (!Number.isSafeInteger(days)) throw new RangeError(`${days} is not a whole number of days`);
  return dateOfUtcMidnight(utcMidnight(...parts(date)) + days * 86_400_000);
}

/**
 * `date` plus `months`; a day the target month lacks becomes its last day
 * (31 January + 1 month = 28 or 29 February), as payment terms count.
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  if (!Number.isSafeInteger(months)) throw new RangeError(`${months} is not a whole number of months`);
  const [year, month, day] = parts(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  const daysInMonth = new Date(utcMidnight(targetYear, targetMonth + 1, 0)).getUTCDate(); // day 0: the month's last day
  return dateOfUtcMidnight(utcMidnight(targetYear, targetMonth, Math.min(day, daysInMonth)));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((utcMidnight(...parts(to)) - utcMidnight(...parts(from))) / 86_400_000);
}

/**
 * Age in whole years on `onDate` of someone born on `birthDate`. A year is
 * complete on the birthday; someone born on 29 February completes it on
 * 1 March in a year without one.
 */
export function ageOn(birthDate: CalendarDate, onDate: CalendarDate): number {
  const [birthYear] = parts(birthDate);
  const [year] = parts(onDate);
  return year - birthYear - (onDate.slice(5) < birthDate.slice(5) ? 1 : 0);
}

/**
 * The age someone "had turned when the year began" (employer contributions,
 * PRODUCT.md): the age on 31 December of the year before, which is
 * `year − 1 − birth year` whatever the birthday. Not ageOn(…, 'YYYY-01-01'):
 * someone born on 1 January 1959 is 67 on 1 January 2026, yet Skatteverket's
 * 2026 table puts everyone born 1959 at the full rate.
 */
export function ageWhenYearBegan(birthDate: CalendarDate, year: number): number {
  return ageOn(birthDate, dateOfUtcMidnight(utcMidnight(year - 1, 12, 31)));
}

// ---------------------------------------------------------------------------
// Dates and times for pages ('en' is English, anything else Swedish)

const LOCALES: Record<string, string> = { sv: 'sv-SE', en: 'en-GB' };

const STYLES = {
  /** "29 mars 2026" / "29 March 2026" */
  date: { day: 'numeric', month: 'long', year: 'numeric' },
  /** "mars 2026" / "March 2026" */
  month: { month: 'long', year: 'numeric' },
  /** "26 november 2026 kl. 14:05" / "26 November 2026 at 14:05" */
  dateTime: { dateStyle: 'long', timeStyle: 'short' },
  /** "2026-11-26 14:05:09" / "26/11/2026, 14:05:09": lists where the second matters */
  exactDateTime: { dateStyle: 'short', timeStyle: 'medium' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

export type DateStyle = keyof typeof STYLES;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached formatter (making an Intl.DateTimeFormat costs far more than using one). */
function formatter(lang: string, style: DateStyle): Intl.DateTimeFormat {
  const locale = LOCALES[lang] ?? 'sv-SE';
  const key = `${locale} ${style}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...STYLES[style], timeZone: STOCKHOLM_TIME_ZONE });
    formatters.set(key, format);
  }
  return format;
}

/** Noon UTC of a calendar date falls on the same date in Stockholm (13:00 or 14:00 there). */
const instantOf = (value: CalendarDate | Date): Date =>
  typeof value === 'string' ? new Date(utcMidnight(...parts(value)) + 12 * 3_600_000) : value;

/** A calendar date or an instant (its Stockholm date) as "29 mars 2026" / "29 March 2026". */
export function formatDate(value: CalendarDate | Date, lang: string): string {
  return formatter(lang, 'date').format(instantOf(value));
}

/** The month of a calendar date or instant, "mars 2026" / "March 2026". */
export function formatMonth(value: CalendarDate | Date, lang: string): string {
  return formatter(lang, 'month').format(instantOf(value));
}

/** An instant in Swedish time: `dateTime` "26 november 2026 kl. 14:05", or `exactDateTime` "2026-11-26 14:05:09". */
export function formatDateTime(instant: Date, lang: string, style: 'dateTime' | 'exactDateTime' = 'dateTime'): string {
  return formatter(lang, style).format(instant);
}
