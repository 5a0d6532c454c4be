import type { Knex } from 'knex';

// Outgoing mail: one row per message, written in the transaction that causes
// it and delivered by the send_mail job (src/platform/mail.ts). A log of what
// was sent, so there is deliberately no foreign key to users: the address is
// what the mail went to, whatever happens to the account later.
//
// sent_at is set when the job is done with the mail: handed to the SMTP server,
// or, without SMTP_URL, kept only here (then attempts stays 0, which is how the
// dev page tells "stored" from "sent").
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mails', (t) => {
    t.bigIncrements('id').primary();
    t.specificType('to_address', 'citext').notNullable();
    t.text('subject').notNullable();
    t.text('text_body').notNullable();
    t.text('html_body').notNullable();
    t.text('template').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
    // SMTP deliveries tried, successful or not.
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    // "My data" export and account deletion look mails up by address.
    t.index(['to_address']);
  });
  await knex.raw('ALTER TABLE mails ADD CONSTRAINT mails_attempts CHECK (attempts >= 0)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mails');
}
