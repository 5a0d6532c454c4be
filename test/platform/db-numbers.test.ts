import { expect } from 'chai';
import { createDb, type Db } from '../../src/platform/db.js';
import { oreFromDatabase } from '../../src/platform/money.js';
import { testServices } from '../support/root-hooks.js';

// How numbers come out of PostgreSQL (src/platform/db.ts): NUMERIC never as a
// float — its exact text, which platform/money.ts reads without rounding.
// Plain SELECTs on the shared test server; no tables needed.

describe('Numbers from the database (src/platform/db.ts)', () => {
  let db: Db;
  before(() => {
    db = createDb(testServices().adminUrl, { poolMax: 1 });
  });
  after(async () => {
    await db.destroy();
  });

  const one = async (sql: string) => ((await db.raw(sql)).rows as Array<{ value: unknown }>)[0]!.value;

  it('when a NUMERIC is read, then it is its exact text, not a float', async () => {
    expect(await one('SELECT 0.1::numeric + 0.2::numeric AS value')).to.equal('0.3');
    expect(await one('SELECT 12345678901234567.89::numeric AS value')).to.equal('12345678901234567.89');
    expect(await one('SELECT 4.5::numeric(6,1) AS value')).to.equal('4.5');
    expect(await one('SELECT 4::numeric(6,1) AS value')).to.equal('4.0');
  });

  it('when öre in BIGINT are summed (a NUMERIC), then the sum is exact, also beyond what a float holds to the öre', async () => {
    const sum = await one('SELECT sum(x) AS value FROM (VALUES (4503599627370495::bigint), (4503599627370496::bigint)) AS t(x)');
    expect(sum).to.equal('9007199254740991');
    expect(oreFromDatabase(sum as string)).to.equal(Number.MAX_SAFE_INTEGER);
    const tooMuch = await one('SELECT sum(x) AS value FROM (VALUES (9007199254740991::bigint), (2::bigint)) AS t(x)');
    expect(tooMuch).to.equal('9007199254740993'); // a float would read 9007199254740992
    expect(() => oreFromDatabase(tooMuch as string)).to.throw(RangeError);
  });

  it('when avg() is read, then it is text too, and DATE stays a calendar date', async () => {
    expect(await one('SELECT avg(x) AS value FROM (VALUES (4), (5)) AS t(x)')).to.equal('4.5000000000000000');
    expect(await one(`SELECT DATE '2026-03-29' AS value`)).to.equal('2026-03-29');
  });
});
