import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { AppError, FormError } from '../../platform/errors.js';
import { formatMoney, type Ore } from '../../platform/money.js';
import { noStore } from '../../web/cache.js';
import { sendStoredFile } from '../../web/files.js';
import { formBody, formErrorOr, orFormAgain, refusedWith } from '../../web/forms.js';
import { doneParam, idParam } from '../../web/params.js';
import { isUploadError, uploadReceiver } from '../../web/uploads.js';
import {
  hoursForForm,
  LINE_KINDS,
  MAX_COMMENT_LENGTH,
  MAX_DESCRIPTION_LENGTH,
  MAX_EXPENSES,
  MAX_LINE_DESCRIPTION_LENGTH,
  MAX_VAT_REASON_LENGTH,
  readExpenseForm,
  VAT_RATES,
  withSpareRows,
  type BasisForm,
  type ExpenseForm,
} from './basis-form.js';
import {
  addExpense,
  approveBasis,
  disputeBasis,
  getExpenseTarget,
  getOrganisationBasisPage,
  getReceipt,
  getWorkerBasisPage,
  listOrganisationBases,
  listWorkerBases,
  organisationBasisPath,
  receiptPath,
  RECEIPT_FIELD,
  RECEIPT_MAX_BYTES,
  removeExpense,
  saveBasis,
  submitBasis,
  workerBasisPath,
  type DisputeForm,
  type OrganisationBasisPage,
  type WorkerBasisPage,
} from './basis-service.js';

// Billing bases (fakturaunderlag): the worker's pages under /konto/fakturaunderlag, the organisation's
// "Att godkänna" under /organisationer/:slug/fakturaunderlag, and the receipts. Rights and states are decided
// in basis-service.ts; every form answers a refusal with the page again, the input kept.

const WORKER_DONE = new Set(['saved', 'submitted', 'expenseAdded', 'expenseRemoved']);
const ORGANISATION_DONE = new Set(['approved', 'disputed']);

/** An image of the receipt (re-encoded) or a PDF, decided by the bytes. */
const receiveReceipt = uploadReceiver({
  field: RECEIPT_FIELD,
  maxBytes: RECEIPT_MAX_BYTES,
  types: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
  messages: { tooLarge: 'billingBasis.errors.receiptTooLarge', type: 'billingBasis.errors.receiptType' },
});

/** Amounts and percentages as the pages print them, in the page's language. */
function formatting(res: Response) {
  const lang = String(res.locals.lang ?? 'sv');
  return {
    money: (amount: Ore) => formatMoney(amount, lang),
    // 2500 → "25", 2250 → "22,5" (or "22.5" in English)
    percent: (bp: number) => {
      const text = (bp / 100).toFixed(2).replace(/\.?0+$/, '');
      return lang === 'en' ? text : text.replace('.', ',');
    },
    hours: (hundredths: number) => (lang === 'en' ? hoursForForm(hundredths).replace(',', '.') : hoursForForm(hundredths)),
  };
}

interface WorkerExtras {
  form?: BasisForm;
  errors?: Record<string, string>;
  expenseForm?: ExpenseForm;
  expenseErrors?: Record<string, string>;
  problem?: string;
  done?: string;
}

function workerView(res: Response, page: WorkerBasisPage, extras: WorkerExtras = {}) {
  const path = workerBasisPath(page.work.applicationId);
  return {
    ...page,
    ...formatting(res),
    form: { ...(extras.form ?? page.form), lines: withSpareRows((extras.form ?? page.form).lines) },
    errors: extras.errors ?? {},
    expenseForm: extras.expenseForm ?? readExpenseForm({}),
    expenseErrors: extras.expenseErrors ?? {},
    problem: extras.problem,
    done: extras.done,
    action: path,
    submitAction: `${path}/skicka`,
    expenseAction: `${path}/utlagg`,
    receiptPath,
    vatRates: VAT_RATES,
    lineKinds: LINE_KINDS,
    maxExpenses: MAX_EXPENSES,
    maxDescriptionLength: MAX_DESCRIPTION_LENGTH,
    maxLineDescriptionLength: MAX_LINE_DESCRIPTION_LENGTH,
    maxVatReasonLength: MAX_VAT_REASON_LENGTH,
  };
}

