import type { DbOrTrx } from '../../platform/db.js';
import { SQL_TODAY_IN_STOCKHOLM } from '../../platform/calendar.js';
import { openAssignments } from '../assignments/index.js';
import type { CompetenceVisibility } from '../access/index.js';

// Invitations to apply (issue 15, item 5): the person behind a card's public id, the open assignments an
// organisation member may invite them to, the counts the rate limits read, and the resident's own invitations.

export interface InviteTarget {
  userId: number;
  name: string;
  visibility: CompetenceVisibility;
  invitesAllowed: boolean;
}

/** The resident behind a card's public id (already checked to be a UUID). */
export async function selectInviteTarget(db: DbOrTrx, publicId: string): Promise<InviteTarget | undefined> {
  return db('resident_profiles as p')
    .join('users as u', 'u.id', 'p.user_id')
    .where('p.public_id', publicId)
    .first({ userId: 'p.user_id', name: 'u.name', visibility: 'p.visibility', invitesAllowed: 'p.invites_allowed' });
}

export interface InvitableAssignment {
  id: number;
  title: string;
  organisationId: number;
  organisationName: string;
  applyBy: string | null;
  alreadyInvited: boolean;
  alreadyApplied: boolean;
}

/**
 * The open assignments (published, not hidden, organisation not suspended, last day to apply not passed: the
 * assignments module's one definition) of these organisations, each with whether this person was invited to it or
 * applied already.
 */
export async function selectInvitableAssignments(
  db: DbOrTrx,
  organisationIds: readonly number[],
  userId: number,
): Promise<InvitableAssignment[]> {
  if (organisationIds.length === 0) return [];
  const rows = (await openAssignments(db)
    .whereIn('a.organisation_id', organisationIds)
    .orderBy([{ column: 'o.name' }, { column: 'a.published_at', order: 'desc' }, { column: 'a.id', order: 'desc' }])
    .select({
      id: 'a.id',
      title: 'a.title',
      organisationId: 'a.organisation_id',
      organisationName: 'o.name',
      applyBy: 'a.apply_by',
      alreadyInvited: db.raw('EXISTS (SELECT 1 FROM skill_invites i WHERE i.assignment_id = a.id AND i.user_id = ?)', [userId]),
      alreadyApplied: db.raw('EXISTS (SELECT 1 FROM applications ap WHERE ap.assignment_id = a.id AND ap.applicant_id = ?)', [
        userId,
      ]),
    })) as InvitableAssignment[];
  return rows;
}

/** Serialises invitations of one organisation and one member, so two at once cannot both pass a limit. */
export async function lockInviters(db: DbOrTrx, organisationId: number, memberId: number): Promise<void> {
  await db.raw('SELECT 1 FROM organisations WHERE id = ? FOR UPDATE', [organisationId]);
  await db.raw('SELECT 1 FROM users WHERE id = ? FOR UPDATE', [memberId]);
}

export async function countInvitesSince(
  db: DbOrTrx,
  by: { organisationId: number } | { invitedByUserId: number },
  since: Date,
): Promise<number> {
  const query = db('skill_invites').where('created_at', '>', since);
  if ('organisationId' in by) query.where('organisation_id', by.organisationId);
  else query.where('invited_by_user_id', by.invitedByUserId);
  const row = (await query.first({ count: db.raw('count(*)::int') })) as { count: number } | undefined;
  return row?.count ?? 0;
}

/** The new invitation's id, or undefined when this person was invited to this assignment before. */
export async function insertInvite(
  db: DbOrTrx,
  invite: { assignmentId: number; userId: number; organisationId: number; invitedByUserId: number },
): Promise<number | undefined> {
  const [row] = (await db('skill_invites')
    .insert({
      assignment_id: invite.assignmentId,
      user_id: invite.userId,
      organisation_id: invite.organisationId,
      invited_by_user_id: invite.invitedByUserId,
    })
    .onConflict(['assignment_id', 'user_id'])
    .ignore()
    .returning('id')) as Array<{ id: number }>;
  return row?.id;
}

export interface ReceivedInvite {
  assignmentId: number;
  title: string;
  organisationName: string;
  organisationSlug: string;
  createdAt: Date;
  /** Still open for applications. */
  open: boolean;
  applied: boolean;
}

/** The resident's invitations, newest first (not those to assignments moderation hid). */
export async function selectReceivedInvites(db: DbOrTrx, userId: number, limit: number): Promise<ReceivedInvite[]> {
  return (await db('skill_invites as i')
    .join('assignments as a', 'a.id', 'i.assignment_id')
    .join('organisations as o', 'o.id', 'i.organisation_id')
    .where('i.user_id', userId)
    .whereNull('a.hidden_at')
    .orderBy([
      { column: 'i.created_at', order: 'desc' },
      { column: 'i.id', order: 'desc' },
    ])
    .limit(limit)
    .select({
      assignmentId: 'a.id',
      title: 'a.title',
      organisationName: 'o.name',
      organisationSlug: 'o.slug',
      createdAt: 'i.created_at',
      open: db.raw(
        `a.status = 'published' AND o.suspended_at IS NULL AND (a.apply_by IS NULL OR a.apply_by >= (SELECT ${SQL_TODAY_IN_STOCKHOLM}))`,
      ),
      applied: db.raw('EXISTS (SELECT 1 FROM applications ap WHERE ap.assignment_id = a.id AND ap.applicant_id = i.user_id)'),
    })) as ReceivedInvite[];
}

/** Whether the person is a member of the organisation (who may not apply to its assignments, so is not invited). */
export async function isOrganisationMember(db: DbOrTrx, organisationId: number, userId: number): Promise<boolean> {
  return (
    (await db('organisation_members').where({ organisation_id: organisationId, user_id: userId }).first('user_id')) !== undefined
  );
}
