import type { DbOrTrx } from '../../platform/db.js';
import { AppError, notFound, translateDatabaseError } from '../../platform/errors.js';
import { can, type Actor } from '../access/index.js';
import { notify } from '../notifications/index.js';
import { validateFeedbackForm, type FeedbackForm } from './form.js';

// Completion and feedback (PRODUCT.md flow 4). When an organisation marks an
// assignment completed, each accepted resident is told and may rate the
// organisation; the organisation's members may rate each accepted resident.
// One feedback per application and direction (a unique index), 1–5 and a
// short comment, given only after completion.

export type FeedbackDirection = 'about_resident' | 'about_organisation';

export interface GivenFeedback {
  rating: number;
  comment: string;
  createdAt: Date;
}

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

export class FeedbackFormError extends AppError {
  constructor(
    fields: Record<string, string>,
    readonly form: FeedbackForm,
  ) {
    super('bad_request', 'The feedback is not valid', fields);
  }
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
  const accepted = (await trx('applications as a')
    .join('assignments as s', 's.id', 'a.assignment_id')
    .where({ 'a.assignment_id': assignmentId, 'a.status': 'accepted' })
    .select({ applicationId: 'a.id', applicantId: 'a.applicant_id', title: 's.title' })) as Array<{
    applicationId: number;
    applicantId: number;
    title: string;
  }>;
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

interface SubjectRow {
  applicationId: number;
  applicationStatus: string;
  applicantId: number;
  applicantName: string;
  assignmentStatus: string;
  assignmentTitle: string;
  organisationId: number;
  organisationName: string;
  organisationSlug: string;
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
  const query = db('applications as a')
    .join('assignments as s', 's.id', 'a.assignment_id')
    .join('organisations as o', 'o.id', 's.organisation_id')
    .join('users as u', 'u.id', 'a.applicant_id')
    .where('a.id', applicationId)
    .first({
      applicationId: 'a.id',
      applicationStatus: 'a.status',
      applicantId: 'a.applicant_id',
      applicantName: 'u.name',
      assignmentStatus: 's.status',
      assignmentTitle: 's.title',
      organisationId: 'o.id',
      organisationName: 'o.name',
      organisationSlug: 'o.slug',
    });
  // Neither the application nor the completion can change while feedback is written.
  if (lock) query.forShare('a', 's');
  const row = (await query) as SubjectRow | undefined;
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

async function givenFeedback(
  db: DbOrTrx,
  applicationId: number,
  direction: FeedbackDirection,
): Promise<GivenFeedback | undefined> {
  return db('feedback')
    .where({ application_id: applicationId, direction })
    .first({ rating: 'rating', comment: 'comment', createdAt: 'created_at' });
}

export async function getFeedbackPage(db: DbOrTrx, actor: Actor, applicationId: number): Promise<FeedbackPage> {
  const subject = await loadSubject(db, actor, applicationId);
  return { subject, given: await givenFeedback(db, applicationId, subject.direction) };
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
  try {
    return await db.transaction(async (trx) => {
      const subject = await loadSubject(trx, actor, applicationId, true);
      const { values, errors, form } = validateFeedbackForm(body);
      if (!values) throw new FeedbackFormError(errors, form);
      const inserted = await trx('feedback')
        .insert({
          application_id: applicationId,
          author_id: actor.userId,
          direction: subject.direction,
          rating: values.rating,
          comment: values.comment,
        })
        .onConflict(['application_id', 'direction'])
        .ignore()
        .returning('id');
      if (inserted.length === 0) throw feedbackConflict('feedback.errors.alreadyGiven');
      const aboutResident = subject.direction === 'about_resident';
      const recipients = aboutResident
        ? await trx('applications').where('id', applicationId).pluck('applicant_id')
        : await trx('organisation_members as m')
            .join('organisations as o', 'o.id', 'm.organisation_id')
            .where('o.slug', subject.organisationSlug)
            .pluck('m.user_id');
      await notify(trx, {
        userIds: (recipients as number[]).filter((id) => id !== actor.userId),
        type: 'feedback_received',
        link: aboutResident ? '/konto/profil#omdomen' : `/organisationer/${subject.organisationSlug}#omdomen`,
        params: { assignment: subject.assignmentTitle },
      });
      return subject;
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw translateDatabaseError(error);
  }
}
