import { ListObjectsV2Command, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import {
  csrfTokenIn,
  ProxiedClient,
  startLocalCluster,
  type ClusterProcess,
  type LocalCluster,
  type LogLine,
} from '../../src/cli/local-cluster.js';
import { createDb, type Db } from '../../src/platform/db.js';
import { createLogger } from '../../src/platform/logger.js';
import { createSearchClient } from '../../src/platform/meilisearch.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { filesUnder, minimalPdf } from '../support/files.js';
import { temporaryDataDir, trackedProcessSet, waitUntil } from '../support/processes.js';
import { testServices } from '../support/root-hooks.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';
import { databaseUrl, withAdminClient } from '../support/services.js';
import { createUser, TEST_PASSWORD } from '../support/users.js';

// Many processes, proven (issue 16): two app processes (`npm start`, production,
// RUN_WORKER=false) and two job workers (`npm run worker`) on one PostgreSQL,
// one Meilisearch and one S3 bucket (s3rver), started by the same launcher as
// `npm run bench:load` (src/cli/local-cluster.ts). A person's requests go to
// either app, as behind a load balancer without sticky sessions; nothing may
// depend on which one answers. Mail goes over real SMTP to a server in this test.

const RESETS = 6;
const WORKERS = 2;
/** A word no other assignment has, so a search for it finds only the one published here. */
const FRESH_WORD = 'fjallmyrsgrind';

interface SmtpSink {
  url: string;
  received: Array<{ to: string[] }>;
  stop(): Promise<void>;
}

async function startSmtpSink(): Promise<SmtpSink> {
  const received: SmtpSink['received'] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((address) => address.address) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** "Completed task 123 (send_mail, …)" → job 123 of send_mail; graphile-worker logs one per job run. */
function jobRuns(lines: LogLine[]): Array<{ id: string; task: string; outcome: 'completed' | 'failed' }> {
  return lines.flatMap((line) => {
    const match = /^(Completed|Failed) task (\d+) \((\w+)/.exec(line.msg);
    return match ? [{ id: match[2]!, task: match[3]!, outcome: match[1] === 'Completed' ? 'completed' : 'failed' }] : [];
  });
}

function multipart(field: string, filename: string, contentType: string, bytes: Buffer) {
  const boundary = `----ub${Date.now().toString(16)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`;
  return {
    bytes: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

describe('Many processes: two apps and two workers on one PostgreSQL, Meilisearch and S3 bucket', function () {
  this.timeout(180_000);
  const database = `ub_multi_${process.pid}`;
  const indexPrefix = `mp${process.pid}_`;
  let workDir: string | undefined;
  const keepAlive = new http.Agent({ keepAlive: true });
  const browser = () => new ProxiedClient(keepAlive);
  let db: Db;
  let s3: TestS3Server;
  let smtp: SmtpSink;
  let cluster: LocalCluster;
  let appA: string;
  let appB: string;
  let resident: { id: number; email: string; name: string };
  let poster: { id: number; email: string; name: string };
  let organisationSlug: string;
  let draftId: number;

  /** Logs in through the form of `app`; the session cookie is then the client's, good on any app. */
  async function logIn(client: ProxiedClient, app: string, email: string, password = TEST_PASSWORD) {
    const form = await client.get(app, '/logga-in');
    return client.request(app, '/logga-in', { form: { email, password, _csrf: csrfTokenIn(form.text) } });
  }

  before(async function () {
    this.timeout(240_000);
    const services = testServices();
    await withAdminClient(services.adminUrl, (client) =>
      client.query(`CREATE DATABASE ${database} TEMPLATE ${services.templateDatabase}`),
    );
    const url = databaseUrl(services.adminUrl, database);
    db = createDb(url, { poolMax: 3 });
    resident = await createUser(db, { name: 'Rut Resident' });
    poster = await createUser(db, { name: 'Per Postare' });
    const organisation = await createOrganisation(db);
    organisationSlug = (await db('organisations').where('id', organisation.id).first<{ slug: string }>('slug')).slug;
    await db('organisation_members').insert({ organisation_id: organisation.id, user_id: poster.id, role: 'admin' });
    draftId = await createTestAssignment(db, {
      organisationId: organisation.id,
      status: 'draft',
      title: `Vedhuggning vid ${FRESH_WORD}`,
    });
    [s3, smtp] = await Promise.all([startS3Server(), startSmtpSink()]);
    workDir = temporaryDataDir('ub-cluster-');
    cluster = await startLocalCluster({
      workDir,
      databaseUrl: url,
      meili: { ...services.meili, indexPrefix },
      apps: 2,
      workers: WORKERS,
      // debug: graphile-worker's line per finished job is logged at debug (platform/jobs.ts).
      env: { ...s3.env, SMTP_URL: smtp.url, LOG_LEVEL: 'debug' },
      log: createLogger({ logLevel: (process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'warn' }),
      children: trackedProcessSet(),
    });
    [appA, appB] = cluster.apps.map((app) => app.url) as [string, string];
  });

  after(async function () {
    this.timeout(60_000);
    await cluster?.stop();
    await Promise.all([s3?.stop(), smtp?.stop()]);
    keepAlive.destroy();
    await db?.destroy();
    const search = createSearchClient(testServices().meili);
    const { results } = await search.getIndexes({ limit: 1000 });
    await Promise.all(
      results.filter((index) => index.uid.startsWith(indexPrefix)).map((index) => search.deleteIndex(index.uid).waitTask()),
    );
    await withAdminClient(testServices().adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('when a person logs in on app A, then app B knows them by the same session cookie', async () => {
    const client = browser();
    const login = await logIn(client, appA, resident.email);
    expect(login.status).to.equal(303);
    expect([...client.cookies.keys()]).to.deep.equal(['__Host-ub.sid']);

    const account = await client.get(appB, '/konto');
    expect(account.status).to.equal(200);
    expect(account.text).to.contain(resident.email);
    // …and a form token handed out by B is accepted by A: the CSRF secret lives in the shared session too.
    const logOut = await client.request(appA, '/logga-ut', { form: { _csrf: csrfTokenIn(account.text) } });
    expect(logOut.status).to.equal(303);
    expect((await client.get(appB, '/konto')).status).to.equal(303); // signed out everywhere
  });

  it('when a CV is uploaded through app A, then app B serves the same bytes, and they are in the bucket, not on a disk', async () => {
    const client = browser();
    expect((await logIn(client, appB, resident.email)).status).to.equal(303);
    const profile = await client.get(appB, '/konto/profil');
    const pdf = minimalPdf('CV för flera processer');
    const upload = await client.request(appA, `/konto/profil/cv?_csrf=${encodeURIComponent(csrfTokenIn(profile.text))}`, {
      body: multipart('cv', 'cv.pdf', 'application/pdf', pdf),
    });
    expect(upload.status, upload.text.slice(0, 300)).to.equal(303);

    const download = await client.get(appB, '/konto/profil/cv');
    expect(download.status).to.equal(200);
    expect(download.headers['content-type']).to.equal('application/pdf');
    expect(Buffer.compare(download.body, pdf)).to.equal(0);

    const { cv_key: key } = await db('resident_profiles').where('user_id', resident.id).first<{ cv_key: string }>('cv_key');
    const bucket = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    try {
      const listed = await bucket.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
      const objectKey = (listed.Contents ?? []).map((object) => object.Key!).find((name) => name.endsWith(key));
      expect(objectKey, `${key} in ${JSON.stringify(listed.Contents?.map((o) => o.Key))}`).to.be.a('string');
      const object = await bucket.send(new GetObjectCommand({ Bucket: s3.bucket, Key: objectKey }));
      expect(Buffer.compare(Buffer.from(await object.Body!.transformToByteArray()), pdf)).to.equal(0);
    } finally {
      bucket.destroy();
    }
    for (const process of [...cluster.apps, ...cluster.workers]) expect(await filesUnder(process.dataDir)).to.deep.equal([]);
  });

  it('when failed logins are spread over both apps, then they share one allowance and the one over it gets 429', async () => {
    // login-account allows 10 failed attempts per account in 15 minutes (modules/accounts/routes.ts).
    const target = await createUser(db, { name: 'Gissad Person' });
    const attacker = new ProxiedClient(keepAlive, '198.51.100.23');
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const response = await logIn(attacker, attempt % 2 === 0 ? appA : appB, target.email, 'fel lösenord');
      expect(response.status, `attempt ${attempt + 1}`).to.equal(401);
    }
    // The 11th, even with the right password and on either app, is refused.
    const refused = await logIn(attacker, appA, target.email);
    expect(refused.status).to.equal(429);
    expect((await logIn(browser(), appB, target.email)).status).to.equal(429);
    // One counter in PostgreSQL for the account (successful logins of others count back to 0): 10 failed + 2 refused.
    const counters = await db('rate_limit_counters').where('limiter', 'login-account').where('hits', '>', 0).select('hits');
    expect(counters.map((row: { hits: number }) => row.hits)).to.deep.equal([12]);
  });

  it('when an assignment is published through app A, then a search on app B finds it', async () => {
    const client = browser();
    expect((await logIn(client, appA, poster.email)).status).to.equal(303);
    const list = await client.get(appB, `/organisationer/${organisationSlug}/uppdrag`);
    const published = await client.request(appA, `/organisationer/${organisationSlug}/uppdrag/${draftId}/publicera`, {
      form: { _csrf: csrfTokenIn(list.text) },
    });
    expect(published.status, published.text.slice(0, 300)).to.equal(303);

    // The index job runs on a worker; the answer comes from Meilisearch, not the PostgreSQL fallback.
    let found: { hits: Array<{ id: number }>; engine: string } = { hits: [], engine: '' };
    await waitUntil(
      async () => {
        const response = await browser().get(appB, `/api/v1/assignments?q=${FRESH_WORD}`);
        found = JSON.parse(response.text) as typeof found;
        return found.hits.some((hit) => hit.id === draftId);
      },
      20_000,
      'the published assignment in app B’s search',
    );
    expect(found.engine).to.equal('meilisearch');
    const page = await browser().get(appB, `/uppdrag?q=${FRESH_WORD}`);
    // The page marks the words searched for (<mark>): compare its text.
    expect(page.text.replace(/<[^>]*>/g, '')).to.contain(`Vedhuggning vid ${FRESH_WORD}`);
  });

  it('when jobs are caused through both apps, then the workers run each exactly once and the apps run none', async () => {
    const people = await Promise.all(Array.from({ length: RESETS }, (_, i) => createUser(db, { name: `Glömsk ${i}` })));
    for (const [i, person] of people.entries()) {
      const app = i % 2 === 0 ? appA : appB;
      const client = browser();
      const form = await client.get(app, '/glomt-losenord');
      const sent = await client.request(app, '/glomt-losenord', { form: { email: person.email, _csrf: csrfTokenIn(form.text) } });
      expect(sent.status).to.equal(200);
    }
    const addresses = people.map((person) => person.email);
    await waitUntil(
      async () => {
        const { count } = await db('mails')
          .whereIn('to_address', addresses)
          .whereNotNull('sent_at')
          .first<{ count: string }>(db.raw('count(*)::int AS count'));
        return Number(count) === RESETS;
      },
      30_000,
      'the reset mails to be sent',
    );
    // Each person got exactly one mail over SMTP.
    const receivedBy = (address: string) => smtp.received.filter((mail) => mail.to.includes(address)).length;
    expect(addresses.map(receivedBy)).to.deep.equal(addresses.map(() => 1));

    // Nothing due is left behind (a job a mail caused, e.g. its notice, may still be running a moment longer).
    await waitUntil(
      async () => {
        const { count: due } = await db('graphile_worker.jobs')
          .where('run_at', '<=', db.fn.now())
          .first<{ count: string }>(db.raw('count(*)::int AS count'));
        return Number(due) === 0;
      },
      30_000,
      'no job due and not done',
    );
    const runsPerWorker = cluster.workers.map((worker: ClusterProcess) => jobRuns(worker.lines()));
    const runs = runsPerWorker.flat();
    expect(runs.filter((run) => run.outcome === 'failed')).to.deep.equal([]);
    const ids = runs.map((run) => run.id);
    expect(new Set(ids).size, 'a job id completed twice').to.equal(ids.length);
    expect(runs.filter((run) => run.task === 'send_mail')).to.have.length.of.at.least(RESETS);
    // The publish in the previous test made an index job: run once too, by a worker.
    expect(
      runs.filter((run) => run.task === 'index_assignment'),
      JSON.stringify(runs),
    ).to.have.length.of.at.least(1);

    for (const app of cluster.apps) {
      const lines = app.lines();
      expect(lines.some((line) => line.msg.startsWith('Uppdragsbanken is running'))).to.equal(true);
      expect(jobRuns(lines), `${app.name} ran jobs`).to.deep.equal([]);
      expect(lines.some((line) => line.msg.startsWith('Worker running'))).to.equal(false);
    }
  });
});
