import { expect } from 'chai';
import express, { type Express } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import knex from 'knex';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import request from 'supertest';
import { buildApp } from '../../src/app.js';
import { createDb, type Db } from '../../src/platform/db.js';
import { enqueueJob } from '../../src/platform/jobs.js';
import {
  PostgresRateLimitStore,
  PRUNE_RATE_LIMIT_COUNTERS_TASK,
  RATE_LIMIT_TABLE,
  pruneRateLimitCounters,
  rateLimitHashKey,
  sharedRateLimitOptions,
} from '../../src/web/rate-limit-store.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { createUser, csrfFrom, TEST_PASSWORD } from '../support/users.js';

// The rate limits count in PostgreSQL (web/rate-limit-store.ts): every app
// process on one database shares one allowance per client, and a restart
// forgets nothing. First the store itself against the real database, then the
// issue's acceptance test: two app instances on one database, and a third one
// built afterwards (a restart).

type Agent = ReturnType<typeof request.agent>;

interface CounterRow {
  limiter: string;
  key_hash: string;
  hits: number;
  reset_at: Date;
}

const counters = (ctx: TestApp) => ctx.db<CounterRow>(RATE_LIMIT_TABLE).orderBy(['limiter', 'key_hash']).select('*');

/** Another app process on the same database: its own connection pool, its own limiters. */
function appOnSameDatabase(ctx: TestApp): { app: Express; db: Db } {
  const db = createDb(ctx.databaseUrl, { poolMax: 3 });
  return { app: buildApp({ ...ctx.deps, db }), db };
}

