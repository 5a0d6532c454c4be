import type { DbOrTrx } from '../../platform/db.js';
import type { SkillKind } from './vocabulary-queries.js';

// Confirmed skills after completed work (issue 15, item 3): the completed assignment, its accepted workers with
// whether the organisation has rated them yet (the feedback module's table), the skills that may be confirmed (the
// worker's own and the assignment's asked-for ones) and the confirmations already given.

export interface ConfirmAssignmentRow {
  id: number;
  title: string;
  status: string;
  organisationId: number;
  organisationName: string;
}

export async function selectConfirmAssignment(db: DbOrTrx, assignmentId: number): Promise<ConfirmAssignmentRow | undefined> {
  return db('assignments as a')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .where('a.id', assignmentId)
    .first({ id: 'a.id', title: 'a.title', status: 'a.status', organisationId: 'a.organisation_id', organisationName: 'o.name' });
}

export interface AcceptedWorkerRow {
  applicationId: number;
  userId: number;
  name: string;
  /** The organisation has given its feedback about this worker (the feedback module's 'about_resident'). */
  feedbackGiven: boolean;
}

export async function selectAcceptedWorkers(db: DbOrTrx, assignmentId: number): Promise<AcceptedWorkerRow[]> {
  const rows = (await db('applications as a')
    .join('users as u', 'u.id', 'a.applicant_id')
    .leftJoin('feedback as f', (join) => join.on('f.application_id', 'a.id').andOnVal('f.direction', 'about_resident'))
    .where({ 'a.assignment_id': assignmentId, 'a.status': 'accepted' })
    .orderBy('a.id')
    .select({ applicationId: 'a.id', userId: 'a.applicant_id', name: 'u.name', feedbackId: 'f.id' })) as Array<
    Omit<AcceptedWorkerRow, 'feedbackGiven'> & { feedbackId: number | null }
  >;
  return rows.map(({ feedbackId, ...row }) => ({ ...row, feedbackGiven: feedbackId !== null }));
}

export interface ConfirmableSkill {
  skillId: number;
  kind: SkillKind;
  nameSv: string;
  nameEn: string;
}

const LIVE_SKILL = 'coalesce(s.merged_into_id, s.id)';

/** The skills, certificates and languages on these workers' profiles (a merged one as the skill it became). */
export async function selectWorkerSkills(
  db: DbOrTrx,
  userIds: readonly number[],
): Promise<Array<ConfirmableSkill & { userId: number }>> {
  if (userIds.length === 0) return [];
  return (await db('resident_skills as rs')
    .join('skills as s', 's.id', 'rs.skill_id')
    .join('skills as live', 'live.id', db.raw(LIVE_SKILL))
    .whereIn('rs.user_id', userIds)
    .distinct({ userId: 'rs.user_id', skillId: 'live.id', kind: 'live.kind', nameSv: 'live.name_sv', nameEn: 'live.name_en' })
    .orderBy('nameSv')) as Array<ConfirmableSkill & { userId: number }>;
}

/** The skills the assignment asked for (assignment_skills). */
export async function selectAskedSkills(db: DbOrTrx, assignmentId: number): Promise<ConfirmableSkill[]> {
  const { rows } = await db.raw<{ rows: ConfirmableSkill[] }>(
    `SELECT DISTINCT live.id AS "skillId", live.kind, live.name_sv AS "nameSv", live.name_en AS "nameEn"
     FROM assignment_skills ak
     JOIN skills s ON s.id = ak.skill_id
     JOIN skills live ON live.id = ${LIVE_SKILL}
     WHERE ak.assignment_id = ?
     ORDER BY "nameSv"`,
    [assignmentId],
  );
  return rows;
}

/** The confirmations already given for the assignment: "userId:skillId". */
export async function selectConfirmedPairs(db: DbOrTrx, assignmentId: number): Promise<Set<string>> {
  const rows = (await db('skill_confirmations').where('assignment_id', assignmentId).select('user_id', 'skill_id')) as Array<{
    user_id: number;
    skill_id: number;
  }>;
  return new Set(rows.map((row) => `${row.user_id}:${row.skill_id}`));
}

/** Inserts the confirmations not given before (the unique index keeps one per assignment, person and skill). */
export async function insertConfirmations(
  db: DbOrTrx,
  rows: ReadonlyArray<{ userId: number; skillId: number }>,
  by: { assignmentId: number; organisationId: number; confirmedByUserId: number },
): Promise<Array<{ userId: number; skillId: number }>> {
  if (rows.length === 0) return [];
  const inserted = (await db('skill_confirmations')
    .insert(
      rows.map((row) => ({
        user_id: row.userId,
        skill_id: row.skillId,
        assignment_id: by.assignmentId,
        organisation_id: by.organisationId,
        confirmed_by_user_id: by.confirmedByUserId,
      })),
    )
    .onConflict(['assignment_id', 'user_id', 'skill_id'])
    .ignore()
    .returning(['user_id', 'skill_id'])) as Array<{ user_id: number; skill_id: number }>;
  return inserted.map((row) => ({ userId: Number(row.user_id), skillId: row.skill_id }));
}
