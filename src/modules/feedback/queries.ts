import type { Knex } from 'knex';
import type { DbOrTrx } from '../../platform/db.js';

// Where feedback shows: the organisation's public page, the resident's own
// profile (and, for organisations, the applications page), and the
// organisation's own list of assignments.

export interface FeedbackSummary {
  count: number;
  /** Undefined while there is none. */
  average?: number;
}

export interface OrganisationFeedbackItem {
  assignmentTitle: string;
  rating: number;
  comment: string;
  createdAt: Date;
}

export interface ResidentFeedbackItem extends OrganisationFeedbackItem {
  organisationName: string;
}

const LATEST_ABOUT_ORGANISATION = 10;
const MAX_ABOUT_RESIDENT = 50;

async function summary(db: DbOrTrx, query: Knex.QueryBuilder): Promise<FeedbackSummary> {
  const row = (await query.first({ count: db.raw('count(*)::int'), average: db.raw('avg(f.rating)') })) as
    { count: number; average: string | null } | undefined;
  // avg() is NUMERIC, exact text (platform/db.ts); a rating shown with one decimal is fine as a float.
  return { count: row?.count ?? 0, average: row?.average == null ? undefined : Number(row.average) };
}

/**
 * What residents said about the organisation: average, count and the latest
 * entries. Without the residents' names: the page is public, and who worked
 * where and what they thought of it is their personal data; the organisation
 * knows its own workers already. Assignments hidden by moderation keep their
 * rating in the average but their titles off the page.
 */
export async function feedbackAboutOrganisation(
  db: DbOrTrx,
  organisationId: number,
): Promise<FeedbackSummary & { latest: OrganisationFeedbackItem[] }> {
  const about = () =>
    db('feedback as f')
      .join('applications as a', 'a.id', 'f.application_id')
      .join('assignments as s', 's.id', 'a.assignment_id')
      .where({ 's.organisation_id': organisationId, 'f.direction': 'about_organisation' });
  const [totals, latest] = await Promise.all([
    summary(db, about()),
    about()
      .whereNull('s.hidden_at')
      .orderBy([
        { column: 'f.created_at', order: 'desc' },
        { column: 'f.id', order: 'desc' },
      ])
      .limit(LATEST_ABOUT_ORGANISATION)
      .select({ assignmentTitle: 's.title', rating: 'f.rating', comment: 'f.comment', createdAt: 'f.created_at' }),
  ]);
  return { ...totals, latest: latest as OrganisationFeedbackItem[] };
}

/** What organisations said about the resident, newest first. */
export async function feedbackAboutResident(
  db: DbOrTrx,
  userId: number,
): Promise<FeedbackSummary & { items: ResidentFeedbackItem[] }> {
  const about = () =>
    db('feedback as f')
      .join('applications as a', 'a.id', 'f.application_id')
      .where({ 'a.applicant_id': userId, 'f.direction': 'about_resident' });
  const [totals, items] = await Promise.all([
    summary(db, about()),
    about()
      .join('assignments as s', 's.id', 'a.assignment_id')
      .join('organisations as o', 'o.id', 's.organisation_id')
      .orderBy([
        { column: 'f.created_at', order: 'desc' },
        { column: 'f.id', order: 'desc' },
      ])
      .limit(MAX_ABOUT_RESIDENT)
      .select({
        organisationName: 'o.name',
        assignmentTitle: 's.title',
        rating: 'f.rating',
        comment: 'f.comment',
        createdAt: 'f.created_at',
      }),
  ]);
  return { ...totals, items: items as ResidentFeedbackItem[] };
}

export interface AcceptedApplicant {
  applicationId: number;
  applicantName: string;
  /** Whether the organisation has given its feedback about this person. */
  feedbackGiven: boolean;
}

/** The accepted applicants of the organisation's assignments, per assignment (for "Mina uppdrag"). */
export async function acceptedApplicants(
  db: DbOrTrx,
  assignmentIds: readonly number[],
): Promise<Map<number, AcceptedApplicant[]>> {
  const byAssignment = new Map<number, AcceptedApplicant[]>();
  if (assignmentIds.length === 0) return byAssignment;
  const rows = (await db('applications as a')
    .join('users as u', 'u.id', 'a.applicant_id')
    .leftJoin('feedback as f', (join) => join.on('f.application_id', 'a.id').andOnVal('f.direction', 'about_resident'))
    .whereIn('a.assignment_id', assignmentIds)
    .where('a.status', 'accepted')
    .orderBy(['a.assignment_id', 'a.id'])
    .select({
      assignmentId: 'a.assignment_id',
      applicationId: 'a.id',
      applicantName: 'u.name',
      feedbackId: 'f.id',
    })) as Array<{ assignmentId: number; applicationId: number; applicantName: string; feedbackId: number | null }>;
  for (const row of rows) {
    const list = byAssignment.get(row.assignmentId) ?? [];
    list.push({ applicationId: row.applicationId, applicantName: row.applicantName, feedbackGiven: row.feedbackId !== null });
    byAssignment.set(row.assignmentId, list);
  }
  return byAssignment;
}

// ---------------------------------------------------------------------------
// Giving feedback

export type FeedbackDirection = 'about_resident' | 'about_organisation';

export interface GivenFeedback {
  rating: number;
  comment: string;
  createdAt: Date;
}

/** The assignment's accepted applications, with the assignment's title. */
export async function selectAcceptedApplications(
  db: DbOrTrx,
  assignmentId: number,
): Promise<Array<{ applicationId: number; applicantId: number; title: string }>> {
  return db('applications as a')
    .join('assignments as s', 's.id', 'a.assignment_id')
    .where({ 'a.assignment_id': assignmentId, 'a.status': 'accepted' })
    .select({ applicationId: 'a.id', applicantId: 'a.applicant_id', title: 's.title' });
}

export interface FeedbackSubjectRow {
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

/** The application with its assignment and organisation; `lock`: the application and assignment rows under a share lock. */
export async function selectFeedbackSubject(
  db: DbOrTrx,
  applicationId: number,
  options: { lock: boolean },
): Promise<FeedbackSubjectRow | undefined> {
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
  if (options.lock) query.forShare('a', 's');
  return (await query) as FeedbackSubjectRow | undefined;
}

export async function selectGivenFeedback(
  db: DbOrTrx,
  applicationId: number,
  direction: FeedbackDirection,
): Promise<GivenFeedback | undefined> {
  return db('feedback')
    .where({ application_id: applicationId, direction })
    .first({ rating: 'rating', comment: 'comment', createdAt: 'created_at' });
}

/** Inserts the feedback; false when the application already has one in that direction. */
export async function insertFeedback(
  db: DbOrTrx,
  feedback: { applicationId: number; authorId: number; direction: FeedbackDirection; rating: number; comment: string },
): Promise<boolean> {
  const inserted = await db('feedback')
    .insert({
      application_id: feedback.applicationId,
      author_id: feedback.authorId,
      direction: feedback.direction,
      rating: feedback.rating,
      comment: feedback.comment,
    })
    .onConflict(['application_id', 'direction'])
    .ignore()
    .returning('id');
  return inserted.length > 0;
}

/** The applicant of the application (none or one). */
export async function selectApplicantIds(db: DbOrTrx, applicationId: number): Promise<number[]> {
  return db('applications').where('id', applicationId).pluck('applicant_id');
}

export async function selectMemberIdsBySlug(db: DbOrTrx, organisationSlug: string): Promise<number[]> {
  return db('organisation_members as m')
    .join('organisations as o', 'o.id', 'm.organisation_id')
    .where('o.slug', organisationSlug)
    .pluck('m.user_id');
}
