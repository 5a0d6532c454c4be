import { Router, type Request, type Response } from 'express';
import { csvContentType, toCsv } from '../../platform/documents/csv.js';
import type { CellValue, DocumentColumn } from '../../platform/documents/table.js';
import { AppError } from '../../platform/errors.js';
import { formatMoney, type Ore } from '../../platform/money.js';
import type { ReferenceData } from '../../platform/reference-data.js';
import type { AppDeps } from '../../web/deps.js';
import { sendDownload } from '../../web/downloads.js';
import { urlWithQuery } from '../../web/query-string.js';
import { DEFAULT_PRESET, MAX_CUSTOM_YEARS, PERIOD_PRESETS } from './period.js';
import { getOpenData } from './service.js';
import type { Cell, OpenDataRow, Period } from './types.js';

// Open data (issue 13 item 5): the same suppressed aggregates the officers see, per municipality and category,
// for everyone — the page /statistik, its CSV and GET /api/v1/statistics (described in open-data-openapi.ts).
// No village detail and no person: every figure is a Cell that suppression.ts decided, and nothing here reads a
// raw count. Licence CC0, like the municipality data the site itself takes from SCB.

export const OPEN_DATA_PATH = '/statistik';
export const OPEN_DATA_CSV_PATH = '/statistik/data.csv';
export const OPEN_DATA_API_PATH = '/api/v1/statistics';
export const LICENCE = 'CC0-1.0';
export const LICENCE_URL = 'https://creativecommons.org/publicdomain/zero/1.0/deed.sv';

/** What the page, the CSV and the API read from the query (the page reads `sort` too). */
export const OPEN_DATA_PARAMETERS = ['period', 'from', 'to', 'county', 'municipality'] as const;
type OpenDataParameter = (typeof OPEN_DATA_PARAMETERS)[number];

/** The figures of a row, in the order every output shows them. */
export const OPEN_DATA_FIGURES = [
  'posted',
  'placesPosted',
  'placesFilled',
  'workTrainingPosted',
  'paidGrossOre',
  'workersPaid',
] as const satisfies ReadonlyArray<keyof OpenDataRow>;
export type OpenDataFigure = (typeof OPEN_DATA_FIGURES)[number];

/** What each figure counts, for machines; the words are in the locales (openData.figures). */
export const FIGURE_UNITS: Record<OpenDataFigure, 'assignments' | 'places' | 'persons' | 'ore'> = {
  posted: 'assignments',
  placesPosted: 'places',
  placesFilled: 'places',
  workTrainingPosted: 'assignments',
  paidGrossOre: 'ore',
  workersPaid: 'persons',
};

const SORTS = ['municipality', 'category', ...OPEN_DATA_FIGURES] as const;
type Sort = (typeof SORTS)[number];
const DEFAULT_SORT: Sort = 'municipality';

type T = (key: string, options?: Record<string, unknown>) => string;

/** Only the parameters we read, so nothing else in the query reaches the service. */
function openDataInput(query: Record<string, unknown>): Record<OpenDataParameter, unknown> {
  return Object.fromEntries(OPEN_DATA_PARAMETERS.map((name) => [name, query[name]])) as Record<OpenDataParameter, unknown>;
}

const isRefusal = (error: unknown): error is AppError => error instanceof AppError && error.status === 400;

const collator = new Intl.Collator('sv');

/** Hidden cells after every shown one, whatever they hide: the order reveals nothing the "<5" does not. */
const cellOrder = (cell: Cell) => (cell.status === 'shown' ? cell.value : -1);

function sortRows(rows: OpenDataRow[], sort: Sort): OpenDataRow[] {
  const byName = (a: OpenDataRow, b: OpenDataRow) =>
    collator.compare(a.municipality.name, b.municipality.name) || collator.compare(a.category.name, b.category.name);
  const compare =
    sort === 'municipality'
      ? byName
      : sort === 'category'
        ? (a: OpenDataRow, b: OpenDataRow) => collator.compare(a.category.name, b.category.name) || byName(a, b)
        : (a: OpenDataRow, b: OpenDataRow) => cellOrder(b[sort]) - cellOrder(a[sort]) || byName(a, b);
  return [...rows].sort(compare);
}

