import type { Knex } from 'knex';

// In-app notifications, and the e-mail each may cause (PRODUCT.md flow 3).
// A row is one event for one person; email_wanted is decided from the
// person's preferences when the row is made, emailed_at when a mail carried
// it (mails are batched per person, see src/modules/notifications).
// dedupe_key makes scheduled notices (e.g. "expires tomorrow") idempotent.
// link is a path inside the site; params hold the texts the message needs
// (titles, names) so the list renders without joins and in either language.
// type has no CHECK: the list of types is code (src/modules/notifications)
// and grows with features; an unknown type is never written by it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notifications', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('type').notNullable();
    t.jsonb('params').notNullable().defaultTo('{}');
    t.text('link').notNullable();
    t.text('dedupe_key');
    t.boolean('email_wanted').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('read_at', { useTz: true });
    t.timestamp('emailed_at', { useTz: true });
    t.unique(['user_id', 'dedupe_key']);
    t.index(['user_id', 'created_at']);
  });
  await knex.raw(`CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL`);
  await knex.raw(`CREATE INDEX notifications_mail_pending ON notifications (user_id) WHERE email_wanted AND emailed_at IS NULL`);
  await knex.raw(`ALTER TABLE notifications ADD CONSTRAINT notifications_link CHECK (link ~ '^/[^/\\\\]')`);
  // No row = e-mail on (the default every user starts with).
  await knex.schema.createTable('notification_preferences', (t) => {
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('type').notNullable();
    t.boolean('email').notNullable();
    t.primary(['user_id', 'type']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notification_preferences');
  await knex.schema.dropTable('notifications');
}
