import type { Server } from 'node:http';
import { once } from 'node:events';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { createI18n } from './platform/i18n.js';
import { completeWaitingJobs, type Worker } from './platform/jobs.js';
import { assignmentChangedJob } from './modules/assignments/index.js';
import type { Logger } from './platform/logger.js';
import { acquireAppLock } from './platform/process-files.js';
import { createStorage } from './platform/s3-storage.js';
import { createSessionStore, type SessionStore } from './web/session.js';
import { loadReferenceData } from './platform/reference-data.js';
import { openRuntime, runMain, type Runtime } from './runtime.js';
import { seedDemo } from '../seeds/demo.js';
import { forgetDemoLogins, logDemoLogins } from '../seeds/demo-logins.js';

// Process entry: config → servers (embedded if needed) → migrate → demo data on
// a new embedded database → search index → jobs → HTTP. Ctrl-C stops HTTP
// first (requests in flight finish), then jobs, then the database pool and the
// embedded servers.

const SHUTDOWN_GRACE_MS = 10_000;

export async function startServer(config: Config, log: Logger) {
  const started = Date.now();
  const usesEmbedded = !config.databaseUrl || !config.meili.host;
  // Two apps on one DATA_DIR would fight over its servers; external-only deployments may run many.
  const releaseLock = usesEmbedded ? acquireAppLock(config.dataDir) : () => {};

  let runtime: Runtime | undefined;
  let worker: Worker | undefined;
  let server: Server | undefined;
  let sessionStore: SessionStore | undefined;
  try {
    runtime = await openRuntime(config, log);
    const { db, infra, search } = runtime;
    if (infra.createdDatabase) {
      // Demo logins with passwords made now, printed this once; never in production.
      const { assignments, logins } = await seedDemo(db, (message) => log.info(message), {
        logins: !config.isProduction,
        dataKeys: infra.dataKeys,
      });
      log.info(`Demo data loaded (${assignments} assignments) into the new embedded database`);
      logDemoLogins(log, logins);
    }
    if (config.isProduction) await forgetDemoLogins(db, log);
    const synced = await runtime.syncSearchIndex();
    if (infra.createdDatabase && synced) {
      // The demo assignments are all in the index now, and their index jobs (the seed enqueues them like real
      // ones) have nothing left to do; while they wait, searches would answer those assignments from the
      // database, without typo tolerance (search/fresh.ts). Nothing else can have changed them: this process
      // made the database a moment ago.
      await completeWaitingJobs(db, assignmentChangedJob.name);
    }
    if (config.runWorker) worker = await runtime.startWorker();
    sessionStore = createSessionStore(infra.databaseUrl, log);
    const app = buildApp({
      config,
      db,
      search,
      log,
      reference: await loadReferenceData(db),
      i18n: await createI18n(),
      sessionStore: sessionStore.store,
      sessionSecret: infra.sessionSecret,
      dataKeys: infra.dataKeys,
      storage: createStorage(config),
    });
    server = app.listen(config.port);
    await once(server, 'listening');
  } catch (error) {
    await worker?.stop().catch(() => {});
    await sessionStore?.close().catch(() => {});
    await runtime?.close().catch(() => {});
    releaseLock();
    throw error;
  }

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info(
    { port, database: runtime.infra.mode.database, search: runtime.infra.mode.search, ms: Date.now() - started },
    `Uppdragsbanken is running at http://localhost:${port} (database: ${runtime.infra.mode.database}, search: ${runtime.infra.mode.search})`,
  );

  const openServer = server;
  const openRuntimeRef = runtime;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      log.info('Shutting down: no new requests; finishing the ones in flight');
      const closed = new Promise<void>((resolve) => openServer.close(() => resolve()));
      openServer.closeIdleConnections();
      const timer = setTimeout(() => openServer.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(timer);
      await worker?.stop();
      await sessionStore?.close();
      await openRuntimeRef.close();
      releaseLock();
      log.info('Stopped');
    })());
  return { port, stop };
}

// Run only as the process entry, not when a test imports startServer.
if (import.meta.filename === process.argv[1]) {
  await runMain(async (config, log) => {
    const { stop } = await startServer(config, log);
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (++signals > 1) {
        log.warn(`${signal} again: exiting at once`);
        process.exit(1);
      }
      log.info(`${signal} received`);
      stop().then(
        () => {
          process.exitCode = 0;
        },
        (error: unknown) => {
          log.error({ err: error }, 'Shutdown failed');
          process.exitCode = 1;
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
