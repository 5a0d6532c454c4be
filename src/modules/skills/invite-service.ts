import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { AppError, FormError, notFound } from '../../platform/errors.js';
import { idSchema } from '../../web/params.js';
import { authorize, can, type Actor } from '../access/index.js';
import { assignmentPath } from '../assignments/index.js';
import { notify } from '../notifications/index.js';
import {
  countInvitesSince,
  insertInvite,
  isOrganisationMember,
  lockInviters,
  selectInvitableAssignments,
  selectInviteTarget,
  selectReceivedInvites,
  type InvitableAssignment,
  type InviteTarget,
  type ReceivedInvite,
} from './invite-queries.js';

// Inviting a person to apply (issue 15, item 5). From a person's card an organisation member invites them to one
// of their organisations' open assignments. Refused (as if the card did not exist: 404) when the profile is hidden
// or not shown to the member; refused with a message when the person does not take invites, was invited to that
// assignment before (a unique index), has applied already, belongs to the organisation, or the limits are reached:
// ORGANISATION_INVITES_PER_DAY per organisation in 24 hours and MEMBER_INVITES_PER_HOUR per member in an hour,
// counted in skill_invites under a lock (429). The person is told by a notification that only they get; the
// organisation sees nothing it did not see on the card (only whether the invite was sent), and nothing in an
// invite reaches anyone else.

export const ORGANISATION_INVITES_PER_DAY = 20;
export const MEMBER_INVITES_PER_HOUR = 5;
/** The most invitations the resident's list shows (newest first). */
export const RECEIVED_INVITES_LIMIT = 100;

const PUBLIC_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const invitePath = (publicId: string) => `/kompetens/person/${publicId}/bjud-in`;

export interface InvitePage {
  publicId: string;
  name: string;
  invitesAllowed: boolean;
  /** The member looks at their own card. */
  self: boolean;
  assignments: InvitableAssignment[];
  /** More than one organisation among the assignments: their names are shown with each. */
  severalOrganisations: boolean;
}

export interface InviteForm {
  assignment: string;
}

/** Organisation members only; visitors to the login. */
function requireMember(actor: Actor): number[] {
  if (actor.memberships.size === 0) authorize(actor, 'competence.invite', {});
  return [...actor.memberships.keys()].filter((organisationId) => can(actor, 'competence.invite', { organisationId }));
}

/** The person behind the card, if the actor may see the card at all (a hidden one never). */
async function loadTarget(db: DbOrTrx, actor: Actor, publicId: unknown): Promise<InviteTarget & { publicId: string }> {
  if (typeof publicId !== 'string' || !PUBLIC_ID.test(publicId)) throw notFound();
  const target = await selectInviteTarget(db, publicId);
  if (
    !target ||
    target.visibility === 'hidden' ||
    !can(actor, 'competence.view', { personId: target.userId, visibility: target.visibility })
  )
    throw notFound();
  return { ...target, publicId };
}

export async function getInvitePage(db: DbOrTrx, actor: Actor, publicId: unknown): Promise<InvitePage> {
  const organisationIds = requireMember(actor);
  const target = await loadTarget(db, actor, publicId);
  const self = target.userId === actor.userId;
  const assignments = target.invitesAllowed && !self ? await selectInvitableAssignments(db, organisationIds, target.userId) : [];
  return {
    publicId: target.publicId,
    name: target.name,
    invitesAllowed: target.invitesAllowed,
    self,
    assignments,
    severalOrganisations: new Set(assignments.map((assignment) => assignment.organisationId)).size > 1,
  };
}

const refuse = (field: string, messageKey: string, code: 'bad_request' | 'conflict', form: InviteForm) =>
  new FormError({ [field]: messageKey }, form, code);

/** Sends the invitation; the assignment's title for the notice. */
export async function invitePerson(
  db: DbOrTrx,
  actor: Actor,
  publicId: unknown,
  body: Record<string, unknown>,
): Promise<{ assignmentTitle: string }> {
  const organisationIds = requireMember(actor);
  const form: InviteForm = { assignment: typeof body.assignment === 'string' ? body.assignment.slice(0, 20) : '' };
  return inTransaction(db, async (trx) => {
    const target = await loadTarget(trx, actor, publicId);
    if (target.userId === actor.userId) throw new AppError('conflict', 'competenceInvites.errors.self');
    if (!target.invitesAllowed) throw refuse('assignment', 'competenceInvites.errors.optedOut', 'conflict', form);
    const assignmentId = idSchema.safeParse(body.assignment).data;
    if (assignmentId === undefined) throw refuse('assignment', 'competenceInvites.errors.chooseAssignment', 'bad_request', form);
    const assignment = (await selectInvitableAssignments(trx, organisationIds, target.userId)).find(
      (candidate) => candidate.id === assignmentId,
    );
    if (!assignment) throw refuse('assignment', 'competenceInvites.errors.chooseAssignment', 'bad_request', form);
    if (await isOrganisationMember(trx, assignment.organisationId, target.userId))
      throw refuse('assignment', 'competenceInvites.errors.member', 'conflict', form);
    if (assignment.alreadyApplied) throw refuse('assignment', 'competenceInvites.errors.alreadyApplied', 'conflict', form);
    if (assignment.alreadyInvited) throw refuse('assignment', 'competenceInvites.errors.alreadyInvited', 'conflict', form);

    await lockInviters(trx, assignment.organisationId, actor.userId!);
    const now = Date.now();
    const byOrganisation = await countInvitesSince(
      trx,
      { organisationId: assignment.organisationId },
      new Date(now - 24 * 3_600_000),
    );
    const byMember = await countInvitesSince(trx, { invitedByUserId: actor.userId! }, new Date(now - 3_600_000));
    if (byOrganisation >= ORGANISATION_INVITES_PER_DAY || byMember >= MEMBER_INVITES_PER_HOUR) {
      const limited = refuse(
        'assignment',
        byOrganisation >= ORGANISATION_INVITES_PER_DAY
          ? 'competenceInvites.errors.organisationLimit'
          : 'competenceInvites.errors.memberLimit',
        'conflict',
        form,
      );
      throw Object.assign(limited, { status: 429 });
    }

    const inviteId = await insertInvite(trx, {
      assignmentId: assignment.id,
      userId: target.userId,
      organisationId: assignment.organisationId,
      invitedByUserId: actor.userId!,
    });
    // Two members inviting at once: the second finds the unique index taken.
    if (inviteId === undefined) throw refuse('assignment', 'competenceInvites.errors.alreadyInvited', 'conflict', form);
    await notify(trx, {
      userIds: [target.userId],
      type: 'skill_invite',
      link: assignmentPath({ id: assignment.id, title: assignment.title }),
      params: { organisation: assignment.organisationName, assignment: assignment.title },
    });
    return { assignmentTitle: assignment.title };
  });
}

/** The resident's own invitations (competence.manage: one's own, any account). */
export async function listReceivedInvites(db: DbOrTrx, actor: Actor): Promise<ReceivedInvite[]> {
  authorize(actor, 'competence.manage');
  return selectReceivedInvites(db, actor.userId!, RECEIVED_INVITES_LIMIT);
}
