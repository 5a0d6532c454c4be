import type { DbOrTrx } from '../../platform/db.js';
import { textBlocks } from '../../web/text-blocks.js';
import { selectAskedSkills, type AskedSkill } from './asked-skills.js';
import { listAttachments, type Attachment } from './attachments.js';
import type { AssignmentDetail } from './queries.js';
import { getPublicAssignment } from './service.js';
import { jobPostingJsonLd } from './structured-data.js';
import { assignmentPath, excerpt } from './view-model.js';

/** What the public page of an assignment shows about the assignment itself (the apply box is added above). */
export interface AssignmentPage {
  assignment: AssignmentDetail;
  /** The one URL of the page (/uppdrag/<id>-<slug>): other spellings redirect here. */
  canonicalPath: string;
  attachments: Attachment[];
  attachmentBase: string;
  canonicalUrl: string;
  jsonLd: string;
  metaDescription: string;
  /** The skills the assignment asks for (shown as tags). */
  askedSkills: AskedSkill[];
}

/** The public assignment with its files and search-engine metadata; 404 when it is not public. */
export async function getAssignmentPage(db: DbOrTrx, publicUrl: string, id: number): Promise<AssignmentPage> {
  const assignment = await getPublicAssignment(db, id);
  const canonicalPath = assignmentPath(assignment);
  const firstParagraph = textBlocks(assignment.description).find((block) => block.type === 'paragraph');
  return {
    assignment,
    canonicalPath,
    attachments: await listAttachments(db, assignment.id),
    askedSkills: await selectAskedSkills(db, assignment.id),
    attachmentBase: `${canonicalPath}/bilagor`,
    canonicalUrl: publicUrl + canonicalPath,
    jsonLd: jobPostingJsonLd(assignment, publicUrl + canonicalPath),
    metaDescription: excerpt(firstParagraph?.type === 'paragraph' ? firstParagraph.lines.join(' ') : assignment.description),
  };
}
