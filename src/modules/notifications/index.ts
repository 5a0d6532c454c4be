import type { ModuleDescription } from '../../web/module.js';
import { notificationRoutes } from './routes.js';
import { NOTIFICATIONS_CRONTAB, notificationTasks } from './tasks.js';
export { notify } from './notify.js';
export { unreadNotificationCount } from './service.js';
export { dateTimeFormatter } from './texts.js';

export const notificationsModule: ModuleDescription = {
  name: 'notifications',
  routes: (deps) => [notificationRoutes(deps)],
  tasks: ({ db, config, log }) => notificationTasks({ db, publicUrl: config.publicUrl, log }),
  crontab: [NOTIFICATIONS_CRONTAB],
};
