import type { Knex } from 'knex';

// Assignments (uppdrag). Lifecycle per PRODUCT.md flow 1:
// draft → published → closed → assigned → completed, or cancelled / expired;
// pending_review is a new organisation's assignment waiting for an admin.
// hidden_at is moderation, independent of status.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('assignments', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('organisation_id').notNullable().references('id').inTable('organisations');
    t.bigInteger('created_by').references('id').inTable('users').onDelete('SET NULL');
    t.text('title').notNullable();
    t.text('description').notNullable();
    t.integer('category_id').notNullable().references('id').inTable('categories');
    t.string('municipality_code', 4).notNullable().references('code').inTable('municipalities');
    t.integer('locality_id').references('id').inTable('localities');
    // An exact point, when the poster gives one; otherwise the locality's.
    t.double('lat');
    t.double('lng');
    t.text('compensation_type').notNullable();
    t.integer('amount_sek');
    t.decimal('estimated_hours', 6, 1);
    t.date('starts_on');
    t.date('ends_on');
    t.date('apply_by');
    t.integer('people_needed').notNullable().defaultTo(1);
    t.text('requirements').notNullable().defaultTo('');
    t.boolean('work_training').notNullable().defaultTo(false);
    t.boolean('supervisor_available').notNullable().defaultTo(false);
    t.text('status').notNullable().defaultTo('draft');
    t.timestamp('published_at', { useTz: true });
    t.timestamp('hidden_at', { useTz: true });
    t.timestamps(true, true);
    t.index(['status', 'published_at']);
    t.index(['organisation_id']);
    t.index(['municipality_code']);
  });
  await knex.raw(`
    ALTER TABLE assignments
      ADD CONSTRAINT assignments_status CHECK (status IN
        ('draft', 'pending_review', 'published', 'closed', 'assigned', 'completed', 'cancelled', 'expired')),
      ADD CONSTRAINT assignments_compensation_type CHECK (compensation_type IN ('hourly', 'fixed', 'volunteer', 'by_agreement')),
      ADD CONSTRAINT assignments_amount CHECK (
        (compensation_type IN ('hourly', 'fixed') AND amount_sek IS NOT NULL AND amount_sek > 0)
        OR (compensation_type IN ('volunteer', 'by_agreement') AND amount_sek IS NULL)),
      ADD CONSTRAINT assignments_people_needed CHECK (people_needed BETWEEN 1 AND 100),
      ADD CONSTRAINT assignments_point CHECK ((lat IS NULL) = (lng IS NULL)
        AND (lat IS NULL OR (lat BETWEEN -90 AND 90 AND lng BETWEEN -180 AND 180))),
      ADD CONSTRAINT assignments_dates CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on),
      ADD CONSTRAINT assignments_published_at CHECK (
        status NOT IN ('published', 'closed', 'assigned', 'completed', 'expired') OR published_at IS NOT NULL)
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('assignments');
}
