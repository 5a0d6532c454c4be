import type { Knex } from 'knex';

// A message thread per application, between the applicant and the members of
// the assignment's organisation (PRODUCT.md flow 3; messaging stays in the
// platform). A message outlives its sender's account (sender_id SET NULL) so
// the other side keeps the conversation. Read state is per person and thread:
// everything up to last_read_message_id has been read.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('application_messages', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('application_id').notNullable().references('id').inTable('applications').onDelete('CASCADE');
    t.bigInteger('sender_id').references('id').inTable('users').onDelete('SET NULL');
    t.text('body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['application_id', 'id']);
  });
  await knex.raw(
    `ALTER TABLE application_messages ADD CONSTRAINT application_messages_body_length CHECK (char_length(body) BETWEEN 1 AND 4000)`,
  );
  await knex.schema.createTable('application_reads', (t) => {
    t.bigInteger('application_id').notNullable().references('id').inTable('applications').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.bigInteger('last_read_message_id').notNullable();
    t.primary(['application_id', 'user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('application_reads');
  await knex.schema.dropTable('application_messages');
}
