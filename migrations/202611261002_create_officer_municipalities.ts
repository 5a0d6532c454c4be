import type { Knex } from 'knex';

// Municipality officers (kommunhandläggare): a platform admin appoints a user
// for one or more municipalities; the officer sees statistics for those only.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('officer_municipalities', (t) => {
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('municipality_code', 4).notNullable().references('code').inTable('municipalities');
    t.bigInteger('appointed_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['user_id', 'municipality_code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('officer_municipalities');
}
