import type { CalendarDate } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import { oreFromDatabase, type Ore } from '../../platform/money.js';
import type { LedgerAccountRow, LedgerPurpose } from './ledger-vouchers.js';

// The rows behind the operator's books and exports for one period: invoices and credit notes by invoice date,
// payments matched to an invoice by the day they were paid, salaries by payout date (and by payout day, when
// the database records payouts). A payment that matched no invoice is not in the books until payroll matches it.

export interface Period {
  from: CalendarDate;
  to: CalendarDate;
}

export async function selectLedgerAccounts(db: DbOrTrx): Promise<LedgerAccountRow[]> {
  const rows = await db('ledger_accounts').select<
    { purpose: LedgerPurpose; valid_from: string; account_number: number; name: string }[]
  >('purpose', 'valid_from', 'account_number', 'name');
  return rows.map((row) => ({
    purpose: row.purpose,
    validFrom: row.valid_from,
    accountNumber: row.account_number,
    name: row.name,
  }));
}

export interface InvoiceExportRow {
  kind: 'invoice' | 'credit_note';
  series: string;
  number: number;
  creditsLabel: string | null;
  buyerName: string;
  buyerOrganisationNumber: string | null;
  invoiceDate: CalendarDate;
  dueDate: CalendarDate;
  ocr: string;
  vatBp: number;
  amountExclVatOre: Ore;
  vatOre: Ore;
  totalOre: Ore;
  expensesOre: Ore;
  feeOre: Ore;
  status: string;
}

export async function selectInvoicesIn(db: DbOrTrx, period: Period): Promise<InvoiceExportRow[]> {
  const rows = await db('invoices as i')
    .leftJoin('invoices as credited', 'credited.id', 'i.credits_invoice_id')
    .whereBetween('i.invoice_date', [period.from, period.to])
    .orderBy([{ column: 'i.invoice_date' }, { column: 'i.series' }, { column: 'i.number' }])
    .select(
      'i.kind',
      'i.series',
      'i.number',
      'credited.series as credited_series',
      'credited.number as credited_number',
      'i.buyer_name',
      'i.buyer_organisation_number',
      'i.invoice_date',
      'i.due_date',
      'i.ocr',
      'i.vat_bp',
      'i.amount_excl_vat_ore',
      'i.vat_ore',
      'i.total_ore',
      'i.expenses_ore',
      'i.fee_ore',
      'i.status',
    );
  return rows.map((row) => ({
    kind: row.kind,
    series: row.series,
    number: row.number,
    creditsLabel: row.credited_series === null ? null : `${row.credited_series}-${row.credited_number}`,
    buyerName: row.buyer_name,
    buyerOrganisationNumber: row.buyer_organisation_number,
    invoiceDate: row.invoice_date,
    dueDate: row.due_date,
    ocr: row.ocr,
    vatBp: row.vat_bp,
    amountExclVatOre: oreFromDatabase(row.amount_excl_vat_ore),
    vatOre: oreFromDatabase(row.vat_ore),
    totalOre: oreFromDatabase(row.total_ore),
    expensesOre: oreFromDatabase(row.expenses_ore),
    feeOre: oreFromDatabase(row.fee_ore),
    status: row.status,
  }));
}

export interface PaymentExportRow {
  paidOn: CalendarDate;
  amountOre: Ore;
  invoiceLabel: string;
  reference: string;
  source: string;
}

export async function selectMatchedPaymentsIn(db: DbOrTrx, period: Period): Promise<PaymentExportRow[]> {
  const rows = await db('payments as p')
    .join('invoices as i', 'i.id', 'p.invoice_id')
    .whereBetween('p.paid_on', [period.from, period.to])
    .orderBy([{ column: 'p.paid_on' }, { column: 'p.id' }])
    .select('p.paid_on', 'p.amount_ore', 'i.series', 'i.number', 'p.reference', 'p.source');
  return rows.map((row) => ({
    paidOn: row.paid_on,
    amountOre: oreFromDatabase(row.amount_ore),
    invoiceLabel: `${row.series}-${row.number}`,
    reference: row.reference,
    source: row.source,
  }));
}

export interface SalaryExportRow {
  invoiceLabel: string;
  workerName: string | null;
  payoutDate: CalendarDate;
  paidOn: CalendarDate | null;
  invoiceExclVatOre: Ore;
  feeOre: Ore;
  contributionsOre: Ore;
  grossOre: Ore;
  vacationPayOre: Ore;
  taxBp: number;
  taxOre: Ore;
  expensesOre: Ore;
  netOre: Ore;
  roundingOre: Ore;
}

/** Salaries calculated (payout date) or paid out (paid_on) within the period. */
export async function selectSalariesIn(db: DbOrTrx, period: Period): Promise<SalaryExportRow[]> {
  const query = db('salaries as s')
    .join('invoices as i', 'i.id', 's.invoice_id')
    .leftJoin('users as u', 'u.id', 's.worker_user_id')
    .where((where) => {
      where.whereBetween('s.payout_date', [period.from, period.to]);
      where.orWhereBetween('s.paid_on', [period.from, period.to]);
    })
    .orderBy([{ column: 's.payout_date' }, { column: 's.id' }])
    .select(
      'i.series',
      'i.number',
      'u.name as worker_name',
      's.payout_date',
      's.invoice_excl_vat_ore',
      's.fee_ore',
      's.contributions_ore',
      's.gross_ore',
      's.vacation_pay_ore',
      's.tax_bp',
      's.tax_ore',
      's.expenses_ore',
      's.net_ore',
      's.rounding_ore',
      's.paid_on',
    );
  const rows = await query;
  return rows.map((row) => ({
    invoiceLabel: `${row.series}-${row.number}`,
    workerName: row.worker_name,
    payoutDate: row.payout_date,
    paidOn: row.paid_on ?? null,
    invoiceExclVatOre: oreFromDatabase(row.invoice_excl_vat_ore),
    feeOre: oreFromDatabase(row.fee_ore),
    contributionsOre: oreFromDatabase(row.contributions_ore),
    grossOre: oreFromDatabase(row.gross_ore),
    vacationPayOre: oreFromDatabase(row.vacation_pay_ore),
    taxBp: row.tax_bp,
    taxOre: oreFromDatabase(row.tax_ore),
    expensesOre: oreFromDatabase(row.expenses_ore),
    netOre: oreFromDatabase(row.net_ore),
    roundingOre: oreFromDatabase(row.rounding_ore),
  }));
}
