import { Router, type Request, type Response } from 'express';
import type { AppError } from '../../platform/errors.js';
import type { FormError } from '../../platform/errors.js';
import { formatMoney, type Ore } from '../../platform/money.js';
import { noStore } from '../../web/cache.js';
import type { AppDeps } from '../../web/deps.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { doneParam, idParam, idSchema } from '../../web/params.js';
import { isUploadError, uploadReceiver } from '../../web/uploads.js';
import {
  amountLeft,
  assignPayment,
  BankFileRefusal,
  emptyPaymentForm,
  getPayrollQueue,
  importBankFile,
  invoiceLabel,
  registerPayment,
  requirePayroll,
  type PaymentForm,
} from './payments-service.js';

// Payroll's queue (/lon): invoices waiting for money (not yet due, overdue with their reminders, with the
// collection agency), payments beyond what was due, and payments from the bank's file that matched no invoice;
// with the forms to register a payment by hand, import the bank's file and match a payment to an invoice.
// Only payroll staff: for everyone else the area does not exist (404).

/** Bankgirot's BgMax file: plain text, a few hundred bytes a payment; 5 MB is tens of thousands of payments. */
const receiveBankFile = uploadReceiver({
  field: 'file',
  maxBytes: 5 * 1024 * 1024,
  types: ['text/plain'],
  messages: { tooLarge: 'payroll.import.errors.tooLarge', type: 'payroll.import.errors.type' },
});

const DONE = new Set(['partial', 'paid', 'overpaid', 'imported', 'alreadyImported']);

interface PageState {
  paymentForm?: PaymentForm;
  /** The typed invoice of each refused match form, by field name (assign-<paymentId>). */
  assignForm?: Record<string, string>;
  errors?: Record<string, string>;
  fileErrorLine?: number;
}

export function payrollRoutes(deps: AppDeps): Router {
  const router = Router();

  const page = async (req: Request, res: Response, state: PageState = {}) => {
    const importId = idSchema.safeParse(req.query.import).data;
    const queue = await getPayrollQueue(deps.db, req.actor, importId === undefined ? {} : { importId });
    const lang = res.locals.lang as string;
    return {
      view: 'billing/payroll-queue',
      locals: {
        queue,
        done: doneParam(req, DONE),
        paymentForm: state.paymentForm ?? emptyPaymentForm(),
        assignForm: state.assignForm ?? {},
        errors: state.errors ?? {},
        fileErrorLine: state.fileErrorLine,
        money: (amount: Ore) => formatMoney(amount, lang),
        invoiceLabel,
        amountLeft,
      },
    };
  };

  router.get('/lon', noStore, async (req, res) => {
    const { view, locals } = await page(req, res);
    res.render(view, locals);
  });

  router.post('/lon/betalningar', noStore, async (req, res) => {
    const body = formBody(req);
    const again = (error: FormError<PaymentForm>) => page(req, res, { paymentForm: error.form, errors: error.fields });
    await orFormAgain(res, again, async () => {
      const { outcome } = await registerPayment(deps.db, req.actor, body);
      res.redirect(303, `/lon?done=${outcome}`);
    });
  });

  // Multipart: the CSRF token comes in the query string (web/csrf.ts); the right is checked before the body is read.
  router.post('/lon/bankfil', noStore, async (req, res) => {
    requirePayroll(req.actor);
    const isFileRefusal = (error: unknown): error is AppError => isUploadError(error, 'file');
    const again = (error: AppError) =>
      page(req, res, {
        errors: error.fields,
        ...(error instanceof BankFileRefusal && error.line !== undefined ? { fileErrorLine: error.line } : {}),
      });
    await orFormAgain(res, isFileRefusal, again, async () => {
      const file = await receiveBankFile(req, res);
      const result = await importBankFile(deps.db, req.actor, file.bytes);
      res.redirect(303, `/lon?done=${result.alreadyImported ? 'alreadyImported' : 'imported'}&import=${result.importId}`);
    });
  });

  router.post('/lon/betalningar/:paymentId/koppla', noStore, async (req, res) => {
    const body = formBody(req);
    const again = (error: FormError<Record<string, string>>) => page(req, res, { assignForm: error.form, errors: error.fields });
    await orFormAgain(res, again, async () => {
      const outcome = await assignPayment(deps.db, req.actor, idParam(req, 'paymentId'), body);
      res.redirect(303, `/lon?done=${outcome}`);
    });
  });

  return router;
}
