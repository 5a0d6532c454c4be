import type { ModuleDescription } from '../../web/module.js';
import { moderationRoutes } from './routes.js';
export { getOpenReportCount } from './service.js';
export { selectHiddenAssignments, type HiddenAssignment } from './queries.js';
export { OrganisationSuspendedError } from './suspension.js';

export const moderationModule: ModuleDescription = {
  name: 'moderation',
  routes: (deps) => [moderationRoutes(deps)],
};
