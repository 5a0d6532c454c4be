import type { CalendarDate } from '../../platform/calendar.js';
import { sumMoney, type Ore } from '../../platform/money.js';

// The operator's vouchers (verifikationer), built from the invoice, payment and salary rows when they are
// exported rather than stored: those rows are never changed once written (the database's triggers; a payout
// only sets paid_on once), so the same period always gives the same vouchers, and a stored copy could only
// drift from them. Pure: the rows and the dated account mapping (ledger_accounts) come in, vouchers go out.
// Positive amounts are debits, negative credits, as in SIE's #TRANS.

export type LedgerPurpose =
  | 'receivables'
  | 'sales_vat_25'
  | 'sales_vat_12'
  | 'sales_vat_6'
  | 'sales_vat_0'
  | 'output_vat_25'
  | 'output_vat_12'
  | 'output_vat_6'
  | 'bank'
  | 'salaries'
  | 'vacation_pay'
  | 'employer_contributions'
  | 'employer_contributions_liability'
  | 'withheld_tax'
  | 'net_pay_owed'
  | 'worker_expenses';

export interface LedgerAccountRow {
  purpose: LedgerPurpose;
  validFrom: CalendarDate;
  accountNumber: number;
  name: string;
}

export interface LedgerAccount {
  number: number;
  name: string;
}

export interface Transaction {
  account: LedgerAccount;
  amountOre: Ore;
}

export type VoucherKind = 'invoice' | 'credit_note' | 'payment' | 'salary' | 'payout';

export interface Voucher {
  kind: VoucherKind;
  date: CalendarDate;
  /** "Faktura UB-12 Byföreningen": what a bookkeeper reads in the journal. */
  text: string;
  transactions: Transaction[];
}

export interface LedgerInvoice {
  kind: 'invoice' | 'credit_note';
  label: string;
  buyerName: string;
  invoiceDate: CalendarDate;
  vatBp: number;
  amountExclVatOre: Ore;
  vatOre: Ore;
  totalOre: Ore;
}

export interface LedgerPayment {
  paidOn: CalendarDate;
  amountOre: Ore;
  invoiceLabel: string;
}

export interface LedgerSalary {
  invoiceLabel: string;
  payoutDate: CalendarDate;
  /** The day the net pay left the bank; null while unpaid (or when the database has no payouts yet). */
  paidOn: CalendarDate | null;
  contributionsOre: Ore;
  grossOre: Ore;
  vacationPayOre: Ore;
  taxOre: Ore;
  expensesOre: Ore;
  netOre: Ore;
}

/** A voucher whose transactions do not sum to zero: a bug here, never something to export. */
export class UnbalancedVoucherError extends Error {
  override readonly name = 'UnbalancedVoucherError';
}

/** Which account each purpose is booked on, on a date: the row with the latest valid_from on or before it. */
export class AccountMapping {
  private readonly rows: LedgerAccountRow[];

  constructor(rows: readonly LedgerAccountRow[]) {
    this.rows = [...rows].sort((a, b) => b.validFrom.localeCompare(a.validFrom));
  }

  accountFor(purpose: LedgerPurpose, date: CalendarDate): LedgerAccount {
    const row = this.rows.find((candidate) => candidate.purpose === purpose && candidate.validFrom <= date);
    if (!row) throw new Error(`No ledger account for ${purpose} on ${date}`);
    return { number: row.accountNumber, name: row.name };
  }
}

const VAT_PURPOSES: Record<number, { sales: LedgerPurpose; vat?: LedgerPurpose }> = {
  2500: { sales: 'sales_vat_25', vat: 'output_vat_25' },
  1200: { sales: 'sales_vat_12', vat: 'output_vat_12' },
  600: { sales: 'sales_vat_6', vat: 'output_vat_6' },
  0: { sales: 'sales_vat_0' },
};

export function invoiceVoucher(invoice: LedgerInvoice, accounts: AccountMapping): Voucher {
  const purposes = VAT_PURPOSES[invoice.vatBp];
  if (!purposes) throw new Error(`No sales account for VAT ${invoice.vatBp} bp`);
  const on = (purpose: LedgerPurpose) => accounts.accountFor(purpose, invoice.invoiceDate);
  // A credit note's amounts are negative, so the same lines reverse the invoice it credits.
  return voucher(
    invoice.kind,
    invoice.invoiceDate,
    `${invoice.kind === 'invoice' ? 'Faktura' : 'Kreditnota'} ${invoice.label} ${invoice.buyerName}`,
    [
      { account: on('receivables'), amountOre: invoice.totalOre },
      { account: on(purposes.sales), amountOre: negate(invoice.amountExclVatOre) },
      ...(purposes.vat ? [{ account: on(purposes.vat), amountOre: negate(invoice.vatOre) }] : []),
    ],
  );
}

