import type { ModuleDescription } from '../../web/module.js';
import { assignmentRoutes } from './routes.js';
import { EXPIRY_CRONTAB, expiryTasks } from './expiry.js';
export {
  assignmentChangedJob,
  assignmentPublishedJob,
  assignmentsAwaitingIndex,
  createAssignment,
  enqueueIndexUpdate,
  enqueuePublishedAlert,
  getPublicAssignment,
  listOpenAssignments,
} from './service.js';
export {
  EDITABLE,
  openAssignments,
  PUBLIC_STATUSES,
  selectAssignmentDetail,
  selectOrganisationsOfAssignments,
  SUMMARY_COLUMNS,
  type AssignmentDetail,
  type AssignmentStatus,
  type AssignmentSummary,
} from './queries.js';
export { COMPENSATION_TYPES, type CompensationType, type NewAssignment } from './schemas.js';
export { getAssignmentPage } from './page.js';
export { askedSkillsText, selectAskedSkills, type AskedSkill } from './asked-skills.js';
export { assignmentPath, assignmentRefParam, excerpt, summaryCard, type AssignmentCard } from './view-model.js';
export {
  addAttachment,
  ATTACHMENT_FIELD,
  getAttachmentTarget,
  listAttachments,
  MAX_ATTACHMENTS,
  PDF_MAX_BYTES,
  removeAttachment,
  type Attachment,
} from './attachments.js';

export const assignmentsModule: ModuleDescription = {
  name: 'assignments',
  routes: (deps) => [assignmentRoutes(deps)],
  tasks: (deps) => expiryTasks(deps),
  crontab: [EXPIRY_CRONTAB],
};
