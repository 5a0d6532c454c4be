import { Router, type Request, type Response } from 'express';
import { AppError } from '../../platform/errors.js';
import { noStore } from '../../web/cache.js';
import type { AppDeps } from '../../web/deps.js';
import { sendDownload } from '../../web/downloads.js';
import { formErrorOr, orFormAgain, refusedWith } from '../../web/forms.js';
import { csvExport, defaultPeriod, getLedgerPage, sieExport, type ExportFile, type PeriodForm } from './ledger-service.js';

// Payroll's books (/lon/bokforing): a period form (GET, so the chosen period is in the address and the links),
// the SIE 4I file of the period's vouchers and CSV files of its invoices, payments and salaries. A wrong period
// answers 400 with the form again, the typed dates kept. Only payroll staff: 404 for everyone else.

const CSV_FILES = { fakturor: 'invoices', betalningar: 'payments', loner: 'salaries' } as const;

export function ledgerRoutes(deps: AppDeps): Router {
  const router = Router();
  const refused = formErrorOr(refusedWith(409));

  const formPage = (form: PeriodForm, errors: Record<string, string>) => ({
    view: 'billing/ledger',
    locals: { form, errors, links: undefined, voucherCount: 0 },
  });
  const again = (req: Request) => (error: AppError) =>
    formPage((error as AppError & { form?: PeriodForm }).form ?? typedPeriod(req), error.fields ?? {});

  router.get('/lon/bokforing', noStore, async (req, res) => {
    await orFormAgain(res, refused, again(req), async () => {
      const page = await getLedgerPage(deps.db, req.actor, req.query);
      const query = new URLSearchParams({ from: page.period.from, to: page.period.to }).toString();
      res.render('billing/ledger', {
        form: page.period,
        errors: {},
        links: page.chosen
          ? {
              sie: `/lon/bokforing.se?${query}`,
              ...Object.fromEntries(Object.keys(CSV_FILES).map((name) => [name, `/lon/bokforing/${name}.csv?${query}`])),
            }
          : undefined,
        voucherCount: page.voucherCount,
      });
    });
  });

  const download = (res: Response, file: ExportFile) => sendDownload(res, file);

  router.get('/lon/bokforing.se', noStore, async (req, res) => {
    await orFormAgain(res, refused, again(req), async () => download(res, await sieExport(deps.db, req.actor, req.query)));
  });

  for (const [name, kind] of Object.entries(CSV_FILES)) {
    router.get(`/lon/bokforing/${name}.csv`, noStore, async (req, res) => {
      const t = deps.i18n.getFixedT(res.locals.lang as string);
      await orFormAgain(res, refused, again(req), async () =>
        download(res, await csvExport(deps.db, req.actor, kind, req.query, t)),
      );
    });
  }

  return router;
}

/** What the query held, for the form shown again after a refusal that carries no form (no operator settings). */
function typedPeriod(req: Request): PeriodForm {
  const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 40) : '');
  const fallback = defaultPeriod();
  return { from: text(req.query.from) || fallback.from, to: text(req.query.to) || fallback.to };
}
