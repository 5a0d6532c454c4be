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
