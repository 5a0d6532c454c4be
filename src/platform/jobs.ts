import { EventEmitter } from 'node:events';
import {
  Logger as WorkerLogger,
  run,
  runMigrations,
  type JobHelpers,
  type Runner,
  type Task,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker';
import pg from 'pg';
import { z } from 'zod';
import type { DbOrTrx } from './db.js';
import type { Logger } from './logger.js';

// Background jobs on graphile-worker: a queue in PostgreSQL. Jobs are added
// with SQL inside the same transaction as the change that causes them, so a
// change and its side effects commit together or not at all (an outbox).

export type { TaskList };

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

/**
 * A kind of background job: its task name, the payload it takes and how to enqueue it. The module that owns the
 * change defines it (assignments defines "index this assignment"); the module that does the work handles it
 * with `jobTask` (search indexes). Payloads are checked by the schema when the job runs, so a job enqueued by an
 * older version of the code, or by hand, cannot reach a handler with the wrong shape.
 */
export interface JobType<Payload> {
  readonly name: string;
  readonly payload: z.ZodType<Payload>;
  /**
   * Adds the job in the caller's transaction (the outbox): it exists if and only if the change commits.
   * `options` add to (and win over) the ones the job type gives every enqueue.
   */
  enqueue(db: DbOrTrx, payload: Payload, options?: EnqueueOptions): Promise<void>;
}

export function defineJob<Schema extends z.ZodType<Record<string, unknown>>>(
  name: string,
  payload: Schema,
  /** Options every enqueue of this job takes, e.g. a job key that collapses a burst into one job. */
  options: (payload: z.output<Schema>) => EnqueueOptions = () => ({}),
): JobType<z.output<Schema>> {
  return {
    name,
    payload: payload as unknown as z.ZodType<z.output<Schema>>,
    enqueue: (db, value, extra) => enqueueJob(db, name, value, { ...options(value), ...extra }),
  };
}

/** A database id in a job payload: a positive whole number (JSON has no other kind). */
export const jobId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * The task that runs jobs of one type. A payload the schema refuses is logged and dropped: running it again
 * cannot mend it, and a retry would only fill the log.
 */
export function jobTask<Payload>(
  job: JobType<Payload>,
  log: Logger,
  handler: (payload: Payload, helpers: JobHelpers) => Promise<unknown>,
): TaskList {
  const task: Task = async (raw, helpers) => {
    const parsed = job.payload.safeParse(raw);
    if (!parsed.success) {
      log.error(
        { payload: raw, problems: parsed.error.issues.map((issue) => issue.message) },
        `${job.name}: invalid payload; dropped`,
      );
      return;
    }
    await handler(parsed.data, helpers);
  };
  return { [job.name]: task };
}

export interface Worker {
  /** Stops taking jobs, waits for the running ones, and stops restarting. */
  stop(): Promise<void>;
}

const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Runs the job worker, and runs it again when it stops by itself. When the
 * database goes away, graphile-worker cannot record a finished job and shuts
 * its pool down ("queue is in an inconsistent state"); unhandled, that ended
 * the whole process. Here it is logged and the worker restarts when the
 * database answers again (backoff 1 s doubling to 30 s), first releasing the
 * jobs the stopped worker had taken, which would otherwise stay locked for
 * graphile-worker's four hours.
 */
export async function startWorker(options: {
  connectionString: string;
  taskList: TaskList;
  log: Logger;
  concurrency?: number;
  /** graphile-worker crontab lines for recurring jobs. */
  crontab?: string;
}): Promise<Worker> {
  const { log } = options;
  // Most jobs wait on Meilisearch or SMTP, not on this process: five at a time
  // lets Meilisearch index the documents of five index jobs in one batch (after
  // an outage the backlog cleared ~2.5 times faster than with two; measured in
  // test/app/fault-tolerance.test.ts).
  const concurrency = options.concurrency ?? 5;
  let runner: Runner | undefined;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  /** Ids of the worker pools this process started since the last restart: jobs are locked in their name. */
  let poolIds: string[] = [];

  const begin = async () => {
    const events: WorkerEvents = new EventEmitter();
    events.on('pool:create', ({ workerPool }) => poolIds.push(workerPool.id));
    const started = await run({
      connectionString: options.connectionString,
      taskList: options.taskList,
      concurrency,
      maxPoolSize: concurrency + 2,
      noHandleSignals: true, // the process entry decides the order of shutdown
      pollInterval: 2000,
      crontab: options.crontab ?? '',
      logger: workerLogger(log),
      events,
      // Without batching, graphile-worker records a finished or failed job with a
      // promise nobody awaits: when the database is gone at that moment, the
      // rejection goes unhandled and Node ends the whole process. Batched (even
      // with no delay) a failure is handled: the pool shuts down, `promise`
      // rejects, and `ended` below restarts the worker.
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
    runner = started;
    started.promise.then(
      () => ended(started, undefined),
      (error: unknown) => ended(started, error),
    );
  };
  const ended = (which: Runner, error: unknown) => {
    if (stopping || which !== runner) return;
    runner = undefined;
    log.error({ err: error }, 'Job worker stopped unexpectedly; it restarts when the database answers');
    scheduleRestart();
  };
  const scheduleRestart = () => {
    const delayMs = Math.min(MAX_RESTART_DELAY_MS, 1000 * 2 ** failures);
    restartTimer = setTimeout(async () => {
      if (stopping) return;
      try {
        await releaseJobsOf(options.connectionString, poolIds);
        poolIds = [];
        await begin();
        failures = 0;
        log.info('Job worker restarted');
      } catch (error) {
        failures++;
        log.warn({ err: { message: (error as Error).message }, delayMs }, 'Job worker could not restart yet');
        scheduleRestart();
      }
    }, delayMs);
  };

  await begin();
  return {
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      await runner?.stop();
    },
  };
}

async function releaseJobsOf(connectionString: string, poolIds: string[]): Promise<void> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  client.on('error', () => {}); // a lost connection surfaces as the query's rejection
  await client.connect();
  try {
    // graphile-worker locks a job with its pool's id (the SQL function's parameter is named worker_ids)
    if (poolIds.length > 0) await client.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [poolIds]);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The keys of the jobs of `task` that are still to run or running (not those that failed for good, nor those a
 * newer job with the same key retired). Read through graphile-worker's `jobs` view, which it keeps for reading.
 */
export async function pendingJobKeys(db: DbOrTrx, task: string): Promise<string[]> {
  const result = await db.raw<{ rows: Array<{ key: string }> }>(
    `SELECT key FROM graphile_worker.jobs
     WHERE task_identifier = ? AND key IS NOT NULL AND attempts < max_attempts`,
    [task],
  );
  return result.rows.map((row) => row.key);
}

/** Removes the waiting (not running) jobs of `task` as done, without running them; returns how many. */
export async function completeWaitingJobs(db: DbOrTrx, task: string): Promise<number> {
  const result = await db.raw<{ rows: unknown[] }>(
    `SELECT id FROM graphile_worker.complete_jobs(
       ARRAY(SELECT id FROM graphile_worker.jobs WHERE task_identifier = ? AND locked_at IS NULL))`,
    [task],
  );
  return result.rows.length;
}

/**
 * Makes the waiting jobs of `tasks` due now: those that failed and are
 * waiting out their retry backoff (up to minutes after a few attempts), e.g.
 * when the service they need is back. Returns how many were moved. (A job
 * with attempts = max_attempts failed for good, or was superseded: add_job
 * with the key of a running job retires it that way.)
 */
export async function makeJobsDue(db: DbOrTrx, tasks: readonly string[]): Promise<number> {
  const result = await db.raw<{ rows: unknown[] }>(
    `SELECT id FROM graphile_worker.reschedule_jobs(
       ARRAY(SELECT id FROM graphile_worker.jobs
             WHERE task_identifier = ANY(:tasks) AND locked_at IS NULL
               AND attempts > 0 AND attempts < max_attempts AND run_at > now()),
       run_at => now())`,
    { tasks: [...tasks] },
  );
  return result.rows.length;
}
