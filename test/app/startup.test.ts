import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { testServices } from '../support/root-hooks.js';
import {
  isAlive,
  killEmbeddedServers,
  readRunFile,
  startProcess,
  temporaryDataDir,
  waitUntil,
  type RunningProcess,
} from '../support/processes.js';
import { databaseUrl, withAdminClient } from '../support/services.js';

// Start-up as a user does it: `npm start` (src/server.ts) and the CLI commands
// as real processes, in embedded mode (own PostgreSQL and Meilisearch under a
// temporary DATA_DIR) and in external mode (the test run's servers).

const runningLine = (line: { msg: string }) => line.msg.startsWith('Uppdragsbanken is running');

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Start-up in embedded mode (npm start with nothing configured)', function () {
  this.timeout(180_000);
  const dataDir = temporaryDataDir();
  const env = { DATA_DIR: dataDir, PORT: '0' };
  let app: RunningProcess;
  let baseUrl: string;

  before(async () => {
    app = startProcess('src/server.ts', env);
    const running = await app.waitForLog(runningLine, 120_000);
    baseUrl = `http://127.0.0.1:${running.port}`;
  });

  after(async () => {
    await app?.stop('SIGKILL').catch(() => {});
    killEmbeddedServers(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when started on an empty DATA_DIR, then it says which mode it runs in and loads demo data', () => {
    const running = app.lines.find(runningLine)!;
    expect(running).to.include({ database: 'embedded', search: 'embedded' });
    expect(app.lines.some((line) => line.msg.startsWith('Demo data loaded'))).to.equal(true);
    expect(fs.statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).to.equal(0o600);
  });

  it('when healthy, then /healthz says ok for everything', async () => {
    expect(await getJson(`${baseUrl}/healthz`)).to.deep.equal({ status: 200, body: { status: 'ok', db: 'ok', search: 'ok' } });
  });

  it('when the JSON API is asked for a demo word with a typo, then it finds the demo assignment', async () => {
    const { status, body } = await getJson(`${baseUrl}/api/v1/assignments?q=sn%C3%B6skotning`);
    expect(status).to.equal(200);
    const titles = (body.hits as Array<{ title: string }>).map((hit) => hit.title);
    expect(titles.some((title) => title.includes('Snöskottning'))).to.equal(true, titles.join(', '));
  });

  it('when a second app starts on the same DATA_DIR, then it refuses with a clear message', async () => {
    const second = startProcess('src/server.ts', env);
    expect(await second.exited(60_000)).to.equal(1);
    expect(second.lines.map((line) => line.msg).join('\n')).to.match(/already running on DATA_DIR .* \(process \d+\)/);
  });

  it('when a CLI command runs while the app runs, then it uses the app’s servers', async () => {
    const migrate = startProcess('src/cli/migrate.ts', env);
    expect(await migrate.exited(60_000)).to.equal(0);
    const messages = migrate.lines.map((line) => line.msg);
    expect(messages).to.include('Database is up to date');
    expect(messages.some((m) => m.startsWith('PostgreSQL: using the server started by process'))).to.equal(
      true,
      messages.join('\n'),
    );
    expect(messages.some((m) => m.startsWith('Meilisearch: using the server started by process'))).to.equal(true);
    expect((await getJson(`${baseUrl}/healthz`)).body.db).to.equal('ok');
  });

  it('when the embedded Meilisearch dies, then the app restarts it and search recovers', async () => {
    const before = readRunFile(dataDir, 'meilisearch');
    process.kill(before.pid, 'SIGKILL');
    await waitUntil(async () => (await getJson(`${baseUrl}/healthz`)).body.search === 'degraded', 10_000, 'degraded search');
    await app.waitForLog((line) => line.msg === 'Meilisearch restarted', 30_000);
    expect(app.lines.some((line) => line.msg.startsWith('Meilisearch exited unexpectedly'))).to.equal(true);
    expect((await getJson(`${baseUrl}/healthz`)).body).to.deep.equal({ status: 'ok', db: 'ok', search: 'ok' });
    expect(readRunFile(dataDir, 'meilisearch').pid).to.not.equal(before.pid);
    const { body } = await getJson(`${baseUrl}/api/v1/assignments?q=gr%C3%A4sklippning`);
    expect(body.totalHits).to.be.greaterThan(0);
  });

  it('when the app and the watchdogs are killed with kill -9, then the next start stops the servers left behind and Ctrl-C leaves no process behind', async () => {
    const runs = [readRunFile(dataDir, 'postgres'), readRunFile(dataDir, 'meilisearch')];
    const orphans = runs.map((run) => run.pid);
    // Without their watchdogs (say, killed together with the app) the servers outlive the app…
    for (const run of runs) process.kill(run.watchdogPid!, 'SIGKILL');
    await app.stop('SIGKILL');
    expect(orphans.every(isAlive)).to.equal(true);

    app = startProcess('src/server.ts', env); // …and the next start takes over
    const running = await app.waitForLog(runningLine, 120_000);
    expect(app.lines.some((line) => /stopping a server left behind/.test(line.msg))).to.equal(true);
    expect(app.lines.some((line) => line.msg.startsWith('Demo data loaded'))).to.equal(false);
    expect(orphans.some(isAlive)).to.equal(false);
    expect((await getJson(`http://127.0.0.1:${running.port}/healthz`)).body.status).to.equal('ok');

    const servers = [readRunFile(dataDir, 'postgres'), readRunFile(dataDir, 'meilisearch')];
    expect(await app.stop('SIGINT')).to.equal(0);
    expect(servers.some((run) => isAlive(run.pid))).to.equal(false);
    expect(fs.readdirSync(path.join(dataDir, 'run'))).to.deep.equal([]);
    // the watchdogs go with their servers
    await waitUntil(() => !servers.some((run) => isAlive(run.watchdogPid!)), 5000, 'the watchdogs to exit');
  });

  it('when the app alone is killed with kill -9, then its watchdogs stop the servers within seconds', async () => {
    app = startProcess('src/server.ts', env);
    await app.waitForLog(runningLine, 120_000);
    const servers = [readRunFile(dataDir, 'postgres').pid, readRunFile(dataDir, 'meilisearch').pid];
    await app.stop('SIGKILL');
    await waitUntil(() => !servers.some(isAlive), 20_000, 'the embedded servers to stop after their owner died');
  });
});

