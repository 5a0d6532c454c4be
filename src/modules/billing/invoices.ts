import type { Knex } from 'knex';
import type { CalendarDate } from '../../platform/calendar.js';

// Invoices and credit notes from the operator to an organisation. INTERFACE FIXED FOR THE HELPERS OF ISSUE 11;
// the implementation is being written.

export interface IssuedInvoice {
  invoiceId: number;
  series: string;
  number: number;
}

/**
 * Issues the invoice of an approved billing basis inside the approval's transaction: the next number of the
 * series (gapless: a locked counter row), the OCR reference, the operator's settings valid on `invoiceDate`,
 * the buyer as it is now, lines, VAT and fee; stores the PDF and queues the mail with it to the organisation's
 * billing address. Throws an AppError (409) when the operator has no settings valid on that date.
 */
export async function issueInvoice(_trx: Knex.Transaction, _basisId: number, _invoiceDate: CalendarDate): Promise<IssuedInvoice> {
  throw new Error('issueInvoice: not written yet');
}
