import { Router, type Request, type Response } from 'express';
import type { FormError } from '../../platform/errors.js';
import { formatMoney, type Ore } from '../../platform/money.js';
import { formText } from '../../platform/validation.js';
import { noStore } from '../../web/cache.js';
import type { AppDeps } from '../../web/deps.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { doneParam, idParam } from '../../web/params.js';
import {
  creditInvoiceInFull,
  emptyCreditForm,
  findInvoiceByNumber,
  getInvoiceForPayroll,
  INVOICE_LOOKUP_FIELD,
  listInvoicesForPayroll,
  MAX_REASON_LENGTH,
  previewCreditNote,
  type CreditForm,
  type PayrollInvoicePage,
} from './credit-note-service.js';
import { invoicePdfPath } from './invoices.js';
import { invoiceLabel } from './payments-service.js';

// Payroll's invoices (/lon/fakturor): every invoice and credit note, one opened by its number, and an invoice's
// page with the form that credits it in full. Crediting takes two posts: the reason first, answered by a page that
// shows what the credit note will be; then the confirmation. Only payroll staff: 404 for everyone else.

const LIST_PATH = '/lon/fakturor';
const invoicePath = (invoiceId: number) => `${LIST_PATH}/${invoiceId}`;
const DONE = new Set(['credited']);

/** The page's optional parts as locals that exist when absent: a view cannot test a name it was never given. */
const withOptionalLocals = (page: PayrollInvoicePage) => ({ credits: undefined, salary: undefined, refusal: undefined, ...page });

export function creditNoteRoutes(deps: AppDeps): Router {
  const router = Router();
  const money = (res: Response) => (amount: Ore) => formatMoney(amount, res.locals.lang as string);

  const listPage = async (req: Request, res: Response, state: { typed?: string; errors?: Record<string, string> } = {}) => ({
    view: 'billing/credit-note-list',
    locals: {
      invoices: await listInvoicesForPayroll(deps.db, req.actor),
      lookupField: INVOICE_LOOKUP_FIELD,
      typed: state.typed ?? '',
      errors: state.errors ?? {},
      money: money(res),
      invoiceLabel,
      invoicePath,
      invoicePdfPath,
    },
  });

  const invoicePage = async (
    req: Request,
    res: Response,
    state: { form?: CreditForm; errors?: Record<string, string> } = {},
  ) => ({
    view: 'billing/credit-note-invoice',
    locals: {
      ...withOptionalLocals(await getInvoiceForPayroll(deps.db, req.actor, idParam(req, 'invoiceId'))),
      done: doneParam(req, DONE),
      form: state.form ?? emptyCreditForm(),
      errors: state.errors ?? {},
      maxReasonLength: MAX_REASON_LENGTH,
      money: money(res),
      invoiceLabel,
      invoicePath,
      invoicePdfPath,
    },
  });

  router.get(LIST_PATH, noStore, async (req, res) => {
    const raw = req.query[INVOICE_LOOKUP_FIELD];
    if (raw === undefined) {
      const { view, locals } = await listPage(req, res);
      return res.render(view, locals);
    }
    const again = (error: FormError<Record<string, string>>) =>
      listPage(req, res, { typed: error.form[INVOICE_LOOKUP_FIELD] ?? '', errors: error.fields });
    await orFormAgain(res, again, async () => {
      res.redirect(303, invoicePath(await findInvoiceByNumber(deps.db, req.actor, raw)));
    });
  });

  router.get(`${LIST_PATH}/:invoiceId`, noStore, async (req, res) => {
    const { view, locals } = await invoicePage(req, res);
    res.render(view, locals);
  });

  // step=confirm issues the credit note; step=edit shows the form again with the reason; else the confirmation page.
  router.post(`${LIST_PATH}/:invoiceId/kreditera`, noStore, async (req, res) => {
    const body = formBody(req);
    const invoiceId = idParam(req, 'invoiceId');
    const again = (error: FormError<CreditForm>) => invoicePage(req, res, { form: error.form, errors: error.fields });
    await orFormAgain(res, again, async () => {
      if (body.step === 'confirm') {
        await creditInvoiceInFull(deps.db, req.actor, invoiceId, body, deps.config.publicUrl);
        return res.redirect(303, `${invoicePath(invoiceId)}?done=credited`);
      }
      if (body.step === 'edit') {
        const { view, locals } = await invoicePage(req, res, { form: { reason: formText(body.reason, MAX_REASON_LENGTH) } });
        return res.render(view, locals);
      }
      const preview = await previewCreditNote(deps.db, req.actor, invoiceId, body);
      // `page` is the layout's own local: the invoice's state goes by another name.
      res.render('billing/credit-note-confirm', {
        ...withOptionalLocals(preview.page),
        reason: preview.reason,
        money: money(res),
        invoiceLabel,
        invoicePath,
      });
    });
  });

  return router;
}
