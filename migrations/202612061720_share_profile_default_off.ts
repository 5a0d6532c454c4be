import type { Knex } from 'knex';

// Privacy by default (issue 14): sharing the profile and CV with an organisation is the resident's choice, so an
// application written without saying so shares nothing. Existing rows keep the choice they were sent with.

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE applications ALTER COLUMN share_profile SET DEFAULT false');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE applications ALTER COLUMN share_profile SET DEFAULT true');
}