describe('Rate limits: the PostgreSQL store', () => {
  const ctx = useTestApp();
  const otherPools: Db[] = [];
  const WINDOW_MS = 60_000;

  const storeOn = (db: Db, limiter = 'test-limiter', windowMs = WINDOW_MS) => {
    const store = new PostgresRateLimitStore(db, limiter, rateLimitHashKey(ctx.deps.sessionSecret));
    store.init({ windowMs } as Options);
    return store;
  };
  const otherPool = () => {
    const db = createDb(ctx.databaseUrl, { poolMax: 3 });
    otherPools.push(db);
    return db;
  };

  beforeEach(async () => {
    await ctx.db(RATE_LIMIT_TABLE).delete();
  });

  after(async () => {
    await Promise.all(otherPools.map((db) => db.destroy()));
  });

  it('when a key is hit, then it counts up within one window that ends windowMs after the first hit', async () => {
    const store = storeOn(ctx.db);
    const { now } = (await ctx.db.raw<{ rows: Array<{ now: Date }> }>('SELECT now() AS now')).rows[0]!;
    const first = await store.increment('client-a');
    const second = await store.increment('client-a');
    const third = await store.increment('client-a');
    expect([first.totalHits, second.totalHits, third.totalHits]).to.deep.equal([1, 2, 3]);
    expect(third.resetTime!.getTime()).to.equal(first.resetTime!.getTime());
    expect(first.resetTime!.getTime()).to.be.at.least(now.getTime() + WINDOW_MS);
    expect(await store.get('client-a')).to.deep.equal({ totalHits: 3, resetTime: first.resetTime });
    expect(await store.get('client-b')).to.equal(undefined);
    expect((await store.increment('client-b')).totalHits).to.equal(1);
  });

  it('when the window has passed, then the next hit starts a new window at 1', async () => {
    const store = storeOn(ctx.db);
    await store.increment('client-a');
    await store.increment('client-a');
    const past = new Date(Date.now() - 1000);
    await ctx.db(RATE_LIMIT_TABLE).update({ reset_at: past });
    expect(await store.get('client-a')).to.equal(undefined);
    const next = await store.increment('client-a');
    expect(next.totalHits).to.equal(1);
    expect(next.resetTime!.getTime()).to.be.greaterThan(past.getTime() + WINDOW_MS / 2);
    expect((await store.increment('client-a')).totalHits).to.equal(2);
  });

  it('when a hit is decremented, then one is taken back, never below zero and never from a passed window', async () => {
    const store = storeOn(ctx.db);
    await store.increment('client-a');
    await store.increment('client-a');
    await store.decrement('client-a');
    expect((await store.get('client-a'))?.totalHits).to.equal(1);
    await store.decrement('client-a');
    await store.decrement('client-a');
    expect((await store.get('client-a'))?.totalHits).to.equal(0);
    expect((await store.increment('client-a')).totalHits).to.equal(1);
    await store.decrement('never-seen'); // no row, no error

    await ctx.db(RATE_LIMIT_TABLE).update({ reset_at: new Date(Date.now() - 1000) });
    await store.decrement('client-a');
    expect((await ctx.db(RATE_LIMIT_TABLE).first('hits')).hits).to.equal(1);
  });

  it('when a key is reset, then only that key of that limiter starts afresh', async () => {
    const store = storeOn(ctx.db, 'test-limiter');
    const neighbour = storeOn(ctx.db, 'other-limiter');
    await store.increment('client-a');
    await store.increment('client-a');
    await store.increment('client-b');
    await neighbour.increment('client-a');
    await store.resetKey('client-a');
    expect(await store.get('client-a')).to.equal(undefined);
    expect((await store.get('client-b'))?.totalHits).to.equal(1);
    expect((await neighbour.get('client-a'))?.totalHits).to.equal(1);
    expect((await store.increment('client-a')).totalHits).to.equal(1);
    await store.resetAll();
    expect(await store.get('client-b')).to.equal(undefined);
    expect((await neighbour.get('client-a'))?.totalHits).to.equal(1);
  });

  it('when two stores on one database (two pools, as two processes) count one key, then they share the count', async () => {
    const here = storeOn(ctx.db);
    const there = storeOn(otherPool());
    const elsewhere = storeOn(ctx.db, 'other-limiter');
    expect((await here.increment('client-a')).totalHits).to.equal(1);
    expect((await there.increment('client-a')).totalHits).to.equal(2);
    expect((await here.increment('client-a')).totalHits).to.equal(3);
    await there.decrement('client-a');
    expect((await here.get('client-a'))?.totalHits).to.equal(2);
    // Another limiter's name is another count, even for the same key.
    expect((await elsewhere.increment('client-a')).totalHits).to.equal(1);
  });

  it('when many hits arrive at once through both pools, then each gets its own count (one atomic statement per hit)', async () => {
    const here = storeOn(ctx.db);
    const there = storeOn(otherPool());
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? here : there).increment('client-a')));
    expect(results.map((result) => result.totalHits).sort((a, b) => a - b)).to.deep.equal(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    expect(await counters(ctx)).to.have.length(1);
  });

  it('when e-mail and IP addresses are counted, then the table holds only the limiter name and a keyed hash', async () => {
    const store = storeOn(ctx.db, 'login-account');
    await store.increment('account:anna.lindqvist@example.se');
    await storeOn(ctx.db, 'login-address').increment('203.0.113.7');
    const rows = await counters(ctx);
    expect(rows.map((row) => row.limiter)).to.deep.equal(['login-account', 'login-address']);
    const dump = JSON.stringify(rows);
    expect(dump).to.not.contain('anna').and.not.contain('example.se').and.not.contain('203.0.113');
    expect(rows[0]!.key_hash)
      .to.equal(store.keyHash('account:anna.lindqvist@example.se'))
      .and.match(/^[A-Za-z0-9_-]{43}$/);
    // Keyed: another secret gives another hash for the same key.
    const otherSecret = new PostgresRateLimitStore(
      ctx.db,
      'login-account',
      rateLimitHashKey('another-secret-that-is-long-enough!'),
    );
    expect(otherSecret.keyHash('account:anna.lindqvist@example.se')).to.not.equal(rows[0]!.key_hash);
  });

  it('when the prune job runs, then the counters whose window has passed are deleted and the others kept', async () => {
    const store = storeOn(ctx.db);
    await store.increment('expired-1');
    await store.increment('expired-2');
    await store.increment('live');
    await ctx
      .db(RATE_LIMIT_TABLE)
      .whereNot('key_hash', store.keyHash('live'))
      .update({ reset_at: new Date(Date.now() - 1000) });

    await enqueueJob(ctx.db, PRUNE_RATE_LIMIT_COUNTERS_TASK, {});
    await ctx.runJobs();
    const rows = await counters(ctx);
    expect(rows.map((row) => row.key_hash)).to.deep.equal([store.keyHash('live')]);
    expect((await store.get('live'))?.totalHits).to.equal(1);
    expect(await pruneRateLimitCounters(ctx.db)).to.equal(0);
  });

  it('when a limiter name is not kebab-case, then the store refuses it at start', () => {
    for (const bad of ['', 'Login', 'login address', 'x'.repeat(65), '-login']) {
      expect(() => storeOn(ctx.db, bad), bad).to.throw(/kebab-case/);
    }
  });

  it('when the database cannot be reached, then the limiter lets requests through (fail open) and logs the error', async () => {
    const lines: string[] = [];
    const log = pino(
      { level: 'error' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    // Nothing listens on port 1; knex's own warnings about it are kept out of the test output.
    const quiet = () => {};
    const unreachable = knex({
      client: 'pg',
      connection: 'postgres://nobody:nothing@127.0.0.1:1/nowhere',
      pool: { min: 0, max: 1 },
      log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet },
    });
    otherPools.push(unreachable);
    const app = express();
    app.post(
      '/limited',
      rateLimit({
        ...sharedRateLimitOptions({ db: unreachable, sessionSecret: ctx.deps.sessionSecret, log }, 'unreachable-test'),
        windowMs: WINDOW_MS,
        limit: 1,
      }),
      (_req, res) => {
        res.send('through');
      },
    );
    for (let i = 0; i < 3; i++) expect((await request(app).post('/limited').expect(200)).text).to.equal('through');
    expect(lines).to.have.length(3);
    const line = JSON.parse(lines[0]!) as { limiter: string; msg: string; err: { message: string } };
    expect(line.limiter).to.equal('unreachable-test');
    expect(line.msg).to.contain('allowing request without rate-limiting');
    expect(line.err.message).to.match(/ECONNREFUSED/);
  });
});

