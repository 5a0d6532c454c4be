import { Router, type Request, type Response } from 'express';
import type { TFunction } from 'i18next';
import { formatDate } from '../../platform/calendar.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { AppDeps } from '../../web/deps.js';
import { noStore } from '../../web/cache.js';
import { sendDownload } from '../../web/downloads.js';
import { refusedWith, orFormAgain } from '../../web/forms.js';
import { buildDashboardView } from './dashboard-charts.js';
import { dashboardCsv, dashboardXlsx } from './exports.js';
import { MAX_CUSTOM_YEARS, PERIOD_PRESETS } from './period.js';
import { getDashboard } from './service.js';
import type { Dashboard, PeriodPreset } from './types.js';

// The officer's dashboard (issue 13, items 1–4): /statistik/kommun/:code with the period, category and village
// in the query (a GET form, so the choice is in the address, the links and the exports), its CSV and XLSX
// exports with the same query, and /statistik/kommun, which takes the officer to their municipality (the link
// on /konto) or to the one the form's municipality list chose. The service decides who may see what (404 for
// everyone outside the municipality's officers and the admins) and refuses a bad query with 400 naming the
// field: the answer is then the form again, with the message beside the field and the typed values kept.

export const DASHBOARD_PATH = '/statistik/kommun';
const QUERY_FIELDS = ['period', 'from', 'to', 'category', 'village'] as const;
type QueryField = (typeof QUERY_FIELDS)[number];
type FilterForm = Record<QueryField, string>;

const MUNICIPALITY_CODE = /^[0-9]{4}$/;

/** What the query held, as text for the form (an array or an object is no value the form offers). */
function typedForm(query: Request['query']): FilterForm {
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 40) : '');
  return Object.fromEntries(QUERY_FIELDS.map((field) => [field, text(query[field])])) as FilterForm;
}

/** The query a dashboard was made for, so links and exports show the same figures. */
function filterQuery(dashboard: Dashboard): string {
  const { period, categorySlug, localityId } = dashboard.filters;
  const query = new URLSearchParams({ period: period.preset });
  if (period.preset === 'custom') {
    query.set('from', period.from);
    query.set('to', period.to);
  }
  if (categorySlug) query.set('category', categorySlug);
  if (localityId !== undefined) query.set('village', String(localityId));
  return query.toString();
}

/** The service's field messages (English, for logs and the API) as the page's texts. */
function fieldMessages(error: AppError): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const [field, message] of Object.entries(error.fields ?? {})) {
    const key =
      field === 'period' || field === 'category' || field === 'village'
        ? field
        : /after today/.test(message)
          ? 'future'
          : /before the start/.test(message)
            ? 'toBeforeFrom'
            : /years/.test(message)
              ? 'tooLong'
              : /date/.test(message)
                ? 'date'
                : 'invalid';
    messages[QUERY_FIELDS.includes(field as QueryField) ? field : 'form'] = `stats.errors.${key}`;
  }
  if (Object.keys(messages).length === 0) messages.form = 'stats.errors.invalid';
  return messages;
}

