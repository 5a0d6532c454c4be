import os from 'node:os';
import { createRenderPool, type RenderPool } from '../../platform/documents/render-pool.js';
import type { InvoiceDocument } from './invoice-pdf.js';
import type { renderers } from './pdf-worker.js';
import type { IncomeSummaryDocument, PayslipDocument } from './payslip-pdf.js';

// Every PDF of the module is rendered here, in worker threads (platform/documents/render-pool.ts), so a download
// or an issued invoice never holds up the other requests. One pool for the process, not one per app: the
// callers (services reached from routes, jobs and the benchmark) are given a database, not the app's parts, and the
// workers are a property of the process like its cores. openRuntime sets its size from PDF_WORKERS and closes it;
// an app built without a runtime (the tests) gets one worker per core, as PDF_WORKERS does by default.

const script = new URL('./pdf-worker.ts', import.meta.url);
let size = os.availableParallelism();
let pool: RenderPool<typeof renderers> | undefined;

/** Sets how many worker threads render PDFs (0: in the calling thread). Called once at start, before any PDF. */
export function configurePdfRendering(options: { workers: number }): void {
  if (options.workers === size) return;
  size = options.workers;
  void pool?.close();
  pool = undefined;
}

/** Ends the worker threads; a later PDF starts them again. */
export async function closePdfRendering(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.close();
}

const renderPool = () => (pool ??= createRenderPool<typeof renderers>({ script, size }));

export const payslipPdf = (document: PayslipDocument) => renderPool().run('payslip', document);
export const incomeSummaryPdf = (document: IncomeSummaryDocument) => renderPool().run('incomeSummary', document);
export const invoicePdf = (document: InvoiceDocument) => renderPool().run('invoice', document);
