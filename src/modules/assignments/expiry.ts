import type { Task } from 'graphile-worker';
import { inTransaction, type Db } from '../../platform/db.js';
import type { Logger } from '../../platform/logger.js';
import { updateExpiredAssignments } from './queries.js';
import { enqueueIndexUpdate } from './service.js';

export const EXPIRE_ASSIGNMENTS_TASK = 'expire_assignments';

/**
 * Published assignments whose last day to apply has passed become `expired`,
 * each with its search-index update, in one transaction. Idempotent: run it
 * as often as you like (the worker runs it every hour). The last day to apply
 * is a Swedish calendar day, so "today" is today in Stockholm.
 */
export async function expireAssignments(db: Db, today?: string): Promise<number[]> {
  return inTransaction(
    db,
    async (trx) => {
      const ids = await updateExpiredAssignments(trx, today);
      for (const id of ids) await enqueueIndexUpdate(trx, id);
      return ids;
    },
    { databaseErrors: 'raw' },
  );
}

export function expiryTasks(deps: { db: Db; log: Logger }): Record<string, Task> {
  return {
    [EXPIRE_ASSIGNMENTS_TASK]: async () => {
      const ids = await expireAssignments(deps.db);
      if (ids.length) deps.log.info({ count: ids.length }, 'Assignments past their last day to apply expired');
    },
  };
}

/** graphile-worker crontab line: at minute 5 of every hour; `?fill=2h` catches up after downtime. */
export const EXPIRY_CRONTAB = `5 * * * * ${EXPIRE_ASSIGNMENTS_TASK} ?fill=2h`;
