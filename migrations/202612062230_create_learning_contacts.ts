import type { Knex } from 'knex';

// Learn from each other (issue 15, item 6): the short messages residents send a match through the platform. Kept
// so the recipient reads them on their own page (/konto/lara-av-varandra; the notification and its mail only say
// that a message came, as for the applications' messages) and so the sending can be rate limited by counting
// a sender's recent rows. Gone with either account.

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE learning_contacts (
      id bigserial PRIMARY KEY,
      from_user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      to_user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      message text NOT NULL CHECK (char_length(message) BETWEEN 1 AND 1000),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (from_user_id <> to_user_id)
    );
    CREATE INDEX learning_contacts_from_created ON learning_contacts (from_user_id, created_at);
    CREATE INDEX learning_contacts_to_created ON learning_contacts (to_user_id, created_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE learning_contacts');
}
