import type { Knex } from 'knex';

// Indexes for the statistics (issue 13), found with EXPLAIN ANALYZE on 100 000 assignments and 300 000
// applications (src/modules/stats/queries.ts):
// - a municipality's assignments published in a period: the dashboard read every assignment the municipality
//   ever had through (municipality_code) and filtered 4 of 5 away by date;
// - the accepted applications of an assignment with their applicant (filled places, distinct persons): the open
//   data and the county comparison read all 300 000 applications in a sequential scan to find them; this small
//   partial index answers both the per-assignment lookups (index-only) and the whole-period join.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('assignments', (t) => {
    t.index(['municipality_code', 'published_at'], 'assignments_municipality_published_index');
  });
  await knex.raw(
    `CREATE INDEX applications_accepted_index ON applications (assignment_id, applicant_id) WHERE status = 'accepted'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX applications_accepted_index');
  await knex.schema.alterTable('assignments', (t) => {
    t.dropIndex(['municipality_code', 'published_at'], 'assignments_municipality_published_index');
  });
}
