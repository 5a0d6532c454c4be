import type { DbOrTrx } from '../../platform/db.js';
import type { AssignmentStatus } from '../assignments/index.js';
import type { PostingValues } from './form.js';

export interface PostingOrganisation {
  id: number;
  slug: string;
  name: string;
  municipalityCode: string;
  verified: boolean;
  /** Suspended by a moderator: no new assignments, nothing published. */
  suspended: boolean;
}

export async function selectPostingOrganisation(db: DbOrTrx, slug: string): Promise<PostingOrganisation | undefined> {
  const row = (await db('organisations')
    .where('slug', slug)
    .first('id', 'slug', 'name', 'municipality_code', 'verified_at', 'suspended_at')) as
    | { id: number; slug: string; name: string; municipality_code: string; verified_at: Date | null; suspended_at: Date | null }
    | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    municipalityCode: row.municipality_code,
    verified: row.verified_at != null,
    suspended: row.suspended_at != null,
  };
}

/** Read under a share lock: a suspension or verification running now waits for the caller's transaction. */
export async function selectOrganisationStandingForShare(
  db: DbOrTrx,
  organisationId: number,
): Promise<{ verified: boolean; suspended: boolean } | undefined> {
  const row = (await db('organisations').where('id', organisationId).forShare().first('verified_at', 'suspended_at')) as
    { verified_at: Date | null; suspended_at: Date | null } | undefined;
  return row && { verified: row.verified_at != null, suspended: row.suspended_at != null };
}

const rowValues = (values: PostingValues) => ({
  title: values.title,
  description: values.description,
  category_id: values.categoryId,
  municipality_code: values.municipalityCode,
  locality_id: values.localityId,
  lat: values.lat,
  lng: values.lng,
  compensation_type: values.compensationType,
  amount_sek: values.amountSek,
  estimated_hours: values.estimatedHours,
  starts_on: values.startsOn,
  ends_on: values.endsOn,
  apply_by: values.applyBy,
  people_needed: values.peopleNeeded,
  requirements: values.requirements,
  work_training: values.workTraining,
  supervisor_available: values.supervisorAvailable,
});

/** A new draft; returns its id. */
export async function insertDraft(
  db: DbOrTrx,
  organisationId: number,
  createdBy: number | null,
  values: PostingValues,
): Promise<number> {
  const [row] = await db('assignments')
    .insert({ ...rowValues(values), organisation_id: organisationId, created_by: createdBy, status: 'draft' })
    .returning<{ id: number }[]>('id');
  return row!.id;
}

export async function updateAssignmentValues(db: DbOrTrx, id: number, values: PostingValues): Promise<void> {
  await db('assignments')
    .where('id', id)
    .update({ ...rowValues(values), updated_at: db.fn.now() });
}

/** The skills the assignment asks for (assignment_skills): these and no others. */
export async function replaceAssignmentSkills(db: DbOrTrx, assignmentId: number, skillIds: readonly number[]): Promise<void> {
  await db('assignment_skills').where('assignment_id', assignmentId).delete();
  if (skillIds.length > 0)
    await db('assignment_skills').insert(skillIds.map((skillId) => ({ assignment_id: assignmentId, skill_id: skillId })));
}

/** The assignment (not hidden), locked for a change; only the given organisation's when one is given. */
export async function selectAssignmentForUpdate(
  db: DbOrTrx,
  id: number,
  organisationId: number | undefined,
): Promise<{ id: number; status: AssignmentStatus; organisationId: number } | undefined> {
  const query = db('assignments').where('id', id).whereNull('hidden_at').forUpdate();
  if (organisationId !== undefined) query.where('organisation_id', organisationId);
  return query.first({ id: 'id', status: 'status', organisationId: 'organisation_id' });
}

