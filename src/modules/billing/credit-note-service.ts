import { todayInStockholm } from '../../platform/calendar.js';
import { inTransaction, type Db, type DbOrTrx } from '../../platform/db.js';
import { AppError, FormError, notFound } from '../../platform/errors.js';
import { addMoney, multiplyByBasisPoints, negateMoney, sumMoney, type Ore } from '../../platform/money.js';
import { formText, hasForbiddenCharacters } from '../../platform/validation.js';
import type { Actor } from '../access/index.js';
import {
  selectCreditNotesOf,
  selectInvoiceIdsByNumber,
  selectPaidOre,
  selectPayrollInvoices,
  selectSalaryOf,
  type CreditNoteRow,
  type PayrollInvoiceRow,
} from './credit-note-queries.js';
import { selectInvoice, type InvoiceRow } from './invoice-queries.js';
import { issueCreditNote, type IssuedInvoice } from './invoices.js';
import { requirePayroll } from './payments-service.js';

// Payroll corrects an invoice by crediting it in full (PRODUCT.md: corrections are credit notes, never edits):
// the invoice's page under /lon, a reason, a confirmation, then issueCreditNote (invoices.ts) in a transaction of
// its own, which numbers the credit note, mails it to the buyer and writes the audit row.
//
// Money already moved is not undone here. A partly paid invoice may be credited: what was paid then exceeds what
// is due, and payroll's queue lists it as an overpayment to pay back (payments-service.ts). A fully paid invoice
// may not: its salary is computed (or its job is queued) from money the credit would take back, and no rule says
// yet how a salary is reclaimed or corrected (the employer declaration and the books follow it) — refused with a
// message instead of moving money nobody decided on.

const E = 'creditNote.errors';
/** As invoices.ts prints at most (MAX_CREDIT_REASON_LENGTH), after runs of white space become one space. */
export const MAX_REASON_LENGTH = 500;
/** What is echoed back of a refused reason: all a person types, not a crafted body of megabytes. */
const ECHO_LENGTH = 5_000;
/** Years of invoices, newest first; older ones are opened by their number. */
const LIST_LIMIT = 500;

export type InvoiceRefusal =
  | `${typeof E}.creditNote`
  | `${typeof E}.alreadyCredited`
  | `${typeof E}.salaryPaidOut`
  | `${typeof E}.salaryComputed`
  | `${typeof E}.paid`;

export interface PayrollInvoicePage {
  invoice: InvoiceRow;
  /** The invoice a credit note changes. */
  credits?: { id: number; series: string; number: number };
  creditNotes: CreditNoteRow[];
  paidOre: Ore;
  /** The total with the credit notes taken off. */
  dueOre: Ore;
  salary?: { id: number; paidOn: string | null };
  /** Why the invoice cannot be credited here; undefined when it can. */
  refusal?: InvoiceRefusal;
  /** What crediting the rest would take off, as negative amounts (credit-note signs). */
  credit: { amountExclVatOre: Ore; vatOre: Ore; totalOre: Ore };
}

/** The reason as typed, shown again when it is refused (or on the confirmation). */
export interface CreditForm {
  reason: string;
}

export const emptyCreditForm = (): CreditForm => ({ reason: '' });

export async function listInvoicesForPayroll(db: DbOrTrx, actor: Actor): Promise<PayrollInvoiceRow[]> {
  requirePayroll(actor);
  return selectPayrollInvoices(db, LIST_LIMIT);
}

export const INVOICE_LOOKUP_FIELD = 'faktura';

/**
 * The id of the invoice whose printed number payroll typed: "A-12" (the series in any case), or "12" when only one
 * series has that number. Refused beside the field when the text is no number or names no invoice.
 */
export async function findInvoiceByNumber(db: DbOrTrx, actor: Actor, typed: unknown): Promise<number> {
  requirePayroll(actor);
  const text = formText(typed, 100).trim();
  const form = { [INVOICE_LOOKUP_FIELD]: text };
  const refuse = (key: string) => new FormError({ [INVOICE_LOOKUP_FIELD]: `${E}.${key}` }, form);
  if (text === '') throw refuse('numberRequired');
  const match = /^(?:([A-Za-z0-9]{1,10})\s*-\s*)?(\d{1,9})$/.exec(text);
  if (!match) throw refuse('numberFormat');
  const ids = await selectInvoiceIdsByNumber(db, Number(match[2]), match[1]?.toUpperCase());
  if (ids.length === 0) throw refuse('numberNotFound');
  if (ids.length > 1) throw refuse('numberAmbiguous');
  return ids[0]!;
}

function refusalOf(page: Omit<PayrollInvoicePage, 'refusal'>): InvoiceRefusal | undefined {
  const { invoice } = page;
  if (invoice.kind !== 'invoice') return `${E}.creditNote`;
  if (invoice.status === 'credited' || page.credit.amountExclVatOre >= 0) return `${E}.alreadyCredited`;
  if (page.salary) return page.salary.paidOn === null ? `${E}.salaryComputed` : `${E}.salaryPaidOut`;
  if (invoice.status === 'paid') return `${E}.paid`;
  return undefined;
}

