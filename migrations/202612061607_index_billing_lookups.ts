import type { Knex } from 'knex';

// Indexes for the lookups payroll makes per invoice and per worker, which were sequential scans of tables
// that only grow (invoices and salaries are kept 7 years and never deleted): found by `npm run bench:billing`.
// - the credit notes of an invoice (each salary sums them; the payroll queue and ledger read them);
// - a worker's invoices and salaries (the month's and year's earlier pay for every salary, payslips, "my data",
//   deleting an account);
// - payments and reminders of an invoice (what is left to pay, the reminder job);
// - the organisation's invoices (its invoice list), and the period of the SIE export and the declaration.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'CREATE INDEX invoices_credits_invoice_id_index ON invoices (credits_invoice_id) WHERE credits_invoice_id IS NOT NULL',
  );
  await knex.schema.alterTable('invoices', (t) => {
    t.index(['worker_user_id']);
    t.index(['organisation_id', 'invoice_date']);
    t.index(['invoice_date']);
  });
  await knex.schema.alterTable('payments', (t) => {
    t.index(['invoice_id']);
    t.index(['paid_on']);
  });
  await knex.schema.alterTable('invoice_reminders', (t) => t.index(['invoice_id']));
  await knex.schema.alterTable('salaries', (t) => {
    t.index(['worker_user_id', 'payout_date']);
    t.index(['payout_date']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX invoices_credits_invoice_id_index');
  await knex.schema.alterTable('invoices', (t) => {
    t.dropIndex(['worker_user_id']);
    t.dropIndex(['organisation_id', 'invoice_date']);
    t.dropIndex(['invoice_date']);
  });
  await knex.schema.alterTable('payments', (t) => {
    t.dropIndex(['invoice_id']);
    t.dropIndex(['paid_on']);
  });
  await knex.schema.alterTable('invoice_reminders', (t) => t.dropIndex(['invoice_id']));
  await knex.schema.alterTable('salaries', (t) => {
    t.dropIndex(['worker_user_id', 'payout_date']);
    t.dropIndex(['payout_date']);
  });
}
