import { z } from 'zod';
import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { FormError, notFound, translateDatabaseError } from '../../platform/errors.js';
import { fieldErrors, formText, textField } from '../../platform/validation.js';
import { authorize, type Actor } from '../access/index.js';
import { enqueueIndexUpdate, getPublicAssignment, type AssignmentDetail } from '../assignments/index.js';
import { notify } from '../notifications/index.js';
import {
  clearAssignmentHidden,
  clearOrganisationSuspended,
  countOpenReports,
  insertReport,
  markAssignmentHidden,
  markOrganisationSuspended,
  markReportDismissed,
  REPORT_REASONS,
  resolveOpenReports,
  resolveOpenReportsOfOrganisation,
  selectAssignmentWithOrganisationForUpdate,
  selectHiddenAssignments,
  selectMemberIds,
  selectOpenReports,
  selectOrganisationForUpdate,
  selectPublishedAssignmentIds,
  selectReportStatusForUpdate,
  selectSuspendedOrganisations,
  type HiddenAssignment,
  type ReportedAssignment,
  type ReportReason,
  type SuspendedOrganisation,
} from './queries.js';
import { moderationConflict } from './suspension.js';

// Moderation (PRODUCT.md flow 7): anyone reports an assignment; platform
// admins hide and restore assignments, dismiss reports, warn, suspend and
// reinstate organisations. Each admin action runs in one transaction that
// locks the row it changes, tells the organisation's members
// ('moderation_notice') and enqueues the search-index jobs of every affected
// assignment, so nothing is hidden without the index following.

export { REPORT_REASONS, type ReportReason };
export const REPORT_DETAILS_MAX = 2000;
export const MODERATOR_TEXT_MAX = 2000;

const E = 'moderation.errors';

export interface ReportForm {
  reason: string;
  details: string;
}

const reportSchema = z
  .object({
    reason: z.enum(REPORT_REASONS, { message: `${E}.reasonRequired` }),
    details: textField({ multiline: true, typeMessage: `${E}.detailsInvalid` })
      .trim()
      .max(REPORT_DETAILS_MAX, `${E}.detailsTooLong`)
      .default(''),
  })
  .superRefine((value, context) => {
    if (value.reason === 'other' && value.details === '')
      context.addIssue({ code: 'custom', path: ['details'], message: `${E}.detailsRequired` });
  });

/** The assignment a report is about: only one the asker can see (404 for hidden, drafts, suspended organisations). */
export async function getReportTarget(db: DbOrTrx, actor: Actor, assignmentId: number) {
  authorize(actor, 'assignment.report');
  return getPublicAssignment(db, assignmentId);
}

/**
 * Stores a report. A visitor's report carries nothing about them (no user,
 * address or session); a logged-in person has one open report per assignment
 * (the partial unique index decides, also under concurrent submits).
 */
export async function reportAssignment(
  db: DbOrTrx,
  actor: Actor,
  assignmentId: number,
  input: Record<string, unknown>,
): Promise<{ result: 'reported' | 'alreadyReported'; assignment: AssignmentDetail }> {
  const assignment = await getReportTarget(db, actor, assignmentId);
  const parsed = reportSchema.safeParse({ reason: input.reason, details: input.details ?? '' });
  if (!parsed.success) {
    throw new FormError<ReportForm>(fieldErrors(parsed.error), {
      reason: formText(input.reason),
      details: formText(input.details),
    });
  }
  try {
    await insertReport(db, {
      assignmentId: assignment.id,
      reporterId: actor.userId ?? null,
      reason: parsed.data.reason,
      details: parsed.data.details,
    });
  } catch (error) {
    const pgError = error as { code?: string; constraint?: string };
    if (pgError.code === '23505' && pgError.constraint === 'assignment_reports_one_open_per_reporter')
      return { result: 'alreadyReported', assignment };
    throw translateDatabaseError(error);
  }
  return { result: 'reported', assignment };
}

// --- the admin queue ---------------------------------------------------------

export interface ModerationQueue {
  reported: ReportedAssignment[];
  hidden: HiddenAssignment[];
  suspended: SuspendedOrganisation[];
}

export async function getModerationQueue(db: DbOrTrx, actor: Actor): Promise<ModerationQueue> {
  authorize(actor, 'moderation.manage');
  const [reported, hidden, suspended] = await Promise.all([
    selectOpenReports(db),
    selectHiddenAssignments(db),
    selectSuspendedOrganisations(db),
  ]);
  return { reported, hidden, suspended };
}

/** For the admin overview's link to the queue. */
export async function getOpenReportCount(db: DbOrTrx, actor: Actor): Promise<number> {
  authorize(actor, 'moderation.manage');
  return countOpenReports(db);
}

/** The moderator's text (reason or warning): required, at most MODERATOR_TEXT_MAX characters. */
function moderatorText(input: Record<string, unknown>, field: 'reason' | 'message'): string {
  const required = field === 'reason' ? `${E}.moderatorReasonRequired` : `${E}.messageRequired`;
  const parsed = textField({ multiline: true, typeMessage: required })
    .trim()
    .min(1, required)
    .max(MODERATOR_TEXT_MAX, `${E}.textTooLong`)
    .safeParse(input[field]);
  if (!parsed.success) {
    throw new FormError<Record<string, string>>(
      { [field]: parsed.error.issues[0]!.message },
      { [field]: formText(input[field]) },
    );
  }
  return parsed.data;
}

const validId = (id: number) => Number.isSafeInteger(id) && id > 0;

type NoticeAction = 'hidden' | 'restored' | 'warned' | 'suspended' | 'reinstated';

