import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { AppError, FormError, notFound } from '../../platform/errors.js';
import type { Storage, StoredFile } from '../../platform/storage.js';
import { todayInStockholm } from '../../platform/calendar.js';
import { authorize, can, type Actor } from '../access/index.js';
import {
  assignmentPath,
  enqueueIndexUpdate,
  getPublicAssignment,
  type AssignmentDetail,
  type AssignmentStatus,
} from '../assignments/index.js';
import { notify } from '../notifications/index.js';
import {
  countAccepted,
  selectApplicationContext,
  selectApplicationsBy,
  selectApplicationsOf,
  selectAssignmentState,
  selectCvKey,
  selectMemberIds,
  selectOrganisationAssignment,
  selectOrganisationBySlug,
  selectOwnApplication,
  selectSharedProfile,
  selectUserName,
  setAssignmentStatus,
  updateApplication,
  upsertApplication,
  lockApplication,
  type Application,
  type ApplicationAssignment,
  type ApplicationOrganisation,
  type ApplicationStatus,
  type OwnApplication,
  type SharedProfile,
} from './queries.js';
import { emptyApplyForm, parseApplyForm, parseDeclineForm, type ApplyForm } from './schemas.js';

// Applications (PRODUCT.md flow 3): a resident applies to a published
// assignment; the organisation's members shortlist, accept up to the number of
// people needed and decline; the resident may withdraw. Each change runs in
// one transaction that locks the assignment row first and then the
// application (always in that order, so two changes never wait on each other
// crosswise), checks the state it starts from, writes, and queues the
// notification and, when the assignment's status changes, its index update.

export interface ApplicationContext {
  application: Application;
  assignment: ApplicationAssignment;
  organisation: ApplicationOrganisation;
  isApplicant: boolean;
  isMember: boolean;
}

/** The page of an application, from inside the site. */
export const applicationPath = (id: number) => `/ansokningar/${id}`;
/** The organisation's applicant list of one assignment. */
export const applicantListPath = (organisationSlug: string, assignmentId: number) =>
  `/organisationer/${organisationSlug}/uppdrag/${assignmentId}/ansokningar`;

const validId = (id: number) => Number.isSafeInteger(id) && id > 0;
const logInFirst = () => new AppError('unauthenticated', 'Log in first');
const conflict = (key: string, fields: Record<string, string> = {}) =>
  new AppError('conflict', `applications.errors.${key}`, fields);

/**
 * An application with its assignment and organisation, for its applicant and
 * the members of the assignment's organisation; 404 for everyone else (login
 * first for visitors). Other modules (messages, feedback) authorise through it.
 */
export async function getApplicationForActor(db: DbOrTrx, actor: Actor, applicationId: number): Promise<ApplicationContext> {
  if (actor.userId === undefined) throw logInFirst();
  const found = validId(applicationId) ? await selectApplicationContext(db, applicationId) : undefined;
  if (!found) throw notFound();
  authorize(actor, 'application.view', { organisationId: found.organisation.id, applicantId: found.application.applicantId });
  return {
    ...found,
    isApplicant: actor.userId === found.application.applicantId,
    isMember: actor.memberships.has(found.organisation.id),
  };
}

// ---------------------------------------------------------------------------
// Applying

/** What the assignment page offers the reader about applying. */
export type ApplyBox =
  | { kind: 'logIn'; loginUrl: string }
  | { kind: 'member'; applicantsUrl: string }
  | { kind: 'applied'; applicationUrl: string; status: ApplicationStatus }
  | { kind: 'verifyEmail' }
  | { kind: 'form'; action: string; form: ApplyForm; errors: Record<string, string>; reapplying: boolean }
  | { kind: 'none' };

