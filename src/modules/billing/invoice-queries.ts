import type { Knex } from 'knex';
import type { CalendarDate } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import { oreFromDatabase, type Ore } from '../../platform/money.js';

// The knex code of invoices and credit notes (invoices.ts issues them, invoice-service.ts lists them).

export type InvoiceKind = 'invoice' | 'credit_note';
export type InvoiceStatus = 'unpaid' | 'paid' | 'credited' | 'collection';

/** The operator's settings as one dated version (operator_settings). */
export interface SellerRow {
  id: number;
  valid_from: CalendarDate;
  name: string;
  organisation_number: string;
  vat_number: string;
  street_address: string;
  postal_code: string;
  city: string;
  bankgiro: string;
  f_tax_approved: boolean;
  fee_bp: number;
  payment_terms_days: number;
  invoice_series: string;
  email: string;
}

export interface InvoiceRow {
  id: number;
  kind: InvoiceKind;
  series: string;
  number: number;
  credits_invoice_id: number | null;
  basis_id: number | null;
  operator_settings_id: number;
  organisation_id: number;
  worker_user_id: number | null;
  buyer_name: string;
  buyer_address: string;
  buyer_email: string;
  buyer_organisation_number: string | null;
  invoice_date: CalendarDate;
  due_date: CalendarDate;
  delivery_start: CalendarDate;
  delivery_end: CalendarDate;
  ocr: string;
  vat_bp: number;
  vat_reason: string | null;
  amount_excl_vat_ore: Ore;
  vat_ore: Ore;
  total_ore: Ore;
  expenses_ore: Ore;
  fee_ore: Ore;
  status: InvoiceStatus;
  subject: string | null;
  our_reference: string | null;
  credit_reason: string | null;
  created_at: Date;
}

export interface InvoiceLineRow {
  position: number;
  description: string;
  quantity_hundredths: number | null;
  unit_price_ore: Ore | null;
  amount_ore: Ore;
}

// ---------------------------------------------------------------------------
// What an invoice is made from

export interface ApprovedBasis {
  id: number;
  status: string;
  organisationId: number;
  workerUserId: number | null;
  periodStart: CalendarDate;
  periodEnd: CalendarDate;
  vatBp: number;
  vatReason: string | null;
  assignmentTitle: string;
  workerName: string | null;
}

/** The basis, locked: a second issue for it waits and then finds the first invoice. */
export async function selectBasisForInvoice(trx: Knex.Transaction, basisId: number): Promise<ApprovedBasis | undefined> {
  const row = (await trx('billing_bases as b')
    .join('assignments as a', 'a.id', 'b.assignment_id')
    .leftJoin('users as u', 'u.id', 'b.worker_user_id')
    .where('b.id', basisId)
    .forUpdate('b')
    .first(
      'b.id',
      'b.status',
      'b.organisation_id as organisationId',
      'b.worker_user_id as workerUserId',
      'b.period_start as periodStart',
      'b.period_end as periodEnd',
      'b.vat_bp as vatBp',
      'b.vat_reason as vatReason',
      'a.title as assignmentTitle',
      'u.name as workerName',
    )) as ApprovedBasis | undefined;
  return row;
}

export interface BasisLine {
  description: string;
  quantityHundredths: number | null;
  unitPriceOre: Ore | null;
  amountOre: Ore;
}

/** The work lines in their order, then the expenses in the order they were added (repaid as paid). */
export async function selectBasisLinesAndExpenses(
  db: DbOrTrx,
  basisId: number,
): Promise<{ lines: BasisLine[]; expenses: Array<{ description: string; amountOre: Ore }> }> {
  // One after another: `db` is the issuing transaction, one connection that runs one query at a time.
  const lines = (await db('billing_basis_lines')
    .where({ basis_id: basisId })
    .orderBy('position')
    .select('description', 'quantity_hundredths', 'unit_price_ore', 'amount_ore')) as Array<{
    description: string;
    quantity_hundredths: number | null;
    unit_price_ore: number | null;
    amount_ore: number;
  }>;
  const expenses = (await db('billing_basis_expenses')
    .where({ basis_id: basisId })
    .orderBy('id')
    .select('description', 'amount_ore')) as Array<{ description: string; amount_ore: number }>;
  return {
    lines: lines.map((line) => ({
      description: line.description,
      quantityHundredths: line.quantity_hundredths,
      unitPriceOre: line.unit_price_ore === null ? null : oreFromDatabase(line.unit_price_ore),
      amountOre: oreFromDatabase(line.amount_ore),
    })),
    expenses: expenses.map((expense) => ({ description: expense.description, amountOre: oreFromDatabase(expense.amount_ore) })),
  };
}

