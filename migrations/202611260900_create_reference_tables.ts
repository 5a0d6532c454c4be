import type { Knex } from 'knex';

// Reference data: counties, municipalities (SCB codes as 4-character strings so
// "0188" keeps its leading zero), localities (villages and towns with WGS84
// coordinates) and assignment categories. Filled by seeds/reference.ts.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS citext');

  await knex.schema.createTable('counties', (t) => {
    t.string('code', 2).primary();
    t.text('name').notNullable();
    t.text('short_name').notNullable();
  });

  await knex.schema.createTable('municipalities', (t) => {
    t.string('code', 4).primary();
    t.text('name').notNullable();
    t.text('short_name').notNullable();
    t.string('county_code', 2).notNullable().references('code').inTable('counties');
  });
  await knex.raw(`ALTER TABLE municipalities ADD CONSTRAINT municipalities_code_format CHECK (code ~ '^[0-9]{4}$')`);

  await knex.schema.createTable('localities', (t) => {
    t.increments('id').primary();
    t.string('municipality_code', 4).notNullable().references('code').inTable('municipalities');
    t.text('name').notNullable();
    // Globally unique, readable and stable: "rusksele-lycksele".
    t.text('slug').notNullable().unique();
    t.double('lat').notNullable();
    t.double('lng').notNullable();
    t.unique(['municipality_code', 'name']);
  });
  await knex.raw(
    'ALTER TABLE localities ADD CONSTRAINT localities_coordinates CHECK (lat BETWEEN -90 AND 90 AND lng BETWEEN -180 AND 180)',
  );

  await knex.schema.createTable('categories', (t) => {
    t.increments('id').primary();
    t.text('slug').notNullable().unique();
    t.text('name_sv').notNullable();
    t.text('name_en').notNullable();
    t.integer('sort_order').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('categories');
  await knex.schema.dropTable('localities');
  await knex.schema.dropTable('municipalities');
  await knex.schema.dropTable('counties');
  await knex.raw('DROP EXTENSION IF EXISTS citext');
}
