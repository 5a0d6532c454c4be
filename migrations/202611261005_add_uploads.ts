import type { Knex } from 'knex';

// Uploaded files: an organisation's logo and a resident's CV. The files live
// behind the storage interface (src/platform/storage.ts); rows keep only the
// server-made key (never the client's file name) and, for the CV, its size and
// when it came. A key is "folder/random.ext", checked here as well.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('organisations', (t) => {
    t.text('logo_key');
  });
  await knex.schema.alterTable('resident_profiles', (t) => {
    t.text('cv_key');
    t.integer('cv_size');
    t.timestamp('cv_uploaded_at', { useTz: true });
  });
  await knex.raw(
    `ALTER TABLE organisations ADD CONSTRAINT organisations_logo_key CHECK (logo_key IS NULL OR logo_key ~ '^logos/[A-Za-z0-9_-]+\\.webp$')`,
  );
  await knex.raw(
    `ALTER TABLE resident_profiles ADD CONSTRAINT resident_profiles_cv CHECK (
       (cv_key IS NULL AND cv_size IS NULL AND cv_uploaded_at IS NULL)
       OR (cv_key ~ '^cvs/[A-Za-z0-9_-]+\\.pdf$' AND cv_size > 0 AND cv_uploaded_at IS NOT NULL))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE resident_profiles DROP CONSTRAINT resident_profiles_cv');
  await knex.raw('ALTER TABLE organisations DROP CONSTRAINT organisations_logo_key');
  await knex.schema.alterTable('resident_profiles', (t) => {
    t.dropColumn('cv_uploaded_at');
    t.dropColumn('cv_size');
    t.dropColumn('cv_key');
  });
  await knex.schema.alterTable('organisations', (t) => {
    t.dropColumn('logo_key');
  });
}
