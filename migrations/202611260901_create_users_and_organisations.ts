import type { Knex } from 'knex';

// People and the organisations that post assignments. Authentication columns
// (verification, password reset, sessions) come with the accounts issue and are
// added by their own migrations; password_hash is nullable so demo residents
// can exist without a usable password.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id').primary();
    t.specificType('email', 'citext').notNullable().unique();
    t.text('name').notNullable();
    t.text('password_hash');
    t.string('home_municipality_code', 4).references('code').inTable('municipalities');
    t.integer('home_locality_id').references('id').inTable('localities');
    t.timestamps(true, true);
  });

  // A resident's public-facing profile; one row per user who acts as a worker.
  await knex.schema.createTable('resident_profiles', (t) => {
    t.bigInteger('user_id').primary().references('id').inTable('users').onDelete('CASCADE');
    t.text('bio').notNullable().defaultTo('');
    t.specificType('skill_tags', 'text[]').notNullable().defaultTo('{}');
    t.text('availability').notNullable().defaultTo('');
    t.boolean('driving_licence').notNullable().defaultTo(false);
    t.boolean('visible_to_organisations').notNullable().defaultTo(false);
    t.timestamps(true, true);
  });

  await knex.schema.createTable('resident_categories', (t) => {
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('category_id').notNullable().references('id').inTable('categories');
    t.primary(['user_id', 'category_id']);
  });

  await knex.schema.createTable('resident_localities', (t) => {
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('locality_id').notNullable().references('id').inTable('localities');
    t.primary(['user_id', 'locality_id']);
  });

  await knex.schema.createTable('organisations', (t) => {
    t.bigIncrements('id').primary();
    t.text('name').notNullable();
    t.text('slug').notNullable().unique();
    t.text('type').notNullable();
    // Swedish organisationsnummer, stored as 10 digits without hyphen.
    t.string('organisation_number', 10).unique();
    t.string('municipality_code', 4).notNullable().references('code').inTable('municipalities');
    t.integer('locality_id').references('id').inTable('localities');
    t.text('description').notNullable().defaultTo('');
    t.text('address').notNullable().defaultTo('');
    t.specificType('billing_email', 'citext');
    t.text('website');
    t.timestamp('verified_at', { useTz: true });
    t.timestamps(true, true);
  });
  await knex.raw(
    `ALTER TABLE organisations ADD CONSTRAINT organisations_type CHECK (type IN ('forening', 'kommun', 'socialt_foretag', 'foretag'))`,
  );
  await knex.raw(
    `ALTER TABLE organisations ADD CONSTRAINT organisations_number_format CHECK (organisation_number ~ '^[0-9]{10}$')`,
  );

  await knex.schema.createTable('organisation_members', (t) => {
    t.bigInteger('organisation_id').notNullable().references('id').inTable('organisations').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('role').notNullable().defaultTo('member');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['organisation_id', 'user_id']);
  });
  await knex.raw(`ALTER TABLE organisation_members ADD CONSTRAINT organisation_members_role CHECK (role IN ('admin', 'member'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('organisation_members');
  await knex.schema.dropTable('organisations');
  await knex.schema.dropTable('resident_localities');
  await knex.schema.dropTable('resident_categories');
  await knex.schema.dropTable('resident_profiles');
  await knex.schema.dropTable('users');
}
