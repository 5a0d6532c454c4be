import { STOCKHOLM_TIME_ZONE, type CalendarDate } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import { oreFromDatabase, type Ore } from '../../platform/money.js';

// Payments, bank-file imports and reminders: the payment state of invoices. An invoice's amount due is its total
// with its credit notes (negative totals) taken off; it is paid when its payments reach that.

/** An invoice as payroll sees it: what is due, what has come in, how far the reminders have gone. */
export interface InvoicePaymentState {
  id: number;
  series: string;
  number: number;
  ocr: string;
  buyerName: string;
  organisationId: number;
  workerUserId: number | null;
  invoiceDate: CalendarDate;
  dueDate: CalendarDate;
  status: 'unpaid' | 'paid' | 'credited' | 'collection';
  totalOre: Ore;
  /** The total less its credit notes. */
  dueOre: Ore;
  paidOre: Ore;
  /** The highest reminder sent, 0 for none. */
  reminderLevel: number;
  collectionAt: Date | null;
}

interface InvoiceStateRow {
  id: number;
  series: string;
  number: number;
  ocr: string;
  buyer_name: string;
  organisation_id: number;
  worker_user_id: number | null;
  invoice_date: string;
  due_date: string;
  status: InvoicePaymentState['status'];
  total_ore: number;
  due_ore: string;
  paid_ore: string;
  reminder_level: number | null;
  collection_at: Date | null;
}

const STATE_COLUMNS = `
  i.id, i.series, i.number, i.ocr, i.buyer_name, i.organisation_id, i.worker_user_id, i.invoice_date, i.due_date,
  i.status, i.total_ore, i.collection_at,
  i.total_ore + COALESCE((SELECT sum(c.total_ore) FROM invoices c WHERE c.credits_invoice_id = i.id), 0) AS due_ore,
  COALESCE((SELECT sum(p.amount_ore) FROM payments p WHERE p.invoice_id = i.id), 0) AS paid_ore,
  (SELECT max(r.level) FROM invoice_reminders r WHERE r.invoice_id = i.id) AS reminder_level`;

const toState = (row: InvoiceStateRow): InvoicePaymentState => ({
  id: row.id,
  series: row.series,
  number: row.number,
  ocr: row.ocr,
  buyerName: row.buyer_name,
  organisationId: row.organisation_id,
  workerUserId: row.worker_user_id,
  invoiceDate: row.invoice_date,
  dueDate: row.due_date,
  status: row.status,
  totalOre: oreFromDatabase(row.total_ore),
  dueOre: oreFromDatabase(row.due_ore),
  paidOre: oreFromDatabase(row.paid_ore),
  reminderLevel: row.reminder_level ?? 0,
  collectionAt: row.collection_at,
});

async function selectStates(
  db: DbOrTrx,
  where: string,
  bindings: readonly number[] = [],
  suffix = '',
): Promise<InvoicePaymentState[]> {
  const { rows } = await db.raw<{ rows: InvoiceStateRow[] }>(
    `SELECT ${STATE_COLUMNS} FROM invoices i WHERE i.kind = 'invoice' AND (${where}) ${suffix}`,
    bindings,
  );
  return rows.map(toState);
}

/**
 * Locks an invoice (not a credit note) for the rest of the transaction and returns its payment state: payments
 * to one invoice are settled one at a time, so "fully paid" happens once. By id or by OCR reference.
 */
export async function lockInvoice(trx: DbOrTrx, by: { id: number } | { ocr: string }): Promise<InvoicePaymentState | undefined> {
  const found = await trx('invoices')
    .where('kind', 'invoice')
    .where('id' in by ? { id: by.id } : { ocr: by.ocr })
    .forUpdate()
    .first('id');
  if (!found) return undefined;
  const [state] = await selectStates(trx, 'i.id = ?', [found.id]);
  return state;
}

/** Invoices that still wait for money (unpaid or with the collection agency), oldest due first. */
export function selectOpenInvoices(db: DbOrTrx, limit: number): Promise<InvoicePaymentState[]> {
  return selectStates(db, `i.status IN ('unpaid', 'collection')`, [], `ORDER BY i.due_date, i.id LIMIT ${Number(limit)}`);
}

/** Invoices whose payments exceed what is due (the excess is to be paid back or settled). */
export function selectOverpaidInvoices(db: DbOrTrx, limit: number): Promise<InvoicePaymentState[]> {
  return selectStates(
    db,
    `COALESCE((SELECT sum(p.amount_ore) FROM payments p WHERE p.invoice_id = i.id), 0)
       > i.total_ore + COALESCE((SELECT sum(c.total_ore) FROM invoices c WHERE c.credits_invoice_id = i.id), 0)`,
    [],
    `ORDER BY i.id DESC LIMIT ${Number(limit)}`,
  );
}

export interface NewPayment {
  invoiceId: number | null;
  amountOre: Ore;
  paidOn: CalendarDate;
  reference: string;
  source: 'manual' | 'bgmax' | 'csv';
  importId?: number;
  importLine?: number;
  registeredBy: number;
}

