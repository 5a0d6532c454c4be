import type { Knex } from 'knex';
import { addDays, formatDate, type CalendarDate } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { queueMail } from '../../platform/mail.js';
import {
  addMoney,
  formatMoney,
  multiplyByBasisPoints,
  negateMoney,
  subtractMoney,
  sumMoney,
  ZERO_ORE,
  type Ore,
} from '../../platform/money.js';
import { ocrReference } from '../../platform/ocr.js';
import { pdfContentType } from '../../platform/documents/pdf.js';
import { recordAudit } from './audit.js';
import {
  insertInvoice,
  reserveInvoiceId,
  selectBasisForInvoice,
  selectBasisLinesAndExpenses,
  selectBuyer,
  selectCreditedExclVat,
  selectInvoice,
  selectInvoiceLines,
  selectMemberEmailForInvoices,
  selectSeller,
  selectSellerOn,
  setInvoiceStatus,
  takeInvoiceNumber,
  type InvoiceLineRow,
  type NewInvoice,
  type SellerRow,
} from './invoice-queries.js';
import { invoiceFilename, invoiceNumberText, invoiceTexts, type InvoiceDocument } from './invoice-pdf.js';
import { invoicePdf } from './pdf-rendering.js';

// Invoices and credit notes from the operator to an organisation, issued inside the caller's transaction (the
// approval of a billing basis; a payroll correction), so the number, the rows and the mail with the PDF commit
// together or not at all.
//
// Numbers: one counter row per series, locked to the end of the transaction (invoice-queries.ts
// takeInvoiceNumber): gapless under concurrency and across rollbacks. Credit notes take their number from the
// same series: they are invoices that change an earlier one (ML 17 kap. 26 §).
//
// OCR reference: made from the invoice's id (with length and check digit, platform/ocr.ts), not from its
// number: numbers start again at 1 in a new series, and the reference must stay unique for ever
// (invoices.ocr is UNIQUE). A payment is matched on invoices.ocr itself.
//
// Buyer: the organisation as it is at issue (kept on the invoice, which never changes). Its billing_email, or
// when it has none, its longest-standing admin's address (then any member's): someone who can act on it and
// can set a billing address. The address is the organisation's; an organisation that has written none gets its
// village and municipality, so the invoice still names where the buyer is.
//
// Amounts: the basis' lines excl. VAT, then its expenses as lines of their own at the amount paid (the worker is
// paid back exactly that; the operator invoices them on at the basis' VAT rate like the rest), summed into
// expenses_ore. VAT is the basis' rate on the whole amount excl. VAT, and the operator's fee its fee_bp of the
// same, both rounded half up to the öre and fixed on the invoice.

export interface IssuedInvoice {
  invoiceId: number;
  series: string;
  number: number;
}

export interface IssueOptions {
  /** The site's address (config.publicUrl): the mail then links to the organisation's invoice list. */
  publicUrl?: string;
  /** Who issued it, for the audit log (undefined: the system). */
  actorUserId?: number;
}

const organisationInvoicesPath = (slug: string) => `/organisationer/${slug}/fakturor`;
export const WORKER_INVOICES_PATH = '/konto/fakturor';
export const invoicePdfPath = (invoiceId: number) => `/fakturor/${invoiceId}/pdf`;

/** The longest reason a credit note prints. */
const MAX_CREDIT_REASON_LENGTH = 500;

/**
 * Issues the invoice of an approved billing basis inside the approval's transaction: the next number of the
 * series (gapless: a locked counter row), the OCR reference, the operator's settings valid on `invoiceDate`,
 * the buyer as it is now, lines, VAT and fee; queues the mail with the PDF to the organisation's billing
 * address. The PDF is not stored: renderInvoicePdf makes the same bytes from the rows whenever it is asked.
 * Throws an AppError: 409 when the operator has no settings valid on that date, the basis is not approved or
 * already invoiced, or the organisation has nobody to send the invoice to; 404 when there is no such basis.
 */
