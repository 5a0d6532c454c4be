import { ConfigError, loadConfig, type Config } from './config.js';
import { createDb, type Db } from './platform/db.js';
import { startInfrastructure, type Infrastructure } from './platform/infrastructure.js';
import { createLogger, type Logger } from './platform/logger.js';
import { createSearchClient, type Meilisearch } from './platform/meilisearch.js';
import { migrateToLatest } from './platform/migrate.js';
import { makeJobsDue, startWorker, type Worker } from './platform/jobs.js';
import { closePdfRendering, configurePdfRendering } from './modules/billing/index.js';
import { syncAssignmentIndex, watchSearchRecovery } from './modules/search/index.js';
import { syncPeopleIndex } from './modules/skills/index.js';
import { allTasks, CRONTAB, TASKS_NEEDING_SEARCH } from './modules.js';

// What the web server and every CLI command share: configuration, the servers
// (external or embedded, started or found), a migrated database and a search
// client. Each entry point decides what to run on top.

export interface Runtime {
  config: Config;
  log: Logger;
  infra: Infrastructure;
  db: Db;
  search?: Meilisearch;
  /**
   * Loads every open assignment into the index when it differs from the database; logs instead of throwing.
   * True when the assignments' index is in line with the database now.
   */
  syncSearchIndex(options?: { force?: boolean }): Promise<boolean>;
  /** Starts the background-job worker with every task of the app. */
  startWorker(): Promise<Worker>;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, log: Logger): Promise<Runtime> {
  // A restarted embedded Meilisearch may have lost its data: check and refill.
  let onSearchRestart = () => {};
  const infra = await startInfrastructure(config, log, { onSearchRestart: () => onSearchRestart() });
  const db = createDb(infra.databaseUrl, { log });
  try {
    await migrateToLatest(db, infra.databaseUrl, log);
  } catch (error) {
    await db.destroy();
    await infra.stop();
    throw error;
  }
  const search = infra.search ? createSearchClient(infra.search) : undefined;
  configurePdfRendering({ workers: config.pdfWorkers });
  const runtime: Runtime = {
    config,
    log,
    infra,
    db,
    search,
    async syncSearchIndex(options) {
      if (!search) return false;
      let synced = false;
      try {
        await syncAssignmentIndex({ db, search, indexPrefix: config.meili.indexPrefix, log }, options);
        synced = true;
      } catch (error) {
        log.warn({ err: error }, 'Search index could not be synchronised now; jobs and the next start will catch up');
      }
      try {
        // The people index (/kompetens) the same way: rebuilt when missing or its settings changed, else repaired.
        await syncPeopleIndex({ db, search, indexPrefix: config.meili.indexPrefix, log });
      } catch (error) {
        log.warn({ err: error }, 'People index could not be synchronised now; jobs and the next start will catch up');
      }
      return synced;
    },
    async startWorker() {
      const worker = await startWorker({
        connectionString: infra.databaseUrl,
        taskList: allTasks({ config, db, search, log, secret: infra.sessionSecret, dataKeys: infra.dataKeys }),
        crontab: CRONTAB,
        log,
      });
      // The jobs that need Meilisearch run as soon as it answers again after an outage, not after their backoff.
      const watcher =
        search &&
        watchSearchRecovery({
          search,
          log,
          onRecovered: () => makeJobsDue(db, TASKS_NEEDING_SEARCH),
        });
      return {
        async stop() {
          watcher?.stop();
          await worker.stop();
        },
      };
    },
    async close() {
      await closePdfRendering();
      await db.destroy();
      await infra.stop();
    },
  };
  onSearchRestart = () => void runtime.syncSearchIndex();
  return runtime;
}

/**
 * Runs a command-line entry point: reads the configuration (a bad value ends
 * with one line naming the variable) and turns any failure into exit code 1.
 */
export async function runMain(main: (config: Config, log: Logger) => Promise<void>): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  const log = createLogger(config);
  try {
    await main(config, log);
  } catch (error) {
    log.fatal({ err: error }, (error as Error).message);
    process.exitCode = 1;
  }
}
