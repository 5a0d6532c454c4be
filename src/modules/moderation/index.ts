export { moderationRoutes } from './routes.js';
export { getOpenReportCount } from './service.js';
export { selectHiddenAssignments, type HiddenAssignment } from './queries.js';
export { OrganisationSuspendedError } from './suspension.js';
