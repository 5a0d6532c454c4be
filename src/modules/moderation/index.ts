export { moderationRoutes } from './routes.js';
export { getOpenReportCount } from './service.js';
// (assignments/posting.ts imports OrganisationSuspendedError from ./suspension.js
// itself: this index imports the assignments module, the file does not.)
