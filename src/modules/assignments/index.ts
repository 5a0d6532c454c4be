export {
  ASSIGNMENT_PUBLISHED_TASK,
  createAssignment,
  enqueueIndexUpdate,
  getPublicAssignment,
  INDEX_ASSIGNMENT_TASK,
  listOpenAssignments,
} from './service.js';
export {
  openAssignments,
  PUBLIC_STATUSES,
  SUMMARY_COLUMNS,
  type AssignmentDetail,
  type AssignmentStatus,
  type AssignmentSummary,
} from './queries.js';
export { COMPENSATION_TYPES, type CompensationType, type NewAssignment } from './schemas.js';
export { assignmentRoutes } from './routes.js';
export { assignmentPath, excerpt, parseAssignmentRef, summaryCard, type AssignmentCard } from './view-model.js';
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
} from './posting.js';
export { emptyPostingForm, type PostingForm } from './form.js';
export { postingRoutes } from './posting-routes.js';
export { EXPIRE_ASSIGNMENTS_TASK, EXPIRY_CRONTAB, expireAssignments, expiryTasks } from './expiry.js';