/** Adds a payment; undefined when the import already holds that line (the same file again). */
export async function insertPayment(trx: DbOrTrx, payment: NewPayment): Promise<number | undefined> {
  const [row] = await trx('payments')
    .insert({
      invoice_id: payment.invoiceId,
      amount_ore: payment.amountOre,
      paid_on: payment.paidOn,
      reference: payment.reference,
      source: payment.source,
      import_id: payment.importId ?? null,
      import_line: payment.importLine ?? null,
      registered_by: payment.registeredBy,
    })
    .onConflict(['import_id', 'import_line'])
    .ignore()
    .returning<{ id: number }[]>('id');
  return row?.id;
}

export async function markInvoicePaid(trx: DbOrTrx, invoiceId: number): Promise<void> {
  await trx('invoices').where('id', invoiceId).update({ status: 'paid', paid_at: trx.fn.now() });
}

/** Records a file; undefined when a file with these bytes was imported before. */
export async function insertPaymentImport(
  trx: DbOrTrx,
  file: { sha256: string; filename: string; format: 'bgmax' | 'csv'; importedBy: number },
): Promise<number | undefined> {
  const [row] = await trx('payment_imports')
    .insert({ file_sha256: file.sha256, filename: file.filename, format: file.format, imported_by: file.importedBy })
    .onConflict('file_sha256')
    .ignore()
    .returning<{ id: number }[]>('id');
  return row?.id;
}

export async function selectImportIdBySha256(db: DbOrTrx, sha256: string): Promise<number | undefined> {
  const row = await db('payment_imports').where('file_sha256', sha256).first<{ id: number } | undefined>('id');
  return row?.id;
}

export interface ImportSummary {
  id: number;
  filename: string;
  importedAt: Date;
  payments: number;
  matched: number;
  totalOre: Ore;
}

export async function selectImportSummary(db: DbOrTrx, importId: number): Promise<ImportSummary | undefined> {
  const row = await db('payment_imports as m')
    .leftJoin('payments as p', 'p.import_id', 'm.id')
    .where('m.id', importId)
    .groupBy('m.id')
    .first<{ id: number; filename: string; imported_at: Date; payments: string; matched: string; total_ore: string } | undefined>(
      'm.id',
      'm.filename',
      'm.imported_at',
      db.raw('count(p.id) AS payments'),
      db.raw('count(p.invoice_id) AS matched'),
      db.raw('COALESCE(sum(p.amount_ore), 0) AS total_ore'),
    );
  if (!row) return undefined;
  return {
    id: row.id,
    filename: row.filename,
    importedAt: row.imported_at,
    payments: Number(row.payments),
    matched: Number(row.matched),
    totalOre: oreFromDatabase(row.total_ore),
  };
}

export interface UnmatchedPayment {
  id: number;
  amountOre: Ore;
  paidOn: CalendarDate;
  reference: string;
  source: string;
  filename: string | null;
  importLine: number | null;
}

export async function selectUnmatchedPayments(db: DbOrTrx, limit: number): Promise<UnmatchedPayment[]> {
  const rows = await db('payments as p')
    .leftJoin('payment_imports as m', 'm.id', 'p.import_id')
    .whereNull('p.invoice_id')
    .orderBy([{ column: 'p.paid_on' }, { column: 'p.id' }])
    .limit(limit)
    .select<
      Array<{
        id: number;
        amount_ore: number;
        paid_on: string;
        reference: string;
        source: string;
        filename: string | null;
        import_line: number | null;
      }>
    >('p.id', 'p.amount_ore', 'p.paid_on', 'p.reference', 'p.source', 'm.filename', 'p.import_line');
  return rows.map((row) => ({
    id: row.id,
    amountOre: oreFromDatabase(row.amount_ore),
    paidOn: row.paid_on,
    reference: row.reference,
    source: row.source,
    filename: row.filename,
    importLine: row.import_line,
  }));
}

/** Locks an unmatched payment; undefined when there is none by that id (or it is matched already). */
export async function lockUnmatchedPayment(trx: DbOrTrx, paymentId: number): Promise<{ id: number; amountOre: Ore } | undefined> {
  const row = await trx('payments')
    .where('id', paymentId)
    .whereNull('invoice_id')
    .forUpdate()
    .first<{ id: number; amount_ore: number } | undefined>('id', 'amount_ore');
  return row && { id: row.id, amountOre: oreFromDatabase(row.amount_ore) };
}

export async function setPaymentInvoice(trx: DbOrTrx, paymentId: number, invoiceId: number): Promise<void> {
  await trx('payments').where('id', paymentId).whereNull('invoice_id').update({ invoice_id: invoiceId });
}

export async function selectOrganisationSlug(db: DbOrTrx, organisationId: number): Promise<string> {
  const row = await db('organisations').where('id', organisationId).first<{ slug: string }>('slug');
  return row.slug;
}

