import type { ModuleDescription } from '../../web/module.js';
import { applicationRoutes } from './routes.js';
import { messageRoutes } from './message-routes.js';
import { assignmentPageRoutes } from './assignment-page.js';
export { selectApplicationsDashboard, type ApplicationsDashboard } from './queries.js';

export const applicationsModule: ModuleDescription = {
  name: 'applications',
  routes: (deps) => [applicationRoutes(deps), messageRoutes(deps), assignmentPageRoutes(deps)],
};
