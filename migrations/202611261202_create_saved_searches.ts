import type { Knex } from 'knex';

// Saved searches (bevakningar, PRODUCT.md flow 2) and the assignments each has
// mailed. `query` is the search's query string with the names of /uppdrag and
// the API, checked by parseSearchParams whenever it is used, so a saved search
// always means what the search page shows for it.
//
// Never twice: `checked_until` is the high-water mark (the moment up to which
// new assignments were considered; nothing published before the saved search
// was made is ever sent), and a delivery row per (saved search, assignment),
// written in the transaction that queues the mail, makes a retry or a race
// find the assignment already sent.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('saved_searches', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('query').notNullable();
    // instant: a mail when a matching assignment is published; daily: one digest a day; off: no mail.
    t.text('frequency').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('checked_until', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_mailed_at', { useTz: true });
    t.index(['user_id']);
  });
  await knex.raw(`
    ALTER TABLE saved_searches
      ADD CONSTRAINT saved_searches_frequency CHECK (frequency IN ('instant', 'daily', 'off')),
      ADD CONSTRAINT saved_searches_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
      ADD CONSTRAINT saved_searches_query_length CHECK (char_length(query) <= 4000)
  `);
  await knex.raw(`CREATE INDEX saved_searches_mailed ON saved_searches (frequency) WHERE frequency <> 'off'`);

  await knex.schema.createTable('saved_search_deliveries', (t) => {
    t.bigInteger('saved_search_id').notNullable().references('id').inTable('saved_searches').onDelete('CASCADE');
    t.bigInteger('assignment_id').notNullable().references('id').inTable('assignments').onDelete('CASCADE');
    t.bigInteger('mail_id').references('id').inTable('mails').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['saved_search_id', 'assignment_id']);
  });

  // Alert mails carry their unsubscribe link as headers too (List-Unsubscribe, RFC 2369 and 8058),
  // so mail programs can offer it; any mail may carry such extra headers (src/platform/mail.ts).
  await knex.schema.alterTable('mails', (t) => {
    t.jsonb('headers');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mails', (t) => {
    t.dropColumn('headers');
  });
  await knex.schema.dropTable('saved_search_deliveries');
  await knex.schema.dropTable('saved_searches');
}
