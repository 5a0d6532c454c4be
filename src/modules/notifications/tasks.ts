import type { Task } from 'graphile-worker';
import type { Db } from '../../platform/db.js';
import type { Logger } from '../../platform/logger.js';
import { expiringTasks } from './expiring.js';
import { notificationMailTasks } from './mail-task.js';

export { EXPIRING_CRONTAB as NOTIFICATIONS_CRONTAB } from './expiring.js';

/** Every background task of notifications: the batched mail and the daily "closes tomorrow" notice. */
export function notificationTasks(deps: { db: Db; publicUrl: string; log: Logger }): Record<string, Task> {
  return { ...notificationMailTasks(deps), ...expiringTasks(deps) };
}
