import knex, { type Knex } from 'knex';
import pg from 'pg';
import { migrations } from '../../knexfile.js';
import { AppError, translateDatabaseError } from './errors.js';
import type { Logger } from './logger.js';

export type Db = Knex;
export type DbOrTrx = Knex | Knex.Transaction;

// DATE columns are calendar days, not instants: keep them as 'YYYY-MM-DD'
// strings instead of letting node-postgres turn them into local-midnight Dates.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// BIGINT ids fit comfortably in a JS number for this service.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
// NUMERIC (decimal columns, avg(), sum() of a BIGINT) stays its exact text:
// a float would silently round money. Where a number is really wanted (hours,
// an average rating) the read site converts; öre sums go through oreFromDatabase
// (platform/money.ts). This is node-postgres's own default, stated here on purpose.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => value);

/**
 * How long a request waits for a connection: while the database is away, a
 * request gets its 503 after this at the latest (knex's default is 60 s).
 */
const CONNECT_TIMEOUT_MS = 5000;

export function createDb(connectionString: string, options: { poolMax?: number; log?: Logger } = {}): Db {
  const { log } = options;
  return knex({
    // knex writes its warnings ("Connection Error: …" while the database is away) to the console; ours are JSON lines
    ...(log && {
      log: {
        warn: (message: string) => log.warn(message),
        error: (message: string) => log.error(message),
        deprecate: (message: string) => log.warn(message),
        debug: (message: string) => log.debug(message),
      },
    }),
    client: 'pg',
    connection: { connectionString, application_name: 'uppdragsbanken', connectionTimeoutMillis: CONNECT_TIMEOUT_MS },
    pool: { min: 0, max: options.poolMax ?? 10 },
    acquireConnectionTimeout: CONNECT_TIMEOUT_MS,
    migrations,
  });
}

/**
 * A raw statement sent as a named prepared statement: PostgreSQL parses and plans it once per connection (from its
 * sixth run a generic plan, unless that plans worse) instead of on every call. For the few statements run by the
 * thousand whose planning costs more than their execution: the payslip's read planned in 1.45 ms and ran in 0.34 ms
 * (pg_stat_statements, npm run bench:billing). Each name must belong to one SQL text (node-postgres refuses a name
 * reused with another), and the statement must name its columns rather than `table.*`: a prepared `*` fails once a
 * migration adds a column under a running process ("cached plan must not change result type").
 * Not for a server behind a transaction-pooling proxy (PgBouncer's transaction mode), which loses prepared statements.
 */
export function preparedRaw<TResult>(
  db: DbOrTrx,
  name: string,
  sql: string,
  bindings: Knex.RawBinding[] | Knex.ValueDict,
): Knex.Raw<TResult> {
  return db.raw<TResult>(sql, bindings).options({ name });
}

// SQLSTATE classes and codes that mean "the server is not there now", not
// "your request was wrong": connection exceptions (08), operator intervention
// (57P01 admin shutdown, 57P02 crash shutdown, 57P03 starting up), too many
// connections (53300).
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[123]|53300)$/;
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * True when `error` says the database could not be reached (down, restarting,
 * the connection cut) rather than that a statement failed: such a request is
 * answered 503 and may be retried.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
  if (name === 'KnexTimeoutError') return true; // no connection within CONNECT_TIMEOUT_MS
  // node-postgres's own words when the socket closes under a query or a connect, or a
  // query is sent on a connection that already broke (knex prefixes "ROLLBACK - " etc.)
  return (
    typeof message === 'string' &&
    /Connection terminated( unexpectedly| due to connection timeout)?$|Client has encountered a connection error and is not queryable$|is not currently accepting connections$/.test(
      message,
    )
  );
}

/** True when PostgreSQL answers within `timeoutMs`. */
export async function isDatabaseUp(db: Db, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.raw('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export interface TransactionOptions {
  /** The AppError for a constraint whose meaning the caller knows better (e.g. a trigger's "all places are taken"). */
  constraints?: Record<string, () => AppError>;
  /**
   * 'raw': database errors come out as the driver raised them. For jobs and
   * seeds: they answer no user, and their log needs the driver's detail.
   */
  databaseErrors?: 'translate' | 'raw';
}

/**
 * Runs `run` in a transaction (a savepoint when `db` is one already); the one
 * way a transaction is opened. A database error (unique, foreign key, check)
 * comes out as the AppError translateDatabaseError makes of it, so a service
 * never leaks a raw driver error as a 500. AppErrors thrown inside pass as they are.
 */
export async function inTransaction<T>(
  db: DbOrTrx,
  run: (trx: Knex.Transaction) => Promise<T>,
  { constraints = {}, databaseErrors = 'translate' }: TransactionOptions = {},
): Promise<T> {
  try {
    return await db.transaction(run);
  } catch (error) {
    if (databaseErrors === 'raw' || error instanceof AppError) throw error;
    const constraint = (error as { constraint?: string }).constraint;
    if (constraint !== undefined && Object.hasOwn(constraints, constraint)) throw constraints[constraint]!();
    throw translateDatabaseError(error);
  }
}