/** One of the organisation's assignments as a confirmation step shows it (not hidden, as the changes see it). */
export async function selectAssignmentToConfirm(
  db: DbOrTrx,
  id: number,
  organisationId: number,
): Promise<{ id: number; title: string; status: AssignmentStatus; activeApplications: number } | undefined> {
  return db('assignments')
    .where({ id, organisation_id: organisationId })
    .whereNull('hidden_at')
    .first({
      id: 'id',
      title: 'title',
      status: 'status',
      activeApplications: db.raw(
        `(SELECT count(*)::int FROM applications ap WHERE ap.assignment_id = assignments.id AND ap.status <> 'withdrawn')`,
      ),
    });
}

/** Sets the status; published also stamps published_at, completed completed_at. */
export async function updateAssignmentStatus(db: DbOrTrx, id: number, status: AssignmentStatus): Promise<void> {
  await db('assignments')
    .where('id', id)
    .update({
      updated_at: db.fn.now(),
      ...(status === 'completed' && { completed_at: db.fn.now() }),
      status,
      ...(status === 'published' && { published_at: db.fn.now() }),
      // A refused assignment keeps review's note until it leaves the draft again.
      ...(status !== 'draft' && { review_note: null }),
    });
}

/** Review sends the assignment back to its organisation as a draft, with what to change. */
export async function returnToDraft(db: DbOrTrx, id: number, reviewNote: string): Promise<void> {
  await db('assignments').where('id', id).update({ updated_at: db.fn.now(), status: 'draft', review_note: reviewNote });
}

/** The storage keys of the assignment's attachments and their thumbnails. */
export async function selectAttachmentKeys(db: DbOrTrx, assignmentId: number): Promise<string[]> {
  const files = (await db('assignment_attachments')
    .where('assignment_id', assignmentId)
    .select('storage_key', 'thumbnail_key')) as Array<{ storage_key: string; thumbnail_key: string | null }>;
  return files.flatMap((file) => [file.storage_key, file.thumbnail_key]).filter((key): key is string => key !== null);
}

/** Deletes the assignment; its attachments' rows go by cascade. */
export async function deleteAssignment(db: DbOrTrx, id: number): Promise<void> {
  await db('assignments').where('id', id).delete();
}

/** An assignment's columns as the edit form needs them (not hidden, the organisation's own). */
export interface EditableAssignmentRow {
  status: AssignmentStatus;
  title: string;
  description: string;
  categorySlug: string;
  municipalityCode: string;
  localityName: string | null;
  lat: number | null;
  lng: number | null;
  compensationType: string;
  amountSek: number | null;
  /** NUMERIC(6,1), exact text ('4.0'). */
  estimatedHours: string | null;
  startsOn: string | null;
  endsOn: string | null;
  applyBy: string | null;
  peopleNeeded: number;
  requirements: string;
  workTraining: boolean;
  supervisorAvailable: boolean;
}

export async function selectEditableAssignment(
  db: DbOrTrx,
  id: number,
  organisationId: number,
): Promise<EditableAssignmentRow | undefined> {
  return db('assignments as a')
    .join('categories as c', 'c.id', 'a.category_id')
    .leftJoin('localities as l', 'l.id', 'a.locality_id')
    .where({ 'a.id': id, 'a.organisation_id': organisationId })
    .whereNull('a.hidden_at')
    .first({
      status: 'a.status',
      title: 'a.title',
      description: 'a.description',
      categorySlug: 'c.slug',
      municipalityCode: 'a.municipality_code',
      localityName: 'l.name',
      lat: 'a.lat',
      lng: 'a.lng',
      compensationType: 'a.compensation_type',
      amountSek: 'a.amount_sek',
      estimatedHours: 'a.estimated_hours',
      startsOn: 'a.starts_on',
      endsOn: 'a.ends_on',
      applyBy: 'a.apply_by',
      peopleNeeded: 'a.people_needed',
      requirements: 'a.requirements',
      workTraining: 'a.work_training',
      supervisorAvailable: 'a.supervisor_available',
    });
}

