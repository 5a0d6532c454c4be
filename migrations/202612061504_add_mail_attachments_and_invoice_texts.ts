import type { Knex } from 'knex';

// Invoices go out by mail with their PDF attached (issue 11), so a queued mail may carry files; and an invoice
// keeps the words it was issued with, so its PDF can be rendered again from the rows, byte for byte.
export async function up(knex: Knex): Promise<void> {
  // In a table of its own rather than a column of mails: the mail list reads no file bytes, and a mail with
  // several files needs no array of blobs. Deleted with its mail (account deletion deletes mails by address).
  await knex.schema.createTable('mail_attachments', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('mail_id').notNullable().references('id').inTable('mails').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('filename').notNullable();
    t.text('content_type').notNullable();
    t.binary('content').notNullable();
    t.unique(['mail_id', 'position']);
  });

  // Covered by the invoices trigger like every other column: set once, never changed.
  await knex.schema.alterTable('invoices', (t) => {
    t.text('subject'); // what the invoice is for: the assignment's title as it was when invoiced
    t.text('our_reference'); // "Vår referens": the worker's name as it was, never their personnummer
    t.text('credit_reason'); // why a credit note was issued
  });
  await knex.raw(`ALTER TABLE invoices ADD CONSTRAINT invoices_credit_reason
    CHECK ((kind = 'credit_note') = (credit_reason IS NOT NULL))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE invoices DROP CONSTRAINT invoices_credit_reason');
  await knex.schema.alterTable('invoices', (t) => {
    t.dropColumn('subject');
    t.dropColumn('our_reference');
    t.dropColumn('credit_reason');
  });
  await knex.schema.dropTable('mail_attachments');
}
