import type { Knex } from 'knex';

// Applications (intresseanmälningar), PRODUCT.md flow 3. One per resident and
// assignment (a withdrawn one may be sent again: the same row comes back).
// Status: submitted → shortlisted → accepted | declined; withdrawn by the
// resident. share_profile: the resident's profile and CV are shown to the
// assignment's organisation only while this is true.
//
// The number of accepted applications never exceeds the assignment's
// people_needed: the service locks the assignment row and counts, and the
// trigger below does the same inside the database, so no code path (and no
// race between two accepts) can pass it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('applications', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('assignment_id').notNullable().references('id').inTable('assignments').onDelete('CASCADE');
    t.bigInteger('applicant_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('message').notNullable();
    t.boolean('share_profile').notNullable().defaultTo(true);
    t.text('status').notNullable().defaultTo('submitted');
    t.text('decline_message');
    t.timestamp('decided_at', { useTz: true });
    t.timestamps(true, true);
    t.unique(['assignment_id', 'applicant_id']);
    t.index(['applicant_id', 'created_at']);
    t.index(['assignment_id', 'status']);
  });
  await knex.raw(`
    ALTER TABLE applications
      ADD CONSTRAINT applications_status CHECK (status IN ('submitted', 'shortlisted', 'accepted', 'declined', 'withdrawn')),
      ADD CONSTRAINT applications_message_length CHECK (char_length(message) BETWEEN 1 AND 4000),
      ADD CONSTRAINT applications_decline_message_length CHECK (decline_message IS NULL OR char_length(decline_message) <= 2000)
  `);
  await knex.raw(`
    CREATE FUNCTION applications_within_places() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      places integer;
      taken integer;
    BEGIN
      IF NEW.status <> 'accepted' OR (TG_OP = 'UPDATE' AND OLD.status = 'accepted') THEN
        RETURN NEW;
      END IF;
      -- The lock serialises concurrent accepts for one assignment.
      SELECT people_needed INTO places FROM assignments WHERE id = NEW.assignment_id FOR UPDATE;
      SELECT count(*) INTO taken FROM applications
        WHERE assignment_id = NEW.assignment_id AND status = 'accepted' AND id <> NEW.id;
      IF taken >= places THEN
        RAISE EXCEPTION 'all % places of assignment % are taken', places, NEW.assignment_id
          USING ERRCODE = 'check_violation', CONSTRAINT = 'applications_places';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER applications_within_places BEFORE INSERT OR UPDATE OF status ON applications
      FOR EACH ROW EXECUTE FUNCTION applications_within_places();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('applications');
  await knex.raw('DROP FUNCTION applications_within_places()');
}