/** Tells the organisation's members what a moderator did (in the caller's transaction). */
async function noticeToMembers(
  trx: DbOrTrx,
  actor: Actor,
  organisation: { id: number; name: string; slug: string },
  action: NoticeAction,
  details: { assignment?: string; text?: string },
): Promise<void> {
  const members = await selectMemberIds(trx, organisation.id);
  await notify(trx, {
    userIds: members.filter((id) => id !== actor.userId),
    type: 'moderation_notice',
    // Hidden assignments are listed nowhere public: point to the organisation's own list.
    link: details.assignment ? `/organisationer/${organisation.slug}/uppdrag` : `/organisationer/${organisation.slug}`,
    params: {
      // i18next context: the notice's text is notifications.types.moderation_notice_<action>
      // where that exists, else the general moderation_notice text.
      context: action,
      organisation: organisation.name,
      ...(details.assignment ? { assignment: details.assignment } : {}),
      ...(details.text ? { text: details.text } : {}),
    },
  });
}

async function lockAssignmentWithOrganisation(trx: DbOrTrx, assignmentId: number) {
  if (!validId(assignmentId)) throw notFound();
  const row = await selectAssignmentWithOrganisationForUpdate(trx, assignmentId);
  if (!row) throw notFound();
  return row;
}

/** Hides an assignment with a reason; its open reports are resolved. Returns the ids to drop from search. */
export async function hideAssignment(
  db: DbOrTrx,
  actor: Actor,
  assignmentId: number,
  input: Record<string, unknown>,
): Promise<number[]> {
  authorize(actor, 'moderation.manage');
  const reason = moderatorText(input, 'reason');
  return inTransaction(db, async (trx) => {
    const row = await lockAssignmentWithOrganisation(trx, assignmentId);
    if (row.hiddenAt) throw moderationConflict(`${E}.alreadyHidden`);
    await markAssignmentHidden(trx, row.id, reason);
    await resolveOpenReports(trx, [row.id], actor.userId!);
    await enqueueIndexUpdate(trx, row.id);
    await noticeToMembers(trx, actor, { id: row.organisationId, name: row.name, slug: row.slug }, 'hidden', {
      assignment: row.title,
      text: reason,
    });
    return [row.id];
  });
}

export async function restoreAssignment(db: DbOrTrx, actor: Actor, assignmentId: number): Promise<void> {
  authorize(actor, 'moderation.manage');
  await inTransaction(db, async (trx) => {
    const row = await lockAssignmentWithOrganisation(trx, assignmentId);
    if (!row.hiddenAt) throw moderationConflict(`${E}.notHidden`);
    await clearAssignmentHidden(trx, row.id);
    await enqueueIndexUpdate(trx, row.id);
    await noticeToMembers(trx, actor, { id: row.organisationId, name: row.name, slug: row.slug }, 'restored', {
      assignment: row.title,
    });
  });
}

/** A report that needs no action: dismissed, kept for the record. */
export async function dismissReport(db: DbOrTrx, actor: Actor, reportId: number): Promise<void> {
  authorize(actor, 'moderation.manage');
  if (!validId(reportId)) throw notFound();
  await inTransaction(db, async (trx) => {
    const status = await selectReportStatusForUpdate(trx, reportId);
    if (status === undefined) throw notFound();
    if (status !== 'open') throw moderationConflict(`${E}.reportHandled`);
    await markReportDismissed(trx, reportId, actor.userId!);
  });
}

async function lockOrganisation(trx: DbOrTrx, slug: string) {
  const row = /^[a-z0-9-]{1,100}$/.test(slug) ? await selectOrganisationForUpdate(trx, slug) : undefined;
  if (!row) throw notFound();
  return row;
}

export async function warnOrganisation(db: DbOrTrx, actor: Actor, slug: string, input: Record<string, unknown>): Promise<void> {
  authorize(actor, 'moderation.manage');
  const message = moderatorText(input, 'message');
  await inTransaction(db, async (trx) => {
    const organisation = await lockOrganisation(trx, slug);
    await noticeToMembers(trx, actor, organisation, 'warned', { text: message });
  });
}

/**
 * Suspends an organisation: all its assignments leave the public pages and the
 * index, its members can no longer create or publish, and the open reports on
 * its assignments are resolved. Returns the ids to drop from search.
 */
export async function suspendOrganisation(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
  input: Record<string, unknown>,
): Promise<number[]> {
  authorize(actor, 'moderation.manage');
  const reason = moderatorText(input, 'reason');
  return inTransaction(db, async (trx) => {
    const organisation = await lockOrganisation(trx, slug);
    if (organisation.suspendedAt) throw moderationConflict(`${E}.alreadySuspended`);
    await markOrganisationSuspended(trx, organisation.id, reason);
    const ids = await selectPublishedAssignmentIds(trx, organisation.id);
    await resolveOpenReportsOfOrganisation(trx, organisation.id, actor.userId!);
    for (const id of ids) await enqueueIndexUpdate(trx, id);
    await noticeToMembers(trx, actor, organisation, 'suspended', { text: reason });
    return ids;
  });
}

export async function reinstateOrganisation(db: DbOrTrx, actor: Actor, slug: string): Promise<void> {
  authorize(actor, 'moderation.manage');
  await inTransaction(db, async (trx) => {
    const organisation = await lockOrganisation(trx, slug);
    if (!organisation.suspendedAt) throw moderationConflict(`${E}.notSuspended`);
    await clearOrganisationSuspended(trx, organisation.id);
    for (const id of await selectPublishedAssignmentIds(trx, organisation.id)) await enqueueIndexUpdate(trx, id);
    await noticeToMembers(trx, actor, organisation, 'reinstated', {});
  });
}
