import type { Knex } from 'knex';

// Invitations to join an organisation, sent by e-mail by its admins. Like the
// account tokens, only a SHA-256 hash of the link's token is stored. An invite
// is used once (accepted_at), can be withdrawn (revoked_at) and lapses at
// expires_at. The e-mail is where the link went, kept so admins see who is
// still invited; whoever holds the link may accept it with their own account.
//
// Also: a website is only ever stored as an http(s) address, so a page cannot
// be made to link to javascript: or data: URLs whatever wrote the row.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organisation_invites', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('organisation_id').notNullable().references('id').inTable('organisations').onDelete('CASCADE');
    t.specificType('email', 'citext').notNullable();
    t.text('role').notNullable().defaultTo('member');
    t.text('token_hash').notNullable().unique();
    t.bigInteger('invited_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('accepted_at', { useTz: true });
    t.bigInteger('accepted_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['organisation_id', 'created_at']);
    // "My data" export and account deletion find invites by address and by user.
    t.index(['email']);
    t.index(['invited_by']);
    t.index(['accepted_by']);
  });
  await knex.raw(`ALTER TABLE organisation_invites ADD CONSTRAINT organisation_invites_role CHECK (role IN ('admin', 'member'))`);
  await knex.raw(
    `ALTER TABLE organisation_invites ADD CONSTRAINT organisation_invites_used_once CHECK (accepted_at IS NULL OR revoked_at IS NULL)`,
  );
  await knex.raw(
    `ALTER TABLE organisations ADD CONSTRAINT organisations_website_http CHECK (website IS NULL OR website ~* '^(http|https)://')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE organisations DROP CONSTRAINT organisations_website_http');
  await knex.schema.dropTable('organisation_invites');
}