export async function selectOrganisationMemberIds(db: DbOrTrx, organisationId: number): Promise<number[]> {
  const rows = await db('organisation_members').where('organisation_id', organisationId).select<{ user_id: number }[]>('user_id');
  return rows.map((row) => row.user_id);
}

// --- reminders ----------------------------------------------------------------------------------------------------

/** What a reminder mail needs about an invoice. */
export interface ReminderInvoice {
  id: number;
  series: string;
  number: number;
  ocr: string;
  dueDate: CalendarDate;
  buyerName: string;
  /** The organisation's billing address now, or the one on the invoice when it has none. */
  email: string;
  bankgiro: string;
  sellerName: string;
  sellerEmail: string;
  dueOre: Ore;
  paidOre: Ore;
}

/** The reminder of `level` went out on a Stockholm day before `today`. */
const sentBefore = (level: 1 | 2) =>
  `EXISTS (SELECT 1 FROM invoice_reminders r WHERE r.invoice_id = i.id AND r.level = ${level}
     AND (r.sent_at AT TIME ZONE '${STOCKHOLM_TIME_ZONE}')::date < CAST(:today AS date))`;

/**
 * Unpaid invoices that are due a reminder of `level` on `today` (Stockholm dates), none sent at that level yet:
 * level 1 from the day after the due date; level 2 from `interval` days after that, once the first went out on an
 * earlier day (so a catch-up after downtime never sends both at once).
 */
export async function selectInvoicesDueReminder(
  db: DbOrTrx,
  level: 1 | 2,
  today: CalendarDate,
  interval: number,
): Promise<ReminderInvoice[]> {
  const condition =
    level === 1
      ? `i.due_date + 1 <= CAST(:today AS date)`
      : `i.due_date + 1 + CAST(:interval AS integer) <= CAST(:today AS date) AND ${sentBefore(1)}`;
  const { rows } = await db.raw<{
    rows: Array<{
      id: number;
      series: string;
      number: number;
      ocr: string;
      due_date: string;
      buyer_name: string;
      email: string;
      bankgiro: string;
      seller_name: string;
      seller_email: string;
      due_ore: string;
      paid_ore: string;
    }>;
  }>(
    `SELECT i.id, i.series, i.number, i.ocr, i.due_date, i.buyer_name, COALESCE(o.billing_email::text, i.buyer_email) AS email,
       s.bankgiro, s.name AS seller_name, s.email AS seller_email,
       i.total_ore + COALESCE((SELECT sum(c.total_ore) FROM invoices c WHERE c.credits_invoice_id = i.id), 0) AS due_ore,
       COALESCE((SELECT sum(p.amount_ore) FROM payments p WHERE p.invoice_id = i.id), 0) AS paid_ore
     FROM invoices i
     JOIN organisations o ON o.id = i.organisation_id
     JOIN operator_settings s ON s.id = i.operator_settings_id
     WHERE i.kind = 'invoice' AND i.status = 'unpaid' AND ${condition}
       AND NOT EXISTS (SELECT 1 FROM invoice_reminders r WHERE r.invoice_id = i.id AND r.level = :level)
     ORDER BY i.id`,
    { today, level, interval },
  );
  return rows.map((row) => ({
    id: row.id,
    series: row.series,
    number: row.number,
    ocr: row.ocr,
    dueDate: row.due_date,
    buyerName: row.buyer_name,
    email: row.email,
    bankgiro: row.bankgiro,
    sellerName: row.seller_name,
    sellerEmail: row.seller_email,
    dueOre: oreFromDatabase(row.due_ore),
    paidOre: oreFromDatabase(row.paid_ore),
  }));
}

/** Records that a reminder went out; false when it had already (the primary key keeps each level to once). */
export async function insertReminder(trx: DbOrTrx, invoiceId: number, level: 1 | 2, sentAt: Date): Promise<boolean> {
  const rows = await trx('invoice_reminders')
    .insert({ invoice_id: invoiceId, level, sent_at: sentAt })
    .onConflict(['invoice_id', 'level'])
    .ignore()
    .returning('invoice_id');
  return rows.length > 0;
}

/**
 * Marks for collection the unpaid invoices `interval` days past their second reminder's day (the due date + 1 +
 * 2 × interval), once that reminder went out on an earlier day. Returns their ids.
 */
export async function markForCollection(trx: DbOrTrx, today: CalendarDate, interval: number, at: Date): Promise<number[]> {
  const { rows } = await trx.raw<{ rows: Array<{ id: number }> }>(
    `UPDATE invoices i SET status = 'collection', collection_at = :at
     WHERE i.kind = 'invoice' AND i.status = 'unpaid' AND i.due_date + 1 + 2 * CAST(:interval AS integer) <= CAST(:today AS date) AND ${sentBefore(2)}
     RETURNING i.id`,
    { today, interval, at },
  );
  return rows.map((row) => row.id).sort((a, b) => a - b);
}
