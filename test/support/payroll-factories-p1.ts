import { todayInStockholm } from '../../src/platform/calendar.js';
import type { Db } from '../../src/platform/db.js';
import { ocrReference } from '../../src/platform/ocr.js';
import { ensureOperatorSettings } from './billing-factories-f.js';

// Paid invoices (and credit notes) for the salary tests, written straight to the database as
// billing-factories-f.ts does: issuing and paying them are other tests' subjects. A series of their own (P1), so
// their numbers never meet another factory's.

let sequence = 0;

interface InvoiceRow {
  kind: 'invoice' | 'credit_note';
  organisationId: number;
  workerUserId: number | null;
  amountExclVatOre: number;
  expensesOre: number;
  creditsInvoiceId?: number;
  status: 'unpaid' | 'paid' | 'credited';
}

async function insertInvoice(db: Db, row: InvoiceRow): Promise<{ id: number; number: number }> {
  const n = ++sequence;
  const today = todayInStockholm();
  const vat = row.amountExclVatOre / 4;
  const [inserted] = await db('invoices')
    .insert({
      kind: row.kind,
      series: 'P1',
      number: n,
      credits_invoice_id: row.creditsInvoiceId ?? null,
      credit_reason: row.kind === 'credit_note' ? 'Delvis kreditering' : null,
      operator_settings_id: await ensureOperatorSettings(db),
      organisation_id: row.organisationId,
      worker_user_id: row.workerUserId,
      buyer_name: `Lönetestföreningen ${n}`,
      buyer_address: 'Byvägen 2, 98132 Kiruna',
      buyer_email: `lon${n}@forening.example.se`,
      invoice_date: today,
      due_date: today,
      delivery_start: today,
      delivery_end: today,
      ocr: ocrReference(`8${process.pid}${n}`, { lengthDigit: true }),
      vat_bp: 2500,
      amount_excl_vat_ore: row.amountExclVatOre,
      vat_ore: vat,
      total_ore: row.amountExclVatOre + vat,
      expenses_ore: row.expensesOre,
      fee_ore: Math.round((row.amountExclVatOre * 6) / 100),
      status: row.status,
      paid_at: row.status === 'paid' ? new Date() : null,
    })
    .returning<{ id: number }[]>('id');
  return { id: inserted!.id, number: n };
}

/** A fully paid invoice to `organisationId` for `workerUserId`: 40 000 kr excl. VAT (the anchor) unless told otherwise. */
export function createPaidInvoiceP1(
  db: Db,
  options: { organisationId: number; workerUserId: number | null; amountExclVatOre?: number; expensesOre?: number },
): Promise<{ id: number; number: number }> {
  return insertInvoice(db, {
    kind: 'invoice',
    organisationId: options.organisationId,
    workerUserId: options.workerUserId,
    amountExclVatOre: options.amountExclVatOre ?? 4_000_000,
    expensesOre: options.expensesOre ?? 0,
    status: 'paid',
  });
}

/** A credit note of `amountExclVatOre` (positive: it is stored negative) on the invoice. */
export function createCreditNoteP1(
  db: Db,
  invoice: { id: number },
  options: { organisationId: number; workerUserId: number | null; amountExclVatOre: number },
): Promise<{ id: number; number: number }> {
  return insertInvoice(db, {
    kind: 'credit_note',
    organisationId: options.organisationId,
    workerUserId: options.workerUserId,
    amountExclVatOre: -options.amountExclVatOre,
    expensesOre: 0,
    creditsInvoiceId: invoice.id,
    status: 'credited',
  });
}
