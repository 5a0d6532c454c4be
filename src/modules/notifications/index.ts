import type { ModuleDescription } from '../../web/module.js';
import { notificationRoutes } from './routes.js';
import { NOTIFICATIONS_CRONTAB, notificationTasks } from './tasks.js';
export {
  MESSAGE_MAIL_DELAY_MS,
  NOTIFICATION_TYPES,
  notify,
  SEND_NOTIFICATION_MAIL_TASK,
  type Notification,
  type NotificationType,
} from './notify.js';
export { notificationRoutes } from './routes.js';
export { unreadNotificationCount } from './service.js';
export { dateTimeFormatter, notificationText } from './texts.js';
export { MAIL_ITEMS_MAX, sendNotificationMail } from './mail-task.js';
export { NOTIFY_EXPIRING_TASK, notifyExpiringAssignments } from './expiring.js';
export { NOTIFICATIONS_CRONTAB, notificationTasks } from './tasks.js';

export const notificationsModule: ModuleDescription = {
  name: 'notifications',
  routes: (deps) => [notificationRoutes(deps)],
  tasks: ({ db, config, log }) => notificationTasks({ db, publicUrl: config.publicUrl, log }),
  crontab: [NOTIFICATIONS_CRONTAB],
};
