import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { sheetName, toXlsx } from '../../../src/platform/documents/xlsx.js';
import type { DocumentTable } from '../../../src/platform/documents/table.js';
import { ore } from '../../../src/platform/money.js';

const payments: DocumentTable = {
  title: 'Utbetalningar',
  columns: [
    { header: 'Namn' },
    { header: 'Belopp', kind: 'amount' },
    { header: 'Timmar', kind: 'decimal', decimals: 2 },
    { header: 'Uppdrag', kind: 'integer' },
    { header: 'Datum', kind: 'date' },
  ],
  rows: [
    ['Áilu Ŋuolla från Čeavččageađge, Ŧeahkká', ore(123450), 1.5, 3, '2026-01-05'],
    ['=HYPERLINK("http://example.com";"klicka")', ore(-5), 2.345, 12000, null],
    ['Åsa\u0001 Öberg', ore(0), null, null, '2026-12-31'],
  ],
};

async function readBack(tables: DocumentTable[]) {
  const bytes = await toXlsx({
    title: 'Utbetalningar 2026',
    creator: 'Uppdragsbanken',
    created: new Date('2026-01-31T12:00:00Z'),
    tables,
  });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

describe('platform/documents/xlsx', () => {
  it('when a table is written and read back, then values and their types are as given', async () => {
    const workbook = await readBack([payments]);
    const sheet = workbook.getWorksheet('Utbetalningar')!;
    expect(sheet.getRow(2).values).to.deep.equal([
      undefined,
      'Áilu Ŋuolla från Čeavččageađge, Ŧeahkká',
      1234.5,
      1.5,
      3,
      new Date('2026-01-05T00:00:00Z'),
    ]);
    expect(sheet.getCell('B2').type).to.equal(ExcelJS.ValueType.Number);
    expect(sheet.getCell('D2').type).to.equal(ExcelJS.ValueType.Number);
    expect(sheet.getCell('E2').type).to.equal(ExcelJS.ValueType.Date);
    expect(sheet.getCell('B3').value).to.equal(-0.05);
    expect(sheet.getCell('C3').value).to.equal(2.35); // rounded to the column's two decimals
    expect(sheet.getCell('E3').type).to.equal(ExcelJS.ValueType.Null);
    expect(sheet.getCell('E4').value).to.deep.equal(new Date('2026-12-31T00:00:00Z'));
  });

  it('when text looks like a formula, then it is stored as text, never as a formula', async () => {
    const sheet = (await readBack([payments])).getWorksheet('Utbetalningar')!;
    expect(sheet.getCell('A3').type).to.equal(ExcelJS.ValueType.String);
    expect(sheet.getCell('A3').value).to.equal('=HYPERLINK("http://example.com";"klicka")');
  });

  it('when text holds a control character XML cannot carry, then it is dropped (by exceljs) and the file stays readable', async () => {
    const sheet = (await readBack([payments])).getWorksheet('Utbetalningar')!;
    expect(sheet.getCell('A4').value).to.equal('Åsa Öberg');
  });

  it('then amounts show as kronor, integers with grouping and dates as dates', async () => {
    const sheet = (await readBack([payments])).getWorksheet('Utbetalningar')!;
    expect(sheet.getCell('B2').numFmt).to.equal('#,##0.00 "kr"');
    expect(sheet.getCell('C2').numFmt).to.equal('#,##0.00');
    expect(sheet.getCell('D3').numFmt).to.equal('#,##0');
    expect(sheet.getCell('E2').numFmt).to.equal('yyyy-mm-dd');
  });

  it('then the header row is bold and frozen, and an autofilter covers the table', async () => {
    const sheet = (await readBack([payments])).getWorksheet('Utbetalningar')!;
    expect(sheet.getRow(1).values).to.deep.equal([undefined, 'Namn', 'Belopp', 'Timmar', 'Uppdrag', 'Datum']);
    expect(sheet.getCell('A1').font?.bold).to.equal(true);
    expect(sheet.getCell('E1').font?.bold).to.equal(true);
    expect(sheet.getCell('A2').font?.bold).not.to.equal(true);
    expect(sheet.getCell('B1').numFmt).to.equal(undefined);
    expect(sheet.views[0]).to.include({ state: 'frozen', ySplit: 1, topLeftCell: 'A2' });
    expect(sheet.autoFilter).to.equal('A1:E4');
  });

  it('then columns are as wide as their content, within bounds', async () => {
    const sheet = (await readBack([payments])).getWorksheet('Utbetalningar')!;
    const widths = sheet.columns.map((column) => column.width!);
    expect(widths[0]).to.be.within(41, 60); // the longest name is 41 characters
    expect(widths[3]).to.be.within(8, 12);
    for (const width of widths) expect(width).to.be.within(8, 60);
  });

  it('when there are several tables, then each gets its own sheet with a name Excel accepts', async () => {
    const workbook = await readBack([
      payments,
      { title: 'Per by: Norsjö/Lycksele [2026]', columns: [{ header: 'By' }], rows: [['Rusksele']] },
      { title: 'per by  norsjö lycksele  2026 ', columns: [{ header: 'By' }], rows: [] },
    ]);
    expect(workbook.worksheets.map((sheet) => sheet.name)).to.deep.equal([
      'Utbetalningar',
      'Per by Norsjö Lycksele 2026',
      'per by norsjö lycksele 2026 (2)',
    ]);
    expect(workbook.title).to.equal('Utbetalningar 2026');
    expect(workbook.creator).to.equal('Uppdragsbanken');
    expect(workbook.created).to.deep.equal(new Date('2026-01-31T12:00:00Z'));
    expect(workbook.worksheets[2]!.autoFilter).to.equal('A1:A1');
  });

  it('sheetName keeps names within 31 characters and unique regardless of case', () => {
    const used = new Set<string>();
    expect(sheetName('Uppdrag per kategori och månad i Norsjö kommun', used)).to.equal('Uppdrag per kategori och månad');
    expect(sheetName('UPPDRAG PER KATEGORI OCH MÅNAD i Lycksele', used)).to.equal('UPPDRAG PER KATEGORI OCH MÅ (2)');
    expect(sheetName("'''", used)).to.equal('Blad');
    for (const name of used) expect(name.length).to.be.at.most(31);
  });

  it('when a value is of the wrong kind, then writing refuses it', async () => {
    const bad = (rows: DocumentTable['rows'], kind: 'amount' | 'date') =>
      toXlsx({ title: 't', creator: 'c', tables: [{ title: 't', columns: [{ header: 'x', kind }], rows }] });
    await expectRejection(bad([[12.5]], 'amount'), /öre/);
    await expectRejection(bad([['2026-13-01']], 'date'), /calendar date/);
  });
});

async function expectRejection(promise: Promise<unknown>, message: RegExp) {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(TypeError);
    expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail('expected a rejection');
}