export function paymentVoucher(payment: LedgerPayment, accounts: AccountMapping): Voucher {
  const on = (purpose: LedgerPurpose) => accounts.accountFor(purpose, payment.paidOn);
  return voucher('payment', payment.paidOn, `Inbetalning ${payment.invoiceLabel}`, [
    { account: on('bank'), amountOre: payment.amountOre },
    { account: on('receivables'), amountOre: negate(payment.amountOre) },
  ]);
}

/**
 * The salary's costs on its payout date: pay (the vacation-pay part apart), employer contributions and the
 * expenses repaid, against the contributions and tax owed to Skatteverket and the net owed to the worker.
 */
export function salaryVoucher(salary: LedgerSalary, accounts: AccountMapping): Voucher {
  const on = (purpose: LedgerPurpose) => accounts.accountFor(purpose, salary.payoutDate);
  return voucher('salary', salary.payoutDate, `Lön ${salary.invoiceLabel}`, [
    { account: on('salaries'), amountOre: (salary.grossOre - salary.vacationPayOre) as Ore },
    { account: on('vacation_pay'), amountOre: salary.vacationPayOre },
    { account: on('employer_contributions'), amountOre: salary.contributionsOre },
    { account: on('worker_expenses'), amountOre: salary.expensesOre },
    { account: on('employer_contributions_liability'), amountOre: negate(salary.contributionsOre) },
    { account: on('withheld_tax'), amountOre: negate(salary.taxOre) },
    { account: on('net_pay_owed'), amountOre: negate(salary.netOre) },
  ]);
}

export function payoutVoucher(salary: LedgerSalary & { paidOn: CalendarDate }, accounts: AccountMapping): Voucher {
  const on = (purpose: LedgerPurpose) => accounts.accountFor(purpose, salary.paidOn);
  return voucher('payout', salary.paidOn, `Löneutbetalning ${salary.invoiceLabel}`, [
    { account: on('net_pay_owed'), amountOre: salary.netOre },
    { account: on('bank'), amountOre: negate(salary.netOre) },
  ]);
}

/** The voucher without its zero lines (no VAT on a 0 % invoice, no expenses), refused unless it balances. */
function voucher(kind: VoucherKind, date: CalendarDate, text: string, transactions: Transaction[]): Voucher {
  const lines = transactions.filter((transaction) => transaction.amountOre !== 0);
  const sum = sumMoney(lines.map((transaction) => transaction.amountOre));
  if (sum !== 0) throw new UnbalancedVoucherError(`Voucher "${text}" of ${date} is off by ${sum} öre`);
  return { kind, date, text, transactions: lines };
}

const negate = (amount: Ore) => (amount === 0 ? amount : (-amount as Ore));

/** Every voucher of the rows, in date order (and invoices before payments before salaries on one day). */
export function vouchersOf(
  rows: { invoices: LedgerInvoice[]; payments: LedgerPayment[]; salaries: LedgerSalary[] },
  period: { from: CalendarDate; to: CalendarDate },
  accounts: AccountMapping,
): Voucher[] {
  const within = (date: CalendarDate | null): date is CalendarDate => date !== null && date >= period.from && date <= period.to;
  const vouchers = [
    ...rows.invoices.filter((invoice) => within(invoice.invoiceDate)).map((invoice) => invoiceVoucher(invoice, accounts)),
    ...rows.payments.filter((payment) => within(payment.paidOn)).map((payment) => paymentVoucher(payment, accounts)),
    ...rows.salaries.filter((salary) => within(salary.payoutDate)).map((salary) => salaryVoucher(salary, accounts)),
    ...rows.salaries.flatMap((salary) =>
      within(salary.paidOn) ? [payoutVoucher({ ...salary, paidOn: salary.paidOn }, accounts)] : [],
    ),
  ];
  // A stable sort: within a day the order above stands.
  return vouchers.sort((a, b) => a.date.localeCompare(b.date));
}
