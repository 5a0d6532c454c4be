import type { ModuleDescription } from '../../web/module.js';
import { assignmentPublishedJob } from '../assignments/index.js';
import { oneClickUnsubscribeRoutes, savedSearchRoutes } from './routes.js';
import { SAVED_SEARCH_CRONTAB, savedSearchTasks } from './alerts.js';
export { recommendedAssignments } from './recommended.js';

export const savedSearchesModule: ModuleDescription = {
  name: 'saved-searches',
  routes: (deps) => [savedSearchRoutes(deps)],
  // The one-click unsubscribe comes from mail programs without a session or CSRF token (it is signed instead).
  routesWithoutSession: (deps) => [oneClickUnsubscribeRoutes(deps)],
  tasks: ({ db, search, config, secret, log }) =>
    savedSearchTasks({ db, search, indexPrefix: config.meili.indexPrefix, publicUrl: config.publicUrl, secret, log }),
  crontab: [SAVED_SEARCH_CRONTAB],
  searchTasks: [assignmentPublishedJob.name],
};
