import { calculateSalary, type SalaryCalculation } from '../../src/modules/billing/calculation.js';
import { issueInvoice } from '../../src/modules/billing/invoices.js';
import { loadPayrollRates } from '../../src/modules/billing/rates.js';
import { inTransaction, type Db } from '../../src/platform/db.js';
import { ore } from '../../src/platform/money.js';
import { createApprovedBasis, ensureOperatorSettings, issueTestInvoice, type BasisOverrides } from './billing-factories-d.js';

// Salaries written straight to the database, for the tests of what is shown of them (payslips, the yearly
// summary): the salary job is another helper's work. Each is calculated by calculateSalary from its invoice,
// with the rates of its payout date and the worker's earlier pay that year, so the balance CHECK holds.

export interface SalaryOptions {
  payoutDate: string;
  birthDate?: string;
  taxBp?: number;
  /** Instead of the invoice's own expenses (the salary row must balance, not match the invoice). */
  expensesOre?: number;
}

/** The salary of an issued invoice, as the salary job would make it; its id. */
export async function insertSalary(
  db: Db,
  invoiceId: number,
  options: SalaryOptions,
): Promise<{ id: number; calculation: SalaryCalculation }> {
  const invoice = (await db('invoices as i')
    .join('operator_settings as o', 'o.id', 'i.operator_settings_id')
    .where('i.id', invoiceId)
    .first('i.worker_user_id', 'i.amount_excl_vat_ore', 'i.expenses_ore', 'o.fee_bp')) as {
    worker_user_id: number;
    amount_excl_vat_ore: number;
    expenses_ore: number;
    fee_bp: number;
  };
  const { payoutDate } = options;
  const earlier = async (from: string) =>
    Number(
      (
        (await db('salaries')
          .where({ worker_user_id: invoice.worker_user_id })
          .whereBetween('payout_date', [from, payoutDate])
          .first(db.raw('coalesce(sum(gross_ore), 0) as sum'))) as { sum: string }
      ).sum,
    );
  const calculation = calculateSalary(
    {
      invoiceExclVatOre: ore(invoice.amount_excl_vat_ore),
      feeBp: invoice.fee_bp,
      expensesOre: ore(options.expensesOre ?? invoice.expenses_ore),
      birthDate: options.birthDate ?? '1990-01-01',
      taxBp: options.taxBp ?? 3000,
      payoutDate,
      paidEarlierThisMonthOre: ore(await earlier(`${payoutDate.slice(0, 7)}-01`)),
      paidEarlierThisYearOre: ore(await earlier(`${payoutDate.slice(0, 4)}-01-01`)),
    },
    await loadPayrollRates(db, payoutDate),
  );
  const [row] = (await db('salaries')
    .insert({
      invoice_id: invoiceId,
      worker_user_id: invoice.worker_user_id,
      payout_date: payoutDate,
      invoice_excl_vat_ore: calculation.invoiceExclVatOre,
      fee_ore: calculation.feeOre,
      contributions_ore: calculation.contributionsOre,
      contribution_lines: JSON.stringify(calculation.contributionLines),
      gross_ore: calculation.grossOre,
      vacation_pay_ore: calculation.vacationPayOre,
      tax_bp: options.taxBp ?? 3000,
      tax_ore: calculation.taxOre,
      expenses_ore: calculation.expensesOre,
      net_ore: calculation.netOre,
      rounding_ore: calculation.roundingOre,
    })
    .returning('id')) as Array<{ id: number }>;
  return { id: row!.id, calculation };
}

export interface PaidWork {
  workerId: number;
  workerEmail: string;
  organisationId: number;
  approverId: number;
  invoiceId: number;
}

/** A new worker's approved basis (see createApprovedBasis), invoiced on 2026-03-10. */
export async function createInvoicedWork(db: Db, overrides: BasisOverrides = {}): Promise<PaidWork> {
  await ensureOperatorSettings(db);
  const basis = await createApprovedBasis(db, overrides);
  const { invoiceId } = await inTransaction(db, (trx) => issueInvoice(trx, basis.basisId, '2026-03-10'));
  const approver = (await db('organisation_members').where({ organisation_id: basis.organisationId }).first('user_id')) as {
    user_id: number;
  };
  return {
    workerId: basis.workerId,
    workerEmail: basis.workerEmail,
    organisationId: basis.organisationId,
    approverId: approver.user_id,
    invoiceId,
  };
}

/** Another invoice (1 000 kr excl. VAT) for the same worker and organisation, and its salary. */
export async function createSalaryFor(
  db: Db,
  work: Pick<PaidWork, 'workerId' | 'organisationId' | 'approverId'>,
  options: SalaryOptions,
): Promise<{ id: number; calculation: SalaryCalculation }> {
  const invoiceId = await issueTestInvoice(db, work);
  return insertSalary(db, invoiceId, options);
}
