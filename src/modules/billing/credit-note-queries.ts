import type { CalendarDate } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import { oreFromDatabase, type Ore } from '../../platform/money.js';
import type { InvoiceKind, InvoiceStatus } from './invoice-queries.js';

// What payroll's invoice pages read besides the invoice row itself (invoice-queries.ts selectInvoice): the list of
// every invoice, an invoice found by its printed number, its credit notes, its payments and its salary.

export interface PayrollInvoiceRow {
  id: number;
  kind: InvoiceKind;
  series: string;
  number: number;
  invoiceDate: CalendarDate;
  totalOre: Ore;
  status: InvoiceStatus;
  buyerName: string;
  creditsSeries: string | null;
  creditsNumber: number | null;
}

/** Newest first, credit notes among the invoices they change. */
export async function selectPayrollInvoices(db: DbOrTrx, limit: number): Promise<PayrollInvoiceRow[]> {
  const rows = (await db('invoices as i')
    .leftJoin('invoices as c', 'c.id', 'i.credits_invoice_id')
    .orderBy([
      { column: 'i.invoice_date', order: 'desc' },
      { column: 'i.id', order: 'desc' },
    ])
    .limit(limit)
    .select(
      'i.id',
      'i.kind',
      'i.series',
      'i.number',
      'i.invoice_date as invoiceDate',
      'i.total_ore as totalOre',
      'i.status',
      'i.buyer_name as buyerName',
      'c.series as creditsSeries',
      'c.number as creditsNumber',
    )) as Array<Omit<PayrollInvoiceRow, 'totalOre'> & { totalOre: number }>;
  return rows.map((row) => ({ ...row, totalOre: oreFromDatabase(row.totalOre) }));
}

/** The ids of the invoices and credit notes with this number: in `series`, or in any series when it is left out. */
export async function selectInvoiceIdsByNumber(db: DbOrTrx, number: number, series?: string): Promise<number[]> {
  const rows = (await db('invoices')
    .where({ number, ...(series === undefined ? {} : { series }) })
    .orderBy('id')
    .limit(2)
    .select('id')) as Array<{ id: number }>;
  return rows.map((row) => row.id);
}

export interface CreditNoteRow {
  id: number;
  series: string;
  number: number;
  invoiceDate: CalendarDate;
  amountExclVatOre: Ore;
  totalOre: Ore;
  creditReason: string | null;
}

/** The credit notes of an invoice, oldest first. */
export async function selectCreditNotesOf(db: DbOrTrx, invoiceId: number): Promise<CreditNoteRow[]> {
  const rows = (await db('invoices')
    .where({ credits_invoice_id: invoiceId })
    .orderBy('id')
    .select(
      'id',
      'series',
      'number',
      'invoice_date as invoiceDate',
      'amount_excl_vat_ore as amountExclVatOre',
      'total_ore as totalOre',
      'credit_reason as creditReason',
    )) as Array<Omit<CreditNoteRow, 'amountExclVatOre' | 'totalOre'> & { amountExclVatOre: number; totalOre: number }>;
  return rows.map((row) => ({
    ...row,
    amountExclVatOre: oreFromDatabase(row.amountExclVatOre),
    totalOre: oreFromDatabase(row.totalOre),
  }));
}

/** What has been paid to the invoice so far. */
export async function selectPaidOre(db: DbOrTrx, invoiceId: number): Promise<Ore> {
  const row = (await db('payments').where({ invoice_id: invoiceId }).first(db.raw('COALESCE(SUM(amount_ore), 0) AS sum'))) as {
    sum: string;
  };
  return oreFromDatabase(row.sum);
}

/** The salary computed from the invoice, if any (one per invoice), and the day it was paid out. */
export async function selectSalaryOf(
  db: DbOrTrx,
  invoiceId: number,
): Promise<{ id: number; paidOn: CalendarDate | null } | undefined> {
  return (await db('salaries').where({ invoice_id: invoiceId }).first('id', 'paid_on as paidOn')) as
    { id: number; paidOn: CalendarDate | null } | undefined;
}
