import { createHash } from 'node:crypto';
import { z } from 'zod';
import { todayInStockholm, type CalendarDate } from '../../platform/calendar.js';
import { inTransaction, type Db, type DbOrTrx } from '../../platform/db.js';
import { AppError, FormError, notFound } from '../../platform/errors.js';
import { defineJob, jobId } from '../../platform/jobs.js';
import { addMoney, parseMoney, subtractMoney, type Ore } from '../../platform/money.js';
import { isValidOcrReference } from '../../platform/ocr.js';
import { dateProblem, formText, hasForbiddenCharacters } from '../../platform/validation.js';
import { idSchema } from '../../web/params.js';
import { authorize, type Actor } from '../access/index.js';
import { notify } from '../notifications/index.js';
import { WORKER_INVOICES_PATH } from './invoices.js';
import { recordAudit } from './audit.js';
import { BgMaxError, decodeBgMax, parseBgMax } from './payments-bgmax.js';
import {
  insertPayment,
  insertPaymentImport,
  lockInvoice,
  lockUnmatchedPayment,
  markInvoicePaid,
  selectImportIdBySha256,
  selectImportSummary,
  selectOpenInvoices,
  selectOrganisationMemberIds,
  selectOrganisationSlug,
  selectOverpaidInvoices,
  selectUnmatchedPayments,
  setPaymentInvoice,
  type ImportSummary,
  type InvoicePaymentState,
  type UnmatchedPayment,
} from './payments-queries.js';

// Payroll registers what the organisations pay: by hand (a payment seen on the bank statement), or from
// Bankgirot's BgMax file, matched to invoices by their OCR reference. An invoice whose payments reach its amount
// due becomes paid, and in that same transaction the salary job of the payroll issue is enqueued and the worker
// and the organisation's members are told. Payments may be partial; a payment beyond what is due is kept and
// shown as an overpayment for payroll to pay back or settle.

/**
 * "This invoice is fully paid: pay its salary." Enqueued once per invoice (the status moves to paid once, under the
 * invoice's row lock; the job key collapses any repeat). Handled by salary-service.ts (salaryTasks).
 */
export const invoicePaidJob = defineJob('invoice_paid', z.object({ invoiceId: jobId }), ({ invoiceId }) => ({
  jobKey: `invoice_paid:${invoiceId}`,
}));

const P = 'payroll.payment.errors';
/** Far above any invoice here, far below what an Ore holds: a typo of many digits is refused, not registered. */
const MAX_PAYMENT_ORE = 100_000_000_00;
const MAX_REFERENCE_LENGTH = 100;
/** How many rows each list of the queue shows (the oldest first; the rest come as those are handled). */
const LIST_LIMIT = 500;

/** The invoice's number as it is printed, e.g. "UB-12". */
export const invoiceLabel = (invoice: { series: string; number: number }) => `${invoice.series}-${invoice.number}`;

/** Refuses everyone but payroll staff (404: the area does not exist for others). */
export function requirePayroll(actor: Actor): void {
  authorize(actor, 'payroll.manage');
}

// --- the queue ----------------------------------------------------------------------------------------------------

export interface PayrollQueue {
  today: CalendarDate;
  /** Not yet due. */
  unpaid: InvoicePaymentState[];
  /** Past their due date, with the reminders sent so far. */
  overdue: InvoicePaymentState[];
  collection: InvoicePaymentState[];
  overpaid: InvoicePaymentState[];
  unmatched: UnmatchedPayment[];
  /** The invoices a payment may be registered or matched to (the lists above that still wait for money). */
  choices: InvoicePaymentState[];
  /** The file just imported, when the page is shown after an import. */
  imported?: ImportSummary;
}