async function loadPage(db: DbOrTrx, invoiceId: number, { lock = false } = {}): Promise<PayrollInvoicePage> {
  // A malformed id from the path (NaN) is answered like one that does not exist.
  const invoice = Number.isSafeInteger(invoiceId) ? await selectInvoice(db, invoiceId, { lock }) : undefined;
  if (!invoice) throw notFound();
  // One after another: `db` may be a transaction, one connection that runs one query at a time.
  const creditNotes = await selectCreditNotesOf(db, invoice.id);
  const paidOre = await selectPaidOre(db, invoice.id);
  const salary = await selectSalaryOf(db, invoice.id);
  const original = invoice.credits_invoice_id === null ? undefined : await selectInvoice(db, invoice.credits_invoice_id);
  const remainingExclVat = addMoney(invoice.amount_excl_vat_ore, sumMoney(creditNotes.map((note) => note.amountExclVatOre)));
  // The same arithmetic as issueCreditNote's: the confirmation shows what the credit note will say.
  const creditExclVat = negateMoney(remainingExclVat);
  const creditVat = multiplyByBasisPoints(creditExclVat, invoice.vat_bp);
  const page = {
    invoice,
    ...(original ? { credits: { id: original.id, series: original.series, number: original.number } } : {}),
    creditNotes,
    paidOre,
    dueOre: addMoney(invoice.total_ore, sumMoney(creditNotes.map((note) => note.totalOre))),
    ...(salary ? { salary } : {}),
    credit: { amountExclVatOre: creditExclVat, vatOre: creditVat, totalOre: addMoney(creditExclVat, creditVat) },
  };
  const refusal = refusalOf(page);
  return { ...page, ...(refusal ? { refusal } : {}) };
}

/** An invoice or credit note as payroll sees it, with whether (and why not) it can be credited. 404 for others. */
export async function getInvoiceForPayroll(db: DbOrTrx, actor: Actor, invoiceId: number): Promise<PayrollInvoicePage> {
  requirePayroll(actor);
  return loadPage(db, invoiceId);
}

/** The reason as issueCreditNote will print it (runs of white space made one space), or the refusal beside it. */
function checkReason(body: Record<string, unknown>): { form: CreditForm; reason: string } {
  const typed = formText(body.reason, ECHO_LENGTH);
  const form = { reason: typed };
  const refuse = (key: string) => new FormError({ reason: key }, form);
  if (hasForbiddenCharacters(typed, { multiline: true })) throw refuse('validation.invalidCharacters');
  const reason = typed.replace(/\s+/g, ' ').trim();
  if (reason === '') throw refuse(`${E}.reasonRequired`);
  if (reason.length > MAX_REASON_LENGTH) throw refuse(`${E}.reasonTooLong`);
  return { form, reason };
}

/** Refuses an invoice that cannot be credited, beside the reason field (which keeps what was typed). */
function refuseState(page: PayrollInvoicePage, form: CreditForm): void {
  if (page.refusal) throw new FormError({ reason: page.refusal }, form, 'conflict');
}

export interface CreditPreview {
  page: PayrollInvoicePage;
  /** The reason as the credit note will print it. */
  reason: string;
}

/** The confirmation step: what the credit note will be, nothing issued yet. */
export async function previewCreditNote(
  db: DbOrTrx,
  actor: Actor,
  invoiceId: number,
  body: Record<string, unknown>,
): Promise<CreditPreview> {
  requirePayroll(actor);
  const page = await loadPage(db, invoiceId);
  const { form, reason } = checkReason(body);
  refuseState(page, form);
  return { page, reason };
}

/**
 * Credits what is left of the invoice in one credit note dated today, after the confirmation. The invoice is locked
 * first, so a payment, a salary run or another credit of it waits and then sees the credit (or this waits for them).
 */
export async function creditInvoiceInFull(
  db: Db,
  actor: Actor,
  invoiceId: number,
  body: Record<string, unknown>,
  publicUrl: string,
): Promise<IssuedInvoice> {
  requirePayroll(actor);
  return inTransaction(db, async (trx) => {
    const page = await loadPage(trx, invoiceId, { lock: true });
    const { form, reason } = checkReason(body);
    refuseState(page, form);
    try {
      return await issueCreditNote(trx, page.invoice.id, { reason }, todayInStockholm(), {
        actorUserId: actor.userId,
        publicUrl,
      });
    } catch (error) {
      // invoices.ts' own refusals (no operator settings for today, a credit dated before the invoice) are shown
      // beside the one field there is.
      if (error instanceof AppError && error.status < 500 && error.status !== 404) {
        const key = Object.values(error.fields)[0] ?? error.message;
        throw new FormError({ reason: key }, form, error.status === 409 ? 'conflict' : 'bad_request');
      }
      throw error;
    }
  });
}
