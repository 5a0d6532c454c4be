import type { DbOrTrx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { isPayrollStaff, selectMemberships, selectOfficerMunicipalityCodes } from './queries.js';

// Who may do what: the one place where rights are decided. Services call
// `authorize` before they read or change an object; routes never decide.
// Roles are in PRODUCT.md ("Who uses it").

export type MemberRole = 'admin' | 'member';

// Every request carries the actor the services decide for (set by web/auth.ts's actorLocals, which app.ts hands
// loadActor: web/ imports no module).
declare module 'express-serve-static-core' {
  interface Request {
    actor: Actor;
  }
}

export interface Actor {
  /** Undefined for a visitor. */
  userId?: number;
  isAdmin: boolean;
  emailVerified: boolean;
  /** organisation id → role */
  memberships: ReadonlyMap<number, MemberRole>;
  /** municipality codes the user is an officer for */
  officerOf: ReadonlySet<string>;
  /** Payroll staff of the operator: payments, salaries, the full personnummer (every view audited). */
  isPayroll: boolean;
}

export const VISITOR: Actor = Object.freeze({
  isAdmin: false,
  emailVerified: false,
  memberships: new Map<number, MemberRole>(),
  officerOf: new Set<string>(),
  isPayroll: false,
});

export type Action =
  | 'account.view' // the own account pages
  | 'savedSearch.manage' // save searches with e-mail alerts; each person only their own (the service scopes by owner: 404)
  | 'organisation.create'
  | 'organisation.edit'
  | 'organisation.members.view'
  | 'organisation.members.manage'
  | 'organisation.verify'
  | 'organisation.join' // accept an invitation to an organisation
  | 'admin.view'
  | 'assignment.create' // post an assignment for an organisation
  | 'assignment.edit' // edit, preview, publish, cancel, close the organisation's assignments
  | 'assignment.review' // approve an unverified organisation's assignment
  | 'assignment.report' // report an assignment to the moderators (anyone, visitors too)
  | 'moderation.manage' // the moderation queue: hide/restore assignments, dismiss reports, warn/suspend organisations
  | 'officer.appoint'
  | 'statistics.view'
  | 'feedback.aboutResident' // rate the resident of an accepted application (the organisation's members)
  | 'feedback.aboutOrganisation' // rate the organisation of an accepted application (the applicant)
  | 'application.create' // apply to an assignment of another organisation
  | 'application.view' // an application's page and its message thread: the applicant and the organisation's members
  | 'application.withdraw' // the applicant's own application
  | 'application.review' // the organisation's members: applicant list, applicant's shared profile and CV, shortlist, accept, decline
  | 'operator.manage' // the operator's settings (dated versions) and who is payroll staff: platform admins
  | 'enterprise.activate' // one's own simplified-enterprise account (a verified e-mail: invoices and payslips go there)
  | 'billing.submit' // the worker's billing basis for their own accepted application
  | 'billing.approve' // the organisation's members approve or dispute a basis, and see its invoices
  | 'billing.viewWorker' // the worker sees their own bases, invoices and payslips
  | 'payroll.manage' // payroll staff: payments, the bank file, the queue, salaries
  | 'personalNumber.view' // the full personnummer: the person and payroll staff, every view audited
  | 'competence.manage' // one's own competence profile: skills, certificates, languages, offers, wishes, visibility
  | 'competence.view' // a person's competence profile and card, by the visibility they chose (resource: personId, visibility)
  | 'competence.confirm' // confirm the skills used in a completed assignment: the organisation's members
  | 'competence.invite' // invite a person to apply to one of the organisation's open assignments: its members
  | 'competence.vocabulary'; // the skill vocabulary: merge free tags into skills (platform admins)

/** Who sees a resident's competence profile (issue 15): no one but themselves, organisation members, or everyone. */
export type CompetenceVisibility = 'hidden' | 'organisations' | 'public';

/**
 * The visibilities of other people's competence profiles the actor may see (in search, on cards and pages): a member
 * of any organisation sees those shown to organisations and to everyone; everyone else (visitors, residents,
 * officers, platform admins as such) only the public ones. A hidden profile is seen by its owner alone.
 */
export function competenceVisibilitiesFor(actor: Actor): CompetenceVisibility[] {
  return actor.memberships.size > 0 ? ['organisations', 'public'] : ['public'];
}

export interface Resource {
  organisationId?: number;
  municipalityCode?: string;
  /** The person an application (and its thread) belongs to. */
  applicantId?: number;
  /** The worker a billing basis, invoice, salary or enterprise account belongs to. */
  workerId?: number;
  /** The resident a competence profile belongs to, and who they chose to show it to. */
  personId?: number;
  visibility?: CompetenceVisibility;
}

export function can(actor: Actor, action: Action, resource: Resource = {}): boolean {
  const member = resource.organisationId !== undefined ? actor.memberships.get(resource.organisationId) : undefined;
  switch (action) {
    case 'account.view':
      return actor.userId !== undefined;
    case 'savedSearch.manage':
      // Any account, platform admins and officers too: a saved search is a private convenience.
      return actor.userId !== undefined;
    case 'organisation.create':
      // A verified e-mail: organisations are billed and contacted by it.
      return actor.userId !== undefined && actor.emailVerified;
    case 'organisation.join':
      // The invite link proves the invited mailbox; a verified e-mail on the
      // account proves the address the organisation will write to from now on.
      return actor.userId !== undefined && actor.emailVerified;
    case 'organisation.edit':
    case 'organisation.members.manage':
      return member === 'admin' || actor.isAdmin;
    case 'organisation.members.view':
      return member !== undefined || actor.isAdmin;
    case 'assignment.create':
    case 'assignment.edit':
      return member !== undefined;
    case 'organisation.verify':
    case 'admin.view':
    case 'officer.appoint':
    case 'assignment.review':
    case 'moderation.manage':
      return actor.isAdmin;
    case 'assignment.report':
      // Anyone who can see an assignment may report it; abuse is held back by rate limits.
      return true;
    case 'application.create':
      // A verified e-mail: the organisation will contact the applicant by it. Never to one's own organisation.
      return actor.userId !== undefined && actor.emailVerified && member === undefined;
    // Applications are private between the applicant and the organisation: platform admins are no party.
    case 'application.view':
      return member !== undefined || (actor.userId !== undefined && actor.userId === resource.applicantId);
    case 'application.withdraw':
      return actor.userId !== undefined && actor.userId === resource.applicantId;
    case 'application.review':
      return member !== undefined;
    // Only the two sides of the work: platform admins did not take part and give no feedback.
    case 'feedback.aboutResident':
      return member !== undefined;
    case 'feedback.aboutOrganisation':
      return actor.userId !== undefined && actor.userId === resource.applicantId;
    case 'operator.manage':
      return actor.isAdmin;
    case 'enterprise.activate':
      return actor.userId !== undefined && actor.emailVerified;
    case 'billing.submit':
    case 'billing.viewWorker':
      return actor.userId !== undefined && actor.userId === resource.workerId;
    case 'billing.approve':
      return member !== undefined;
    case 'payroll.manage':
      return actor.isPayroll;
    case 'personalNumber.view':
      return actor.isPayroll || (actor.userId !== undefined && actor.userId === resource.workerId);
    case 'competence.manage':
      return actor.userId !== undefined;
    case 'competence.view':
      if (actor.userId !== undefined && actor.userId === resource.personId) return true;
      return resource.visibility !== undefined && competenceVisibilitiesFor(actor).includes(resource.visibility);
    case 'competence.confirm':
    case 'competence.invite':
      return member !== undefined;
    case 'competence.vocabulary':
      return actor.isAdmin;
    case 'statistics.view':
      if (actor.isAdmin) return true;
      return resource.municipalityCode === undefined ? actor.officerOf.size > 0 : actor.officerOf.has(resource.municipalityCode);
  }
}

// Admin and officer areas do not exist for anyone else: 404, not 403, so their
// existence is not advertised.
const HIDDEN_WHEN_FORBIDDEN: ReadonlySet<Action> = new Set([
  'admin.view',
  'assignment.review',
  'moderation.manage',
  'officer.appoint',
  'organisation.verify',
  'statistics.view',
  'operator.manage',
  'payroll.manage',
  'application.view', // whether an application exists is nobody else's business
]);

/** Throws unless `can` says yes: 404 for hidden areas, 401-like redirect is the route's job for visitors, 403 otherwise. */
export function authorize(actor: Actor, action: Action, resource: Resource = {}): void {
  if (can(actor, action, resource)) return;
  const error = HIDDEN_WHEN_FORBIDDEN.has(action)
    ? new AppError('not_found', 'Not found')
    : actor.userId === undefined
      ? new AppError('unauthenticated', 'Log in first')
      : new AppError('forbidden', 'errors.forbidden');
  // Marked so the error handler can log the refusal (the 404 looks like any other to the user).
  throw Object.assign(error, { refusedAction: action });
}

export async function loadActor(
  db: DbOrTrx,
  user: { id: number; isAdmin: boolean; emailVerified: boolean } | undefined,
): Promise<Actor> {
  if (!user) return VISITOR;
  const [memberships, officerOf, isPayroll] = await Promise.all([
    selectMemberships(db, user.id),
    selectOfficerMunicipalityCodes(db, user.id),
    isPayrollStaff(db, user.id),
  ]);
  return {
    userId: user.id,
    isAdmin: user.isAdmin,
    emailVerified: user.emailVerified,
    memberships: new Map(memberships.map((m) => [m.organisationId, m.role])),
    officerOf: new Set(officerOf),
    isPayroll,
  };
}
