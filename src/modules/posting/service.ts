import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { AppError, FormError, notFound } from '../../platform/errors.js';
import type { Storage } from '../../platform/storage.js';
import { authorize, type Actor } from '../access/index.js';
import { formText, textField } from '../../platform/validation.js';
import { OrganisationSuspendedError, selectHiddenAssignments, type HiddenAssignment } from '../moderation/index.js';
import { acceptedApplicants, recordCompletion } from '../feedback/index.js';
import { notify } from '../notifications/index.js';
import { resolveTypedSkills } from '../skills/index.js';
import type { ReferenceData } from '../../platform/reference-data.js';
import { validatePostingForm, type PostingForm, type PostingValues } from './form.js';
import {
  deleteAssignment,
  insertDraft,
  replaceAssignmentSkills,
  returnToDraft,
  selectAssignmentForUpdate,
  selectAssignmentToConfirm,
  selectApprovalRecipients,
  selectAttachmentKeys,
  selectEditableAssignment,
  selectOrganisationAssignments,
  selectOrganisationStandingForShare,
  selectPostingOrganisation,
  updateAssignmentStatus,
  updateAssignmentValues,
  type OrganisationAssignment,
  type PostingOrganisation,
} from './queries.js';
import {
  askedSkillsText,
  assignmentPath,
  EDITABLE,
  enqueueIndexUpdate,
  enqueuePublishedAlert,
  selectAssignmentDetail,
  type AssignmentDetail,
  type AssignmentStatus,
} from '../assignments/index.js';

// Posting and the lifecycle of an assignment, by the members of its
// organisation (and, for review, platform admins). Every change locks the row,
// checks the state it starts from, authorises, writes and enqueues the search
// index job in one transaction.

export { selectPendingReview, type OrganisationAssignment, type PendingAssignment, type PostingOrganisation } from './queries.js';

export type Transition = 'publish' | 'cancel' | 'close' | 'approve' | 'complete';

/** From which states each transition may start. */
export const TRANSITIONS: Record<Transition, readonly AssignmentStatus[]> = {
  publish: ['draft'],
  cancel: ['draft', 'pending_review', 'published', 'closed'],
  close: ['published'],
  approve: ['pending_review'],
  // From published or closed only when someone was accepted (checked in recordCompletion).
  complete: ['published', 'closed', 'assigned'],
};

async function organisationBySlug(db: DbOrTrx, slug: string): Promise<PostingOrganisation> {
  const organisation = /^[a-z0-9-]{1,100}$/.test(slug) ? await selectPostingOrganisation(db, slug) : undefined;
  if (!organisation) throw notFound();
  return organisation;
}

/** The organisation, when the actor may post for it (404 unknown, login for visitors, 403 others). */
export async function getPostingOrganisation(db: DbOrTrx, actor: Actor, slug: string): Promise<PostingOrganisation> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'assignment.create', { organisationId: organisation.id });
  return organisation;
}

/** The organisation a new assignment is written for: as getPostingOrganisation, and 403 while it is suspended. */
export async function getOrganisationForNewPosting(db: DbOrTrx, actor: Actor, slug: string): Promise<PostingOrganisation> {
  const organisation = await getPostingOrganisation(db, actor, slug);
  if (organisation.suspended) throw new OrganisationSuspendedError();
  return organisation;
}

function validOrThrow(body: Record<string, unknown>, reference: ReferenceData): PostingValues {
  const { values, errors, form } = validatePostingForm(body, reference);
  if (!values) throw new FormError(errors, form);
  return values;
}

/** Saves a new draft; returns its id. */
export async function createPosting(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
  body: Record<string, unknown>,
  reference: ReferenceData,
): Promise<number> {
  const organisation = await getOrganisationForNewPosting(db, actor, slug);
  const values = validOrThrow(body, reference);
  return inTransaction(db, async (trx) => {
    const id = await insertDraft(trx, organisation.id, actor.userId ?? null, values);
    await saveAskedSkills(trx, id, values.askedSkills);
    await enqueueIndexUpdate(trx, id);
    return id;
  });
}

/** The skills the assignment asks for, as typed: matched to the vocabulary (free tags for the rest), replacing the old. */
async function saveAskedSkills(trx: DbOrTrx, assignmentId: number, words: readonly string[]): Promise<void> {
  const resolved = await resolveTypedSkills(trx, words, 'skill');
  await replaceAssignmentSkills(trx, assignmentId, [...new Set([...resolved.values()].map((skill) => skill.id))]);
}

const conflict = (status: string) => new AppError('conflict', 'errors.assignmentState', { status });

/** Locks the organisation's assignment for a change; 404 when it is not this organisation's. */
async function lockAssignment(trx: DbOrTrx, organisationId: number | undefined, id: number) {
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  const row = await selectAssignmentForUpdate(trx, id, organisationId);
  if (!row) throw notFound();
  return row;
}