/** The form on the assignment page, or why there is none. Nothing when the assignment is not open. */
export async function getApplyBox(
  db: DbOrTrx,
  actor: Actor,
  assignment: Pick<AssignmentDetail, 'id' | 'title' | 'organisationId' | 'organisationSlug'>,
): Promise<ApplyBox> {
  if (actor.memberships.has(assignment.organisationId))
    return { kind: 'member', applicantsUrl: applicantListPath(assignment.organisationSlug, assignment.id) };
  const own = actor.userId !== undefined ? await selectOwnApplication(db, assignment.id, actor.userId) : undefined;
  if (own && own.status !== 'withdrawn') return { kind: 'applied', applicationUrl: applicationPath(own.id), status: own.status };
  const state = await selectAssignmentState(db, assignment.id);
  if (!state?.open) return { kind: 'none' };
  const path = assignmentPath(assignment);
  // Back to the assignment after logging in (the login form accepts only paths inside the site).
  if (actor.userId === undefined) return { kind: 'logIn', loginUrl: `/logga-in?next=${encodeURIComponent(path)}` };
  if (!actor.emailVerified) return { kind: 'verifyEmail' };
  return { kind: 'form', action: `${path}/ansok`, form: emptyApplyForm(), errors: {}, reapplying: own !== undefined };
}

/** Refused for a reason the applicant should read: unverified e-mail, or the own organisation's assignment. */
function applyRefusal(actor: Actor, organisationId: number): AppError {
  if (actor.userId === undefined) return logInFirst();
  if (actor.memberships.has(organisationId)) return new AppError('forbidden', 'applications.errors.ownOrganisation');
  return new AppError('forbidden', 'applications.errors.verifyEmail');
}

/**
 * Sends an application (or sends a withdrawn one again) to an open
 * assignment and tells the organisation's members. Returns its id. The
 * assignment row is share-locked so it cannot close or fill up meanwhile.
 */
export async function applyToAssignment(
  db: DbOrTrx,
  actor: Actor,
  assignmentId: number,
  body: Record<string, unknown>,
): Promise<{ applicationId: number; assignment: AssignmentDetail }> {
  if (actor.userId === undefined) throw logInFirst();
  const assignment = await getPublicAssignment(db, assignmentId);
  if (!can(actor, 'application.create', { organisationId: assignment.organisationId }))
    throw Object.assign(applyRefusal(actor, assignment.organisationId), { refusedAction: 'application.create' });
  const { form, values, errors } = parseApplyForm(body);
  if (!values) throw new FormError(errors, form);
  const applicantId = actor.userId;

  const applicationId = await inApplicationTransaction(db, async (trx) => {
    const state = await selectAssignmentState(trx, assignment.id, 'share');
    if (!state?.open) throw conflict('notOpen');
    const id = await upsertApplication(trx, { assignmentId: assignment.id, applicantId, ...values });
    if (id === undefined) {
      const own = await selectOwnApplication(trx, assignment.id, applicantId);
      throw conflict('alreadyApplied', { applicationId: String(own?.id ?? '') });
    }
    const applicantName = await selectUserName(trx, applicantId);
    await notify(trx, {
      userIds: (await selectMemberIds(trx, assignment.organisationId)).filter((userId) => userId !== applicantId),
      type: 'application_received',
      link: applicantListPath(assignment.organisationSlug, assignment.id),
      params: { assignment: assignment.title, applicant: applicantName ?? '' },
    });
    return id;
  });
  return { applicationId, assignment };
}

// ---------------------------------------------------------------------------
// The applicant withdraws

/** Open, or accepted for work not yet done: work that is done stays done. */
export const canBeWithdrawn = ({ application, assignment }: Pick<ApplicationContext, 'application' | 'assignment'>) =>
  ['submitted', 'shortlisted', 'accepted'].includes(application.status) &&
  !(application.status === 'accepted' && assignment.status === 'completed');

/** What the confirmation step of withdrawing shows: the applicant's own application, while it can be withdrawn. */
export async function getWithdrawalToConfirm(db: DbOrTrx, actor: Actor, applicationId: number): Promise<ApplicationContext> {
  const context = await getApplicationForActor(db, actor, applicationId);
  authorize(actor, 'application.withdraw', { applicantId: context.application.applicantId });
  if (!canBeWithdrawn(context)) throw conflict('state');
  return context;
}

