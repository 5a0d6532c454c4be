import type { Knex } from 'knex';

// The PostgreSQL search fallback (src/modules/search/postgres-engine.ts): a
// Swedish full-text vector of each assignment's own text, folded like the
// Meilisearch index's copies (lower case, diacritics removed: "grasklippning"
// finds "Gräsklippning"), title weighted above description above requirements.
// normalize(), regexp_replace() and the two-argument to_tsvector() are all
// IMMUTABLE, as a generated column needs; unaccent() is not, and is an
// extension a managed server may lack.
const fold = (column: string) => `lower(regexp_replace(normalize(${column}, NFD), '[\\u0300-\\u036f]', '', 'g'))`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE assignments ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('swedish'::regconfig, ${fold('title')}), 'A') ||
      setweight(to_tsvector('swedish'::regconfig, ${fold('description')}), 'C') ||
      setweight(to_tsvector('swedish'::regconfig, ${fold('requirements')}), 'D')
    ) STORED
  `);
  await knex.raw('CREATE INDEX assignments_search_vector ON assignments USING gin (search_vector)');
  // Facet counts read every open assignment: from this narrow index (an
  // index-only scan) rather than from the wide rows with their descriptions.
  await knex.raw(`
    CREATE INDEX assignments_open_facets ON assignments (apply_by)
      INCLUDE (category_id, municipality_code, locality_id, organisation_id, compensation_type, work_training, lat, lng)
      WHERE status = 'published' AND hidden_at IS NULL
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX assignments_open_facets');
  await knex.raw('ALTER TABLE assignments DROP COLUMN search_vector');
}
