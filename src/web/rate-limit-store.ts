import { createHmac } from 'node:crypto';
import type { Task as WorkerTask } from 'graphile-worker';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Db } from '../platform/db.js';
import type { TaskList } from '../platform/jobs.js';
import type { Logger } from '../platform/logger.js';

// The rate limits' counters live in PostgreSQL (table rate_limit_counters), so
// every app process behind a load balancer draws on one allowance per client
// and a restart forgets nothing. Why our own store and not the npm package
// @acpr/rate-limit-postgresql (1.4.1, checked 2026-12): its constructor runs
// its own migrations (postgres-migrations, a separate schema, CREATE EXTENSION
// "uuid-ossp") on a connection of its own without awaiting them, each limiter
// opens a pg-pool of its own, it pins pg 8.11.3, logs to the console, stores
// the keys as given (raw e-mail and IP addresses), and its aggregated mode
// locks a table on every hit. What we need is one upsert on the pool we have.
//
// Keys: the table holds an HMAC of each key (derived from the session secret)
// beside the limiter's name, never the address or e-mail itself. Rotating the
// session secret therefore starts every count afresh, which is harmless.
//
// Time: the windows run on the database's clock, the one clock every app
// process shares.

export const RATE_LIMIT_TABLE = 'rate_limit_counters';
const LIMITER_NAME = /^[a-z][a-z0-9-]{0,63}$/;

export interface RateLimitStoreDeps {
  db: Db;
  /** The app's session secret: the HMAC key for client keys is derived from it. */
  sessionSecret: string;
  log: Logger;
}

interface CounterRow {
  hits: number;
  reset_at: Date;
}

/** The HMAC key for rate-limit keys: its own, so the session secret is not used directly for a second purpose. */
export function rateLimitHashKey(sessionSecret: string): Buffer {
  return createHmac('sha256', sessionSecret).update('uppdragsbanken:rate-limit-keys').digest();
}

/** An express-rate-limit Store over one table; one instance per limiter (express-rate-limit insists). */
export class PostgresRateLimitStore implements Store {
  /** Hits in one process count in every other: express-rate-limit's double-count check needs to know. */
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 60_000;

  constructor(
    private readonly db: Db,
    readonly limiter: string,
    private readonly hashKey: Buffer,
  ) {
    if (!LIMITER_NAME.test(limiter)) throw new Error(`Rate limiter name ${JSON.stringify(limiter)} must be kebab-case`);
    this.prefix = `${limiter}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  /** What the table holds instead of the key: HMAC-SHA256, base64url. */
  keyHash(key: string): string {
    return createHmac('sha256', this.hashKey).update(key).digest('base64url');
  }

  /**
   * One atomic statement: a new client starts at 1; a known one adds 1, or
   * starts a new window at 1 when its window has passed. Concurrent hits from
   * any number of processes serialise on the row.
   */
  async increment(key: string): Promise<ClientRateLimitInfo> {
    const { rows } = await this.db.raw<{ rows: CounterRow[] }>(
      `INSERT INTO ${RATE_LIMIT_TABLE} AS counter (limiter, key_hash, hits, reset_at)
       VALUES (:limiter, :keyHash, 1, now() + CAST(:windowMs AS double precision) * interval '1 millisecond')
       ON CONFLICT (limiter, key_hash) DO UPDATE SET
         hits = CASE WHEN counter.reset_at <= now() THEN 1 ELSE counter.hits + 1 END,
         reset_at = CASE WHEN counter.reset_at <= now() THEN excluded.reset_at ELSE counter.reset_at END
       RETURNING hits, reset_at`,
      { limiter: this.limiter, keyHash: this.keyHash(key), windowMs: this.windowMs },
    );
    const row = rows[0]!;
    return { totalHits: row.hits, resetTime: row.reset_at };
  }

  /** Takes back one hit of the current window (express-rate-limit's skipSuccessfulRequests and the like). */
  async decrement(key: string): Promise<void> {
    await this.db(RATE_LIMIT_TABLE)
      .where({ limiter: this.limiter, key_hash: this.keyHash(key) })
      .andWhere('hits', '>', 0)
      .andWhere('reset_at', '>', this.db.fn.now())
      .decrement('hits', 1);
  }

  async resetKey(key: string): Promise<void> {
    await this.db(RATE_LIMIT_TABLE)
      .where({ limiter: this.limiter, key_hash: this.keyHash(key) })
      .delete();
  }

  /** Every client of this limiter (never called by express-rate-limit itself). */
  async resetAll(): Promise<void> {
    await this.db(RATE_LIMIT_TABLE).where({ limiter: this.limiter }).delete();
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const row = await this.db(RATE_LIMIT_TABLE)
      .where({ limiter: this.limiter, key_hash: this.keyHash(key) })
      .andWhere('reset_at', '>', this.db.fn.now())
      .first<CounterRow | undefined>('hits', 'reset_at');
    return row ? { totalHits: row.hits, resetTime: row.reset_at } : undefined;
  }
}

/**
 * What every limiter spreads into its options: its store in PostgreSQL under
 * `limiter` (a kebab-case name of its own; two limiters with one name share
 * their counts), errors to our log, and fail-open.
 *
 * Fail open (`passOnStoreError`): when the store cannot answer, the request
 * goes on unlimited instead of ending in a 500. Every limited route (log-in,
 * sign-up, password reset, current-password checks, reports) needs the same
 * database to do its work, so while it is away no password can be tried and
 * nothing can be sent: failing closed would protect nothing, and would turn a
 * short hiccup (a full pool, a failover) into refused log-ins for everyone.
 */
export function sharedRateLimitOptions(
  deps: RateLimitStoreDeps,
  limiter: string,
): Pick<Options, 'store' | 'passOnStoreError' | 'logger'> {
  const log = deps.log.child({ limiter });
  return {
    store: new PostgresRateLimitStore(deps.db, limiter, rateLimitHashKey(deps.sessionSecret)),
    passOnStoreError: true,
    logger: {
      error: (error, message) => log.error({ err: error }, message ?? 'Rate limit error'),
      warn: (error, message) => log.warn({ err: error }, message ?? 'Rate limit warning'),
    },
  };
}

/** Deletes the counters whose window has passed; returns how many. */
export async function pruneRateLimitCounters(db: Db): Promise<number> {
  return db(RATE_LIMIT_TABLE).where('reset_at', '<=', db.fn.now()).delete();
}

export const PRUNE_RATE_LIMIT_COUNTERS_TASK = 'prune_rate_limit_counters';
/**
 * Hourly at minute 40. An expired row already counts as empty (the next hit
 * starts a new window), so pruning only keeps the table small; a missed run
 * needs no catching up, the next one deletes everything due.
 */
export const RATE_LIMIT_CRONTAB = `40 * * * * ${PRUNE_RATE_LIMIT_COUNTERS_TASK}`;

export function rateLimitTasks(deps: { db: Db; log: Logger }): TaskList {
  const prune: WorkerTask = async () => {
    const deleted = await pruneRateLimitCounters(deps.db);
    deps.log.debug({ deleted }, 'Expired rate-limit counters deleted');
  };
  return { [PRUNE_RATE_LIMIT_COUNTERS_TASK]: prune };
}
