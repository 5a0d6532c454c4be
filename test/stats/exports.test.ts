import { expect } from 'chai';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { addDays, todayInStockholm } from '../../src/platform/calendar.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, type LoggedIn } from '../support/users.js';
import { createDashboardHistory } from '../support/stats-history.js';

// The dashboard's exports (issue 13 item 4), read back: the CSV parsed as Swedish Excel reads it, the XLSX opened
// with exceljs. They hold the page's numbers, a hidden figure is an empty value with ".." beside it, no count
// under 5 appears, and no person's name or e-mail is in either file.

const PATH = '/statistik/kommun/2481';
const QUERY = 'period=last30';
const NAMES = ['Ingrid Hemligsdotter', 'ingrid.hemligsdotter@example.se', 'Arbetare Hemlig', '@example.se'];

/** A Swedish Excel CSV (BOM, `;`, CRLF, quotes only where needed) back into rows of fields. */
function parseCsv(text: string): string[][] {
  expect(text.charCodeAt(0), 'byte order mark').to.equal(0xfeff);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const character = text[i]!;
    if (quoted && character === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (character === '"') {
      quoted = !quoted;
    } else if (!quoted && character === ';') {
      row.push(field);
      field = '';
    } else if (!quoted && character === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += character;
    }
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

const binary = (res: Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

describe('Statistics dashboard exports: export.csv and export.xlsx', () => {
  const ctx = useTestApp();
  let officer: LoggedIn;
  // The day in Stockholm, taken again at the start of each test: the suite may run across midnight there (23:00 UTC
  // in winter), and the app's periods end on the day the request is answered.
  let today = todayInStockholm();
  beforeEach(() => {
    today = todayInStockholm();
  });

  before(async function () {
    this.timeout(60_000);
    await createDashboardHistory(ctx.db);
    const user = await createUser(ctx.db);
    await ctx.db('officer_municipalities').insert({ user_id: user.id, municipality_code: '2481' });
    officer = await logInAs(ctx.app, user.email);
  });

  it('writes a CSV for Swedish Excel with the page’s numbers and ".." for what is hidden', async () => {
    const res = await officer.agent.get(`${PATH}/export.csv?${QUERY}`).expect(200);
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
    const from = addDays(today, -29);
    expect(res.headers['content-disposition']).to.include(`filename="Statistik_Lycksele_kommun_${from}_${today}.csv"`);
    expect(res.headers['content-disposition']).to.include(encodeURIComponent(`Statistik Lycksele kommun ${from}–${today}.csv`));
    for (const name of NAMES) expect(res.text).not.to.include(name);

    const [head, ...rows] = parseCsv(res.text);
    expect(head).to.deep.equal(['Kommun', 'Från', 'Till', 'Tabell', 'Mått', 'Grupp', 'Månad', 'Enhet', 'Värde', 'Status']);
    const find = (table: string, measure: string, group: string) =>
      rows.find((row) => row[3] === table && row[4] === measure && row[5] === group);
    expect(find('Nyckeltal', 'Publicerade uppdrag', 'Denna period')?.slice(7)).to.deep.equal(['antal', '15', '']);
    expect(find('Nyckeltal', 'Utbetald bruttolön', 'Denna period')?.slice(7)).to.deep.equal(['kr', '6000', '']);
    expect(find('Nyckeltal', 'Arbetade timmar', 'Denna period')?.slice(7)).to.deep.equal(['timmar', '24', '']);
    // Garden: 2 assignments, hidden; the category total that holds them too.
    const garden = rows.filter((row) => row[3] === 'Uppdrag per månad' && row[5] === 'Trädgård' && row[6] === 'Totalt');
    expect(garden.map((row) => row.slice(8))).to.deep.equal([['', '..']]);

    let hidden = 0;
    for (const row of rows) {
      expect(row, row.join(';')).to.have.length(10);
      if (row[9] === '..') {
        hidden++;
        expect(row[8], row.join(';')).to.equal('');
      } else if (row[7] === 'antal' && row[8] !== '') {
        const value = Number(row[8]!.replace(',', '.'));
        expect(value === 0 || value >= 5, row.join(';')).to.equal(true);
      }
    }
    expect(hidden).to.be.greaterThan(0);
  });

  it('writes an XLSX with one sheet per table, frozen headers and the same numbers', async () => {
    const res = await officer.agent.get(`${PATH}/export.xlsx?${QUERY}`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-disposition']).to.include('.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).to.deep.equal([
      'Nyckeltal',
      'Uppdrag per månad',
      'Per by',
      'Kompetens',
      'Färdigheter',
      'Inkomst per kategori',
      'Inkomst per by',
      'Utan sökande',
      'Länet',
    ]);
    const text: string[] = [];
    for (const sheet of workbook.worksheets) {
      expect(sheet.views[0]).to.include({ state: 'frozen', ySplit: 1 });
      const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
      sheet.eachRow((row, number) => {
        const values = (row.values as unknown[]).slice(1);
        text.push(values.map(String).join(' '));
        if (number === 1) return;
        header.forEach((name, index) => {
          if (!name.startsWith('Status')) return;
          // A status column follows its value column: ".." beside an empty value, nothing beside a shown one.
          if (values[index] === '..') expect(values[index - 1] ?? null, `${sheet.name} ${header[index - 1]}`).to.equal(null);
          const value = values[index - 1];
          const isCount = sheet.getColumn(index).numFmt === '#,##0' && sheet.name !== 'Nyckeltal';
          if (isCount && typeof value === 'number')
            expect(value === 0 || value >= 5, `${sheet.name} ${header[index - 1]} ${value}`).to.equal(true);
        });
      });
    }
    const figures = workbook.getWorksheet('Nyckeltal')!;
    const row = (label: string) => (figures.getColumn(1).values as unknown[]).indexOf(label);
    expect(figures.getRow(row('Publicerade uppdrag')).getCell(3).value).to.equal(15);
    expect(figures.getRow(row('Utbetald bruttolön')).getCell(3).value).to.equal(6000);
    const unanswered = workbook.getWorksheet('Utan sökande')!;
    expect(unanswered.rowCount).to.equal(8);
    expect(String(unanswered.getRow(2).getCell(2).value)).to.include('Byaföreningen');
    const all = text.join('\n');
    for (const name of NAMES) expect(all).not.to.include(name);
  });

  it('answers a bad query with the form again (400), not a file', async () => {
    const res = await officer.agent.get(`${PATH}/export.csv?period=custom&from=x`).expect(400);
    expect(res.headers['content-type']).to.match(/text\/html/);
    expect(res.text).to.include('id="from-error"');
    await officer.agent.get(`${PATH}/export.xlsx?village=abc`).expect(400);
  });
});