/** Counties as the filter offers them: a Swedish municipality code begins with its county's code. */
function countiesOf(reference: ReferenceData): Array<{ code: string; name: string }> {
  const byCode = new Map<string, string>();
  for (const municipality of reference.municipalities) byCode.set(municipality.code.slice(0, 2), municipality.countyName);
  return [...byCode].map(([code, name]) => ({ code, name })).sort((a, b) => collator.compare(a.name, b.name));
}

/** The answer of the API, keys in the contract's order, so nothing the service adds leaks out unlisted. */
function apiRow(row: OpenDataRow) {
  return {
    municipality: { code: row.municipality.code, name: row.municipality.name, countyCode: row.municipality.countyCode },
    category: { slug: row.category.slug, name: row.category.name },
    ...Object.fromEntries(OPEN_DATA_FIGURES.map((figure) => [figure, { value: row[figure].value, status: row[figure].status }])),
  };
}

function definitions(t: T) {
  return Object.fromEntries(
    OPEN_DATA_FIGURES.map((figure) => [
      figure,
      {
        label: t(`openData.figures.${figure}.label`),
        description: t(`openData.figures.${figure}.description`),
        unit: FIGURE_UNITS[figure],
      },
    ]),
  );
}

/** Kolada's convention: a hidden cell is empty, with `..` in the status column beside it. */
function csvTable(rows: OpenDataRow[], period: Period, t: T) {
  const columns: DocumentColumn[] = [
    { header: t('openData.csv.from'), kind: 'date' },
    { header: t('openData.csv.to'), kind: 'date' },
    { header: t('openData.csv.municipalityCode') },
    { header: t('openData.csv.municipality') },
    { header: t('openData.csv.countyCode') },
    { header: t('openData.csv.categorySlug') },
    { header: t('openData.csv.category') },
    ...OPEN_DATA_FIGURES.flatMap((figure): DocumentColumn[] => {
      const label = t(`openData.figures.${figure}.label`);
      return [
        figure === 'paidGrossOre'
          ? { header: t('openData.csv.kronor', { label }), kind: 'amount' }
          : { header: label, kind: 'integer' },
        { header: t('openData.csv.status', { label }) },
      ];
    }),
  ];
  const body = rows.map((row): CellValue[] => [
    period.from,
    period.to,
    row.municipality.code,
    row.municipality.name,
    row.municipality.countyCode,
    row.category.slug,
    row.category.name,
    ...OPEN_DATA_FIGURES.flatMap((figure) => {
      const cell = row[figure];
      return cell.status === 'shown' ? [cell.value, ''] : [null, '..'];
    }),
  ]);
  return { columns, rows: body };
}

