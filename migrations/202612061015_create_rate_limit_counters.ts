import type { Knex } from 'knex';

// The rate limits' hit counters (src/web/rate-limit-store.ts), shared by every
// app process on this database and kept across restarts. One row per limiter
// and client: `key_hash` is an HMAC of the client's key (an address or an
// e-mail address), never the key itself, so the table holds no personal data.
// A row whose window has passed counts as empty and is reused by the next
// hit; the `prune_rate_limit_counters` job deletes the rest.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limit_counters', (t) => {
    t.text('limiter').notNullable();
    t.text('key_hash').notNullable();
    t.integer('hits').notNullable();
    t.timestamp('reset_at', { useTz: true }).notNullable();
    t.primary(['limiter', 'key_hash']);
    t.index(['reset_at']);
  });
  await knex.raw(`
    ALTER TABLE rate_limit_counters
      ADD CONSTRAINT rate_limit_counters_hits CHECK (hits >= 0),
      ADD CONSTRAINT rate_limit_counters_limiter CHECK (limiter ~ '^[a-z][a-z0-9-]{0,63}$')
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limit_counters');
}
