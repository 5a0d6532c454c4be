import type { Task } from 'graphile-worker';
import { inTransaction, type Db } from '../../platform/db.js';
import type { Logger } from '../../platform/logger.js';
import { notify } from './notify.js';
import { selectAssignmentsClosingOn, selectOrganisationMemberIds } from './queries.js';

// "Last day to apply is tomorrow": each morning the members of an
// organisation hear about its published assignments that close for
// applications tomorrow (a Swedish calendar day, so tomorrow in Stockholm).
// The dedupe key makes it idempotent: a rerun, or a catch-up after downtime,
// tells nobody twice.

export const NOTIFY_EXPIRING_TASK = 'notify_expiring_assignments';

/** Notifies about assignments whose last day to apply is `tomorrow` ('YYYY-MM-DD'; default: tomorrow in Stockholm). Returns their ids. */
export async function notifyExpiringAssignments(db: Db, tomorrow?: string): Promise<number[]> {
  return inTransaction(
    db,
    async (trx) => {
      const assignments = await selectAssignmentsClosingOn(trx, tomorrow);
      for (const assignment of assignments) {
        const members = await selectOrganisationMemberIds(trx, assignment.organisationId);
        await notify(trx, {
          userIds: members,
          type: 'assignment_expiring',
          link: `/uppdrag/${assignment.id}`,
          params: { assignment: assignment.title },
          dedupeKey: `assignment_expiring:${assignment.id}`,
        });
      }
      return assignments.map((assignment) => assignment.id);
    },
    { databaseErrors: 'raw' },
  );
}

export function expiringTasks(deps: { db: Db; log: Logger }): Record<string, Task> {
  return {
    [NOTIFY_EXPIRING_TASK]: async () => {
      const ids = await notifyExpiringAssignments(deps.db);
      if (ids.length) deps.log.info({ count: ids.length }, 'Organisations told that assignments close for applications tomorrow');
    },
  };
}

/**
 * graphile-worker's crontab runs in UTC: 06:00 UTC is 07:00 in Stockholm in
 * winter and 08:00 in summer, both a fair hour for a reminder. `?fill=12h`
 * catches up a morning missed by downtime (the dedupe key keeps it to once).
 */
export const EXPIRING_CRONTAB = `0 6 * * * ${NOTIFY_EXPIRING_TASK} ?fill=12h`;
