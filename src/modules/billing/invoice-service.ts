import type { DbOrTrx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { authorize, can, type Actor } from '../access/index.js';
import { invoiceFilename } from './invoice-pdf.js';
import {
  selectOrganisationBySlug,
  selectOrganisationInvoices,
  selectWorkerInvoices,
  type InvoiceListRow,
} from './invoice-queries.js';
import { loadInvoiceDocument } from './invoices.js';
import { invoicePdf } from './pdf-rendering.js';

export { invoicePdfPath, WORKER_INVOICES_PATH } from './invoices.js';

// Who sees which invoices: the buyer organisation's members (billing.approve), the worker whose work was
// invoiced (billing.viewWorker), and payroll staff (payroll.manage), who handle every invoice's payment.

export interface OrganisationInvoicesPage {
  organisation: { name: string; slug: string };
  invoices: InvoiceListRow[];
}

export async function getOrganisationInvoices(db: DbOrTrx, actor: Actor, slug: string): Promise<OrganisationInvoicesPage> {
  const organisation = await selectOrganisationBySlug(db, slug);
  if (!organisation) throw notFound();
  authorize(actor, 'billing.approve', { organisationId: organisation.id });
  return { organisation, invoices: await selectOrganisationInvoices(db, organisation.id) };
}

/** The invoices of the asker's own work (every account may have some; a visitor is asked to log in). */
export async function getWorkerInvoices(db: DbOrTrx, actor: Actor): Promise<InvoiceListRow[]> {
  authorize(actor, 'billing.viewWorker', { workerId: actor.userId });
  return selectWorkerInvoices(db, actor.userId!);
}

/**
 * An invoice's PDF, rendered from its rows. Anyone else than its three parties gets the same 404 as for an
 * invoice that does not exist: whether an invoice exists is their business only.
 */
export async function getInvoicePdf(db: DbOrTrx, actor: Actor, invoiceId: number): Promise<{ filename: string; body: Buffer }> {
  if (actor.userId === undefined) throw new AppError('unauthenticated', 'Log in first');
  const document = Number.isSafeInteger(invoiceId) ? await loadInvoiceDocument(db, invoiceId) : undefined;
  const invoice = document?.invoice;
  const allowed =
    invoice !== undefined &&
    (can(actor, 'billing.approve', { organisationId: invoice.organisation_id }) ||
      (invoice.worker_user_id !== null && can(actor, 'billing.viewWorker', { workerId: invoice.worker_user_id })) ||
      can(actor, 'payroll.manage'));
  if (!allowed) throw notFound();
  return { filename: invoiceFilename(invoice), body: await invoicePdf(document!) };
}