export async function getPayrollQueue(db: Db, actor: Actor, options: { importId?: number } = {}): Promise<PayrollQueue> {
  requirePayroll(actor);
  const today = todayInStockholm();
  const [open, overpaid, unmatched, imported] = await Promise.all([
    selectOpenInvoices(db, LIST_LIMIT),
    selectOverpaidInvoices(db, LIST_LIMIT),
    selectUnmatchedPayments(db, LIST_LIMIT),
    options.importId === undefined ? undefined : selectImportSummary(db, options.importId),
  ]);
  return {
    today,
    unpaid: open.filter((invoice) => invoice.status === 'unpaid' && invoice.dueDate >= today),
    overdue: open.filter((invoice) => invoice.status === 'unpaid' && invoice.dueDate < today),
    collection: open.filter((invoice) => invoice.status === 'collection'),
    overpaid,
    unmatched,
    choices: open,
    imported,
  };
}

/** What is left to pay on an invoice (negative: paid too much). */
export const amountLeft = (invoice: InvoicePaymentState): Ore => subtractMoney(invoice.dueOre, invoice.paidOre);

// --- settling an invoice ------------------------------------------------------------------------------------------

/** How an invoice stands after a payment: still short, paid now or before, or paid beyond what is due. */
export type PaymentOutcome = 'partial' | 'paid' | 'overpaid';

/**
 * Adds a payment to an invoice the caller has locked (lockInvoice) and settles it: when the payments reach the
 * amount due of an invoice that waits for money, it is paid, the salary job is enqueued and the parties are told.
 */
async function addPaymentToInvoice(
  trx: DbOrTrx,
  invoice: InvoicePaymentState,
  amountOre: Ore,
  record: () => Promise<unknown>,
): Promise<PaymentOutcome> {
  await record();
  const paidOre = addMoney(invoice.paidOre, amountOre);
  const waiting = invoice.status === 'unpaid' || invoice.status === 'collection';
  if (waiting && paidOre >= invoice.dueOre) {
    await markInvoicePaid(trx, invoice.id);
    await invoicePaidJob.enqueue(trx, { invoiceId: invoice.id });
    // Each side to its own list of invoices.
    const told = {
      type: 'invoice_paid',
      params: { invoice: invoiceLabel(invoice) },
      dedupeKey: `invoice_paid:${invoice.id}`,
    } as const;
    if (invoice.workerUserId !== null)
      await notify(trx, { ...told, userIds: [invoice.workerUserId], link: WORKER_INVOICES_PATH });
    const members = (await selectOrganisationMemberIds(trx, invoice.organisationId)).filter((id) => id !== invoice.workerUserId);
    const slug = await selectOrganisationSlug(trx, invoice.organisationId);
    await notify(trx, { ...told, userIds: members, link: `/organisationer/${slug}/fakturor` });
  }
  if (paidOre > invoice.dueOre) return 'overpaid';
  return paidOre === invoice.dueOre ? 'paid' : 'partial';
}

// --- a payment by hand --------------------------------------------------------------------------------------------

/** The payment form as typed, shown again when it is refused. */
export interface PaymentForm {
  paidOn: string;
  amount: string;
  reference: string;
  invoice: string;
  ocr: string;
}

export const emptyPaymentForm = (): PaymentForm => ({
  paidOn: todayInStockholm(),
  amount: '',
  reference: '',
  invoice: '',
  ocr: '',
});

function paymentFormFrom(body: Record<string, unknown>): PaymentForm {
  return {
    paidOn: formText(body.paidOn, 40),
    amount: formText(body.amount, 60),
    reference: formText(body.reference, 500),
    invoice: formText(body.invoice, 40),
    ocr: formText(body.ocr, 60),
  };
}

const MONEY_PROBLEMS: Record<string, string> = {
  empty: `${P}.amountRequired`,
  format: `${P}.amountFormat`,
  tooManyDecimals: `${P}.amountDecimals`,
  tooLarge: `${P}.amountTooLarge`,
  negative: `${P}.amountPositive`,
};