export function openDataRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get(OPEN_DATA_API_PATH, async (req, res) => {
    // Open data like the search API: any site may ask from a browser, never with credentials.
    res.set('Access-Control-Allow-Origin', '*');
    // The service names the refused parameter in `fields` with a message in English, as the other APIs do.
    const { period, rows } = await getOpenData(
      deps.db,
      deps.reference,
      openDataInput(req.query as Record<string, unknown>),
    ).catch((error: unknown) => {
      if (!isRefusal(error)) throw error;
      const [parameter] = Object.keys(error.fields);
      throw new AppError('bad_request', parameter ? `Invalid parameter: ${parameter}` : error.message, error.fields);
    });
    res.set('Cache-Control', 'public, max-age=300');
    res.json({
      period: { from: period.from, to: period.to, preset: period.preset },
      licence: LICENCE,
      definitions: definitions(res.locals.t as T),
      rows: rows.map(apiRow),
    });
  });

  router.get(OPEN_DATA_CSV_PATH, async (req, res) => {
    const t = res.locals.t as T;
    let result: Awaited<ReturnType<typeof getOpenData>>;
    try {
      result = await getOpenData(deps.db, deps.reference, openDataInput(req.query as Record<string, unknown>));
    } catch (error) {
      // A file cannot say what was wrong: the page with the same query shows the messages beside the fields.
      if (!isRefusal(error)) throw error;
      await renderPage(req, res, { refusal: error });
      return;
    }
    const { period, rows } = result;
    await sendDownload(res, {
      filename: `${t('openData.csv.filename', { from: period.from, to: period.to })}.csv`,
      contentType: csvContentType,
      body: toCsv(csvTable(sortRows(rows, DEFAULT_SORT), period, t)),
    });
  });

  router.get(OPEN_DATA_PATH, async (req, res) => {
    const sort = req.query.sort;
    if (sort !== undefined && !(typeof sort === 'string' && (SORTS as readonly string[]).includes(sort))) {
      await renderPage(req, res, { refusal: new AppError('bad_request', 'Unknown sort', { sort: 'openData.errors.sort' }) });
      return;
    }
    try {
      const data = await getOpenData(deps.db, deps.reference, openDataInput(req.query as Record<string, unknown>));
      await renderPage(req, res, { data, sort: (sort as Sort | undefined) ?? DEFAULT_SORT });
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await renderPage(req, res, { refusal: error });
    }
  });

  /** The page with its table, or (refused) the form again with a message beside the field and the input kept. */
  async function renderPage(
    req: Request,
    res: Response,
    state: { data: Awaited<ReturnType<typeof getOpenData>>; sort: Sort } | { refusal: AppError },
  ): Promise<void> {
    const lang = res.locals.lang as string;
    const query = req.query as Record<string, unknown>;
    const form = Object.fromEntries(
      OPEN_DATA_PARAMETERS.map((name) => [name, typeof query[name] === 'string' ? (query[name] as string) : '']),
    ) as Record<OpenDataParameter, string>;
    // Our own words per field, whatever the service said: the page speaks the reader's language.
    const errors =
      'refusal' in state
        ? Object.fromEntries(
            Object.keys(state.refusal.fields).map((field) => [
              field,
              field === 'sort' || (OPEN_DATA_PARAMETERS as readonly string[]).includes(field)
                ? `openData.errors.${field}`
                : 'openData.errors.other',
            ]),
          )
        : {};
    if ('refusal' in state && Object.keys(errors).length === 0) errors.other = 'openData.errors.other';
    const integer = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'sv-SE', { maximumFractionDigits: 0 });
    const cellText = (figure: OpenDataFigure, cell: Cell) =>
      cell.status === 'shown'
        ? figure === 'paidGrossOre'
          ? formatMoney(cell.value as Ore, lang)
          : integer.format(cell.value)
        : '';
    const data = 'data' in state ? state.data : undefined;
    const sort = 'sort' in state ? state.sort : DEFAULT_SORT;
    const downloadQuery = { sort: undefined };
    res.status('refusal' in state ? 400 : 200).render('stats/open-data', {
      form,
      errors,
      presets: PERIOD_PRESETS,
      defaultPreset: DEFAULT_PRESET,
      maxCustomYears: MAX_CUSTOM_YEARS,
      counties: countiesOf(deps.reference),
      municipalities: deps.reference.municipalities,
      figures: OPEN_DATA_FIGURES,
      period: data?.period,
      rows: data ? sortRows(data.rows, sort) : [],
      sort,
      sortUrl: (column: Sort) => urlWithQuery(OPEN_DATA_PATH, query, { sort: column === DEFAULT_SORT ? undefined : column }),
      sortsDescending: (column: Sort) => (OPEN_DATA_FIGURES as readonly string[]).includes(column),
      cellText,
      csvUrl: urlWithQuery(OPEN_DATA_CSV_PATH, query, downloadQuery),
      apiUrl: urlWithQuery(OPEN_DATA_API_PATH, query, downloadQuery),
      apiPath: OPEN_DATA_API_PATH,
      licenceUrl: LICENCE_URL,
      // A GET form sends only its fields: the language chosen by ?lang= goes along as one.
      langField: typeof query.lang === 'string' && ['sv', 'en'].includes(query.lang) ? query.lang : undefined,
    });
  }

  return router;
}