export async function issueInvoice(
  trx: Knex.Transaction,
  basisId: number,
  invoiceDate: CalendarDate,
  options: IssueOptions = {},
): Promise<IssuedInvoice> {
  const basis = await selectBasisForInvoice(trx, basisId);
  if (!basis) throw new AppError('not_found', 'invoices.errors.noBasis');
  if (basis.status !== 'approved') throw new AppError('conflict', 'invoices.errors.notApproved');
  if (await trx('invoices').where({ basis_id: basisId, kind: 'invoice' }).first('id'))
    throw new AppError('conflict', 'invoices.errors.alreadyInvoiced');
  const seller = await sellerOn(trx, invoiceDate);
  const buyer = await selectBuyer(trx, basis.organisationId);
  if (!buyer) throw new AppError('not_found', 'invoices.errors.noBasis');
  const buyerEmail = buyer.billingEmail ?? (await selectMemberEmailForInvoices(trx, basis.organisationId));
  if (!buyerEmail) throw new AppError('conflict', 'invoices.errors.noBuyerEmail');

  const { lines, expenses } = await selectBasisLinesAndExpenses(trx, basisId);
  if (lines.length + expenses.length === 0) throw new AppError('conflict', 'invoices.errors.nothingToInvoice');
  const t = await invoiceTexts();
  const invoiceLines: InvoiceLineRow[] = [
    ...lines.map((line) => ({
      description: line.description,
      quantity_hundredths: line.quantityHundredths,
      unit_price_ore: line.unitPriceOre,
      amount_ore: line.amountOre,
    })),
    ...expenses.map((expense) => ({
      description: t('invoicePdf.expense', { description: expense.description }),
      quantity_hundredths: null,
      unit_price_ore: null,
      amount_ore: expense.amountOre,
    })),
  ].map((line, index) => ({ ...line, position: index + 1 }));
  const amountExclVat = sumMoney(invoiceLines.map((line) => line.amount_ore));
  const vat = multiplyByBasisPoints(amountExclVat, basis.vatBp);

  // Everything else is read and computed: the counter is locked as late as possible.
  const number = await takeInvoiceNumber(trx, seller.invoice_series);
  const id = await reserveInvoiceId(trx);
  const invoice: NewInvoice = {
    id,
    kind: 'invoice',
    series: seller.invoice_series,
    number,
    credits_invoice_id: null,
    basis_id: basisId,
    operator_settings_id: seller.id,
    organisation_id: basis.organisationId,
    worker_user_id: basis.workerUserId,
    buyer_name: buyer.name,
    buyer_address: buyer.address.trim() || [buyer.localityName, buyer.municipalityName].filter(Boolean).join('\n'),
    buyer_email: buyerEmail,
    buyer_organisation_number: buyer.organisationNumber,
    invoice_date: invoiceDate,
    due_date: addDays(invoiceDate, seller.payment_terms_days),
    delivery_start: basis.periodStart,
    delivery_end: basis.periodEnd,
    ocr: ocrReference(id, { lengthDigit: true }),
    vat_bp: basis.vatBp,
    vat_reason: basis.vatReason,
    amount_excl_vat_ore: amountExclVat,
    vat_ore: vat,
    total_ore: addMoney(amountExclVat, vat),
    expenses_ore: sumMoney(expenses.map((expense) => expense.amountOre)),
    fee_ore: multiplyByBasisPoints(amountExclVat, seller.fee_bp),
    subject: basis.assignmentTitle,
    our_reference: basis.workerName,
    credit_reason: null,
  };
  await insertInvoice(trx, invoice, invoiceLines);
  await mailInvoice(trx, id, buyer, options);
  return { invoiceId: id, series: invoice.series, number };
}

export interface CreditNoteInput {
  /** Why: printed on the credit note. */
  reason: string;
  /**
   * A part of the amount excl. VAT to credit (positive, at most what is not yet credited); left out, everything
   * not yet credited. A partial credit takes off work, not repaid expenses.
   */
  amountExclVatOre?: Ore;
}

/**
 * Issues a credit note for an invoice: its own number in the series valid on `creditDate`, the original's buyer,
 * period and VAT rate, negative amounts. The whole of an invoice not yet credited mirrors its lines; a part is one
 * line. When nothing is left to credit, the original's status becomes 'credited'. A credit note is born 'credited'
 * itself (it is settled by what it credits), so no list of unpaid invoices or reminder ever picks it up.
 */