export interface OrganisationAssignment {
  id: number;
  title: string;
  status: AssignmentStatus;
  applyBy: string | null;
  updatedAt: Date;
  /** Why review sent a draft back (null unless it did). */
  reviewNote: string | null;
  /** Applications not withdrawn, and of those the ones nobody has handled yet (submitted). */
  activeApplications: number;
  newApplications: number;
}

/** The organisation's assignments (not hidden), last changed first, with their applicant counts. */
export async function selectOrganisationAssignments(db: DbOrTrx, organisationId: number): Promise<OrganisationAssignment[]> {
  return (await db('assignments')
    .where('organisation_id', organisationId)
    .whereNull('hidden_at')
    .orderBy([
      { column: 'updated_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(500)
    .select({
      id: 'id',
      title: 'title',
      status: 'status',
      applyBy: 'apply_by',
      updatedAt: 'updated_at',
      reviewNote: 'review_note',
      activeApplications: db.raw(
        `(SELECT count(*)::int FROM applications ap WHERE ap.assignment_id = assignments.id AND ap.status <> 'withdrawn')`,
      ),
      newApplications: db.raw(
        `(SELECT count(*)::int FROM applications ap WHERE ap.assignment_id = assignments.id AND ap.status = 'submitted')`,
      ),
    })) as OrganisationAssignment[];
}

export interface PendingAssignment {
  id: number;
  title: string;
  organisationName: string;
  organisationSlug: string;
}

/** Assignments waiting for a platform admin's approval (for the admin overview). */
export async function selectPendingReview(db: DbOrTrx): Promise<PendingAssignment[]> {
  return db('assignments as a')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .where('a.status', 'pending_review')
    .whereNull('a.hidden_at')
    .orderBy('a.updated_at')
    .limit(100)
    .select({ id: 'a.id', title: 'a.title', organisationName: 'o.name', organisationSlug: 'o.slug' });
}

/** How many assignments wait for review (the admin's count on "Mitt konto"; the list above stops at 100). */
export async function countPendingReview(db: DbOrTrx): Promise<number> {
  const [row] = await db('assignments')
    .where('status', 'pending_review')
    .whereNull('hidden_at')
    .count<{ count: string }[]>({ count: '*' });
  return Number(row?.count ?? 0);
}

/** Whom review's notice (approved or refused) goes to (the organisation's members) and the title it names. */
export async function selectApprovalRecipients(
  db: DbOrTrx,
  assignmentId: number,
): Promise<{ title: string; organisationSlug: string; memberIds: number[] }> {
  const { title, organisationId, organisationSlug } = (await db('assignments as a')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .where('a.id', assignmentId)
    .first({ title: 'a.title', organisationId: 'a.organisation_id', organisationSlug: 'o.slug' })) as {
    title: string;
    organisationId: number;
    organisationSlug: string;
  };
  const memberIds = (await db('organisation_members').where('organisation_id', organisationId).pluck('user_id')) as number[];
  return { title, organisationSlug, memberIds };
}

/**
 * Per organisation of the member with any: drafts not yet published, and of them those a platform admin sent back
 * from review with a note (they need the organisation's change before anything happens). For "Mitt konto".
 */
export async function selectDraftsDashboard(
  db: DbOrTrx,
  userId: number,
): Promise<Array<{ organisationSlug: string; organisationName: string; drafts: number; sentBack: number }>> {
  return db('assignments as a')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .join('organisation_members as om', 'om.organisation_id', 'a.organisation_id')
    .where({ 'om.user_id': userId, 'a.status': 'draft' })
    .groupBy('o.slug', 'o.name')
    .orderBy('o.name')
    .select({ organisationSlug: 'o.slug', organisationName: 'o.name' })
    .select(db.raw('count(*)::int AS drafts'), db.raw('count(a.review_note)::int AS "sentBack"'));
}
