import type { Knex } from 'knex';

// The operator's books (issue 12, "The operator's books"): which BAS account each part of an invoice, payment
// and salary is booked on, as dated rows like every other rate, so a new chart of accounts is a new row and
// vouchers of earlier dates keep the accounts of their day. The vouchers themselves are built from the invoice,
// payment and salary rows when exported (src/modules/billing/ledger-vouchers.ts).
//
// Account choices (BAS 2014 and later, the plan the SIE file's #KPTYP names):
// - sales by VAT rate on the 3040 group "Försäljning tjänster": 3041 (25 %), 3042 (12 %), 3043 (6 %), 3044
//   (momsfri, for 0 % with its reason on the invoice); output VAT 2611 / 2621 / 2631.
// - the fee and the salary's rounding öre need no account of their own: the operator sells the whole service at
//   one VAT rate, so the invoice's amount excl. VAT is all sales; the fee and the rounding are what remains of it
//   after the salary costs, and moving them to other revenue accounts would split one sale's VAT base.
// - expenses repaid to the worker: 6991 "Övriga externa kostnader, avdragsgilla". They are costs of the work
//   sold (the invoice charges them to the buyer), not pay (7xxx) and not a debt kept open (2890): the worker's
//   repayment is part of the salary's net, owed on 2820 until paid out.
// - net pay owed between the salary and its payout: 2820 "Kortfristiga skulder till anställda".
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ledger_accounts', (t) => {
    t.bigIncrements('id').primary();
    t.text('purpose').notNullable();
    t.date('valid_from').notNullable();
    t.integer('account_number').notNullable();
    t.text('name').notNullable();
    t.unique(['purpose', 'valid_from']);
  });
  await knex.raw(`ALTER TABLE ledger_accounts
    ADD CONSTRAINT ledger_accounts_number CHECK (account_number BETWEEN 1000 AND 9999),
    ADD CONSTRAINT ledger_accounts_purpose CHECK (purpose IN (
      'receivables', 'sales_vat_25', 'sales_vat_12', 'sales_vat_6', 'sales_vat_0',
      'output_vat_25', 'output_vat_12', 'output_vat_6', 'bank', 'salaries', 'vacation_pay',
      'employer_contributions', 'employer_contributions_liability', 'withheld_tax', 'net_pay_owed', 'worker_expenses'))`);
  const from = '2026-01-01';
  await knex('ledger_accounts').insert(
    [
      ['receivables', 1510, 'Kundfordringar'],
      ['sales_vat_25', 3041, 'Försäljning tjänster 25 % moms'],
      ['sales_vat_12', 3042, 'Försäljning tjänster 12 % moms'],
      ['sales_vat_6', 3043, 'Försäljning tjänster 6 % moms'],
      ['sales_vat_0', 3044, 'Försäljning tjänster, momsfri'],
      ['output_vat_25', 2611, 'Utgående moms på försäljning inom Sverige, 25 %'],
      ['output_vat_12', 2621, 'Utgående moms på försäljning inom Sverige, 12 %'],
      ['output_vat_6', 2631, 'Utgående moms på försäljning inom Sverige, 6 %'],
      ['bank', 1930, 'Företagskonto/checkkonto/affärskonto'],
      ['salaries', 7010, 'Löner till kollektivanställda'],
      ['vacation_pay', 7082, 'Semesterersättning till kollektivanställda'],
      ['employer_contributions', 7510, 'Arbetsgivaravgifter'],
      ['employer_contributions_liability', 2731, 'Avräkning lagstadgade sociala avgifter'],
      ['withheld_tax', 2710, 'Personalskatt'],
      ['net_pay_owed', 2820, 'Kortfristiga skulder till anställda'],
      ['worker_expenses', 6991, 'Övriga externa kostnader, avdragsgilla'],
    ].map(([purpose, account_number, name]) => ({ purpose, valid_from: from, account_number, name })),
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ledger_accounts');
}
