/**
 * The one shape the export kits share: a titled table whose columns say what kind of value they
 * hold, so CSV and XLSX (and a PDF table, formatted by the caller) come from the same rows.
 *
 * - `text`: strings (user input included: the CSV kit guards against formulas).
 * - `integer`: counts, as a safe integer `number` or a `bigint`.
 * - `decimal`: a `number` such as hours; `decimals` fixes the digits after the comma.
 * - `amount`: money as the money kit's `Ore` (integer öre), shown as kronor with two decimals.
 * - `date`: the calendar kit's `CalendarDate` ('YYYY-MM-DD'). Not a `Date`: an instant falls on
 *   different days in different time zones; `calendarDateInStockholm()` decides the day first.
 *
 * `null` and `undefined` are an empty cell in any column. A value of the wrong kind (a float in an
 * amount column, a Date in a date column) is a bug in the caller and throws a TypeError.
 */
import { isCalendarDate, type CalendarDate } from '../calendar.js';
import { isOre, moneyToDecimalString, type Ore } from '../money.js';

export type ColumnKind = 'text' | 'integer' | 'decimal' | 'amount' | 'date';

export interface DocumentColumn {
  header: string;
  kind?: ColumnKind;
  /** For `decimal` columns: digits after the comma (rounded); unset = as many as the number has. */
  decimals?: number;
}

export type CellValue = string | number | bigint | null | undefined;

export interface DocumentTable {
  /** The sheet's name in XLSX; CSV has no place for it. */
  title: string;
  columns: readonly DocumentColumn[];
  rows: ReadonlyArray<ReadonlyArray<CellValue>>;
}

export function calendarDateValue(value: unknown): CalendarDate {
  if (isCalendarDate(value)) return value;
  throw new TypeError(`A date column takes calendar dates (YYYY-MM-DD, the calendar kit's), not ${describe(value)}`);
}

export function amountValue(value: unknown): Ore {
  if (isOre(value)) return value;
  throw new TypeError(`An amount column takes whole öre (the money kit's Ore), not ${describe(value)}`);
}

/** An amount as Swedish spreadsheets read it: 123450 öre → "1234,50". Exact: no float on the way. */
export function amountText(value: unknown): string {
  return moneyToDecimalString(amountValue(value), ',');
}

export function integerValue(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new TypeError(`An integer column takes whole numbers, not ${describe(value)}`);
}

export function decimalValue(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  throw new TypeError(`A decimal column takes finite numbers, not ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'number') return String(value);
  return typeof value;
}
