import { Router } from 'express';
import { todayInStockholm } from '../../platform/calendar.js';
import { csvContentType } from '../../platform/documents/csv.js';
import { pdfContentType } from '../../platform/documents/pdf.js';
import { formatMoney } from '../../platform/money.js';
import { noStore } from '../../web/cache.js';
import type { AppDeps } from '../../web/deps.js';
import { sendDownload } from '../../web/downloads.js';
import { idParam } from '../../web/params.js';
import {
  getIncomeSummaryCsv,
  getIncomeSummaryPdf,
  getPayslipPdf,
  getWorkerPayslips,
  incomeSummaryPath,
  PAYSLIPS_PATH,
  payslipPdfPath,
} from './payslip-service.js';

// The worker's payslips and yearly income summaries. The year is in the path, the person only in the session:
// no address names whose pay it is. Every answer holds pay data: none is cached.

export function payslipRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get(PAYSLIPS_PATH, noStore, async (req, res) => {
    const page = await getWorkerPayslips(deps.db, req.actor, Number(todayInStockholm().slice(0, 4)));
    const lang = res.locals.lang as string;
    res.render('billing/payslip-list', {
      salaries: page.salaries.map((salary) => ({
        ...salary,
        pdfPath: payslipPdfPath(salary.id),
        grossText: formatMoney(salary.grossOre, lang),
        taxText: formatMoney(salary.taxOre, lang),
        netText: formatMoney(salary.netOre, lang),
      })),
      years: page.years.map((year) => ({
        year,
        pdfPath: incomeSummaryPath(year, 'pdf'),
        csvPath: incomeSummaryPath(year, 'csv'),
      })),
    });
  });

  router.get(`${PAYSLIPS_PATH}/:salaryId/pdf`, noStore, async (req, res) => {
    const pdf = await getPayslipPdf(deps.db, req.actor, idParam(req, 'salaryId'));
    await sendDownload(res, { filename: pdf.filename, contentType: pdfContentType, body: pdf.body });
  });

  router.get(`${PAYSLIPS_PATH}/ar/:year/pdf`, noStore, async (req, res) => {
    const pdf = await getIncomeSummaryPdf(deps.db, req.actor, req.params.year);
    await sendDownload(res, { filename: pdf.filename, contentType: pdfContentType, body: pdf.body });
  });

  router.get(`${PAYSLIPS_PATH}/ar/:year/csv`, noStore, async (req, res) => {
    const csv = await getIncomeSummaryCsv(deps.db, req.actor, req.params.year);
    await sendDownload(res, { filename: csv.filename, contentType: csvContentType, body: csv.body });
  });

  return router;
}
