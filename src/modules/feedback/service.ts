import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { AppError, FormError, notFound } from '../../platform/errors.js';
import { can, type Actor } from '../access/index.js';
import { notify } from '../notifications/index.js';
import { validateFeedbackForm } from './form.js';
import {
  insertFeedback,
  selectAcceptedApplications,
  selectApplicantIds,
  selectFeedbackSubject,
  selectGivenFeedback,
  selectMemberIdsBySlug,
  type FeedbackDirection,
  type GivenFeedback,
} from './queries.js';

// Completion and feedback (PRODUCT.md flow 4). When an organisation marks an
// assignment completed, each accepted resident is told and may rate the
// organisation; the organisation's members may rate each accepted resident.
// One feedback per application and direction (a unique index), 1–5 and a
// short comment, given only after completion.

export type { FeedbackDirection, GivenFeedback } from './queries.js';

/** The application seen from the side that gives feedback. */
export interface FeedbackSubject {
  applicationId: number;
  direction: FeedbackDirection;
  assignmentTitle: string;
  organisationName: string;
  organisationSlug: string;
  applicantName: string;
}

export interface FeedbackPage {
  subject: FeedbackSubject;
  /** What this side already gave; the form is shown only while there is none. */
  given?: GivenFeedback;
}

/** A refusal because of the state of things, with a message for the user (rendered by the route). */
export const feedbackConflict = (messageKey: string) => new AppError('conflict', messageKey);
export const isFeedbackConflict = (error: unknown): error is AppError =>
  error instanceof AppError && error.status === 409 && error.message.startsWith('feedback.');

export const feedbackPath = (applicationId: number) => `/ansokningar/${applicationId}/omdome`;

/**
 * The check that completion needs beyond the state machine, inside its locked
 * transaction: work can be completed by fewer people than planned, but not by
 * nobody. Tells each accepted resident (except the actor) where to give feedback.
 */
export async function recordCompletion(trx: DbOrTrx, actor: Actor, assignmentId: number): Promise<void> {
  const accepted = await selectAcceptedApplications(trx, assignmentId);
  if (accepted.length === 0) throw feedbackConflict('feedback.errors.noneAccepted');
  for (const application of accepted.filter((a) => a.applicantId !== actor.userId)) {
    await notify(trx, {
      userIds: [application.applicantId],
      type: 'assignment_completed',
      link: feedbackPath(application.applicationId),
      params: { assignment: application.title },
    });
  }
}

/**
 * The application as the actor may give feedback on it: the applicant rates
 * the organisation, a member of the organisation rates the applicant (a member
 * who applied to their own organisation is the applicant here). Anyone else
 * gets 404, so applications are not revealed; a party gets 409 with a message
 * while the work is not completed or they did not do it.
 */
async function loadSubject(db: DbOrTrx, actor: Actor, applicationId: number, lock = false): Promise<FeedbackSubject> {
  if (!Number.isSafeInteger(applicationId) || applicationId <= 0) throw notFound();
  // Locked: neither the application nor the completion can change while feedback is written.
  const row = await selectFeedbackSubject(db, applicationId, { lock });
  const direction: FeedbackDirection | undefined = !row
    ? undefined
    : can(actor, 'feedback.aboutOrganisation', { applicantId: row.applicantId })
      ? 'about_organisation'
      : can(actor, 'feedback.aboutResident', { organisationId: row.organisationId })
        ? 'about_resident'
        : undefined;
  if (!row || !direction) {
    if (actor.userId === undefined) throw new AppError('unauthenticated', 'Log in first');
    throw notFound();
  }
  if (row.applicationStatus !== 'accepted') throw feedbackConflict('feedback.errors.notAccepted');
  if (row.assignmentStatus !== 'completed') throw feedbackConflict('feedback.errors.notCompleted');
  return {
    applicationId: row.applicationId,
    direction,
    assignmentTitle: row.assignmentTitle,
    organisationName: row.organisationName,
    organisationSlug: row.organisationSlug,
    applicantName: row.applicantName,
  };
}

export async function getFeedbackPage(db: DbOrTrx, actor: Actor, applicationId: number): Promise<FeedbackPage> {
  const subject = await loadSubject(db, actor, applicationId);
  return { subject, given: await selectGivenFeedback(db, applicationId, subject.direction) };
}

/**
 * Saves the actor's feedback and tells the one it is about. A second one in
 * the same direction (also two members at once) is refused by the unique
 * index: 409 "already given".
 */
export async function giveFeedback(
  db: DbOrTrx,
  actor: Actor,
  applicationId: number,
  body: Record<string, unknown>,
): Promise<FeedbackSubject> {
  return inTransaction(db, async (trx) => {
    const subject = await loadSubject(trx, actor, applicationId, true);
    const { values, errors, form } = validateFeedbackForm(body);
    if (!values) throw new FormError(errors, form);
    const inserted = await insertFeedback(trx, {
      applicationId,
      authorId: actor.userId!,
      direction: subject.direction,
      rating: values.rating,
      comment: values.comment,
    });
    if (!inserted) throw feedbackConflict('feedback.errors.alreadyGiven');
    const aboutResident = subject.direction === 'about_resident';
    const recipients = aboutResident
      ? await selectApplicantIds(trx, applicationId)
      : await selectMemberIdsBySlug(trx, subject.organisationSlug);
    await notify(trx, {
      userIds: recipients.filter((id) => id !== actor.userId),
      type: 'feedback_received',
      link: aboutResident ? '/konto/profil#omdomen' : `/organisationer/${subject.organisationSlug}#omdomen`,
      params: { assignment: subject.assignmentTitle },
    });
    return subject;
  });
}