function amountProblem(text: string): { problem: string } | { value: Ore } {
  const parsed = parseMoney(text, { allowNegative: false });
  if (!parsed.ok) return { problem: MONEY_PROBLEMS[parsed.problem]! };
  if (parsed.value <= 0) return { problem: `${P}.amountPositive` };
  if (parsed.value > MAX_PAYMENT_ORE) return { problem: `${P}.amountTooLarge` };
  return { value: parsed.value };
}

interface CheckedPayment {
  paidOn: CalendarDate;
  amountOre: Ore;
  reference: string;
  invoiceId?: number;
  ocr?: string;
}

function checkPaymentForm(form: PaymentForm): CheckedPayment {
  const errors: Record<string, string> = {};
  const paidOn = form.paidOn.trim();
  const dateError = dateProblem(paidOn);
  if (dateError) errors.paidOn = dateError;
  else if (paidOn > todayInStockholm()) errors.paidOn = `${P}.paidOnFuture`;
  const amount = amountProblem(form.amount);
  if ('problem' in amount) errors.amount = amount.problem;
  const reference = form.reference.trim();
  if (hasForbiddenCharacters(reference)) errors.reference = 'validation.invalidCharacters';
  else if (reference.length > MAX_REFERENCE_LENGTH) errors.reference = `${P}.referenceTooLong`;
  const invoiceId = form.invoice.trim() === '' ? undefined : idSchema.safeParse(form.invoice.trim()).data;
  if (form.invoice.trim() !== '' && invoiceId === undefined) errors.invoice = `${P}.invoiceNotFound`;
  const ocr = form.ocr.replace(/[\s-]/g, '');
  if (ocr !== '' && !isValidOcrReference(ocr)) errors.ocr = `${P}.ocrInvalid`;
  if (form.invoice.trim() === '' && ocr === '') errors.invoice = `${P}.invoiceRequired`;
  if (Object.keys(errors).length > 0) throw new FormError(errors, form);
  return {
    paidOn,
    amountOre: (amount as { value: Ore }).value,
    reference: reference || ocr,
    ...(invoiceId === undefined ? {} : { invoiceId }),
    ...(ocr === '' ? {} : { ocr }),
  };
}

/** Registers a payment seen on the bank statement, to the invoice chosen or named by its OCR reference. */
export async function registerPayment(
  db: Db,
  actor: Actor,
  body: Record<string, unknown>,
): Promise<{ invoiceId: number; outcome: PaymentOutcome }> {
  requirePayroll(actor);
  const form = paymentFormFrom(body);
  const payment = checkPaymentForm(form);
  return inTransaction(db, async (trx) => {
    const byId = payment.invoiceId === undefined ? undefined : await lockInvoice(trx, { id: payment.invoiceId });
    if (payment.invoiceId !== undefined && !byId) throw new FormError({ invoice: `${P}.invoiceNotFound` }, form);
    const byOcr = payment.ocr === undefined ? undefined : await lockInvoice(trx, { ocr: payment.ocr });
    if (payment.ocr !== undefined && !byOcr) throw new FormError({ ocr: `${P}.ocrNotFound` }, form);
    if (byId && byOcr && byId.id !== byOcr.id) throw new FormError({ ocr: `${P}.ocrMismatch` }, form);
    const invoice = (byId ?? byOcr)!;
    const outcome = await addPaymentToInvoice(trx, invoice, payment.amountOre, () =>
      insertPayment(trx, {
        invoiceId: invoice.id,
        amountOre: payment.amountOre,
        paidOn: payment.paidOn,
        reference: payment.reference,
        source: 'manual',
        registeredBy: actor.userId!,
      }),
    );
    await recordAudit(trx, {
      actorUserId: actor.userId,
      kind: 'payment_registered',
      subject: `invoice ${invoiceLabel(invoice)}`,
      details: { invoiceId: invoice.id, amountOre: payment.amountOre, paidOn: payment.paidOn, outcome },
    });
    return { invoiceId: invoice.id, outcome };
  });
}

// --- matching an unmatched payment by hand ------------------------------------------------------------------------

