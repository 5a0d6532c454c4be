import type { ModuleDescription } from '../../web/module.js';
import { applicationRoutes } from './routes.js';
import { messageRoutes } from './message-routes.js';
import { assignmentPageRoutes } from './assignment-page.js';
export { applicationRoutes } from './routes.js';
export { assignmentPageRoutes } from './assignment-page.js';
export { messageRoutes } from './message-routes.js';
export {
  applicantListPath,
  applicationPath,
  getApplicationForActor,
  getApplyBox,
  type ApplicationContext,
  type ApplyBox,
} from './service.js';
export {
  APPLICATION_STATUSES,
  type Application,
  type ApplicationAssignment,
  type ApplicationOrganisation,
  type ApplicationStatus,
} from './queries.js';

export const applicationsModule: ModuleDescription = {
  name: 'applications',
  routes: (deps) => [applicationRoutes(deps), messageRoutes(deps), assignmentPageRoutes(deps)],
};
