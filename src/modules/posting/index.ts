import type { ModuleDescription } from '../../web/module.js';
import { postingRoutes } from './routes.js';
export {
  createPosting,
  getPostingForEdit,
  getPostingOrganisation,
  getPostingPreview,
  listOrganisationAssignments,
  selectPendingReview,
  transitionAssignment,
  updatePosting,
  type PendingAssignment,
  type Transition,
} from './service.js';
export { emptyPostingForm, type PostingForm } from './form.js';
export { postingRoutes } from './routes.js';

export const postingModule: ModuleDescription = {
  name: 'posting',
  routes: (deps) => [postingRoutes(deps)],
};
