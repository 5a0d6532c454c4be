import type { Knex } from 'knex';

// Indexes for the statistics (issue 13), found with EXPLAIN (ANALYZE, BUFFERS) at the benchmark's size
// (`npm run bench:stats`: 100 000 assignments, 300 000 applications; src/modules/stats/queries.ts). The
// assignments table is wide (texts, search vector: 50 MB at that size), so every period scan read it from disk;
// these narrow covering indexes let PostgreSQL answer from the index alone (index-only scans):
// - posted assignments by publishing time with what every municipality's figures need (county comparison,
//   national median, open data), and the same per municipality (the dashboard);
// - accepted applications per assignment with their applicant and decision time (filled places, distinct
//   persons, days to acceptance), replacing the narrower applications_accepted_index;
// - the first application of an assignment (days to first application, unanswered after 14 days);
// - an assignment's municipality, category and village by id (paid salaries → billing basis → assignment);
// - residents by home municipality and village, and by the villages they name (skills offered);
// - the billing bases of an assignment (income of a municipality's assignments).
// The partial indexes' condition is queries.ts's POSTED as it stands today: PostgreSQL uses them only for queries
// whose WHERE implies it.
const POSTED = `status IN ('published', 'closed', 'assigned', 'completed', 'expired', 'cancelled') AND hidden_at IS NULL`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `CREATE INDEX assignments_posted_statistics_index ON assignments (published_at)
     INCLUDE (id, municipality_code, category_id, people_needed, work_training) WHERE ${POSTED}`,
  );
  await knex.raw(
    `CREATE INDEX assignments_posted_municipality_statistics_index ON assignments (municipality_code, published_at)
     INCLUDE (id, category_id, locality_id, people_needed, work_training) WHERE ${POSTED}`,
  );
  await knex.raw(
    'CREATE INDEX assignments_place_statistics_index ON assignments (id) INCLUDE (municipality_code, category_id, locality_id)',
  );
  await knex.raw(
    `CREATE INDEX applications_accepted_statistics_index ON applications (assignment_id, applicant_id)
     INCLUDE (decided_at) WHERE status = 'accepted'`,
  );
  await knex.raw('DROP INDEX applications_accepted_index');
  await knex.schema.alterTable('applications', (t) => t.index(['assignment_id', 'created_at']));
  await knex.schema.alterTable('users', (t) => {
    t.index(['home_municipality_code']);
    t.index(['home_locality_id']);
  });
  await knex.schema.alterTable('resident_localities', (t) => t.index(['locality_id']));
  await knex.schema.alterTable('billing_bases', (t) => t.index(['assignment_id']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('billing_bases', (t) => t.dropIndex(['assignment_id']));
  await knex.schema.alterTable('resident_localities', (t) => t.dropIndex(['locality_id']));
  await knex.schema.alterTable('users', (t) => {
    t.dropIndex(['home_locality_id']);
    t.dropIndex(['home_municipality_code']);
  });
  await knex.schema.alterTable('applications', (t) => t.dropIndex(['assignment_id', 'created_at']));
  await knex.raw(
    `CREATE INDEX applications_accepted_index ON applications (assignment_id, applicant_id) WHERE status = 'accepted'`,
  );
  await knex.raw('DROP INDEX applications_accepted_statistics_index');
  await knex.raw('DROP INDEX assignments_place_statistics_index');
  await knex.raw('DROP INDEX assignments_posted_municipality_statistics_index');
  await knex.raw('DROP INDEX assignments_posted_statistics_index');
}
