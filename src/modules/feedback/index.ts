import type { ModuleDescription } from '../../web/module.js';
import { feedbackRoutes } from './routes.js';
export { feedbackRoutes } from './routes.js';
export {
  feedbackPath,
  getFeedbackPage,
  giveFeedback,
  recordCompletion,
  type FeedbackDirection,
  type FeedbackPage,
  type GivenFeedback,
} from './service.js';
export {
  acceptedApplicants,
  feedbackAboutOrganisation,
  feedbackAboutResident,
  type AcceptedApplicant,
  type FeedbackSummary,
  type OrganisationFeedbackItem,
  type ResidentFeedbackItem,
} from './queries.js';
export { MAX_COMMENT_LENGTH } from './form.js';

export const feedbackModule: ModuleDescription = {
  name: 'feedback',
  routes: (deps) => [feedbackRoutes(deps)],
};
