import { expect } from 'chai';
import { useTestApp } from '../support/test-app.js';

describe('Migrations', () => {
  const ctx = useTestApp();
  const ourTables = async () =>
    (
      (await ctx.db.raw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'knex_%' ORDER BY 1`))
        .rows as Array<{ tablename: string }>
    ).map((row) => row.tablename);

  it('when every migration is rolled back, then our tables are gone; when applied again, then they are back', async () => {
    const before = await ourTables();
    expect(before).to.include.members(['assignments', 'categories', 'localities', 'municipalities', 'organisations', 'users']);

    await ctx.db.migrate.rollback(undefined, true);
    expect(await ourTables()).to.deep.equal([]);

    await ctx.db.migrate.latest();
    expect(await ourTables()).to.deep.equal(before);
  });
});
