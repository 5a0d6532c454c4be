import type { Knex } from 'knex';

// Demo logins (seeds/demo-logins.ts): the plain passwords of the demo accounts
// made when demo data is loaded outside production, so /dev/konton can list
// them on every later start. Only the demo seed writes here, never in
// production; a production start empties it (see forgetDemoLogins).
//
// A table rather than a file under DATA_DIR: the passwords then live and die
// with the very database whose accounts they open (a deleted ./data, an
// external database filled by `npm run seed:demo`, a test database), and the
// page joins `users`, so a changed e-mail, a changed password or a deleted
// account shows as it is instead of a stale file's word.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('demo_logins', (t) => {
    t.bigIncrements('id').primary(); // the order the seed made them in: the order they are listed in
    t.text('role').notNullable().unique();
    t.bigInteger('user_id').notNullable().unique().references('id').inTable('users').onDelete('CASCADE');
    t.text('password').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE demo_logins ADD CONSTRAINT demo_logins_role CHECK (role ~ '^[a-z][a-z_]{0,31}$')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('demo_logins');
}