export async function updatePosting(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
  id: number,
  body: Record<string, unknown>,
  reference: ReferenceData,
): Promise<void> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'assignment.edit', { organisationId: organisation.id });
  const values = validOrThrow(body, reference);
  await inTransaction(db, async (trx) => {
    const row = await lockAssignment(trx, organisation.id, id);
    if (!EDITABLE.includes(row.status)) throw conflict(row.status);
    await updateAssignmentValues(trx, id, values);
    await saveAskedSkills(trx, id, values.askedSkills);
    await enqueueIndexUpdate(trx, id);
  });
}

/** The assignment as the form shows it, for the organisation's members. */
export async function getPostingForEdit(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
  id: number,
): Promise<{ organisation: PostingOrganisation; form: PostingForm; status: AssignmentStatus }> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'assignment.edit', { organisationId: organisation.id });
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  const row = await selectEditableAssignment(db, id, organisation.id);
  if (!row) throw notFound();
  if (!EDITABLE.includes(row.status)) throw conflict(row.status);
  const text = (value: unknown) => (value == null ? '' : String(value));
  return {
    organisation,
    status: row.status,
    form: {
      title: row.title,
      description: row.description,
      category: row.categorySlug,
      municipality: row.municipalityCode,
      locality: text(row.localityName),
      point: row.lat != null ? `${row.lat}, ${row.lng}` : '',
      compensationType: row.compensationType,
      amountSek: text(row.amountSek),
      // NUMERIC(6,1) arrives as exact text ('4.0'); the form shows the number (4).
      estimatedHours: text(row.estimatedHours == null ? null : Number(row.estimatedHours)),
      startsOn: text(row.startsOn),
      endsOn: text(row.endsOn),
      applyBy: text(row.applyBy),
      peopleNeeded: text(row.peopleNeeded),
      requirements: row.requirements,
      skills: await askedSkillsText(db, id),
      workTraining: row.workTraining,
      supervisorAvailable: row.supervisorAvailable,
    },
  };
}

/** The assignment as its public page will show it, whatever its state. */
export async function getPostingPreview(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
  id: number,
): Promise<{ organisation: PostingOrganisation; assignment: AssignmentDetail }> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'assignment.edit', { organisationId: organisation.id });
  const assignment = Number.isSafeInteger(id) && id > 0 ? await selectAssignmentDetail(db, id) : undefined;
  if (!assignment || assignment.organisationId !== organisation.id) throw notFound();
  return { organisation, assignment };
}

/** The organisation's members learn that review is over: they would otherwise have to keep checking. */
async function tellReviewed(trx: DbOrTrx, actor: Actor, assignmentId: number, outcome: 'approved' | 'refused'): Promise<void> {
  const { title, organisationSlug, memberIds } = await selectApprovalRecipients(trx, assignmentId);
  await notify(trx, {
    userIds: memberIds.filter((id) => id !== actor.userId),
    type: outcome === 'approved' ? 'assignment_approved' : 'assignment_refused',
    // A refused assignment is a draft again: its public page does not exist, "Mina uppdrag" shows why.
    link: outcome === 'approved' ? assignmentPath({ id: assignmentId, title }) : `/organisationer/${organisationSlug}/uppdrag`,
    params: { assignment: title },
  });
}

/** An assignment waiting for review, as its public page will show it, for the platform admin who reviews it. */
export async function getAssignmentToReview(db: DbOrTrx, actor: Actor, id: number): Promise<AssignmentDetail> {
  authorize(actor, 'assignment.review');
  const assignment = Number.isSafeInteger(id) && id > 0 ? await selectAssignmentDetail(db, id) : undefined;
  if (!assignment) throw notFound();
  if (assignment.status !== 'pending_review') throw conflict(assignment.status);
  return assignment;
}

const REVIEW_NOTE_MAX = 2000;
export interface RefusalForm {
  reviewNote: string;
}

/**
 * Review refuses: the assignment goes back to its organisation as a draft with a note saying what to change
 * (required: a refusal without a reason leaves the association guessing). The members are told.
 */
export async function refuseAssignment(db: DbOrTrx, actor: Actor, id: number, input: Record<string, unknown>): Promise<void> {
  authorize(actor, 'assignment.review');
  const parsed = textField({ multiline: true, typeMessage: 'postings.review.errors.noteRequired' })
    .trim()
    .min(1, 'postings.review.errors.noteRequired')
    .max(REVIEW_NOTE_MAX, 'postings.review.errors.noteTooLong')
    .safeParse(input.reviewNote);
  if (!parsed.success) {
    throw new FormError<RefusalForm>({ reviewNote: parsed.error.issues[0]!.message }, { reviewNote: formText(input.reviewNote) });
  }
  await inTransaction(db, async (trx) => {
    const row = await lockAssignment(trx, undefined, id);
    if (row.status !== 'pending_review') throw conflict(row.status);
    await returnToDraft(trx, row.id, parsed.data);
    await tellReviewed(trx, actor, row.id, 'refused');
  });
}

/**
 * One step of the lifecycle. publish: a verified organisation's draft is
 * published, an unverified one's waits for review; approve is a platform
 * admin's (slug undefined). Returns the new status.
 */
