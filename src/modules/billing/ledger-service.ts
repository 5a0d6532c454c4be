import { addDays, addMonths, todayInStockholm, type CalendarDate } from '../../platform/calendar.js';
import type { Db } from '../../platform/db.js';
import { csvContentType, toCsv } from '../../platform/documents/csv.js';
import type { DocumentColumn } from '../../platform/documents/table.js';
import { AppError, FormError } from '../../platform/errors.js';
import type { TFunction } from '../../platform/i18n.js';
import {
  selectInvoicesIn,
  selectLedgerAccounts,
  selectMatchedPaymentsIn,
  selectSalariesIn,
  type Period,
} from './ledger-queries.js';
import { sieFile } from './ledger-sie.js';
import { AccountMapping, vouchersOf, type Voucher } from './ledger-vouchers.js';
import { selectOperatorSettingsOn } from './operator-queries.js';
import { requirePayroll } from './payments-service.js';
import type { Actor } from '../access/index.js';
import { dateProblem, formText } from '../../platform/validation.js';

// The operator's books for payroll (/lon/bokforing): the vouchers of a period as an SIE 4I file for the
// bookkeeping program, and the invoices, payments and salaries behind them as CSV.

/** The period form as typed. */
export interface PeriodForm {
  from: string;
  to: string;
}

const E = 'ledger.errors';

/** This month so far and to its end: the period the page offers first. */
export function defaultPeriod(today: CalendarDate = todayInStockholm()): Period {
  const from = `${today.slice(0, 8)}01`;
  return { from, to: addDays(addMonths(from, 1), -1) };
}

/** The period of a query string (?from=&to=), or a FormError with a message beside each wrong field. */
export function periodFrom(query: Record<string, unknown>): Period {
  const form: PeriodForm = { from: formText(query.from, 40).trim(), to: formText(query.to, 40).trim() };
  const errors: Record<string, string> = {};
  for (const field of ['from', 'to'] as const) {
    const problem = form[field] === '' ? `${E}.required` : dateProblem(form[field]);
    if (problem) errors[field] = problem;
  }
  if (!errors.from && !errors.to) {
    if (form.to < form.from) errors.to = `${E}.toBeforeFrom`;
    // A SIE file holds one financial year at most; a longer period is two files.
    else if (form.to >= addMonths(form.from, 12)) errors.to = `${E}.tooLong`;
  }
  if (Object.keys(errors).length > 0) throw new FormError(errors, form);
  return form;
}

export interface LedgerPage {
  period: Period;
  /** Whether the query named a period (the links are shown then, else only the form). */
  chosen: boolean;
  voucherCount: number;
}

export async function getLedgerPage(db: Db, actor: Actor, query: Record<string, unknown>): Promise<LedgerPage> {
  requirePayroll(actor);
  const chosen = query.from !== undefined || query.to !== undefined;
  const period = chosen ? periodFrom(query) : defaultPeriod();
  const vouchers = await vouchersIn(db, period);
  return { period, chosen, voucherCount: vouchers.length };
}

async function vouchersIn(db: Db, period: Period): Promise<Voucher[]> {
  const [accounts, invoices, payments, salaries] = await Promise.all([
    selectLedgerAccounts(db),
    selectInvoicesIn(db, period),
    selectMatchedPaymentsIn(db, period),
    selectSalariesIn(db, period),
  ]);
  const vouchers = vouchersOf(
    {
      invoices: invoices.map((invoice) => ({ ...invoice, label: `${invoice.series}-${invoice.number}` })),
      payments,
      salaries,
    },
    period,
    new AccountMapping(accounts),
  );
  return vouchers;
}

export interface ExportFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

const sieContentType = 'text/plain; charset=IBM437';

/** The period's vouchers as SIE 4I, the operator as the company: the settings in force at the period's end. */
export async function sieExport(db: Db, actor: Actor, query: Record<string, unknown>): Promise<ExportFile> {
  requirePayroll(actor);
  const period = periodFrom(query);
  const operator = await selectOperatorSettingsOn(db, period.to);
  if (!operator) throw new AppError('conflict', 'No operator settings for the period', { form: `${E}.noOperator` });
  const vouchers = await vouchersIn(db, period);
  const body = sieFile(
    {
      programName: 'Uppdragsbanken',
      programVersion: '1.0',
      generatedOn: todayInStockholm(),
      companyName: operator.name,
      organisationNumber: operator.organisationNumber,
      chartOfAccounts: 'BAS2014',
    },
    vouchers,
  );
  return { filename: `bokforing-${period.from}-${period.to}.se`, contentType: sieContentType, body };
}

