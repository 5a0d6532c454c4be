import knex, { type Knex } from 'knex';
import pg from 'pg';
import { migrations } from '../../knexfile.js';
import { AppError, translateDatabaseError } from './errors.js';

export type Db = Knex;
export type DbOrTrx = Knex | Knex.Transaction;

// DATE columns are calendar days, not instants: keep them as 'YYYY-MM-DD'
// strings instead of letting node-postgres turn them into local-midnight Dates.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// BIGINT ids fit comfortably in a JS number for this service.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value));

export function createDb(connectionString: string, options: { poolMax?: number } = {}): Db {
  return knex({
    client: 'pg',
    connection: { connectionString, application_name: 'uppdragsbanken' },
    pool: { min: 0, max: options.poolMax ?? 10 },
    migrations,
  });
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

/**
 * Runs `run` in a transaction; a database error (unique, foreign key, check)
 * comes out as the AppError translateDatabaseError makes of it, so a service
 * never leaks a raw driver error as a 500. AppErrors thrown inside pass as they
 * are. `constraints` names the AppError for a constraint whose meaning the
 * caller knows better (e.g. a trigger's "all places are taken").
 */
export async function inTransaction<T>(
  db: DbOrTrx,
  run: (trx: Knex.Transaction) => Promise<T>,
  constraints: Record<string, () => AppError> = {},
): Promise<T> {
  try {
    return await db.transaction(run);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const constraint = (error as { constraint?: string }).constraint;
    if (constraint !== undefined && Object.hasOwn(constraints, constraint)) throw constraints[constraint]!();
    throw translateDatabaseError(error);
  }
}