/** From submitted, shortlisted or accepted; an accepted place is freed, and a full assignment opens again. */
export async function withdrawApplication(db: DbOrTrx, actor: Actor, applicationId: number): Promise<ApplicationContext> {
  const context = await getApplicationForActor(db, actor, applicationId);
  const { application, assignment, organisation } = context;
  authorize(actor, 'application.withdraw', { applicantId: application.applicantId });
  await inApplicationTransaction(db, async (trx) => {
    const state = await selectAssignmentState(trx, assignment.id, 'update');
    const current = await lockApplication(trx, application.id);
    if (!state || !current || !['submitted', 'shortlisted', 'accepted'].includes(current.status)) throw conflict('state');
    // Work that is done stays done: its accepted worker cannot step back afterwards.
    if (current.status === 'accepted' && state.status === 'completed') throw conflict('state');
    await updateApplication(trx, application.id, { status: 'withdrawn' });
    if (current.status === 'accepted' && state.status === 'assigned') {
      await setAssignmentStatus(trx, assignment.id, state.applyByPassed ? 'closed' : 'published');
      await enqueueIndexUpdate(trx, assignment.id);
    }
    await notify(trx, {
      userIds: (await selectMemberIds(trx, organisation.id)).filter((userId) => userId !== actor.userId),
      type: 'application_withdrawn',
      link: applicantListPath(organisation.slug, assignment.id),
      params: { assignment: assignment.title, applicant: application.applicantName },
    });
  });
  return context;
}

// ---------------------------------------------------------------------------
// The organisation decides

/** The application, when the actor is a member of its organisation (403 for the applicant). */
async function forReview(db: DbOrTrx, actor: Actor, applicationId: number): Promise<ApplicationContext> {
  const context = await getApplicationForActor(db, actor, applicationId);
  authorize(actor, 'application.review', { organisationId: context.organisation.id });
  return context;
}

/** Shortlists a submitted application, or puts a shortlisted one back in the list; with the new status. */
export async function toggleShortlist(
  db: DbOrTrx,
  actor: Actor,
  applicationId: number,
): Promise<ApplicationContext & { status: ApplicationStatus }> {
  const context = await forReview(db, actor, applicationId);
  const { application, assignment } = context;
  const status = await inApplicationTransaction(db, async (trx) => {
    await selectAssignmentState(trx, assignment.id, 'update');
    const current = await lockApplication(trx, application.id);
    const next = current?.status === 'submitted' ? 'shortlisted' : current?.status === 'shortlisted' ? 'submitted' : undefined;
    if (!next) throw conflict('state');
    await updateApplication(trx, application.id, { status: next });
    return next;
  });
  return { ...context, status };
}

/**
 * Accepts an application while the assignment is published or closed, never
 * beyond its places: the assignment row is locked and the accepted counted
 * under the lock (the database trigger applications_within_places refuses the
 * same). The last place filled makes the assignment assigned.
 */
export async function acceptApplication(db: DbOrTrx, actor: Actor, applicationId: number): Promise<ApplicationContext> {
  const context = await forReview(db, actor, applicationId);
  const { application, assignment, organisation } = context;
  await inApplicationTransaction(db, async (trx) => {
    const state = await selectAssignmentState(trx, assignment.id, 'update');
    const current = await lockApplication(trx, application.id);
    if (!state || !current) throw notFound();
    if (current.status !== 'submitted' && current.status !== 'shortlisted') throw conflict('state');
    if (state.status === 'assigned') throw conflict('full');
    if (!(['published', 'closed'] as AssignmentStatus[]).includes(state.status) || assignment.hidden)
      throw conflict('assignmentState');
    const accepted = await countAccepted(trx, assignment.id);
    if (accepted >= state.peopleNeeded) throw conflict('full');
    await updateApplication(trx, application.id, { status: 'accepted', decided: true });
    if (accepted + 1 === state.peopleNeeded) {
      await setAssignmentStatus(trx, assignment.id, 'assigned');
      await enqueueIndexUpdate(trx, assignment.id);
    }
    await notify(trx, {
      userIds: [application.applicantId].filter((userId) => userId !== actor.userId),
      type: 'application_accepted',
      link: applicationPath(application.id),
      params: { assignment: assignment.title, organisation: organisation.name },
    });
  });
  return context;
}

