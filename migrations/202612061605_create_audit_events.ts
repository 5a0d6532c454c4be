import type { Knex } from 'knex';

// Issue 12 item 7: one append-only log of what payroll, admins and the money jobs did. personal_data_views stays
// where it is (it names whose personnummer was seen); this table holds the rest. Details never carry a
// personnummer. The database refuses UPDATE and DELETE, apart from forgetting the actor when their account is
// deleted (ON DELETE SET NULL), so the log cannot be rewritten from the application.

const AUDIT_KINDS = [
  'personal_number_view',
  'salary_run',
  'salary_paid',
  'payment_registered',
  'payment_import',
  'credit_note',
  'operator_settings',
  'payroll_staff',
] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_events', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.bigInteger('actor_user_id').references('id').inTable('users').onDelete('SET NULL');
    t.text('kind').notNullable();
    t.text('subject').notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['at']);
    t.index(['kind', 'at']);
  });
  await knex.raw(`ALTER TABLE audit_events
    ADD CONSTRAINT audit_events_kind CHECK (kind IN (${AUDIT_KINDS.map((kind) => `'${kind}'`).join(', ')}))`);
  await knex.raw(`
    CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit_events rows are never deleted' USING ERRCODE = 'P0001';
      END IF;
      IF EXISTS (
        SELECT 1 FROM jsonb_each(to_jsonb(OLD)) o JOIN jsonb_each(to_jsonb(NEW)) n USING (key)
        WHERE o.value IS DISTINCT FROM n.value AND NOT (key IN ('actor_user_id') AND n.value = 'null'::jsonb)
      ) THEN
        RAISE EXCEPTION 'audit_events rows are never changed' USING ERRCODE = 'P0001';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER audit_events_refuse_change BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_events');
  await knex.raw('DROP FUNCTION audit_events_refuse_change()');
}