export function dashboardRoutes(deps: AppDeps): Router {
  const router = Router();
  const refused = refusedWith(400);
  const translator = (res: Response) => deps.i18n.getFixedT(res.locals.lang as string) as TFunction;

  // A refused query: the form again, its choices from the reference data (the service answered 404 before it
  // looked at the query for anyone who may not see this municipality, so naming its villages here is fine).
  const again = (req: Request, code: string) => (error: AppError) => {
    const municipality = deps.reference.municipalityByCode.get(code);
    const codes = req.actor.isAdmin ? deps.reference.municipalities.map((row) => row.code) : [...req.actor.officerOf];
    const lang = req.res?.locals.lang === 'en' ? 'en' : 'sv';
    return {
      view: 'stats/dashboard',
      locals: {
        code,
        municipalityName: municipality?.name ?? code,
        form: typedForm(req.query),
        errors: fieldMessages(error),
        presets: PERIOD_PRESETS,
        maxYears: MAX_CUSTOM_YEARS,
        choices: {
          municipalities: codes
            .map((choice) => deps.reference.municipalityByCode.get(choice))
            .filter((choice) => choice !== undefined)
            .map((choice) => ({ code: choice.code, name: choice.name })),
          categories: deps.reference.categories.map((row) => ({ slug: row.slug, name: lang === 'en' ? row.nameEn : row.nameSv })),
          villages: deps.reference.localitiesOf(code).map((row) => ({ id: row.id, name: row.name })),
        },
        dashboard: undefined,
      },
    };
  };

  const dashboardOf = (req: Request, code: string) =>
    getDashboard(deps.db, req.actor, {
      municipalityCode: code,
      period: req.query.period,
      from: req.query.from,
      to: req.query.to,
      category: req.query.category,
      village: req.query.village,
    });

  router.get(DASHBOARD_PATH, noStore, (req, res) => {
    const chosen = req.query.kommun;
    const code =
      typeof chosen === 'string' && MUNICIPALITY_CODE.test(chosen)
        ? chosen
        : ([...req.actor.officerOf].sort()[0] ?? (req.actor.isAdmin ? deps.reference.municipalities[0]?.code : undefined));
    if (!code) throw notFound();
    const rest = new URLSearchParams();
    // The form always sends the dates it shows; a preset other than a custom range does without them.
    const datesCount = req.query.period === undefined || req.query.period === '' || req.query.period === 'custom';
    for (const field of QUERY_FIELDS) {
      const value = req.query[field];
      if ((field === 'from' || field === 'to') && !datesCount) continue;
      if (typeof value === 'string' && value !== '') rest.set(field, value.slice(0, 40));
    }
    const query = rest.toString();
    res.redirect(303, `${DASHBOARD_PATH}/${code}${query ? `?${query}` : ''}`);
  });

  router.get(`${DASHBOARD_PATH}/:code`, noStore, async (req, res) => {
    const code = String(req.params.code);
    await orFormAgain(res, refused, again(req, code), async () => {
      const dashboard = await dashboardOf(req, code);
      const t = translator(res);
      const lang = res.locals.lang as string;
      const query = filterQuery(dashboard);
      res.render('stats/dashboard', {
        code,
        municipalityName: dashboard.municipality.name,
        form: {
          period: dashboard.filters.period.preset,
          from: dashboard.filters.period.from,
          to: dashboard.filters.period.to,
          category: dashboard.filters.categorySlug ?? '',
          village: dashboard.filters.localityId === undefined ? '' : String(dashboard.filters.localityId),
        } satisfies FilterForm & { period: PeriodPreset },
        errors: {},
        presets: PERIOD_PRESETS,
        maxYears: MAX_CUSTOM_YEARS,
        choices: dashboard.choices,
        dashboard,
        view: buildDashboardView(dashboard, t, lang, (date) => formatDate(date, lang)),
        links: {
          csv: `${DASHBOARD_PATH}/${code}/export.csv?${query}`,
          xlsx: `${DASHBOARD_PATH}/${code}/export.xlsx?${query}`,
        },
      });
    });
  });

  router.get(`${DASHBOARD_PATH}/:code/export.csv`, noStore, async (req, res) => {
    const code = String(req.params.code);
    await orFormAgain(res, refused, again(req, code), async () => {
      await sendDownload(res, dashboardCsv(await dashboardOf(req, code), translator(res)));
    });
  });

  router.get(`${DASHBOARD_PATH}/:code/export.xlsx`, noStore, async (req, res) => {
    const code = String(req.params.code);
    await orFormAgain(res, refused, again(req, code), async () => {
      await sendDownload(res, await dashboardXlsx(await dashboardOf(req, code), translator(res)));
    });
  });

  return router;
}