/** Matches a payment the import could not place to the invoice payroll chose. */
export async function assignPayment(
  db: Db,
  actor: Actor,
  paymentId: number,
  body: Record<string, unknown>,
): Promise<PaymentOutcome> {
  requirePayroll(actor);
  const field = `assign-${Number.isSafeInteger(paymentId) ? paymentId : 0}`;
  const typed = formText(body.invoice, 40).trim();
  const invoiceId = idSchema.safeParse(typed).data;
  const form = { [field]: typed };
  return inTransaction(db, async (trx) => {
    const payment = Number.isSafeInteger(paymentId) ? await lockUnmatchedPayment(trx, paymentId) : undefined;
    if (!payment) throw notFound();
    if (typed === '') throw new FormError({ [field]: `${P}.invoiceRequired` }, form);
    const invoice = invoiceId === undefined ? undefined : await lockInvoice(trx, { id: invoiceId });
    if (!invoice) throw new FormError({ [field]: `${P}.invoiceNotFound` }, form);
    const outcome = await addPaymentToInvoice(trx, invoice, payment.amountOre, () =>
      setPaymentInvoice(trx, payment.id, invoice.id),
    );
    await recordAudit(trx, {
      actorUserId: actor.userId,
      kind: 'payment_registered',
      subject: `invoice ${invoiceLabel(invoice)}`,
      details: { invoiceId: invoice.id, paymentId: payment.id, amountOre: payment.amountOre, outcome },
    });
    return outcome;
  });
}

// --- the bank's file ----------------------------------------------------------------------------------------------

/** A bank file refused: the message for the file field, and the line it concerns. */
export class BankFileRefusal extends AppError {
  constructor(
    key: string,
    readonly line?: number,
  ) {
    super('bad_request', key, { file: key });
  }
}

export interface ImportResult {
  importId: number;
  /** The same bytes were imported before: nothing was registered now. */
  alreadyImported: boolean;
}

/**
 * Imports a BgMax file: every payment is stored (its line in the file keeps it to once); one whose OCR reference
 * names an invoice that waits for money is matched and settles it, the others wait for payroll to match them by
 * hand. A file with the same bytes as an earlier one registers nothing (its SHA-256 is unique).
 */
export async function importBankFile(db: Db, actor: Actor, bytes: Buffer): Promise<ImportResult> {
  requirePayroll(actor);
  let file: ReturnType<typeof parseBgMax>;
  try {
    file = parseBgMax(decodeBgMax(bytes));
  } catch (error) {
    if (error instanceof BgMaxError) throw new BankFileRefusal(error.key, error.line);
    throw error;
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return inTransaction(db, async (trx) => {
    const importId = await insertPaymentImport(trx, {
      sha256,
      filename: `bgmax-${file.createdAt}.txt`,
      format: 'bgmax',
      importedBy: actor.userId!,
    });
    if (importId === undefined) return { importId: (await selectImportIdBySha256(trx, sha256))!, alreadyImported: true };
    let matched = 0;
    for (const payment of file.payments) {
      const candidate = isValidOcrReference(payment.reference) ? await lockInvoice(trx, { ocr: payment.reference }) : undefined;
      const invoice = candidate && (candidate.status === 'unpaid' || candidate.status === 'collection') ? candidate : undefined;
      const record = () =>
        insertPayment(trx, {
          invoiceId: invoice?.id ?? null,
          amountOre: payment.amount,
          paidOn: payment.paidOn,
          reference: payment.reference,
          source: 'bgmax',
          importId,
          importLine: payment.line,
          registeredBy: actor.userId!,
        });
      if (invoice) {
        await addPaymentToInvoice(trx, invoice, payment.amount, record);
        matched += 1;
      } else await record();
    }
    await recordAudit(trx, {
      actorUserId: actor.userId,
      kind: 'payment_import',
      subject: `payment import ${importId}`,
      details: { importId, payments: file.payments.length, matched },
    });
    return { importId, alreadyImported: false };
  });
}