/** Declines a submitted or shortlisted application, with an optional message to the applicant only. */
export async function declineApplication(
  db: DbOrTrx,
  actor: Actor,
  applicationId: number,
  body: Record<string, unknown>,
): Promise<ApplicationContext> {
  const context = await forReview(db, actor, applicationId);
  const { application, assignment, organisation } = context;
  const { form, values, errors } = parseDeclineForm(body);
  if (!values) throw new FormError(errors, form);
  await inApplicationTransaction(db, async (trx) => {
    await selectAssignmentState(trx, assignment.id, 'update');
    const current = await lockApplication(trx, application.id);
    if (current?.status !== 'submitted' && current?.status !== 'shortlisted') throw conflict('state');
    await updateApplication(trx, application.id, { status: 'declined', declineMessage: values.declineMessage, decided: true });
    await notify(trx, {
      userIds: [application.applicantId].filter((userId) => userId !== actor.userId),
      type: 'application_declined',
      link: applicationPath(application.id),
      params: {
        assignment: assignment.title,
        organisation: organisation.name,
        ...(values.declineMessage ? { message: values.declineMessage } : {}),
      },
    });
  });
  return context;
}

// ---------------------------------------------------------------------------
// Pages

export interface ApplicantList {
  organisation: ApplicationOrganisation;
  assignment: { id: number; title: string; status: AssignmentStatus; peopleNeeded: number };
  applications: Application[];
  accepted: number;
}

/** The organisation's applicant list of one of its assignments (members only). */
export async function listApplicants(db: DbOrTrx, actor: Actor, slug: string, assignmentId: number): Promise<ApplicantList> {
  const organisation = /^[a-z0-9-]{1,100}$/.test(slug) ? await selectOrganisationBySlug(db, slug) : undefined;
  if (!organisation) throw notFound();
  authorize(actor, 'application.review', { organisationId: organisation.id });
  const assignment = validId(assignmentId) ? await selectOrganisationAssignment(db, assignmentId, organisation.id) : undefined;
  if (!assignment) throw notFound();
  const applications = await selectApplicationsOf(db, assignment.id);
  return {
    organisation,
    assignment,
    applications,
    accepted: applications.filter((a) => a.status === 'accepted').length,
  };
}

/** "Mina intresseanmälningar": the actor's own applications, newest first. */
export async function listOwnApplications(db: DbOrTrx, actor: Actor): Promise<OwnApplication[]> {
  authorize(actor, 'account.view');
  return selectApplicationsBy(db, actor.userId!);
}

/** The application page: for members also the profile the applicant shares (only while shared). */
export async function getApplicationPage(
  db: DbOrTrx,
  actor: Actor,
  applicationId: number,
): Promise<ApplicationContext & { profile?: SharedProfile }> {
  const context = await getApplicationForActor(db, actor, applicationId);
  const sharedWithActor =
    context.application.shareProfile && can(actor, 'application.review', { organisationId: context.organisation.id });
  return sharedWithActor
    ? { ...context, profile: await selectSharedProfile(db, context.application.applicantId, todayInStockholm()) }
    : context;
}

/** The applicant's CV, to the organisation's members while the application shares it; 404 otherwise. */
export async function getApplicantCv(db: DbOrTrx, storage: Storage, actor: Actor, applicationId: number): Promise<StoredFile> {
  const { application } = await forReview(db, actor, applicationId);
  const key = application.shareProfile ? await selectCvKey(db, application.applicantId) : undefined;
  const file = key ? await storage.get(key) : undefined;
  if (!file) throw notFound();
  return file;
}

/** A transaction whose trigger refusal (more accepted than places, applications_within_places) reads as "full". */
const inApplicationTransaction = <T>(db: DbOrTrx, run: (trx: DbOrTrx) => Promise<T>): Promise<T> =>
  inTransaction(db, run, { constraints: { applications_places: () => conflict('full') } });
