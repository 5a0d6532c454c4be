import type { Knex } from 'knex';

// Moderation (PRODUCT.md flow 7): reports on assignments from anyone
// (reporter_id is null for visitors; no address or other trace of a visitor
// is stored), an admin queue that resolves them, hidden assignments
// (assignments.hidden_at already exists) and suspended organisations.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('assignment_reports', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('assignment_id').notNullable().references('id').inTable('assignments').onDelete('CASCADE');
    t.bigInteger('reporter_id').references('id').inTable('users').onDelete('SET NULL');
    t.text('reason').notNullable();
    t.text('details').notNullable().defaultTo('');
    t.text('status').notNullable().defaultTo('open');
    t.bigInteger('handled_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('handled_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['status', 'created_at']);
    t.index(['assignment_id']);
  });
  await knex.raw(`
    ALTER TABLE assignment_reports
      ADD CONSTRAINT assignment_reports_reason CHECK (reason IN ('spam', 'fraud', 'offensive', 'discriminatory', 'illegal', 'wrong_information', 'other')),
      ADD CONSTRAINT assignment_reports_status CHECK (status IN ('open', 'resolved', 'dismissed')),
      ADD CONSTRAINT assignment_reports_details_length CHECK (char_length(details) <= 2000)
  `);
  // A logged-in person has at most one open report per assignment (visitors,
  // reporter_id null, are held back by the per-address rate limit instead).
  await knex.raw(`
    CREATE UNIQUE INDEX assignment_reports_one_open_per_reporter
      ON assignment_reports (assignment_id, reporter_id) WHERE status = 'open'
  `);
  await knex.schema.alterTable('assignments', (t) => {
    t.text('hidden_reason');
  });
  await knex.schema.alterTable('organisations', (t) => {
    t.timestamp('suspended_at', { useTz: true });
    t.text('suspended_reason');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('organisations', (t) => {
    t.dropColumn('suspended_at');
    t.dropColumn('suspended_reason');
  });
  await knex.schema.alterTable('assignments', (t) => {
    t.dropColumn('hidden_reason');
  });
  await knex.schema.dropTable('assignment_reports');
}
