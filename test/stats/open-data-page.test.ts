import { expect } from 'chai';
import request from 'supertest';
import { addDays, todayInStockholm } from '../../src/platform/calendar.js';
import { OPEN_DATA_FIGURES, OPEN_DATA_PARAMETERS } from '../../src/modules/stats/open-data-routes.js';
import { createApplication, createOrganisation, createTestAssignment } from '../support/factories.js';
import { createInvoicedWork, insertSalary } from '../support/payroll-factories-p2.js';
import { useTestApp } from '../support/test-app.js';
import { createUser } from '../support/users.js';

// Open data (issue 13 item 5): /statistik, /statistik/data.csv and GET /api/v1/statistics for everyone — the
// suppressed figures per municipality and category, no village, no person — and the API's place in the OpenAPI
// document. The figures themselves are counted in the service's tests; here: what each face shows of them.

const PAGE = '/statistik';
const CSV = '/statistik/data.csv';
const API = '/api/v1/statistics';

const VILLAGE = 'Björksele';
const APPLICANT = { name: 'Ingrid Hemligsdotter', email: 'ingrid.hemligsdotter@example.se' };
const WORKER_NAME = 'Nils Löneström';

type CellJson = { value: number; status: 'shown' } | { value: null; status: 'small' | 'secondary' };
type RowJson = {
  municipality: { code: string; name: string; countyCode: string };
  category: { slug: string; name: string };
} & Record<(typeof OPEN_DATA_FIGURES)[number], CellJson>;