describe('Rate limits: two app instances on one database, and a restart', function () {
  this.timeout(60_000);
  const ctx = useTestApp();
  const pools: Db[] = [];
  let second: Express;

  before(() => {
    const other = appOnSameDatabase(ctx);
    pools.push(other.db);
    second = other.app;
  });

  after(async () => {
    await Promise.all(pools.map((db) => db.destroy()));
  });

  const restarted = () => {
    const other = appOnSameDatabase(ctx);
    pools.push(other.db);
    return other.app;
  };

  async function logInAttempt(app: Express, email: string, password: string) {
    const agent: Agent = request.agent(app);
    const csrf = csrfFrom((await agent.get('/logga-in').expect(200)).text);
    return agent.post('/logga-in').type('form').send({ email, password, _csrf: csrf });
  }

  async function report(app: Express, id: number, details: string) {
    const agent: Agent = request.agent(app);
    const csrf = csrfFrom((await agent.get(`/uppdrag/${id}/rapportera`).expect(200)).text);
    return agent.post(`/uppdrag/${id}/rapportera`).type('form').send({ reason: 'spam', details, _csrf: csrf });
  }

  it('when 10 failed logins for one account are spread over two apps, then the 11th is refused with 429 on either, also after a restart', async () => {
    const user = await createUser(ctx.db);
    const apps = [ctx.app, second];
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await logInAttempt(apps[i % 2]!, user.email, `fel lösenord ${i}`)).status);
    expect(statuses).to.deep.equal(Array.from({ length: 10 }, () => 401));

    for (const app of apps) {
      const refused = await logInAttempt(app, user.email, 'ett elfte försök');
      expect(refused.status).to.equal(429);
      expect(refused.text).to.contain('För många försök');
    }
    // A new app instance on the same database (a restart) remembers the count.
    const afterRestart = await logInAttempt(restarted(), user.email.toUpperCase(), 'efter omstarten');
    expect(afterRestart.status).to.equal(429);

    // The account's count, not the address's: another account still logs in.
    const other = await createUser(ctx.db);
    expect((await logInAttempt(second, other.email, TEST_PASSWORD)).status).to.equal(303);
  });

  it('when 10 reports from one address are spread over two apps, then the 11th is refused on either and after a restart', async () => {
    const org = await createOrganisation(ctx.db);
    const id = await createTestAssignment(ctx.db, { organisationId: org.id });
    const apps = [ctx.app, second];
    for (let i = 0; i < 10; i++) expect((await report(apps[i % 2]!, id, `Rapport ${i}`)).status).to.equal(303);
    for (const app of [...apps, restarted()]) {
      const refused = await report(app, id, 'Den elfte');
      expect(refused.status).to.equal(429);
      expect(refused.text).to.contain('Du har skickat många rapporter på kort tid');
    }
    expect((await ctx.db('assignment_reports').where('assignment_id', id).count({ n: '*' }))[0]!.n).to.equal(10);
  });
});