type CsvKind = 'invoices' | 'payments' | 'salaries';

/** One of the period's CSV files, headed in the reader's language. */
export async function csvExport(
  db: Db,
  actor: Actor,
  kind: CsvKind,
  query: Record<string, unknown>,
  t: TFunction,
): Promise<ExportFile> {
  requirePayroll(actor);
  const period = periodFrom(query);
  const header = (key: string, kindOf?: DocumentColumn['kind']): DocumentColumn => ({
    header: t(`ledger.columns.${key}`),
    ...(kindOf ? { kind: kindOf } : {}),
    ...(kindOf === 'decimal' ? { decimals: 2 } : {}),
  });
  const table = await csvTable(db, kind, period, header, t);
  return {
    filename: t(`ledger.filenames.${kind}`, { from: period.from, to: period.to }),
    contentType: csvContentType,
    body: toCsv(table),
  };
}

async function csvTable(
  db: Db,
  kind: CsvKind,
  period: Period,
  header: (key: string, kindOf?: DocumentColumn['kind']) => DocumentColumn,
  t: TFunction,
) {
  switch (kind) {
    case 'invoices': {
      const invoices = await selectInvoicesIn(db, period);
      return {
        columns: [
          header('invoice'),
          header('kind'),
          header('credits'),
          header('invoiceDate', 'date'),
          header('dueDate', 'date'),
          header('buyer'),
          header('buyerOrganisationNumber'),
          header('ocr'),
          header('vatPercent', 'decimal'),
          header('exclVat', 'amount'),
          header('vat', 'amount'),
          header('total', 'amount'),
          header('fee', 'amount'),
          header('expenses', 'amount'),
          header('status'),
        ],
        rows: invoices.map((invoice) => [
          `${invoice.series}-${invoice.number}`,
          t(`ledger.invoiceKinds.${invoice.kind}`),
          invoice.creditsLabel,
          invoice.invoiceDate,
          invoice.dueDate,
          invoice.buyerName,
          invoice.buyerOrganisationNumber,
          invoice.ocr,
          invoice.vatBp / 100,
          invoice.amountExclVatOre,
          invoice.vatOre,
          invoice.totalOre,
          invoice.feeOre,
          invoice.expensesOre,
          t(`ledger.invoiceStatuses.${invoice.status}`),
        ]),
      };
    }
    case 'payments': {
      const payments = await selectMatchedPaymentsIn(db, period);
      return {
        columns: [header('paidOn', 'date'), header('amount', 'amount'), header('invoice'), header('reference'), header('source')],
        rows: payments.map((payment) => [
          payment.paidOn,
          payment.amountOre,
          payment.invoiceLabel,
          payment.reference,
          t(`ledger.paymentSources.${payment.source}`),
        ]),
      };
    }
    case 'salaries': {
      const salaries = await selectSalariesIn(db, period);
      return {
        columns: [
          header('invoice'),
          header('worker'),
          header('payoutDate', 'date'),
          header('paidOn', 'date'),
          header('exclVat', 'amount'),
          header('fee', 'amount'),
          header('contributions', 'amount'),
          header('gross', 'amount'),
          header('vacationPay', 'amount'),
          header('taxPercent', 'decimal'),
          header('tax', 'amount'),
          header('expenses', 'amount'),
          header('net', 'amount'),
          header('rounding', 'amount'),
        ],
        rows: salaries.map((salary) => [
          salary.invoiceLabel,
          salary.workerName ?? t('ledger.accountDeleted'),
          salary.payoutDate,
          salary.paidOn,
          salary.invoiceExclVatOre,
          salary.feeOre,
          salary.contributionsOre,
          salary.grossOre,
          salary.vacationPayOre,
          salary.taxBp / 100,
          salary.taxOre,
          salary.expensesOre,
          salary.netOre,
          salary.roundingOre,
        ]),
      };
    }
  }
}
