import type { Knex } from 'knex';

// The accepted applications of posted assignments, one narrow row each with what the open data groups them by
// (issue 13: open-data API p95 ≤ 100 ms). Over every municipality and a year, counting the distinct persons
// accepted per municipality and category from the base tables joined 60 000 acceptances to 60 000 assignments and
// hashed the result twice (100–150 ms); here one index, sorted as the grouping needs it, answers the same count in
// one pass (15–20 ms), without the join. Distinct persons cannot be added up from daily or monthly totals, so the
// rows stay one per acceptance.
//
// The triggers keep the table exactly equal to its definition (the join below) on every write, in the same
// transaction: test/stats/statistics-acceptances.test.ts compares it with a recount after random writes. They are
// statement-level (transition tables), so a bulk update costs one join, not one trigger call per row.
//
// Concurrent writers, under READ COMMITTED:
// - an application becoming accepted has its assignment row locked FOR UPDATE by applications_within_places
//   (BEFORE, same statement), so it is serialised with any change of the assignment (no flow moves an accepted
//   application to another assignment or applicant; the triggers keep such a move exact, not serialised);
// - an assignment that stays posted has its rows UPDATEd in place, never deleted and inserted again, so a
//   concurrent delete of one of them (application withdrawn or deleted) waits and then follows the new version;
// - an assignment posted again locks the accepted applications it copies (FOR SHARE), so it waits for a
//   concurrent change of one and sees it committed.
// POSTED must match src/modules/stats/queries.ts's POSTED (and a published_at to count the row by).
const POSTED = (a: string) =>
  `(${a}.status IN ('published', 'closed', 'assigned', 'completed', 'expired', 'cancelled') AND ${a}.hidden_at IS NULL AND ${a}.published_at IS NOT NULL)`;

const COLUMNS = 'application_id, assignment_id, applicant_id, municipality_code, category_id, published_at';

/** The same accepted application in both transition tables, unchanged in what the table holds. */
const UNCHANGED = (o: string, n: string) =>
  `${o}.id = ${n}.id AND ${o}.status = 'accepted' AND ${n}.status = 'accepted'
   AND ${o}.assignment_id = ${n}.assignment_id AND ${o}.applicant_id = ${n}.applicant_id`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE statistics_acceptances (
      application_id bigint PRIMARY KEY,
      assignment_id bigint NOT NULL,
      applicant_id bigint NOT NULL,
      municipality_code varchar(4) NOT NULL,
      category_id integer NOT NULL,
      published_at timestamptz NOT NULL
    );
    -- The open data's grouping order: distinct persons per municipality and category in one sorted pass.
    CREATE INDEX statistics_acceptances_grouping_index
      ON statistics_acceptances (municipality_code, category_id, applicant_id, published_at);
    -- A short period (a month, a quarter) reads only its own rows, then sorts them.
    CREATE INDEX statistics_acceptances_published_index
      ON statistics_acceptances (published_at) INCLUDE (municipality_code, category_id, applicant_id);
    CREATE INDEX statistics_acceptances_assignment_index ON statistics_acceptances (assignment_id);

    INSERT INTO statistics_acceptances (${COLUMNS})
    SELECT x.id, x.assignment_id, x.applicant_id, a.municipality_code, a.category_id, a.published_at
    FROM applications x JOIN assignments a ON a.id = x.assignment_id
    WHERE x.status = 'accepted' AND ${POSTED('a')};

    CREATE FUNCTION statistics_acceptances_of_applications() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        DELETE FROM statistics_acceptances s USING old_applications o WHERE s.application_id = o.id;
      ELSIF TG_OP = 'UPDATE' THEN
        DELETE FROM statistics_acceptances s USING old_applications o
        WHERE s.application_id = o.id
          AND NOT EXISTS (SELECT 1 FROM new_applications n WHERE ${UNCHANGED('o', 'n')});
        INSERT INTO statistics_acceptances (${COLUMNS})
        SELECT n.id, n.assignment_id, n.applicant_id, a.municipality_code, a.category_id, a.published_at
        FROM new_applications n JOIN assignments a ON a.id = n.assignment_id
        WHERE n.status = 'accepted' AND ${POSTED('a')}
          AND NOT EXISTS (SELECT 1 FROM old_applications o WHERE ${UNCHANGED('o', 'n')});
      ELSE
        INSERT INTO statistics_acceptances (${COLUMNS})
        SELECT n.id, n.assignment_id, n.applicant_id, a.municipality_code, a.category_id, a.published_at
        FROM new_applications n JOIN assignments a ON a.id = n.assignment_id
        WHERE n.status = 'accepted' AND ${POSTED('a')};
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER statistics_acceptances_on_insert AFTER INSERT ON applications
      REFERENCING NEW TABLE AS new_applications
      FOR EACH STATEMENT EXECUTE FUNCTION statistics_acceptances_of_applications();
    CREATE TRIGGER statistics_acceptances_on_update AFTER UPDATE ON applications
      REFERENCING OLD TABLE AS old_applications NEW TABLE AS new_applications
      FOR EACH STATEMENT EXECUTE FUNCTION statistics_acceptances_of_applications();
    CREATE TRIGGER statistics_acceptances_on_delete AFTER DELETE ON applications
      REFERENCING OLD TABLE AS old_applications
      FOR EACH STATEMENT EXECUTE FUNCTION statistics_acceptances_of_applications();

    -- An assignment's applications are deleted with it (ON DELETE CASCADE), which the trigger above sees; a new one
    -- has none. So only its updates matter here.
    CREATE FUNCTION statistics_acceptances_of_assignments() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE statistics_acceptances s
      SET municipality_code = n.municipality_code, category_id = n.category_id, published_at = n.published_at
      FROM new_assignments n JOIN old_assignments o ON o.id = n.id
      WHERE s.assignment_id = n.id AND ${POSTED('o')} AND ${POSTED('n')}
        AND (n.municipality_code, n.category_id, n.published_at) IS DISTINCT FROM (o.municipality_code, o.category_id, o.published_at);
      DELETE FROM statistics_acceptances s USING new_assignments n JOIN old_assignments o ON o.id = n.id
      WHERE s.assignment_id = n.id AND ${POSTED('o')} AND NOT ${POSTED('n')};
      INSERT INTO statistics_acceptances (${COLUMNS})
      SELECT x.id, x.assignment_id, x.applicant_id, n.municipality_code, n.category_id, n.published_at
      FROM new_assignments n JOIN old_assignments o ON o.id = n.id
      JOIN applications x ON x.assignment_id = n.id AND x.status = 'accepted'
      WHERE ${POSTED('n')} AND NOT ${POSTED('o')}
      FOR SHARE OF x;
      RETURN NULL;
    END $$;
    CREATE TRIGGER statistics_acceptances_on_update AFTER UPDATE ON assignments
      REFERENCING OLD TABLE AS old_assignments NEW TABLE AS new_assignments
      FOR EACH STATEMENT EXECUTE FUNCTION statistics_acceptances_of_assignments();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TRIGGER statistics_acceptances_on_update ON assignments;
    DROP FUNCTION statistics_acceptances_of_assignments();
    DROP TRIGGER statistics_acceptances_on_delete ON applications;
    DROP TRIGGER statistics_acceptances_on_update ON applications;
    DROP TRIGGER statistics_acceptances_on_insert ON applications;
    DROP FUNCTION statistics_acceptances_of_applications();
    DROP TABLE statistics_acceptances;
  `);
}
