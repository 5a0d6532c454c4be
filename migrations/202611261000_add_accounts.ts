import type { Knex } from 'knex';

// Accounts: e-mail verification and platform admins on users, single-use
// tokens (stored as SHA-256 hashes only), and the session table that
// connect-pg-simple uses (its own schema, plus an index on the logged-in user
// so "log out my other sessions" and account deletion can find them).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.timestamp('email_verified_at', { useTz: true });
    t.timestamp('password_changed_at', { useTz: true });
    t.boolean('is_admin').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('user_tokens', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('purpose').notNullable();
    t.text('token_hash').notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id', 'purpose']);
  });
  await knex.raw(
    `ALTER TABLE user_tokens ADD CONSTRAINT user_tokens_purpose CHECK (purpose IN ('verify_email', 'reset_password'))`,
  );

  await knex.raw(`
    CREATE TABLE sessions (
      sid varchar NOT NULL PRIMARY KEY,
      sess json NOT NULL,
      expire timestamp(6) NOT NULL
    )`);
  await knex.raw('CREATE INDEX sessions_expire ON sessions (expire)');
  await knex.raw(`CREATE INDEX sessions_user ON sessions (((sess -> 'passport' ->> 'user')))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('user_tokens');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('is_admin');
    t.dropColumn('password_changed_at');
    t.dropColumn('email_verified_at');
  });
}
