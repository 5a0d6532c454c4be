import type { Knex } from 'knex';

// Changing the e-mail address in two steps: the new address waits in
// users.pending_email until a single-use 'change_email' token mailed to it is
// used. Until then users.email (the login and the address a password reset
// goes to) stays the old one, so the owner can still take the account back
// from the old mailbox. No unique index on pending_email: a taken address is
// refused by users.email's unique index when the change is confirmed, so the
// request itself reveals nothing about other accounts.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.specificType('pending_email', 'citext');
  });
  await knex.raw('ALTER TABLE user_tokens DROP CONSTRAINT user_tokens_purpose');
  await knex.raw(
    `ALTER TABLE user_tokens ADD CONSTRAINT user_tokens_purpose CHECK (purpose IN ('verify_email', 'reset_password', 'change_email'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('user_tokens').where({ purpose: 'change_email' }).delete();
  await knex.raw('ALTER TABLE user_tokens DROP CONSTRAINT user_tokens_purpose');
  await knex.raw(
    `ALTER TABLE user_tokens ADD CONSTRAINT user_tokens_purpose CHECK (purpose IN ('verify_email', 'reset_password'))`,
  );
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('pending_email');
  });
}