function organisationView(
  res: Response,
  page: OrganisationBasisPage,
  extras: { form?: DisputeForm; errors?: Record<string, string>; done?: string; problem?: string } = {},
) {
  const path = organisationBasisPath(page.organisation.slug, page.basis.id);
  return {
    ...page,
    ...formatting(res),
    form: extras.form ?? { comment: '' },
    errors: extras.errors ?? {},
    done: extras.done,
    problem: extras.problem,
    basisPath: path,
    approveAction: `${path}/godkann`,
    disputeAction: `${path}/bestrid`,
    receiptPath,
    maxCommentLength: MAX_COMMENT_LENGTH,
  };
}

/** A conflict of the basis's state (sent already, not waiting, …): its message above the page. */
const isStateConflict = refusedWith(409);
const problemOf = (error: AppError) => error.fields.form ?? error.message;

export function billingBasisRoutes(deps: AppDeps): Router {
  const router = Router();

  // --- the worker ---------------------------------------------------------------------------------------

  router.get('/konto/fakturaunderlag', noStore, async (req, res) => {
    const rows = await listWorkerBases(deps.db, req.actor);
    res.render('billing/basis-mine', { rows, workerBasisPath });
  });

  router.get('/konto/fakturaunderlag/:applicationId', noStore, async (req, res) => {
    const page = await getWorkerBasisPage(deps.db, req.actor, idParam(req, 'applicationId'));
    res.render('billing/basis-worker', workerView(res, page, { done: doneParam(req, WORKER_DONE) }));
  });

  router.post('/konto/fakturaunderlag/:applicationId', noStore, async (req, res) => {
    const id = idParam(req, 'applicationId');
    const again = async (error: FormError<BasisForm>) => {
      const page = await getWorkerBasisPage(deps.db, req.actor, id);
      return { view: 'billing/basis-worker', locals: workerView(res, page, { form: error.form, errors: error.fields }) };
    };
    await orFormAgain(res, again, async () => {
      await saveBasis(deps.db, req.actor, id, formBody(req));
      res.redirect(303, `${workerBasisPath(id)}?done=saved#berakning`);
    });
  });

  router.post('/konto/fakturaunderlag/:applicationId/skicka', noStore, async (req, res) => {
    const id = idParam(req, 'applicationId');
    const again = async (error: AppError) => {
      const page = await getWorkerBasisPage(deps.db, req.actor, id);
      return { view: 'billing/basis-worker', locals: workerView(res, page, { problem: problemOf(error) }) };
    };
    await orFormAgain(res, isStateConflict, again, async () => {
      await submitBasis(deps.db, req.actor, id);
      res.redirect(303, `${workerBasisPath(id)}?done=submitted`);
    });
  });

  // Multipart: the CSRF token comes in the query string (web/csrf.ts); the right to add is checked before the
  // body is read, and a refused file is shown beside the other fields' messages with what was typed kept.
  router.post('/konto/fakturaunderlag/:applicationId/utlagg', noStore, async (req, res) => {
    const id = idParam(req, 'applicationId');
    const again = async (error: AppError) => {
      const page = await getWorkerBasisPage(deps.db, req.actor, id);
      const extras: WorkerExtras =
        error instanceof FormError
          ? { expenseForm: error.form as ExpenseForm, expenseErrors: error.fields }
          : { problem: problemOf(error) };
      return { view: 'billing/basis-worker', locals: workerView(res, page, extras) };
    };
    await orFormAgain(res, formErrorOr(isStateConflict), again, async () => {
      await getExpenseTarget(deps.db, req.actor, id);
      let upload: Parameters<typeof addExpense>[5];
      try {
        upload = { file: await receiveReceipt(req, res) };
      } catch (error) {
        if (!isUploadError(error, RECEIPT_FIELD)) throw error;
        upload = { problem: error };
      }
      await addExpense(deps.db, deps.storage, req.actor, id, formBody(req), upload);
      res.redirect(303, `${workerBasisPath(id)}?done=expenseAdded#utlagg`);
    });
  });

  router.post('/konto/fakturaunderlag/:applicationId/utlagg/:expenseId/ta-bort', noStore, async (req, res) => {
    const id = idParam(req, 'applicationId');
    const again = async (error: AppError) => {
      const page = await getWorkerBasisPage(deps.db, req.actor, id);
      return { view: 'billing/basis-worker', locals: workerView(res, page, { problem: problemOf(error) }) };
    };
    await orFormAgain(res, isStateConflict, again, async () => {
      await removeExpense(deps.db, deps.storage, req.actor, id, idParam(req, 'expenseId'));
      res.redirect(303, `${workerBasisPath(id)}?done=expenseRemoved#utlagg`);
    });
  });

  // Receipts are private: the worker, the organisation's members once the basis is sent, and payroll.
  router.get('/fakturaunderlag/:basisId/kvitton/:expenseId', async (req: Request, res) => {
    const expenseId = idParam(req, 'expenseId');
    const file = await getReceipt(deps.db, deps.storage, req.actor, idParam(req, 'basisId'), expenseId);
    const pdf = file.contentType === 'application/pdf';
    sendStoredFile(res, file, {
      filename: `kvitto-${expenseId}.${pdf ? 'pdf' : 'webp'}`,
      download: pdf,
      cacheControl: 'private, no-store',
    });
  });

  // --- the organisation ---------------------------------------------------------------------------------

  router.get('/organisationer/:slug/fakturaunderlag', noStore, async (req, res) => {
    const view = await listOrganisationBases(deps.db, req.actor, req.params.slug);
    res.render('billing/basis-organisation-list', { ...view, ...formatting(res), organisationBasisPath });
  });

  router.get('/organisationer/:slug/fakturaunderlag/:basisId', noStore, async (req, res) => {
    const page = await getOrganisationBasisPage(deps.db, req.actor, req.params.slug, idParam(req, 'basisId'));
    res.render('billing/basis-organisation', organisationView(res, page, { done: doneParam(req, ORGANISATION_DONE) }));
  });

  // Approving issues and mails an invoice that only a credit note can undo: a confirmation step comes first.
  router.get('/organisationer/:slug/fakturaunderlag/:basisId/godkann', noStore, async (req, res) => {
    const page = await getOrganisationBasisPage(deps.db, req.actor, req.params.slug, idParam(req, 'basisId'));
    if (page.basis.status !== 'submitted') {
      res.redirect(303, organisationBasisPath(page.organisation.slug, page.basis.id));
      return;
    }
    res.render('billing/basis-confirm-approve', organisationView(res, page));
  });

  router.post('/organisationer/:slug/fakturaunderlag/:basisId/godkann', noStore, async (req, res) => {
    const { slug } = req.params;
    const id = idParam(req, 'basisId');
    const again = async (error: AppError) => {
      const page = await getOrganisationBasisPage(deps.db, req.actor, slug, id);
      return { view: 'billing/basis-organisation', locals: organisationView(res, page, { problem: problemOf(error) }) };
    };
    await orFormAgain(res, isStateConflict, again, async () => {
      await approveBasis(deps.db, req.actor, slug, id, deps.config.publicUrl);
      res.redirect(303, `${organisationBasisPath(slug, id)}?done=approved`);
    });
  });

  router.post('/organisationer/:slug/fakturaunderlag/:basisId/bestrid', noStore, async (req, res) => {
    const { slug } = req.params;
    const id = idParam(req, 'basisId');
    const again = async (error: FormError<DisputeForm>) => {
      const page = await getOrganisationBasisPage(deps.db, req.actor, slug, id);
      return {
        view: 'billing/basis-organisation',
        locals: organisationView(res, page, { form: error.form, errors: error.fields }),
      };
    };
    await orFormAgain(res, again, async () => {
      await disputeBasis(deps.db, req.actor, slug, id, formBody(req));
      res.redirect(303, `${organisationBasisPath(slug, id)}?done=disputed`);
    });
  });

  return router;
}
