import type { ModuleDescription } from '../../web/module.js';
import { postingRoutes } from './routes.js';
export { selectPendingReview, transitionAssignment, type PendingAssignment } from './service.js';
export { countPendingReview, selectDraftsDashboard } from './queries.js';

export const postingModule: ModuleDescription = {
  name: 'posting',
  routes: (deps) => [postingRoutes(deps)],
};
