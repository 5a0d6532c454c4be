import { Logger as WorkerLogger, run, runMigrations, type Runner, type TaskList } from 'graphile-worker';
import type { DbOrTrx } from './db.js';
import type { Logger } from './logger.js';

// Background jobs on graphile-worker: a queue in PostgreSQL. Jobs are added
// with SQL inside the same transaction as the change that causes them, so a
// change and its side effects commit together or not at all (an outbox).

export type { Runner, TaskList };

export function workerLogger(log: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const line = { ...scope, ...(meta ?? {}) };
    // graphile-worker logs every job start/finish at info: keep that at debug.
    if (level === 'error') log.error(line, message);
    else if (level === 'warning') log.warn(line, message);
    else log.debug(line, message);
  });
}

export async function migrateJobQueue(connectionString: string, log: Logger): Promise<void> {
  await runMigrations({ connectionString, logger: workerLogger(log) });
}

export interface EnqueueOptions {
  /** Jobs with the same key collapse into one (the latest payload wins). */
  jobKey?: string;
  /**
   * What a job with the same key does to the waiting one: 'replace' (default)
   * takes the new run time too; 'preserve_run_at' keeps the earlier run time,
   * so a burst becomes one job at the time the first one asked for.
   */
  jobKeyMode?: 'replace' | 'preserve_run_at';
  runAt?: Date;
  maxAttempts?: number;
}

export async function enqueueJob(
  db: DbOrTrx,
  task: string,
  payload: Record<string, unknown>,
  options: EnqueueOptions = {},
): Promise<void> {
  await db.raw(
    `SELECT graphile_worker.add_job(:task, CAST(:payload AS json), job_key => :jobKey, run_at => :runAt, max_attempts => :maxAttempts, job_key_mode => :jobKeyMode)`,
    {
      task,
      payload: JSON.stringify(payload),
      jobKey: options.jobKey ?? null,
      runAt: options.runAt ?? null,
      maxAttempts: options.maxAttempts ?? null,
      jobKeyMode: options.jobKeyMode ?? null,
    },
  );
}

export async function startWorker(options: {
  connectionString: string;
  taskList: TaskList;
  log: Logger;
  concurrency?: number;
  /** graphile-worker crontab lines for recurring jobs. */
  crontab?: string;
}): Promise<Runner> {
  return run({
    connectionString: options.connectionString,
    taskList: options.taskList,
    concurrency: options.concurrency ?? 2,
    maxPoolSize: (options.concurrency ?? 2) + 2,
    noHandleSignals: true, // the process entry decides the order of shutdown
    pollInterval: 2000,
    crontab: options.crontab ?? '',
    logger: workerLogger(options.log),
  });
}
