import { SQL_TODAY_IN_STOCKHOLM } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import { PUBLIC_STATUSES, type AssignmentStatus, type CompensationType } from '../assignments/index.js';

export const APPLICATION_STATUSES = ['submitted', 'shortlisted', 'accepted', 'declined', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export interface Application {
  id: number;
  assignmentId: number;
  applicantId: number;
  applicantName: string;
  message: string;
  shareProfile: boolean;
  status: ApplicationStatus;
  declineMessage: string | null;
  decidedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApplicationAssignment {
  id: number;
  title: string;
  status: AssignmentStatus;
  peopleNeeded: number;
  applyBy: string | null;
  /** What the accepted applicant is told about when the work starts and how it is paid. */
  startsOn: string | null;
  endsOn: string | null;
  compensationType: CompensationType;
  organisationId: number;
  /** Hidden by the moderators: its applications stay readable to both sides. */
  hidden: boolean;
}

export interface ApplicationOrganisation {
  id: number;
  slug: string;
  name: string;
}

const APPLICATION_COLUMNS = {
  id: 'ap.id',
  assignmentId: 'ap.assignment_id',
  applicantId: 'ap.applicant_id',
  applicantName: 'u.name',
  message: 'ap.message',
  shareProfile: 'ap.share_profile',
  status: 'ap.status',
  declineMessage: 'ap.decline_message',
  decidedAt: 'ap.decided_at',
  createdAt: 'ap.created_at',
  updatedAt: 'ap.updated_at',
};

const applications = (db: DbOrTrx) => db('applications as ap').join('users as u', 'u.id', 'ap.applicant_id');

/** One application with its assignment and the assignment's organisation. */
export async function selectApplicationContext(
  db: DbOrTrx,
  id: number,
): Promise<{ application: Application; assignment: ApplicationAssignment; organisation: ApplicationOrganisation } | undefined> {
  const row = await applications(db)
    .join('assignments as a', 'a.id', 'ap.assignment_id')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .where('ap.id', id)
    .first({
      ...APPLICATION_COLUMNS,
      assignmentTitle: 'a.title',
      assignmentStatus: 'a.status',
      peopleNeeded: 'a.people_needed',
      applyBy: 'a.apply_by',
      startsOn: 'a.starts_on',
      endsOn: 'a.ends_on',
      compensationType: 'a.compensation_type',
      organisationId: 'o.id',
      hidden: db.raw('a.hidden_at IS NOT NULL'),
      organisationSlug: 'o.slug',
      organisationName: 'o.name',
    });
  if (!row) return undefined;
  const {
    assignmentTitle,
    assignmentStatus,
    peopleNeeded,
    applyBy,
    startsOn,
    endsOn,
    compensationType,
    organisationId,
    hidden,
    organisationSlug,
    organisationName,
    ...application
  } = row;
  return {
    application: application as Application,
    assignment: {
      id: application.assignmentId,
      title: assignmentTitle,
      status: assignmentStatus,
      peopleNeeded,
      applyBy,
      startsOn,
      endsOn,
      compensationType,
      organisationId,
      hidden,
    },
    organisation: { id: organisationId, slug: organisationSlug, name: organisationName },
  };
}

/**
 * The assignment's state as applications see it; inside a transaction locked
 * for a change of its applications ('update') or to keep its state while
 * applying ('share').
 */
export async function selectAssignmentState(
  trx: DbOrTrx,
  id: number,
  lock?: 'update' | 'share',
): Promise<{ id: number; status: AssignmentStatus; peopleNeeded: number; open: boolean; applyByPassed: boolean } | undefined> {
  const query = trx('assignments')
    .where('id', id)
    .first({
      id: 'id',
      status: 'status',
      peopleNeeded: 'people_needed',
      // The last day to apply is a Swedish calendar day (as in expiry.ts).
      applyByPassed: trx.raw(`coalesce(apply_by < ${SQL_TODAY_IN_STOCKHOLM}, false)`),
      open: trx.raw(`status = 'published' AND hidden_at IS NULL AND (apply_by IS NULL OR apply_by >= ${SQL_TODAY_IN_STOCKHOLM})`),
    });
  if (lock === 'update') query.forUpdate();
  if (lock === 'share') query.forShare();
  return query;
}

export async function lockApplication(trx: DbOrTrx, id: number): Promise<{ status: ApplicationStatus } | undefined> {
  return trx('applications').where('id', id).forUpdate().first('status');
}

export async function countAccepted(db: DbOrTrx, assignmentId: number): Promise<number> {
  const [row] = await db('applications')
    .where({ assignment_id: assignmentId, status: 'accepted' })
    .count<{ count: string }[]>({ count: '*' });
  return Number(row?.count ?? 0);
}

/**
 * A new application, or a withdrawn one sent again (the same row comes back
 * as submitted). Undefined when the resident has an application that is not
 * withdrawn: the unique index decides, so two submits at once cannot both pass.
 */
export async function upsertApplication(
  trx: DbOrTrx,
  values: { assignmentId: number; applicantId: number; message: string; shareProfile: boolean },
): Promise<number | undefined> {
  const [row] = (await trx('applications')
    .insert({
      assignment_id: values.assignmentId,
      applicant_id: values.applicantId,
      message: values.message,
      share_profile: values.shareProfile,
      status: 'submitted',
    })
    .onConflict(['assignment_id', 'applicant_id'])
    .merge({
      message: values.message,
      share_profile: values.shareProfile,
      status: 'submitted',
      decline_message: null,
      decided_at: null,
      created_at: trx.fn.now(),
      updated_at: trx.fn.now(),
    })
    .where('applications.status', 'withdrawn')
    .returning('id')) as Array<{ id: number }>;
  return row?.id;
}

export async function updateApplication(
  trx: DbOrTrx,
  id: number,
  changes: { status: ApplicationStatus; declineMessage?: string | null; decided?: boolean },
): Promise<void> {
  await trx('applications')
    .where('id', id)
    .update({
      status: changes.status,
      ...(changes.declineMessage !== undefined ? { decline_message: changes.declineMessage } : {}),
      ...(changes.decided ? { decided_at: trx.fn.now() } : {}),
      updated_at: trx.fn.now(),
    });
}

export async function setAssignmentStatus(trx: DbOrTrx, id: number, status: AssignmentStatus): Promise<void> {
  await trx('assignments').where('id', id).update({ status, updated_at: trx.fn.now() });
}

export async function selectMemberIds(db: DbOrTrx, organisationId: number): Promise<number[]> {
  return (await db('organisation_members').where('organisation_id', organisationId).pluck('user_id')) as number[];
}

/** The actor's own application to an assignment, if any. */
export async function selectOwnApplication(
  db: DbOrTrx,
  assignmentId: number,
  applicantId: number,
): Promise<{ id: number; status: ApplicationStatus } | undefined> {
  return db('applications').where({ assignment_id: assignmentId, applicant_id: applicantId }).first('id', 'status');
}

/** Every application to an assignment, oldest first (the order they came in). */
export async function selectApplicationsOf(db: DbOrTrx, assignmentId: number): Promise<Application[]> {
  return (await applications(db)
    .where('ap.assignment_id', assignmentId)
    .orderBy([
      { column: 'ap.created_at', order: 'asc' },
      { column: 'ap.id', order: 'asc' },
    ])
    .select(APPLICATION_COLUMNS)) as Application[];
}

export interface OwnApplication {
  id: number;
  status: ApplicationStatus;
  createdAt: Date;
  assignmentId: number;
  assignmentTitle: string;
  assignmentStatus: AssignmentStatus;
  /** Whether the assignment's public page can be opened. */
  assignmentPublic: boolean;
  organisationName: string;
}

/** "Mina intresseanmälningar": the resident's applications, newest first. */
export async function selectApplicationsBy(db: DbOrTrx, applicantId: number): Promise<OwnApplication[]> {
  return (await db('applications as ap')
    .join('assignments as a', 'a.id', 'ap.assignment_id')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .where('ap.applicant_id', applicantId)
    .orderBy([
      { column: 'ap.created_at', order: 'desc' },
      { column: 'ap.id', order: 'desc' },
    ])
    .limit(500)
    .select({
      id: 'ap.id',
      status: 'ap.status',
      createdAt: 'ap.created_at',
      assignmentId: 'a.id',
      assignmentTitle: 'a.title',
      assignmentStatus: 'a.status',
      assignmentPublic: db.raw(`a.hidden_at IS NULL AND a.status = ANY(?)`, [PUBLIC_STATUSES as unknown as string[]]),
      organisationName: 'o.name',
    })) as OwnApplication[];
}

/** One of the applicant's skills, certificates or languages, as the shared profile shows it. */
export interface SharedSkill {
  kind: 'skill' | 'certificate' | 'language';
  nameSv: string;
  nameEn: string;
  level: 'beginner' | 'experienced' | 'can_teach' | null;
  /** YYYY-MM-DD, certificates only. */
  expiresOn: string | null;
  expired: boolean;
  /** Confirmations by organisations after completed work that the resident has not hidden. */
  confirmations: number;
}

export interface SharedProfile {
  bio: string;
  /** Empty while the resident keeps their competence profile hidden (it is then seen by no one else). */
  skills: SharedSkill[];
  availability: string;
  drivingLicence: boolean;
  categorySlugs: string[];
  localityNames: string[];
  hasCv: boolean;
}

/** What an applicant shares with the organisation along with the application. */
export async function selectSharedProfile(db: DbOrTrx, userId: number, today: string): Promise<SharedProfile> {
  const [row, categorySlugs, localityNames, skills] = await Promise.all([
    db('resident_profiles').where('user_id', userId).first('bio', 'availability', 'driving_licence', 'cv_key'),
    db('resident_categories as rc')
      .join('categories as c', 'c.id', 'rc.category_id')
      .where('rc.user_id', userId)
      .orderBy('c.slug')
      .pluck('c.slug'),
    db('resident_localities as rl')
      .join('localities as l', 'l.id', 'rl.locality_id')
      .where('rl.user_id', userId)
      .orderBy('l.name')
      .pluck('l.name'),
    selectSharedSkills(db, userId, today),
  ]);
  return {
    bio: row?.bio ?? '',
    skills,
    availability: row?.availability ?? '',
    drivingLicence: row?.driving_licence ?? false,
    categorySlugs: categorySlugs as string[],
    localityNames: localityNames as string[],
    hasCv: row?.cv_key != null,
  };
}

/** The competence the applicant shows organisations: nothing while their visibility is 'hidden'. */
async function selectSharedSkills(db: DbOrTrx, userId: number, today: string): Promise<SharedSkill[]> {
  const { rows } = await db.raw<{ rows: SharedSkill[] }>(
    `SELECT s.kind, s.name_sv AS "nameSv", s.name_en AS "nameEn", rs.level,
       to_char(rs.expires_on, 'YYYY-MM-DD') AS "expiresOn",
       coalesce(rs.expires_on < CAST(:today AS date), false) AS expired,
       (SELECT count(*)::int FROM skill_confirmations sc
         WHERE sc.user_id = rs.user_id AND sc.skill_id = rs.skill_id AND NOT sc.hidden) AS confirmations
     FROM resident_skills rs
     JOIN skills s ON s.id = rs.skill_id
     JOIN resident_profiles p ON p.user_id = rs.user_id AND p.visibility <> 'hidden'
     WHERE rs.user_id = :userId
     ORDER BY s.kind, s.name_sv COLLATE "sv-SE-x-icu"`,
    { userId, today },
  );
  return rows;
}

export async function selectCvKey(db: DbOrTrx, userId: number): Promise<string | undefined> {
  const row = (await db('resident_profiles').where('user_id', userId).first('cv_key')) as { cv_key: string | null } | undefined;
  return row?.cv_key ?? undefined;
}

export async function selectUserName(db: DbOrTrx, userId: number): Promise<string | undefined> {
  const row = (await db('users').where('id', userId).first('name')) as { name: string } | undefined;
  return row?.name;
}

export async function selectOrganisationBySlug(db: DbOrTrx, slug: string): Promise<ApplicationOrganisation | undefined> {
  return db('organisations').where('slug', slug).first('id', 'slug', 'name');
}

/** The organisation's assignment (hidden or not) as the applicant list shows it. */
export async function selectOrganisationAssignment(
  db: DbOrTrx,
  assignmentId: number,
  organisationId: number,
): Promise<{ id: number; title: string; status: AssignmentStatus; peopleNeeded: number } | undefined> {
  return db('assignments')
    .where({ id: assignmentId, organisation_id: organisationId })
    .first('id', 'title', 'status', { peopleNeeded: 'people_needed' });
}

// ---------------------------------------------------------------------------
// Message threads. Read state is a marker per person and thread
// (application_reads): everything up to that message id is read.

export interface MessageRow {
  id: number;
  body: string;
  sentAt: Date;
  senderId: number | null;
  /** Null when the sender's account was deleted. */
  senderName: string | null;
}

/** Up to `limit` messages of the thread, newest first; only those older than `before` when given. */
export async function selectMessages(
  db: DbOrTrx,
  applicationId: number,
  page: { limit: number; before?: number },
): Promise<MessageRow[]> {
  const query = db('application_messages as m')
    .leftJoin('users as u', 'u.id', 'm.sender_id')
    .where('m.application_id', applicationId)
    .orderBy('m.id', 'desc')
    .limit(page.limit)
    .select<MessageRow[]>({ id: 'm.id', body: 'm.body', sentAt: 'm.created_at', senderId: 'm.sender_id', senderName: 'u.name' });
  if (page.before !== undefined) query.where('m.id', '<', page.before);
  return query;
}

export async function insertMessage(
  db: DbOrTrx,
  message: { applicationId: number; senderId: number; body: string },
): Promise<number> {
  const [row] = (await db('application_messages')
    .insert({ application_id: message.applicationId, sender_id: message.senderId, body: message.body })
    .returning('id')) as Array<{ id: number }>;
  return row!.id;
}

/** Moves the person's read marker of the thread up to its newest message (never back; nothing when the thread is empty). */
export async function upsertReadMarker(db: DbOrTrx, userId: number, applicationId: number): Promise<void> {
  await db.raw(
    `INSERT INTO application_reads (application_id, user_id, last_read_message_id)
       SELECT :applicationId, :userId, max(id) FROM application_messages WHERE application_id = :applicationId HAVING max(id) IS NOT NULL
     ON CONFLICT (application_id, user_id) DO UPDATE
       SET last_read_message_id = GREATEST(application_reads.last_read_message_id, EXCLUDED.last_read_message_id)`,
    { applicationId, userId },
  );
}

/** Marks read the person's unread message notices that lead to `link` (the thread). */
export async function markMessageNotificationsRead(db: DbOrTrx, userId: number, link: string): Promise<void> {
  await db('notifications')
    .where({ user_id: userId, type: 'message_received', link })
    .whereNull('read_at')
    .update({ read_at: db.fn.now() });
}

// Unread counts: messages by others, newer than the person's read marker, in
// the threads the person belongs to (as applicant or as a member).
const UNREAD_FROM = `
  FROM application_messages m
  JOIN applications ap ON ap.id = m.application_id
  JOIN assignments a ON a.id = ap.assignment_id
  LEFT JOIN application_reads r ON r.application_id = m.application_id AND r.user_id = :userId
  WHERE m.sender_id IS DISTINCT FROM :userId
    AND m.id > COALESCE(r.last_read_message_id, 0)
    AND (ap.applicant_id = :userId
         OR EXISTS (SELECT 1 FROM organisation_members om WHERE om.organisation_id = a.organisation_id AND om.user_id = :userId))`;

/** Unread messages per application (applications without any are left out of the map). */
export async function unreadMessageCounts(
  db: DbOrTrx,
  userId: number,
  applicationIds: readonly number[],
): Promise<Map<number, number>> {
  if (applicationIds.length === 0) return new Map();
  const { rows } = (await db.raw(
    `SELECT m.application_id, count(*)::int AS unread ${UNREAD_FROM} AND m.application_id = ANY(:ids::bigint[]) GROUP BY m.application_id`,
    { userId, ids: [...applicationIds] },
  )) as { rows: Array<{ application_id: number | string; unread: number }> };
  return new Map(rows.map((row) => [Number(row.application_id), row.unread]));
}

/** Unread messages in all the person's threads. */
export async function unreadMessageTotal(db: DbOrTrx, userId: number): Promise<number> {
  const { rows } = (await db.raw(`SELECT count(*)::int AS unread ${UNREAD_FROM}`, { userId })) as {
    rows: Array<{ unread: number }>;
  };
  return rows[0]?.unread ?? 0;
}

export interface ApplicationsDashboard {
  /** Accepted work whose assignment is not completed, cancelled or expired yet, the soonest start first. */
  upcomingWork: Array<{ applicationId: number; assignmentTitle: string; organisationName: string; startsOn: string | null }>;
  /** The person's own applications still waiting for the organisation's answer (sent or shortlisted). */
  awaitingAnswer: number;
  /** Threads (as applicant or as a member) with messages by others the person has not read. */
  unreadThreads: Array<{ applicationId: number; assignmentTitle: string; unread: number }>;
  /** Applications sent to assignments of the person's organisations that nobody has shortlisted or answered yet. */
  newApplications: Array<{
    organisationSlug: string;
    organisationName: string;
    assignmentId: number;
    assignmentTitle: string;
    count: number;
  }>;
}

/** What waits for the person in applications and their threads, for "Mitt konto" (only their own and their organisations'). */
export async function selectApplicationsDashboard(db: DbOrTrx, userId: number): Promise<ApplicationsDashboard> {
  const [upcomingWork, awaiting, unreadThreads, newApplications] = await Promise.all([
    db('applications as ap')
      .join('assignments as a', 'a.id', 'ap.assignment_id')
      .join('organisations as o', 'o.id', 'a.organisation_id')
      .where({ 'ap.applicant_id': userId, 'ap.status': 'accepted' })
      .whereIn('a.status', ['published', 'closed', 'assigned'])
      .orderBy([
        { column: 'a.starts_on', order: 'asc', nulls: 'last' },
        { column: 'ap.id', order: 'asc' },
      ])
      .limit(20)
      .select({ applicationId: 'ap.id', assignmentTitle: 'a.title', organisationName: 'o.name', startsOn: 'a.starts_on' }),
    db('applications as ap')
      .join('assignments as a', 'a.id', 'ap.assignment_id')
      .where('ap.applicant_id', userId)
      .whereIn('ap.status', ['submitted', 'shortlisted'])
      .whereIn('a.status', ['published', 'closed'])
      .count<{ count: string }[]>({ count: '*' }),
    db.raw(
      `SELECT m.application_id AS "applicationId", a.title AS "assignmentTitle", count(*)::int AS unread ${UNREAD_FROM}
       GROUP BY m.application_id, a.title ORDER BY max(m.id) DESC LIMIT 20`,
      { userId },
    ),
    db('applications as ap')
      .join('assignments as a', 'a.id', 'ap.assignment_id')
      .join('organisations as o', 'o.id', 'a.organisation_id')
      .join('organisation_members as om', 'om.organisation_id', 'a.organisation_id')
      .where({ 'om.user_id': userId, 'ap.status': 'submitted' })
      .whereIn('a.status', ['published', 'closed'])
      .groupBy('o.slug', 'o.name', 'a.id', 'a.title')
      .orderByRaw('min(ap.created_at) ASC')
      .limit(20)
      .select({ organisationSlug: 'o.slug', organisationName: 'o.name', assignmentId: 'a.id', assignmentTitle: 'a.title' })
      .select(db.raw('count(*)::int AS count')),
  ]);
  return {
    upcomingWork: upcomingWork as ApplicationsDashboard['upcomingWork'],
    awaitingAnswer: Number(awaiting[0]?.count ?? 0),
    unreadThreads: (unreadThreads as { rows: ApplicationsDashboard['unreadThreads'] }).rows.map((row) => ({
      ...row,
      applicationId: Number(row.applicationId),
    })),
    newApplications: (newApplications as ApplicationsDashboard['newApplications']).map((row) => ({
      ...row,
      assignmentId: Number(row.assignmentId),
    })),
  };
}
