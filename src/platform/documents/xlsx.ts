/**
 * XLSX workbooks with exceljs: one sheet per table, a bold header row that stays in view while
 * scrolling (frozen pane), an autofilter over the table, column widths from the content, and real
 * cell types: integers and amounts are numbers (amounts shown as kronor with two decimals), dates
 * are dates, text is text. Text cells are written as strings, never as formulas, so user input
 * such as `=HYPERLINK(...)` stays inert here without the CSV kit's `'` prefix. Characters XML
 * cannot carry (control characters, halves of surrogate pairs) are dropped or replaced by exceljs
 * itself, so a user's text cannot make the file unreadable (the test checks this).
 */
import ExcelJS from 'exceljs';
import { amountValue, calendarDateValue, decimalValue, integerValue, type DocumentColumn, type DocumentTable } from './table.js';

export const xlsxContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface WorkbookOptions {
  title: string;
  creator: string;
  /** Fixes the workbook's created/modified dates (tests, re-issued exports). */
  created?: Date;
  tables: readonly DocumentTable[];
}

// Format codes are locale-neutral: `,` groups thousands and `.` marks decimals in the code, and
// Excel shows them with the reader's separators (1 234,50 kr in Swedish Excel).
const numberFormats = {
  integer: '#,##0',
  amount: '#,##0.00 "kr"',
  date: 'yyyy-mm-dd',
} as const;

const minimumWidth = 8;
const maximumWidth = 60;

export async function toXlsx(options: WorkbookOptions): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.title = options.title;
  workbook.creator = options.creator;
  workbook.lastModifiedBy = options.creator;
  workbook.created = options.created ?? new Date();
  workbook.modified = workbook.created;

  const usedNames = new Set<string>();
  for (const table of options.tables) {
    const sheet = workbook.addWorksheet(sheetName(table.title, usedNames), {
      views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
    });
    sheet.columns = table.columns.map((column) => ({
      header: column.header,
      width: columnWidth(column, table),
      style: numberFormatStyle(column),
    }));
    // The header cells get only the bold font, not their column's number format.
    sheet.getRow(1).eachCell((cell) => (cell.style = { font: { bold: true } }));
    for (const row of table.rows) sheet.addRow(table.columns.map((column, index) => cellValue(column, row[index])));
    sheet.autoFilter = {
      from: { row: 1, column: 1 },
      to: { row: Math.max(1, table.rows.length + 1), column: Math.max(1, table.columns.length) },
    };
  }
  const bytes = await workbook.xlsx.writeBuffer();
  return Buffer.from(bytes);
}

function cellValue(column: DocumentColumn, value: DocumentTable['rows'][number][number]): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  switch (column.kind ?? 'text') {
    case 'integer':
      return Number(integerValue(value));
    case 'amount':
      // Kronor as a double, as Excel keeps every number: the division by 100 of an exact integer
      // gives the double nearest the true amount, the same one Excel stores for typed "1234,50".
      return amountValue(value) / 100;
    case 'decimal': {
      const number = decimalValue(value);
      return column.decimals === undefined ? number : Number(number.toFixed(column.decimals));
    }
    case 'date': {
      // exceljs turns a Date into Excel's day number in UTC, so UTC midnight is that calendar day.
      const [year, month, day] = calendarDateValue(value).split('-').map(Number) as [number, number, number];
      return new Date(Date.UTC(year, month - 1, day));
    }
    case 'text':
      return String(value);
  }
}

function numberFormatStyle(column: DocumentColumn): Partial<ExcelJS.Style> {
  switch (column.kind ?? 'text') {
    case 'integer':
      return { numFmt: numberFormats.integer };
    case 'amount':
      return { numFmt: numberFormats.amount };
    case 'date':
      return { numFmt: numberFormats.date };
    case 'decimal':
      return column.decimals === undefined
        ? {}
        : { numFmt: `#,##0${column.decimals > 0 ? '.' + '0'.repeat(column.decimals) : ''}` };
    case 'text':
      return {};
  }
}

/** Width in characters: the longest shown value or header, plus room for the filter button. */
function columnWidth(column: DocumentColumn, table: DocumentTable): number {
  const index = table.columns.indexOf(column);
  let longest = column.header.length + 3;
  for (const row of table.rows) {
    const value = row[index];
    if (value === null || value === undefined) continue;
    // An amount is shown with thousands separators and " kr": about a third longer, plus 3.
    const shown = column.kind === 'amount' ? Math.ceil(String(value).length * 1.34) + 3 : 0;
    longest = Math.max(
      longest,
      shown,
      ...String(value)
        .split('\n')
        .map((line) => line.length),
    );
  }
  return Math.min(maximumWidth, Math.max(minimumWidth, longest + 1));
}

/**
 * Excel's rules for sheet names: at most 31 characters, none of : \ / ? * [ ], not blank, not
 * starting or ending with an apostrophe, unique in the workbook regardless of case.
 */
export function sheetName(title: string, used: Set<string>): string {
  const base =
    title
      .replace(/[:\\/?*[\]]/g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/^'+|'+$/g, '')
      .slice(0, 31)
      .trim() || 'Blad';
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - ` (${n})`.length)} (${n})`;
  used.add(name.toLowerCase());
  return name;
}
