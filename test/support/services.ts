import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { createDb } from '../../src/platform/db.js';
import { acquireEmbeddedMeilisearch, findMeilisearchBinary } from '../../src/platform/embedded-meilisearch.js';
import { acquireEmbeddedPostgres } from '../../src/platform/embedded-postgres.js';
import { createLogger } from '../../src/platform/logger.js';
import { migrateToLatest } from '../../src/platform/migrate.js';
import { temporaryDataDir } from './processes.js';

// The servers every test file shares: one PostgreSQL and one Meilisearch per
// test run (embedded under a temporary directory, or the ones given by
// TEST_DATABASE_URL / TEST_MEILI_HOST). Isolation between files comes from a
// fresh database per file, cloned from a migrated template, and an index
// prefix per file.

export interface TestServices {
  /** A URL of the server's maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  templateDatabase: string;
  meili: { host: string; apiKey?: string };
  /** The temporary directory of the embedded servers, if any. */
  dataDir?: string;
  stop(): Promise<void>;
}

const log = createLogger({ logLevel: (process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'warn' });

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdminClient<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function startTestServices(): Promise<TestServices> {
  const stops: Array<() => Promise<void>> = [];
  let dataDir: string | undefined;
  const needsDir = !process.env.TEST_DATABASE_URL || !process.env.TEST_MEILI_HOST;
  if (needsDir) {
    dataDir = temporaryDataDir('ub-test-');
  }

  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const postgres = await acquireEmbeddedPostgres({ dataDir: dataDir!, password: randomBytes(12).toString('hex') }, log);
    stops.push(() => postgres.stop());
    adminUrl = postgres.urlFor('postgres');
  }

  let meili: TestServices['meili'];
  if (process.env.TEST_MEILI_HOST) {
    meili = { host: process.env.TEST_MEILI_HOST, apiKey: process.env.TEST_MEILI_KEY };
  } else {
    const binary = findMeilisearchBinary({ dataDir: dataDir!, bin: process.env.MEILI_BIN });
    if (!binary) throw new Error('The tests need Meilisearch: install it, set MEILI_BIN, or set TEST_MEILI_HOST');
    const masterKey = randomBytes(16).toString('hex');
    const embedded = await acquireEmbeddedMeilisearch({ binary, dataDir: dataDir!, masterKey }, log);
    stops.unshift(() => embedded.stop());
    meili = { host: embedded.host, apiKey: masterKey };
  }

  const templateDatabase = `ub_template_${process.pid}`;
  await withAdminClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${templateDatabase}`);
    await client.query(`CREATE DATABASE ${templateDatabase}`);
  });
  const templateUrl = databaseUrl(adminUrl, templateDatabase);
  const db = createDb(templateUrl);
  try {
    await migrateToLatest(db, templateUrl, log);
  } finally {
    await db.destroy(); // a template must have no connections when it is cloned
  }

  return {
    adminUrl,
    templateDatabase,
    meili,
    dataDir,
    async stop() {
      await withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`)).catch(
        () => {},
      );
      for (const stop of stops) await stop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
