export {
  createPosting,
  getPostingForEdit,
  getPostingOrganisation,
  getPostingPreview,
  listOrganisationAssignments,
  PostingFormError,
  selectPendingReview,
  transitionAssignment,
  updatePosting,
  type PendingAssignment,
  type Transition,
} from './service.js';
export { emptyPostingForm, type PostingForm } from './form.js';
export { postingRoutes } from './routes.js';
