import type { Knex } from 'knex';

// Review can refuse (issue 14): a platform admin sends an assignment that waits for review back to its
// organisation as a draft, with what to change. The note stays on the draft until it is published again, so
// every member who opens "Mina uppdrag" reads why, not only the one who got the notice.

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE assignments
      ADD COLUMN review_note text,
      ADD CONSTRAINT assignments_review_note_length CHECK (char_length(review_note) BETWEEN 1 AND 2000)
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE assignments DROP COLUMN review_note');
}
