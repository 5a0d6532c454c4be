/**
 * CSV that Swedish Excel opens correctly on a double click: UTF-8 with a byte order mark (without
 * it Excel reads the file as Windows-1252 and å/ä/ö turn to mojibake), `;` between fields (Excel in
 * a Swedish locale expects it, since `,` is the decimal sign), CRLF line ends, decimal commas,
 * dates as YYYY-MM-DD, and fields quoted only when they hold `;`, `"` or a line break.
 *
 * Formula injection (OWASP "CSV Injection"): a text cell that begins with `=`, `+`, `-`, `@`, a
 * tab or a carriage return (or their full-width forms, which Apple Numbers folds) is opened by a
 * spreadsheet as a formula, so user input such as `=HYPERLINK(...)` could run or leak data on the
 * reader's machine. csv-stringify's `escape_formulas` prefixes such cells with `'`. It decides by
 * the value's type, not its text: a number or bigint cell that comes out as `-1234,50` stays a
 * number (a minus sign on a number cannot start a formula), while the string "-1234,50" typed into
 * a text field is escaped like any other text. So numeric columns must be fed numbers.
 */
import { stringify, type CastingContext } from 'csv-stringify/sync';
import { amountText, calendarDateValue, decimalValue, integerValue, type DocumentTable } from './table.js';

export const csvContentType = 'text/csv; charset=utf-8';

export function toCsv(table: Pick<DocumentTable, 'columns' | 'rows'>): Buffer {
  const { columns } = table;
  const kindAt = (context: CastingContext) => (context.header ? 'text' : (columns[Number(context.index)]?.kind ?? 'text'));

  const formatNumber = (value: number | bigint, context: CastingContext): string => {
    const column = columns[Number(context.index)];
    switch (kindAt(context)) {
      case 'amount':
        return amountText(value);
      case 'integer':
        return integerValue(value).toString();
      case 'decimal':
        return decimalText(decimalValue(value), column?.decimals);
      case 'date':
        return calendarDateValue(value);
      case 'text':
        return typeof value === 'bigint' ? value.toString() : decimalText(value);
    }
  };

  const text = stringify(
    table.rows.map((row) => columns.map((_, index) => row[index] ?? null)),
    {
      bom: true,
      delimiter: ';',
      record_delimiter: 'windows',
      // Line breaks inside a field must be quoted too; with CRLF as the record delimiter
      // csv-stringify would otherwise quote only fields that hold a full CRLF.
      quote_record_delimiter: true,
      escape_formulas: true,
      header: true,
      columns: columns.map((column, index) => ({ key: String(index), header: column.header })),
      cast: {
        number: formatNumber,
        bigint: formatNumber,
        string: (value, context) => {
          switch (kindAt(context)) {
            case 'date':
              return calendarDateValue(value);
            case 'text':
              return value;
            default:
              throw new TypeError(`Column "${columns[Number(context.index)]?.header}" takes numbers, not text`);
          }
        },
        date: () => {
          throw new TypeError('A CSV cell takes a calendar date (YYYY-MM-DD, the calendar kit), not a Date');
        },
        object: () => {
          throw new TypeError('A CSV cell takes text, numbers or calendar dates, not objects');
        },
      },
    },
  );
  return Buffer.from(text, 'utf8');
}

/** A number with a decimal comma and no grouping or exponent: 1234.5 → "1234,5", 1e21 → "1000000000000000000000". */
export function decimalText(value: number, decimals?: number): string {
  const text =
    decimals === undefined
      ? value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 })
      : value.toFixed(decimals);
  // toFixed(-0.001, 2) gives "-0.00": no minus on a zero.
  return (/^-0(\.0*)?$/.test(text) ? text.slice(1) : text).replace('.', ',');
}
