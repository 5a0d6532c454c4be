import type { Express } from 'express';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runOnce } from 'graphile-worker';
import { buildApp, type AppInput } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createDb, type Db } from '../../src/platform/db.js';
import { createI18n } from '../../src/platform/i18n.js';
import { workerLogger } from '../../src/platform/jobs.js';
import { createLogger } from '../../src/platform/logger.js';
import { createSearchClient, type Meilisearch } from '../../src/platform/meilisearch.js';
import { createFileStorage } from '../../src/platform/storage.js';
import { loadReferenceData } from '../../src/platform/reference-data.js';
import { syncAssignmentIndex } from '../../src/modules/search/index.js';
import { allTasks } from '../../src/modules.js';
import { assignmentChangedJob } from '../../src/modules/assignments/index.js';
import { createSessionStore, type SessionStore } from '../../src/web/session.js';
import { testServices } from './root-hooks.js';
import { databaseUrl, withAdminClient } from './services.js';

let counter = 0;

export interface TestApp {
  app: Express;
  db: Db;
  databaseUrl: string;
  search: Meilisearch;
  config: Config;
  deps: AppInput;
  /** Where this file's uploads are stored (a temporary folder, removed after the file's tests). */
  uploadsDir: string;
  /** Runs every queued background job now (the same tasks the worker runs). */
  runJobs(): Promise<void>;
  /** Loads every open assignment into this file's index. */
  syncIndex(): Promise<void>;
}

/**
 * Call inside a `describe`: before its tests, a fresh database cloned from the
 * migrated template and an index prefix of its own; after them, both are gone.
 * `overrides` change the app's dependencies (e.g. a search client that points
 * nowhere, to test degraded search).
 */
export function useTestApp(overrides: (deps: AppInput) => Partial<AppInput> = () => ({})): TestApp {
  const context = {} as TestApp;
  let databaseName: string;
  let sessionStore: SessionStore | undefined;
  let temporaryDir: string | undefined;

  before(async function () {
    this.timeout(60_000);
    const services = testServices();
    counter++;
    databaseName = `ub_test_${process.pid}_${counter}`;
    await withAdminClient(services.adminUrl, (client) =>
      client.query(`CREATE DATABASE ${databaseName} TEMPLATE ${services.templateDatabase}`),
    );
    const url = databaseUrl(services.adminUrl, databaseName);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: url,
      MEILI_HOST: services.meili.host,
      MEILI_MASTER_KEY: services.meili.apiKey,
      MEILI_INDEX_PREFIX: `t${process.pid}_${counter}_`,
      SESSION_SECRET: 'test-session-secret-that-is-long-enough',
      DATA_ENCRYPTION_KEY: `test:${Buffer.alloc(32, 7).toString('base64')}`,
      PUBLIC_URL: 'http://uppdragsbanken.test',
    });
    const log = createLogger(config);
    const db = createDb(url, { poolMax: 5, log });
    const search = createSearchClient({ host: services.meili.host, apiKey: services.meili.apiKey });
    sessionStore = createSessionStore(url);
    temporaryDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ub-uploads-'));
    const uploadsDir = path.join(temporaryDir, 'uploads');
    const baseDeps: AppInput = {
      config,
      db,
      search,
      log,
      reference: await loadReferenceData(db),
      i18n: await createI18n(),
      sessionStore: sessionStore.store,
      sessionSecret: config.sessionSecret!,
      dataKeys: config.dataKeys,
      storage: createFileStorage(uploadsDir),
    };
    const deps = { ...baseDeps, ...overrides(baseDeps) };
    const syncDeps = { db, search, indexPrefix: config.meili.indexPrefix, log };
    const tasks = allTasks({ config, db, search, log, secret: config.sessionSecret!, dataKeys: config.dataKeys });
    Object.assign(context, {
      app: buildApp(deps),
      db,
      databaseUrl: url,
      search,
      config,
      deps,
      uploadsDir,
      runJobs: () =>
        runOnce({
          connectionString: url,
          taskList: tasks,
          logger: workerLogger(log),
        }),
      syncIndex: async () => {
        await syncAssignmentIndex(syncDeps);
        // The index now holds every open assignment, so their waiting index jobs have nothing left to do: run
        // them, as the worker would within a second. While they wait, searches answer those assignments from
        // the database (search/fresh.ts), without Meilisearch's typo tolerance.
        await runOnce({
          connectionString: url,
          taskList: { [assignmentChangedJob.name]: tasks[assignmentChangedJob.name]! },
          logger: workerLogger(log),
        });
      },
    } satisfies TestApp);
  });

  after(async function () {
    this.timeout(60_000);
    if (temporaryDir) await fs.rm(temporaryDir, { recursive: true, force: true });
    if (!context.db) return;
    await sessionStore?.close();
    await context.db.destroy();
    const prefix = context.config.meili.indexPrefix;
    const { results } = await context.search.getIndexes({ limit: 1000 });
    await Promise.all(
      results.filter((index) => index.uid.startsWith(prefix)).map((index) => context.search.deleteIndex(index.uid).waitTask()),
    );
    await withAdminClient(testServices().adminUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`),
    );
  });

  return context;
}