describe('Start-up in external mode (DATABASE_URL and MEILI_HOST set)', function () {
  this.timeout(120_000);
  const database = `ub_external_${process.pid}`;
  const dataDir = temporaryDataDir();
  let env: Record<string, string>;

  before(async () => {
    const services = testServices();
    await withAdminClient(services.adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));
    env = {
      DATA_DIR: dataDir,
      PORT: '0',
      DATABASE_URL: databaseUrl(services.adminUrl, database),
      MEILI_HOST: services.meili.host,
      MEILI_MASTER_KEY: services.meili.apiKey ?? '',
      MEILI_INDEX_PREFIX: `ext${process.pid}_`,
      SESSION_SECRET: 'external-mode-session-secret-of-enough-length',
    };
  });

  after(async () => {
    await withAdminClient(testServices().adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when started, then it uses the given servers, starts none, loads no demo data and stops cleanly', async () => {
    const app = startProcess('src/server.ts', env);
    const running = await app.waitForLog(runningLine);
    expect(running).to.include({ database: 'external', search: 'external' });
    expect(app.lines.some((line) => line.msg.startsWith('Demo data loaded'))).to.equal(false);
    expect(fs.readdirSync(dataDir)).to.deep.equal([]); // no embedded server, no generated secrets
    expect((await getJson(`http://127.0.0.1:${running.port}/healthz`)).body).to.deep.equal({
      status: 'ok',
      db: 'ok',
      search: 'ok',
    });
    expect(await app.stop('SIGTERM')).to.equal(0);
  });

  it('when seed:demo runs, then the demo assignments become searchable; a second run adds nothing', async () => {
    const seed = startProcess('src/cli/seed-demo.ts', env);
    expect(await seed.exited(60_000)).to.equal(0);
    const again = startProcess('src/cli/seed-demo.ts', env);
    expect(await again.exited(60_000)).to.equal(0);
    expect(again.lines.map((line) => line.msg)).to.include('The database already has organisations: demo data not loaded');

    const app = startProcess('src/server.ts', { ...env, RUN_WORKER: 'false' });
    const running = await app.waitForLog(runningLine);
    const { body } = await getJson(`http://127.0.0.1:${running.port}/api/v1/assignments?q=grasklippning`);
    expect(body.totalHits).to.be.greaterThan(0);
    expect(await app.stop()).to.equal(0);
  });

  it('when the worker runs standalone, then it processes queued index jobs and stops on Ctrl-C', async () => {
    const services = testServices();
    const client = new (await import('pg')).default.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    await client.query(`UPDATE assignments SET title = 'Kvastfenixprojektet vid hembygdsgården' WHERE id = 1`);
    await client.query(`SELECT graphile_worker.add_job('index_assignment', '{"id":1}'::json, job_key => 'index_assignment:1')`);
    await client.end();

    const worker = startProcess('src/cli/worker.ts', env);
    await worker.waitForLog((line) => line.msg.startsWith('Worker running'));
    const searchUrl = `${services.meili.host}/indexes/${env.MEILI_INDEX_PREFIX}assignments/search`;
    await waitUntil(
      async () => {
        const response = await fetch(searchUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${services.meili.apiKey}` },
          body: JSON.stringify({ q: 'kvastfenixprojektet' }),
        });
        const { hits } = (await response.json()) as { hits: Array<{ id: number }> };
        return hits.some((hit) => hit.id === 1);
      },
      30_000,
      'the worker to index the changed assignment',
    );
    expect(await worker.stop('SIGINT')).to.equal(0);
  });

  it('when create-admin runs, then a platform admin exists; bad or missing arguments are refused', async () => {
    const created = startProcess('src/cli/create-admin.ts', env, [
      '--email',
      'Admin@Example.se',
      '--password',
      'ett bra adminlösenord',
    ]);
    expect(await created.exited(60_000)).to.equal(0, created.stderr());
    const client = new (await import('pg')).default.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query(
      `SELECT is_admin, email_verified_at IS NOT NULL AS verified, password_hash FROM users WHERE email = 'admin@example.se'`,
    );
    await client.end();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ is_admin: true, verified: true });
    expect(rows[0].password_hash).to.match(/^\$argon2id\$/);
    expect(created.lines.map((line) => JSON.stringify(line)).join('\n')).to.not.contain('ett bra adminlösenord');

    const missing = startProcess('src/cli/create-admin.ts', env, ['--email', 'x@example.se']);
    expect(await missing.exited(60_000)).to.equal(2);
    expect(missing.stderr()).to.contain('Usage: npm run create-admin');
    const weak = startProcess('src/cli/create-admin.ts', env, ['--email', 'y@example.se', '--password', 'lösenord123']);
    expect(await weak.exited(60_000)).to.equal(1);
    expect(weak.stderr()).to.contain('create-admin: The password is not acceptable');
  });

  it('when no Meilisearch binary can be found, then the app still starts, says how to get one and reports search degraded', async () => {
    const env2 = { ...env, MEILI_HOST: '', MEILI_MASTER_KEY: '', MEILI_BIN: '/nonexistent/meilisearch', PATH: '/usr/bin:/bin' };
    const app = startProcess('src/server.ts', env2);
    const running = await app.waitForLog(runningLine);
    expect(running).to.include({ search: 'unavailable' });
    expect(app.lines.some((line) => line.msg.startsWith('Search is degraded: no Meilisearch binary found'))).to.equal(true);
    const base = `http://127.0.0.1:${running.port}`;
    expect((await getJson(`${base}/healthz`)).body).to.deep.equal({ status: 'ok', db: 'ok', search: 'degraded' });
    const page = await fetch(`${base}/uppdrag`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('Sökmotorn svarar inte just nu');
    // The API answers from PostgreSQL instead (test/search/search-contract.test.ts).
    const api = await getJson(`${base}/api/v1/assignments`);
    expect(api.status).to.equal(200);
    expect(api.body.engine).to.equal('postgres');
    expect(await app.stop()).to.equal(0);
  });
});

describe('Start-up with a bad setting', () => {
  for (const [variable, value] of [
    ['PORT', 'abc'],
    ['DATABASE_URL', 'mysql://user:hunter2@localhost/db'],
    ['LOG_LEVEL', 'loud'],
  ] as const) {
    it(`when ${variable}=${value.slice(0, 12)}…, then it stops with one line naming ${variable}`, async () => {
      const app = startProcess('src/server.ts', { [variable]: value, DATA_DIR: '/nonexistent/never-created' });
      expect(await app.exited(30_000)).to.equal(1);
      const lines = app.stderr().trim().split('\n');
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(new RegExp(`^Configuration error: ${variable} `));
      expect(lines[0]).to.not.contain('hunter2');
      expect(fs.existsSync('/nonexistent/never-created')).to.equal(false);
    });
  }
});
