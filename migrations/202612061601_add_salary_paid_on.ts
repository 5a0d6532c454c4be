import type { Knex } from 'knex';

// Payroll marks a salary paid with the day the money went out (issue 12, "Salary job and payout"). The salaries
// trigger of 202612061400 refuses every change but forgetting the worker; this version lets paid_on move from
// NULL to a date once, and never back or to another date: a payout, like the salary itself, is not rewritten.

const refuseChange = (allowed: string) => `
  CREATE OR REPLACE FUNCTION salaries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      RAISE EXCEPTION 'salaries rows are never deleted' USING ERRCODE = 'P0001';
    END IF;
    IF EXISTS (
      SELECT 1 FROM jsonb_each(to_jsonb(OLD)) o JOIN jsonb_each(to_jsonb(NEW)) n USING (key)
      WHERE o.value IS DISTINCT FROM n.value ${allowed}
    ) THEN
      RAISE EXCEPTION 'salaries rows are never changed' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
  END $$;`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('salaries', (t) => {
    t.date('paid_on');
  });
  await knex.raw(
    refuseChange(`AND NOT (key = 'worker_user_id' AND n.value = 'null'::jsonb)
      AND NOT (key = 'paid_on' AND o.value = 'null'::jsonb)`),
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(refuseChange(`AND NOT (key IN ('worker_user_id') AND n.value = 'null'::jsonb)`));
  await knex.schema.alterTable('salaries', (t) => {
    t.dropColumn('paid_on');
  });
}