/** The version of the operator's settings in force on `date`: the latest valid_from on or before it. */
export async function selectSellerOn(db: DbOrTrx, date: CalendarDate): Promise<SellerRow | undefined> {
  return (await db('operator_settings').where('valid_from', '<=', date).orderBy('valid_from', 'desc').first()) as
    SellerRow | undefined;
}

export interface Buyer {
  name: string;
  slug: string;
  address: string;
  billingEmail: string | null;
  organisationNumber: string | null;
  /** Where the organisation is, for one that has given no address. */
  localityName: string | null;
  municipalityName: string;
}

export async function selectBuyer(db: DbOrTrx, organisationId: number): Promise<Buyer | undefined> {
  return (await db('organisations as o')
    .join('municipalities as m', 'm.code', 'o.municipality_code')
    .leftJoin('localities as l', 'l.id', 'o.locality_id')
    .where('o.id', organisationId)
    .first(
      'o.name',
      'o.slug',
      'o.address',
      'o.billing_email as billingEmail',
      'o.organisation_number as organisationNumber',
      'l.name as localityName',
      'm.short_name as municipalityName',
    )) as Buyer | undefined;
}

/** Where invoices go when the organisation has no billing address: its longest-standing admin, else member. */
export async function selectMemberEmailForInvoices(db: DbOrTrx, organisationId: number): Promise<string | undefined> {
  const row = (await db('organisation_members as om')
    .join('users as u', 'u.id', 'om.user_id')
    .where('om.organisation_id', organisationId)
    .orderByRaw(`(om.role = 'admin') DESC, om.created_at, om.user_id`)
    .first('u.email')) as { email: string } | undefined;
  return row?.email;
}

/**
 * The next number of `series`, taken under a row lock held to the end of the transaction: concurrent issuers
 * queue on the row, and a transaction that rolls back gives its number back with it (a sequence would not).
 */
export async function takeInvoiceNumber(trx: Knex.Transaction, series: string): Promise<number> {
  await trx('invoice_number_counters').insert({ series, next_number: 1 }).onConflict('series').ignore();
  const row = (await trx('invoice_number_counters').where({ series }).forUpdate().first('next_number')) as {
    next_number: number;
  };
  await trx('invoice_number_counters')
    .where({ series })
    .update({ next_number: row.next_number + 1 });
  return row.next_number;
}

/** An id for an invoice before it is inserted: its OCR reference is made from it (see invoices.ts). */
export async function reserveInvoiceId(trx: Knex.Transaction): Promise<number> {
  const { rows } = (await trx.raw(`SELECT nextval(pg_get_serial_sequence('invoices', 'id')) AS id`)) as {
    rows: Array<{ id: string | number }>;
  };
  return Number(rows[0]!.id);
}

export type NewInvoice = Omit<InvoiceRow, 'status' | 'created_at'> & { status?: InvoiceStatus };

export async function insertInvoice(trx: Knex.Transaction, invoice: NewInvoice, lines: readonly InvoiceLineRow[]): Promise<void> {
  await trx('invoices').insert(invoice);
  await trx('invoice_lines').insert(lines.map((line) => ({ ...line, invoice_id: invoice.id })));
}

// ---------------------------------------------------------------------------
// Reading issued invoices

const AMOUNT_COLUMNS = ['amount_excl_vat_ore', 'vat_ore', 'total_ore', 'expenses_ore', 'fee_ore'] as const;