export async function issueCreditNote(
  trx: Knex.Transaction,
  invoiceId: number,
  input: CreditNoteInput,
  creditDate: CalendarDate,
  options: IssueOptions = {},
): Promise<IssuedInvoice> {
  const reason = typeof input.reason === 'string' ? input.reason.replace(/\s+/g, ' ').trim() : '';
  if (reason === '') throw badRequest('No reason', { reason: 'invoices.errors.reasonRequired' });
  if (reason.length > MAX_CREDIT_REASON_LENGTH) throw badRequest('Reason too long', { reason: 'invoices.errors.reasonTooLong' });

  // Locked: two credits of the same invoice at once must not both take what is left.
  const original = await selectInvoice(trx, invoiceId, { lock: true });
  if (!original) throw new AppError('not_found', 'Not found');
  if (original.kind !== 'invoice') throw new AppError('conflict', 'invoices.errors.notAnInvoice');
  if (creditDate < original.invoice_date)
    throw badRequest('Credit before invoice', { date: 'invoices.errors.creditBeforeInvoice' });
  const creditedSoFar = await selectCreditedExclVat(trx, invoiceId);
  const remaining = addMoney(original.amount_excl_vat_ore, creditedSoFar);
  if (remaining <= 0) throw new AppError('conflict', 'invoices.errors.alreadyCredited');
  const amount = input.amountExclVatOre ?? remaining;
  if (amount <= 0 || amount > remaining) throw badRequest('Amount out of range', { amount: 'invoices.errors.creditAmount' });

  const seller = await sellerOn(trx, creditDate);
  const originalSeller = await selectSeller(trx, original.operator_settings_id);
  const t = await invoiceTexts();
  const whole = amount === original.amount_excl_vat_ore;
  const originalLines = whole ? await selectInvoiceLines(trx, invoiceId) : [];
  const lines: InvoiceLineRow[] = whole
    ? originalLines.map((line) => ({
        ...line,
        quantity_hundredths: line.quantity_hundredths === null ? null : -line.quantity_hundredths,
        amount_ore: negateMoney(line.amount_ore),
      }))
    : [
        {
          position: 1,
          description: t('invoicePdf.creditLine', { number: invoiceNumberText(original) }),
          quantity_hundredths: null,
          unit_price_ore: null,
          amount_ore: negateMoney(amount),
        },
      ];
  const amountExclVat = negateMoney(amount);
  // Half away from zero: the whole credit's VAT and fee mirror the invoice's to the öre.
  const vat = multiplyByBasisPoints(amountExclVat, original.vat_bp);

  const number = await takeInvoiceNumber(trx, seller.invoice_series);
  const id = await reserveInvoiceId(trx);
  await insertInvoice(
    trx,
    {
      id,
      kind: 'credit_note',
      series: seller.invoice_series,
      number,
      credits_invoice_id: invoiceId,
      basis_id: original.basis_id,
      operator_settings_id: seller.id,
      organisation_id: original.organisation_id,
      worker_user_id: original.worker_user_id,
      buyer_name: original.buyer_name,
      buyer_address: original.buyer_address,
      buyer_email: original.buyer_email,
      buyer_organisation_number: original.buyer_organisation_number,
      invoice_date: creditDate,
      due_date: creditDate,
      delivery_start: original.delivery_start,
      delivery_end: original.delivery_end,
      ocr: ocrReference(id, { lengthDigit: true }),
      vat_bp: original.vat_bp,
      vat_reason: original.vat_reason,
      amount_excl_vat_ore: amountExclVat,
      vat_ore: vat,
      total_ore: addMoney(amountExclVat, vat),
      expenses_ore: whole ? negateMoney(original.expenses_ore) : ZERO_ORE,
      fee_ore: whole ? negateMoney(original.fee_ore) : multiplyByBasisPoints(amountExclVat, originalSeller.fee_bp),
      status: 'credited',
      subject: original.subject,
      our_reference: original.our_reference,
      credit_reason: reason,
    },
    lines,
  );
  if (subtractMoney(remaining, amount) === 0) await setInvoiceStatus(trx, invoiceId, 'credited');
  const buyer = await selectBuyer(trx, original.organisation_id);
  await mailInvoice(trx, id, buyer, options);
  await recordAudit(trx, {
    actorUserId: options.actorUserId,
    kind: 'credit_note',
    subject: `invoice ${invoiceNumberText(original)}`,
    details: { invoiceId, creditNoteId: id, amountExclVatOre: amountExclVat },
  });
  return { invoiceId: id, series: seller.invoice_series, number };
}

/** Everything an invoice's PDF is made from, read from its immutable rows. */
export async function loadInvoiceDocument(db: DbOrTrx, invoiceId: number): Promise<InvoiceDocument | undefined> {
  const invoice = await selectInvoice(db, invoiceId);
  if (!invoice) return undefined;
  // One after another: `db` is often a transaction, one connection that runs one query at a time.
  const lines = await selectInvoiceLines(db, invoiceId);
  const seller = await selectSeller(db, invoice.operator_settings_id);
  const credits = invoice.credits_invoice_id === null ? undefined : await selectInvoice(db, invoice.credits_invoice_id);
  return { invoice, lines, seller, ...(credits ? { credits } : {}) };
}

async function sellerOn(db: DbOrTrx, date: CalendarDate): Promise<SellerRow> {
  const seller = await selectSellerOn(db, date);
  if (!seller) throw new AppError('conflict', 'invoices.errors.noOperatorSettings');
  return seller;
}

/** Renders the PDF from the rows just written (the same bytes a later download gets) and queues it to the buyer. */
async function mailInvoice(
  trx: Knex.Transaction,
  invoiceId: number,
  buyer: { slug: string } | undefined,
  options: IssueOptions,
): Promise<void> {
  const document = (await loadInvoiceDocument(trx, invoiceId))!;
  const { invoice, seller } = document;
  const pdf = await invoicePdf(document);
  const invoiceTitle = (await invoiceTexts())(
    invoice.kind === 'credit_note' ? 'invoicePdf.titleCreditNote' : 'invoicePdf.titleInvoice',
    {
      number: invoiceNumberText(invoice),
    },
  );
  await queueMail(trx, {
    to: invoice.buyer_email,
    template: 'invoice',
    language: 'sv',
    data: {
      ...(options.publicUrl && buyer ? { url: `${options.publicUrl}${organisationInvoicesPath(buyer.slug)}` } : {}),
      creditNote: invoice.kind === 'credit_note',
      title: invoiceTitle,
      organisationName: invoice.buyer_name,
      invoiceNumber: invoiceNumberText(invoice),
      total: formatMoney(invoice.total_ore, 'sv'),
      dueDate: formatDate(invoice.due_date, 'sv'),
      ocr: invoice.ocr,
      sellerName: seller.name,
      sellerEmail: seller.email,
    },
    attachments: [{ filename: invoiceFilename(invoice), contentType: pdfContentType, content: pdf }],
  });
}
