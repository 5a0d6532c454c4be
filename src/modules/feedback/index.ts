import type { ModuleDescription } from '../../web/module.js';
import { feedbackRoutes } from './routes.js';
export { feedbackPath, recordCompletion } from './service.js';
export { acceptedApplicants, feedbackAboutOrganisation, feedbackAboutResident } from './queries.js';

export const feedbackModule: ModuleDescription = {
  name: 'feedback',
  routes: (deps) => [feedbackRoutes(deps)],
};
