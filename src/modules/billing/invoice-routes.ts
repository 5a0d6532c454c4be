import { Router, type Response } from 'express';
import { pdfContentType } from '../../platform/documents/pdf.js';
import { formatMoney, type Ore } from '../../platform/money.js';
import { noStore } from '../../web/cache.js';
import type { AppDeps } from '../../web/deps.js';
import { sendDownload } from '../../web/downloads.js';
import { idParam } from '../../web/params.js';
import { invoiceNumberText } from './invoice-pdf.js';
import type { InvoiceListRow } from './invoice-queries.js';
import {
  getInvoicePdf,
  getOrganisationInvoices,
  getWorkerInvoices,
  invoicePdfPath,
  WORKER_INVOICES_PATH,
} from './invoice-service.js';

// The invoice lists of an organisation and of a worker, and the PDF of one invoice for either of them and for
// payroll staff. Every answer holds billing data: none is cached.

function listView(res: Response, invoices: InvoiceListRow[], extra: Record<string, unknown>) {
  res.render('billing/invoice-list', {
    ...extra,
    money: (amount: Ore) => formatMoney(amount, res.locals.lang as string),
    invoices: invoices.map((invoice) => ({
      ...invoice,
      numberText: invoiceNumberText(invoice),
      creditsText:
        invoice.creditsSeries === null || invoice.creditsNumber === null
          ? undefined
          : invoiceNumberText({ series: invoice.creditsSeries, number: invoice.creditsNumber }),
      pdfPath: invoicePdfPath(invoice.id),
      totalText: formatMoney(invoice.totalOre, res.locals.lang as string),
    })),
  });
}

export function invoiceRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/organisationer/:slug/fakturor', noStore, async (req, res) => {
    const page = await getOrganisationInvoices(deps.db, req.actor, req.params.slug);
    listView(res, page.invoices, { organisation: page.organisation, forWorker: false });
  });

  router.get(WORKER_INVOICES_PATH, noStore, async (req, res) => {
    listView(res, await getWorkerInvoices(deps.db, req.actor), { forWorker: true });
  });

  router.get('/fakturor/:invoiceId/pdf', noStore, async (req, res) => {
    const pdf = await getInvoicePdf(deps.db, req.actor, idParam(req, 'invoiceId'));
    await sendDownload(res, { filename: pdf.filename, contentType: pdfContentType, body: pdf.body });
  });

  return router;
}