export async function transitionAssignment(
  db: DbOrTrx,
  actor: Actor,
  transition: Transition,
  id: number,
  slug?: string,
): Promise<AssignmentStatus> {
  let organisation: PostingOrganisation | undefined;
  if (transition === 'approve') {
    authorize(actor, 'assignment.review');
  } else {
    organisation = await organisationBySlug(db, slug ?? '');
    authorize(actor, 'assignment.edit', { organisationId: organisation.id });
  }
  return inTransaction(db, async (trx) => {
    const row = await lockAssignment(trx, organisation?.id, id);
    if (!TRANSITIONS[transition].includes(row.status)) throw conflict(row.status);
    let status: AssignmentStatus;
    // Read under a share lock: verification may have changed since the page, and
    // a suspension running now waits for this publish (or this for it).
    const owner =
      transition === 'publish' || transition === 'approve'
        ? await selectOrganisationStandingForShare(trx, row.organisationId)
        : undefined;
    if (owner?.suspended) throw new OrganisationSuspendedError();
    switch (transition) {
      case 'publish': {
        status = owner?.verified ? 'published' : 'pending_review';
        break;
      }
      case 'approve':
        status = 'published';
        break;
      case 'cancel':
        status = 'cancelled';
        break;
      case 'close':
        status = 'closed';
        break;
      case 'complete':
        await recordCompletion(trx, actor, row.id);
        status = 'completed';
        break;
    }
    await updateAssignmentStatus(trx, row.id, status);
    await enqueueIndexUpdate(trx, row.id);
    if (status === 'published') await enqueuePublishedAlert(trx, row.id);
    if (transition === 'approve') await tellReviewed(trx, actor, row.id, 'approved');
    return status;
  });
}

/** The irreversible changes that take a confirmation step, and the states each may start from. */
const CONFIRMED_CHANGES = {
  cancel: TRANSITIONS.cancel,
  complete: TRANSITIONS.complete,
  delete: ['draft'],
} as const satisfies Record<string, readonly AssignmentStatus[]>;

/** What the confirmation step of cancelling, completing or deleting shows; refused as the change itself would be. */
export async function getTransitionToConfirm(
  db: DbOrTrx,
  actor: Actor,
  transition: keyof typeof CONFIRMED_CHANGES,
  slug: string,
  id: number,
): Promise<{
  organisation: PostingOrganisation;
  assignment: { id: number; title: string; status: AssignmentStatus; activeApplications: number };
  /** Who did the work: told when it is marked completed. */
  acceptedNames: string[];
}> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'assignment.edit', { organisationId: organisation.id });
  const assignment = Number.isSafeInteger(id) && id > 0 ? await selectAssignmentToConfirm(db, id, organisation.id) : undefined;
  if (!assignment) throw notFound();
  if (!(CONFIRMED_CHANGES[transition] as readonly AssignmentStatus[]).includes(assignment.status))
    throw conflict(assignment.status);
  const accepted = (await acceptedApplicants(db, [assignment.id])).get(assignment.id) ?? [];
  if (transition === 'complete' && accepted.length === 0) throw new AppError('conflict', 'feedback.errors.noneAccepted');
  return { organisation, assignment, acceptedNames: accepted.map((applicant) => applicant.applicantName) };
}

/**
 * Deletes a draft for good, with its attachments' files. Only drafts: anything
 * that was ever public may have applicants, links and search hits, and is
 * cancelled instead.
 */
export async function deleteDraft(db: DbOrTrx, storage: Storage, actor: Actor, slug: string, id: number): Promise<void> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'assignment.edit', { organisationId: organisation.id });
  const keys = await inTransaction(db, async (trx) => {
    const row = await lockAssignment(trx, organisation.id, id);
    if (row.status !== 'draft') throw conflict(row.status);
    const keys = await selectAttachmentKeys(trx, row.id);
    await deleteAssignment(trx, row.id);
    // A draft is never in the index; the job makes sure of it all the same.
    await enqueueIndexUpdate(trx, row.id);
    return keys;
  });
  // The rows are gone; a file that fails to go is unreferenced, not a broken page.
  await Promise.all(keys.map((key) => storage.delete(key).catch(() => {})));
}

/** "Mina uppdrag": the organisation's assignments grouped by status, with their applicant counts. */
export async function listOrganisationAssignments(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
): Promise<{
  organisation: PostingOrganisation;
  groups: Array<{ status: AssignmentStatus; assignments: OrganisationAssignment[] }>;
  /** Hidden by a moderator: listed only here, with the moderator's reason (the notice links here). */
  hiddenByModerators: HiddenAssignment[];
}> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'assignment.edit', { organisationId: organisation.id });
  const rows = await selectOrganisationAssignments(db, organisation.id);
  const order: AssignmentStatus[] = [
    'draft',
    'pending_review',
    'published',
    'closed',
    'assigned',
    'completed',
    'expired',
    'cancelled',
  ];
  const groups = order
    .map((status) => ({ status, assignments: rows.filter((row) => row.status === status) }))
    .filter((group) => group.assignments.length > 0);
  return { organisation, groups, hiddenByModerators: await selectHiddenAssignments(db, { organisationId: organisation.id }) };
}
