import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { createLogger } from '../../src/platform/logger.js';
import { enqueueJob, startWorker, type Worker } from '../../src/platform/jobs.js';
import { testServices } from '../support/root-hooks.js';
import { waitUntil } from '../support/processes.js';
import { withAdminClient } from '../support/services.js';
import { useTestApp } from '../support/test-app.js';

// An external database that goes away and comes back (a restart, a fail-over):
// every connection is cut and new ones are refused for a while. The app and
// the worker must answer 503 / wait, and carry on by themselves afterwards.
// (test/app/fault-tolerance.test.ts does the same to the embedded PostgreSQL.)

const databaseName = (url: string) => new URL(url).pathname.slice(1);

async function cutConnections(url: string, allowAfterwards: boolean): Promise<void> {
  const name = databaseName(url);
  await withAdminClient(testServices().adminUrl, async (client) => {
    await client.query(`ALTER DATABASE ${client.escapeIdentifier(name)} WITH ALLOW_CONNECTIONS ${allowAfterwards}`);
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
      name,
    ]);
  });
}

const allowConnections = (url: string) =>
  withAdminClient(testServices().adminUrl, (client) =>
    client.query(`ALTER DATABASE ${client.escapeIdentifier(databaseName(url))} WITH ALLOW_CONNECTIONS true`),
  );

describe('When the database goes away and comes back', function () {
  this.timeout(90_000);
  const ctx = useTestApp();
  afterEach(() => allowConnections(ctx.databaseUrl));

  it('then pages and /healthz answer 503 meanwhile (error page, Retry-After) and 200 afterwards, with no restart', async () => {
    await request(ctx.app)
      .get('/uppdrag/1')
      .expect((res) => expect(res.status).to.be.oneOf([200, 301, 404]));
    await cutConnections(ctx.databaseUrl, false);

    const health = await request(ctx.app).get('/healthz').expect(503);
    expect(health.body).to.include({ status: 'error', db: 'down' });
    for (const path of ['/uppdrag/1', '/organisationer/finns-inte']) {
      const page = await request(ctx.app).get(path).expect(503);
      expect(page.headers['retry-after']).to.equal('10');
      expect(page.text).to.contain('Tjänsten är tillfälligt otillgänglig');
    }

    await allowConnections(ctx.databaseUrl);
    await request(ctx.app).get('/healthz').expect(200);
    await request(ctx.app).get('/organisationer/finns-inte').expect(404);
  });

  it('then the job worker that lost its connections mid-job restarts by itself, releases the job it held and runs it', async () => {
    const log = createLogger({ logLevel: 'silent' });
    const messages: string[] = [];
    const recording = Object.assign(Object.create(log) as typeof log, {
      error: (_: unknown, message: string) => messages.push(message),
      info: (_: unknown, message?: string) => messages.push(String(message ?? _)),
      warn: (_: unknown, message?: string) => messages.push(String(message ?? _)),
    });
    const runs: number[] = [];
    let worker: Worker | undefined;
    try {
      worker = await startWorker({
        connectionString: ctx.databaseUrl,
        log: recording,
        taskList: {
          slow_job: async (payload) => {
            runs.push((payload as { n: number }).n);
            if (runs.length === 1) {
              // The database goes away while this first run is busy: finishing it cannot be recorded.
              await cutConnections(ctx.databaseUrl, false);
              await sleep(300);
            }
          },
        },
      });
      await enqueueJob(ctx.db, 'slow_job', { n: 1 });
      await waitUntil(() => messages.includes('Job worker stopped unexpectedly; it restarts when the database answers'), 30_000);
      await sleep(1500); // a restart attempt fails while connections are refused
      expect(messages).to.include('Job worker could not restart yet');
      await allowConnections(ctx.databaseUrl);
      await waitUntil(() => messages.includes('Job worker restarted'), 60_000, 'the worker to restart');
      // The job whose completion was lost is released (not left locked for 4 h) and runs again.
      await waitUntil(() => runs.length === 2, 30_000, 'the released job to run again');
      await waitUntil(
        async () => (await ctx.db.raw(`SELECT 1 FROM graphile_worker.jobs WHERE task_identifier = 'slow_job'`)).rows.length === 0,
        30_000,
        'the job to be recorded as done',
      );
    } finally {
      await allowConnections(ctx.databaseUrl);
      await worker?.stop();
    }
  });
});
