import { serveRenderJobs } from '../../platform/documents/render-pool.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import { renderIncomeSummaryPdf, renderPayslipPdf } from './payslip-pdf.js';

// The script of the PDF worker threads (pdf-rendering.ts), and with PDF_WORKERS=0 the renderers used in the
// calling thread. It loads only the renderers and what they need: no database, no web server.

export const renderers = {
  payslip: renderPayslipPdf,
  incomeSummary: renderIncomeSummaryPdf,
  invoice: renderInvoicePdf,
};

serveRenderJobs(renderers);
