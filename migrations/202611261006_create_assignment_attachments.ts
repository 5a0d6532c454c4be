import type { Knex } from 'knex';

// Attachments of an assignment: images (re-encoded to WebP, with a thumbnail)
// and PDFs, behind the storage interface (src/platform/storage.ts). Rows keep
// only server-made keys, never a client's file name. At most six per
// assignment: the service counts under a row lock on the assignment, and the
// database backs it with positions 1–6 that are unique per assignment.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('assignment_attachments', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('assignment_id').notNullable().references('id').inTable('assignments').onDelete('CASCADE');
    t.text('storage_key').notNullable().unique();
    t.text('kind').notNullable();
    t.text('thumbnail_key').unique();
    t.integer('byte_size').notNullable();
    t.smallint('position').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['assignment_id', 'position']);
  });
  await knex.raw(
    `ALTER TABLE assignment_attachments ADD CONSTRAINT assignment_attachments_file CHECK (
       byte_size > 0 AND position BETWEEN 1 AND 6 AND (
         (kind = 'image' AND storage_key ~ '^attachments/[A-Za-z0-9_-]+\\.webp$'
           AND thumbnail_key ~ '^attachments/[A-Za-z0-9_-]+\\.webp$')
         OR (kind = 'pdf' AND storage_key ~ '^attachments/[A-Za-z0-9_-]+\\.pdf$' AND thumbnail_key IS NULL)))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('assignment_attachments');
}
