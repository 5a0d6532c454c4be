import type { Task } from 'graphile-worker';
import type { Db } from '../../platform/db.js';
import type { Logger } from '../../platform/logger.js';
import { enqueueIndexUpdate } from './service.js';

export const EXPIRE_ASSIGNMENTS_TASK = 'expire_assignments';

/**
 * Published assignments whose last day to apply has passed become `expired`,
 * each with its search-index update, in one transaction. Idempotent: run it
 * as often as you like (the worker runs it every hour). The last day to apply
 * is a Swedish calendar day, so "today" is today in Stockholm.
 */
export async function expireAssignments(db: Db, today?: string): Promise<number[]> {
  return db.transaction(async (trx) => {
    const expired = (await trx('assignments')
      .where('status', 'published')
      .where('apply_by', '<', today ? trx.raw('?::date', [today]) : trx.raw(`(now() AT TIME ZONE 'Europe/Stockholm')::date`))
      .update({ status: 'expired', updated_at: trx.fn.now() })
      .returning('id')) as Array<{ id: number }>;
    for (const { id } of expired) await enqueueIndexUpdate(trx, id);
    return expired.map(({ id }) => id);
  });
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