function toInvoiceRow(row: Record<string, unknown>): InvoiceRow {
  const invoice = { ...row } as unknown as InvoiceRow;
  for (const column of AMOUNT_COLUMNS) invoice[column] = oreFromDatabase(row[column] as number);
  return invoice;
}

export async function selectInvoice(db: DbOrTrx, invoiceId: number, { lock = false } = {}): Promise<InvoiceRow | undefined> {
  const query = db('invoices').where({ id: invoiceId });
  const row = (await (lock ? query.forUpdate() : query).first()) as Record<string, unknown> | undefined;
  return row && toInvoiceRow(row);
}

export async function selectInvoiceLines(db: DbOrTrx, invoiceId: number): Promise<InvoiceLineRow[]> {
  const rows = (await db('invoice_lines')
    .where({ invoice_id: invoiceId })
    .orderBy('position')
    .select('position', 'description', 'quantity_hundredths', 'unit_price_ore', 'amount_ore')) as Array<
    Omit<InvoiceLineRow, 'unit_price_ore' | 'amount_ore'> & { unit_price_ore: number | null; amount_ore: number }
  >;
  return rows.map((row) => ({
    ...row,
    unit_price_ore: row.unit_price_ore === null ? null : oreFromDatabase(row.unit_price_ore),
    amount_ore: oreFromDatabase(row.amount_ore),
  }));
}

export async function selectSeller(db: DbOrTrx, operatorSettingsId: number): Promise<SellerRow> {
  return (await db('operator_settings').where({ id: operatorSettingsId }).first()) as SellerRow;
}

/** What the credit notes of an invoice have taken off it so far (a negative sum, or 0). */
export async function selectCreditedExclVat(db: DbOrTrx, invoiceId: number): Promise<Ore> {
  const row = (await db('invoices')
    .where({ credits_invoice_id: invoiceId })
    .first(db.raw('COALESCE(SUM(amount_excl_vat_ore), 0) AS sum'))) as { sum: string };
  return oreFromDatabase(row.sum);
}

export async function setInvoiceStatus(trx: Knex.Transaction, invoiceId: number, status: InvoiceStatus): Promise<void> {
  await trx('invoices').where({ id: invoiceId }).update({ status });
}

export interface InvoiceListRow {
  id: number;
  kind: InvoiceKind;
  series: string;
  number: number;
  invoiceDate: CalendarDate;
  dueDate: CalendarDate;
  totalOre: Ore;
  status: InvoiceStatus;
  subject: string | null;
  buyerName: string;
  creditsSeries: string | null;
  creditsNumber: number | null;
}

function listQuery(db: DbOrTrx) {
  return db('invoices as i')
    .leftJoin('invoices as c', 'c.id', 'i.credits_invoice_id')
    .orderBy([
      { column: 'i.invoice_date', order: 'desc' },
      { column: 'i.id', order: 'desc' },
    ])
    .select(
      'i.id',
      'i.kind',
      'i.series',
      'i.number',
      'i.invoice_date as invoiceDate',
      'i.due_date as dueDate',
      'i.total_ore as totalOre',
      'i.status',
      'i.subject',
      'i.buyer_name as buyerName',
      'c.series as creditsSeries',
      'c.number as creditsNumber',
    );
}

/** At most this many on a list page: years of an association's invoices. */
const INVOICE_LIST_LIMIT = 500;

export async function selectOrganisationInvoices(db: DbOrTrx, organisationId: number): Promise<InvoiceListRow[]> {
  return (await listQuery(db).where('i.organisation_id', organisationId).limit(INVOICE_LIST_LIMIT)) as InvoiceListRow[];
}

export async function selectWorkerInvoices(db: DbOrTrx, workerUserId: number): Promise<InvoiceListRow[]> {
  return (await listQuery(db).where('i.worker_user_id', workerUserId).limit(INVOICE_LIST_LIMIT)) as InvoiceListRow[];
}

export async function selectOrganisationBySlug(
  db: DbOrTrx,
  slug: string,
): Promise<{ id: number; name: string; slug: string } | undefined> {
  return (await db('organisations').where({ slug }).first('id', 'name', 'slug')) as
    { id: number; name: string; slug: string } | undefined;
}