/** A Swedish Excel CSV (BOM, `;`, CRLF, quotes only where needed) back into rows of fields. */
function parseCsv(text: string): string[][] {
  expect(text.charCodeAt(0), 'byte order mark').to.equal(0xfeff);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 1; i < text.length; i++) {
    const character = text[i]!;
    if (quoted && character === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (character === '"') {
      quoted = !quoted;
    } else if (!quoted && character === ';') {
      endField();
    } else if (!quoted && character === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else {
      field += character;
    }
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** Every count shown is 0 (nothing there) or at least 5; amounts are öre, but they too rest on 5 people or more. */
function expectNoValueUnderFive(rows: RowJson[]) {
  for (const row of rows)
    for (const figure of OPEN_DATA_FIGURES) {
      const cell = row[figure];
      if (cell.status === 'shown')
        expect(cell.value === 0 || cell.value >= 5, `${row.municipality.name} ${figure} ${cell.value}`).to.equal(true);
      else expect(cell.value, `${figure} hidden`).to.equal(null);
    }
}

describe('Open data: /statistik, its CSV and GET /api/v1/statistics', () => {
  const ctx = useTestApp();
  // The day in Stockholm, taken again at the start of each test: the suite may run across midnight there (23:00 UTC
  // in winter), and the app's periods end on the day the request is answered.
  let today = todayInStockholm();
  beforeEach(() => {
    today = todayInStockholm();
  });

  before(async function () {
    this.timeout(30_000);
    const organisation = await createOrganisation(ctx.db);
    const village = ctx.deps.reference.localitiesOf('2481').find((locality) => locality.name === VILLAGE)!;
    // Lycksele, snow clearing: 6 assignments in a village (shown), 2 of them for work training (hidden: "<5").
    const snow: number[] = [];
    for (let i = 0; i < 6; i++)
      snow.push(
        await createTestAssignment(ctx.db, {
          organisationId: organisation.id,
          categorySlug: 'snorojning',
          localitySlug: village.slug,
          workTraining: i < 2,
          peopleNeeded: 2,
        }),
      );
    // Lycksele, cleaning: 5 assignments, hidden beside the salary's lone "other" assignment (secondary).
    for (let i = 0; i < 5; i++) await createTestAssignment(ctx.db, { organisationId: organisation.id, categorySlug: 'stadning' });
    // One accepted applicant: a person, hidden.
    const applicant = await createUser(ctx.db, APPLICANT);
    await createApplication(ctx.db, { assignmentId: snow[0]!, applicantId: applicant.id, status: 'accepted' });
    // Norsjö, garden: 2 assignments (hidden).
    for (let i = 0; i < 2; i++)
      await createTestAssignment(ctx.db, { organisationId: organisation.id, categorySlug: 'tradgard', municipalityCode: '2417' });
    // One salary paid today: the amount paid to one person is never shown.
    const work = await createInvoicedWork(ctx.db, { workerName: WORKER_NAME });
    await insertSalary(ctx.db, work.invoiceId, { payoutDate: today });
  });

  describe('GET /api/v1/statistics', () => {
    it('when asked without parameters, then this quarter’s rows with the period, CC0, a definition of every figure, cacheable by anyone', async () => {
      const res = await request(ctx.app).get(API).expect(200);
      expect(res.type).to.equal('application/json');
      expect(res.headers['cache-control']).to.equal('public, max-age=300');
      expect(res.headers['access-control-allow-origin']).to.equal('*');
      expect(res.body).to.have.keys(['period', 'licence', 'definitions', 'rows']);
      expect(res.body.period).to.deep.include({ preset: 'quarter', to: today });
      expect(res.body.period).to.have.keys(['from', 'to', 'preset']);
      expect(res.body.licence).to.equal('CC0-1.0');
      expect(res.body.definitions).to.have.keys([...OPEN_DATA_FIGURES]);
      for (const figure of OPEN_DATA_FIGURES) {
        expect(res.body.definitions[figure]).to.have.keys(['label', 'description', 'unit']);
        expect(res.body.definitions[figure].description).to.be.a('string').and.not.equal('');
      }
      expect(res.body.definitions.paidGrossOre.unit).to.equal('ore');
    });

    it('when the rows are read, then each has its municipality, category and cells, hidden ones null with their reason', async () => {
      const { body } = await request(ctx.app).get(API).query({ period: 'month' }).expect(200);
      const rows = body.rows as RowJson[];
      for (const row of rows) expect(row).to.have.keys(['municipality', 'category', ...OPEN_DATA_FIGURES]);
      const snow = rows.find((row) => row.municipality.code === '2481' && row.category.slug === 'snorojning')!;
      expect(snow.municipality).to.deep.equal({ code: '2481', name: 'Lycksele kommun', countyCode: '24' });
      expect(snow.category.name).to.be.a('string').and.not.equal('');
      expect(snow.posted).to.deep.equal({ value: 6, status: 'shown' });
      expect(snow.placesPosted).to.deep.equal({ value: 12, status: 'shown' });
      expect(snow.workTrainingPosted).to.deep.equal({ value: null, status: 'small' });
      expect(snow.placesFilled.value).to.equal(null);
      const cleaning = rows.find((row) => row.municipality.code === '2481' && row.category.slug === 'stadning')!;
      expect(cleaning.posted).to.deep.equal({ value: null, status: 'secondary' });
      const garden = rows.find((row) => row.municipality.code === '2417' && row.category.slug === 'tradgard')!;
      expect(garden.posted).to.deep.equal({ value: null, status: 'small' });
      const paid = rows.filter((row) => row.paidGrossOre.status !== 'shown' || row.paidGrossOre.value !== 0);
      expect(paid, 'the row with the salary').to.have.length.greaterThan(0);
      for (const row of paid) expect(row.paidGrossOre.value).to.equal(null);
      expectNoValueUnderFive(rows);
    });

    it('when filtered by municipality or county, then only those rows', async () => {
      const norsjo = (await request(ctx.app).get(API).query({ municipality: '2417' }).expect(200)).body.rows as RowJson[];
      expect(norsjo.map((row) => row.municipality.code)).to.deep.equal(['2417']);
      const vasterbotten = (await request(ctx.app).get(API).query({ county: '24' }).expect(200)).body.rows as RowJson[];
      expect(new Set(vasterbotten.map((row) => row.municipality.code))).to.have.keys(['2417', '2481']);
      const stockholm = (await request(ctx.app).get(API).query({ county: '01' }).expect(200)).body.rows as RowJson[];
      expect(stockholm).to.deep.equal([]);
    });

    it('when a custom range is asked for, then the answer names it', async () => {
      const from = addDays(today, -10);
      const { body } = await request(ctx.app).get(API).query({ period: 'custom', from, to: today }).expect(200);
      expect(body.period).to.deep.equal({ from, to: today, preset: 'custom' });
    });

    const BAD: Array<[string, Record<string, string | string[]>, string]> = [
      ['an unknown period', { period: 'weekly' }, 'period'],
      ['a period given twice', { period: ['month', 'year'] }, 'period'],
      ['a start after the end', { period: 'custom', from: '2026-11-20', to: '2026-11-01' }, 'to'],
      ['a custom period without dates', { period: 'custom' }, 'from'],
      ['a date that is no date', { period: 'custom', from: '2026-02-30', to: '2026-03-01' }, 'from'],
      ['an end in the future', { period: 'custom', from: '2026-01-01', to: '2999-01-01' }, 'to'],
      ['dates given twice', { period: 'custom', from: ['2026-11-01', '2026-11-02'], to: '2026-11-03' }, 'from'],
      ['an unknown municipality', { municipality: '9999' }, 'municipality'],
      ['a municipality given twice', { municipality: ['2481', '2417'] }, 'municipality'],
      ['script in the municipality', { municipality: '<script>alert(1)</script>' }, 'municipality'],
      ['SQL in the municipality', { municipality: "2481' OR '1'='1" }, 'municipality'],
      ['an unknown county', { county: '99' }, 'county'],
      ['SQL in the county', { county: '24; DROP TABLE assignments; --' }, 'county'],
      ['an oversized county', { county: 'x'.repeat(5000) }, 'county'],
    ];
    for (const [what, query, parameter] of BAD)
      it(`when given ${what}, then 400 naming ${parameter}, never 500`, async () => {
        const res = await request(ctx.app).get(API).query(query).expect(400);
        expect(res.type).to.equal('application/json');
        expect(res.body.error).to.include({ code: 'bad_request', parameter });
        expect(res.body.error.fields[parameter]).to.be.a('string');
        expect(JSON.stringify(res.body)).not.to.include('<script>');
      });
  });

  describe('GET /statistik', () => {
    it('when a visitor opens it, then the table, a definition of every figure, what "<5" means, the CC0 licence and the JSON and CSV', async () => {
      const res = await request(ctx.app).get(PAGE).expect(200);
      expect(res.type).to.equal('text/html');
      const html = res.text;
      expect(html).to.include('<h1>Öppen statistik</h1>');
      const definitions = /<dl>([\s\S]*?)<\/dl>/.exec(html)?.[1] ?? '';
      for (const label of [
        'Publicerade uppdrag',
        'Platser i uppdragen',
        'Tillsatta platser',
        'Uppdrag för arbetsträning',
        'Utbetald bruttolön',
        'Personer som fick lön',
        '&lt;5',
        '..',
      ])
        expect(definitions).to.include(`<dt>${label}</dt>`);
      expect(definitions).to.include('Färre än 5 personer eller uppdrag');
      expect(html).to.include('href="https://creativecommons.org/publicdomain/zero/1.0/deed.sv" rel="license"');
      expect(html).to.include('CC0 1.0 Universell');
      expect(html).to.include('href="/statistik/data.csv"');
      expect(html).to.include('href="/api/v1/statistics"');
      expect(html).to.include('href="/api/v1/openapi.json"');
      expect(html, 'linked from the footer of every page').to.include('<a href="/statistik">Öppen statistik om uppdragen</a>');
      // The table: Lycksele's six snow-clearing assignments, and the hidden figures as "<5", never as numbers.
      const table = /<table>[\s\S]*<\/table>/.exec(html)?.[0] ?? '';
      expect(table).to.match(
        /<th scope="row">Lycksele kommun<\/th>\s*<td>Snöröjning<\/td>\s*<td class="numeric">6<\/td>\s*<td class="numeric">12<\/td>/,
      );
      expect(table).to.include('<span aria-hidden="true">&lt;5</span><span class="visually-hidden">färre än 5</span>');
    });

    it('when rendered, then no village, no person and no inline style (the CSP allows none)', async () => {
      for (const path of [PAGE, `${PAGE}?period=year`, `${PAGE}?municipality=2481&sort=posted`]) {
        const html = (await request(ctx.app).get(path).expect(200)).text;
        expect(html).not.to.include(VILLAGE);
        expect(html).not.to.include(APPLICANT.name);
        expect(html).not.to.include(APPLICANT.email);
        expect(html).not.to.include(WORKER_NAME);
        expect(html).not.to.include('<style');
        expect(html).not.to.include('style=');
      }
    });

    it('when sorted by a figure, then the largest first, the heading says so, and the hidden cells last', async () => {
      const html = (await request(ctx.app).get(PAGE).query({ sort: 'posted' }).expect(200)).text;
      expect(html).to.match(/<th scope="col" aria-sort="descending">\s*<a href="\/statistik\?sort=posted">Publicerade uppdrag/);
      const firstRow = /<tbody>\s*<tr>\s*<th scope="row">([^<]+)<\/th>\s*<td>([^<]+)<\/td>/.exec(html);
      expect(firstRow?.slice(1)).to.deep.equal(['Lycksele kommun', 'Snöröjning']);
      // The default order is by municipality: its link drops the sort.
      expect(html).to.include('<a href="/statistik">Kommun');
    });

    it('when asked for another language, then English headings and the licence in English', async () => {
      const html = (await request(ctx.app).get(PAGE).query({ lang: 'en' }).expect(200)).text;
      expect(html).to.include('<h1>Open statistics</h1>');
      expect(html).to.include('<dt>Assignments posted</dt>');
      expect(html).to.include('CC0 1.0 Universal');
      expect(html).to.include('<input type="hidden" name="lang" value="en">');
    });

    const PAGE_BAD: Array<[string, Record<string, string | string[]>, string]> = [
      ['an unknown period', { period: 'weekly' }, 'period'],
      ['a start after the end', { period: 'custom', from: '2026-11-20', to: '2026-11-01' }, 'to'],
      ['an unknown municipality', { municipality: '9999' }, 'municipality'],
      ['an unknown county', { county: '99' }, 'county'],
      ['a period given twice', { period: ['month', 'year'] }, 'period'],
    ];
    for (const [what, query, field] of PAGE_BAD)
      it(`when given ${what}, then 400 with the form again and the message beside ${field}`, async () => {
        const html = (await request(ctx.app).get(PAGE).query(query).expect(400)).text;
        expect(html).to.include('role="alert"');
        expect(html).to.match(new RegExp(`<p class="field-error" id="${field}-error">[^<]+</p>`));
        expect(html).to.match(new RegExp(`id="${field}"[^>]*aria-describedby="[^"]*${field}-error"[^>]*aria-invalid="true"`));
        expect(html).not.to.include('<table>');
        // Still the explanation and the licence: a wrong period does not hide what the figures mean.
        expect(html).to.include('<dt>Publicerade uppdrag</dt>');
      });

    it('when the dates hold a script, then 400 and the input is kept, escaped', async () => {
      const xss = '"><script>alert(1)</script>';
      const html = (await request(ctx.app).get(PAGE).query({ period: 'custom', from: xss, to: today }).expect(400)).text;
      expect(html).not.to.include('<script>alert(1)</script>');
      expect(html).to.include('value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
      expect(html).to.include(`value="${today}"`);
    });

    it('when the sort is unknown or hostile, then 400 saying so', async () => {
      for (const sort of ['name', "posted'--", '<b>x</b>']) {
        const html = (await request(ctx.app).get(PAGE).query({ sort }).expect(400)).text;
        expect(html).to.include('Tabellen kan inte sorteras så');
        expect(html).not.to.include('<b>x</b>');
      }
      await request(ctx.app).get(`${PAGE}?sort=posted&sort=category`).expect(400);
    });
  });

  describe('GET /statistik/data.csv', () => {
    it('when downloaded, then Swedish Excel CSV: the same rows, hidden cells empty with ".." beside them', async () => {
      const res = await request(ctx.app).get(CSV).query({ period: 'month' }).expect(200);
      expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).to.match(
        /^attachment; filename="Oppen_statistik_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''%C3%96ppen%20statistik%20/,
      );
      const [header, ...rows] = parseCsv(res.text);
      expect(header!.slice(0, 9)).to.deep.equal([
        'Från och med',
        'Till och med',
        'Kommunkod',
        'Kommun',
        'Länskod',
        'Kategorikod',
        'Kategori',
        'Publicerade uppdrag',
        'Publicerade uppdrag, status',
      ]);
      expect(header).to.include('Utbetald bruttolön (kr)');
      expect(header).to.have.length(7 + 2 * OPEN_DATA_FIGURES.length);
      const api = (await request(ctx.app).get(API).query({ period: 'month' }).expect(200)).body as {
        period: { from: string };
        rows: RowJson[];
      };
      expect(rows).to.have.length(api.rows.length);
      for (const row of rows) {
        expect(row).to.have.length(header!.length);
        const twin = api.rows.find((r) => r.municipality.code === row[2] && r.category.slug === row[5])!;
        expect(row.slice(0, 2)).to.deep.equal([api.period.from, today]);
        OPEN_DATA_FIGURES.forEach((figure, index) => {
          const [value, status] = [row[7 + 2 * index], row[8 + 2 * index]];
          const cell = twin[figure];
          if (cell.status === 'shown') {
            expect(status, figure).to.equal('');
            const number = Number(value!.replace(',', '.'));
            expect(figure === 'paidGrossOre' ? Math.round(number * 100) : number, figure).to.equal(cell.value);
            if (figure !== 'paidGrossOre') expect(number === 0 || number >= 5, `${figure} ${number}`).to.equal(true);
          } else expect([value, status], figure).to.deep.equal(['', '..']);
        });
      }
      const snow = rows.find((row) => row[2] === '2481' && row[5] === 'snorojning')!;
      expect(snow.slice(3, 9)).to.deep.equal(['Lycksele kommun', '24', 'snorojning', 'Snöröjning', '6', '']);
      expect(res.text).not.to.include(VILLAGE);
      expect(res.text).not.to.include(APPLICANT.name);
      expect(res.text).not.to.include(WORKER_NAME);
    });

    it('when the parameters are bad, then 400: the page with the message beside the field', async () => {
      const res = await request(ctx.app).get(CSV).query({ period: 'weekly' }).expect(400);
      expect(res.type).to.equal('text/html');
      expect(res.text).to.include('id="period-error"');
    });
  });

  describe('GET /api/v1/openapi.json: the open statistics', () => {
    type Schema = Record<string, unknown> & { required?: string[]; properties?: Record<string, unknown> };
    let spec: {
      openapi: string;
      paths: Record<
        string,
        { get: { operationId: string; parameters: Array<{ name: string; in: string }>; responses: Record<string, unknown> } }
      >;
      components: { schemas: Record<string, Schema> };
    };

    before(async () => {
      spec = (await request(ctx.app).get('/api/v1/openapi.json').expect(200)).body;
    });

    it('when read, then the API is described beside the others, and every reference resolves', () => {
      expect(spec.openapi).to.equal('3.1.0');
      expect(spec.paths).to.include.keys([API, '/api/v1/assignments']);
      expect(spec.paths[API]!.get.responses).to.have.keys(['200', '400']);
      const operationIds = Object.values(spec.paths).flatMap((item) =>
        Object.values(item).map((operation) => operation.operationId),
      );
      expect(new Set(operationIds).size, 'operationIds are unique').to.equal(operationIds.length);
      const refs = [...JSON.stringify(spec).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1]!);
      expect(refs).to.include('#/components/schemas/StatisticsCell');
      for (const ref of refs) {
        expect(ref, ref).to.match(/^#\/components\/schemas\//);
        expect(spec.components.schemas, ref).to.have.property(ref.slice('#/components/schemas/'.length));
      }
    });

    it('when compared with what the API reads and answers, then the parameters and the required keys are exactly those', async () => {
      const parameters = spec.paths[API]!.get.parameters;
      expect(parameters.map((parameter) => parameter.name)).to.have.members([...OPEN_DATA_PARAMETERS]);
      const bad: Record<string, Record<string, string>> = {
        period: { period: 'x' },
        from: { period: 'custom', from: 'x', to: today },
        to: { period: 'custom', from: today, to: 'x' },
        county: { county: 'x' },
        municipality: { municipality: 'x' },
      };
      for (const { name } of parameters) {
        const res = await request(ctx.app).get(API).query(bad[name]!).expect(400);
        expect(res.body.error.parameter, name).to.equal(name);
      }
      const { body } = await request(ctx.app).get(API).expect(200);
      const schemas = spec.components.schemas;
      expect(Object.keys(body)).to.have.members(schemas.OpenStatistics!.required!);
      expect(Object.keys(body.period)).to.have.members((schemas.OpenStatistics!.properties!.period as Schema).required!);
      for (const row of body.rows as RowJson[]) expect(Object.keys(row)).to.have.members(schemas.StatisticsRow!.required!);
      expect(Object.keys(body.definitions.posted)).to.have.members(schemas.StatisticsDefinition!.required!);
    });
  });
});
