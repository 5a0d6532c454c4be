import type { Knex } from 'knex';

// Feedback after completed work (PRODUCT.md flow 4): per accepted
// application, at most one from the organisation about the resident and one
// from the resident about the organisation; 1–5 and a short text.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('feedback', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('application_id').notNullable().references('id').inTable('applications').onDelete('CASCADE');
    t.bigInteger('author_id').references('id').inTable('users').onDelete('SET NULL');
    t.text('direction').notNullable();
    t.smallint('rating').notNullable();
    t.text('comment').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['application_id', 'direction']);
  });
  await knex.raw(`
    ALTER TABLE feedback
      ADD CONSTRAINT feedback_direction CHECK (direction IN ('about_resident', 'about_organisation')),
      ADD CONSTRAINT feedback_rating CHECK (rating BETWEEN 1 AND 5),
      ADD CONSTRAINT feedback_comment_length CHECK (char_length(comment) <= 1000)
  `);
  await knex.schema.alterTable('assignments', (t) => {
    t.timestamp('completed_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('assignments', (t) => {
    t.dropColumn('completed_at');
  });
  await knex.schema.dropTable('feedback');
}
