import { SQL_TODAY_IN_STOCKHOLM } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import type { CompensationType } from './schemas.js';

// Statuses in which an assignment page is public (a closed or finished
// assignment keeps its page so shared links still work). Drafts, assignments
// waiting for review, hidden ones and those of a suspended organisation
// (moderation) are not public.
export const PUBLIC_STATUSES = ['published', 'closed', 'assigned', 'completed', 'expired'] as const;

/** States in which the organisation may still edit the assignment (its text and its attachments). */
export const EDITABLE: readonly AssignmentStatus[] = ['draft', 'pending_review', 'published'];

export interface AssignmentRow {
  organisation_id: number;
  created_by: number | null;
  title: string;
  description: string;
  category_id: number;
  municipality_code: string;
  locality_id: number | null;
  lat: number | null;
  lng: number | null;
  compensation_type: CompensationType;
  amount_sek: number | null;
  estimated_hours: number | null;
  starts_on: string | null;
  ends_on: string | null;
  apply_by: string | null;
  people_needed: number;
  requirements: string;
  work_training: boolean;
  supervisor_available: boolean;
  status: AssignmentStatus;
  published_at: Date | null;
}

export const ASSIGNMENT_STATUSES = [
  'draft',
  'pending_review',
  'published',
  'closed',
  'assigned',
  'completed',
  'cancelled',
  'expired',
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export async function insertAssignment(db: DbOrTrx, row: AssignmentRow): Promise<number> {
  const [inserted] = await db('assignments').insert(row).returning<{ id: number }[]>('id');
  return inserted!.id;
}

export interface AssignmentSummary {
  id: number;
  title: string;
  description: string;
  status: string;
  organisationName: string;
  organisationSlug: string;
  organisationVerifiedAt: Date | null;
  categorySlug: string;
  categoryNameSv: string;
  categoryNameEn: string;
  municipalityCode: string;
  municipalityName: string;
  localityName: string | null;
  compensationType: CompensationType;
  amountSek: number | null;
  applyBy: string | null;
  publishedAt: Date;
  workTraining: boolean;
}

export interface AssignmentDetail extends AssignmentSummary {
  estimatedHours: number | null;
  startsOn: string | null;
  endsOn: string | null;
  peopleNeeded: number;
  requirements: string;
  supervisorAvailable: boolean;
  organisationVerified: boolean;
  organisationId: number;
}

/**
 * Assignments (alias a) with their organisation (o), category (c),
 * municipality (m) and locality (l); hidden ones never come out.
 */
export function assignmentsWithContext(db: DbOrTrx) {
  return db('assignments as a')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .join('categories as c', 'c.id', 'a.category_id')
    .join('municipalities as m', 'm.code', 'a.municipality_code')
    .leftJoin('localities as l', 'l.id', 'a.locality_id')
    .whereNull('a.hidden_at');
}

/** The columns of an AssignmentSummary, for queries built on openAssignments(). */
export const SUMMARY_COLUMNS = {
  id: 'a.id',
  title: 'a.title',
  description: 'a.description',
  status: 'a.status',
  organisationName: 'o.name',
  organisationSlug: 'o.slug',
  organisationVerifiedAt: 'o.verified_at',
  categorySlug: 'c.slug',
  categoryNameSv: 'c.name_sv',
  categoryNameEn: 'c.name_en',
  municipalityCode: 'm.code',
  municipalityName: 'm.short_name',
  localityName: 'l.name',
  compensationType: 'a.compensation_type',
  amountSek: 'a.amount_sek',
  applyBy: 'a.apply_by',
  publishedAt: 'a.published_at',
  workTraining: 'a.work_training',
};

export async function selectOpenAssignments(
  db: DbOrTrx,
  options: { limit: number; offset: number; organisationId?: number },
): Promise<{ rows: AssignmentSummary[]; total: number }> {
  const base = openAssignments(db);
  if (options.organisationId !== undefined) base.where('a.organisation_id', options.organisationId);
  const [rows, [count]] = await Promise.all([
    base
      .clone()
      .select(SUMMARY_COLUMNS)
      .orderBy([
        { column: 'a.published_at', order: 'desc' },
        { column: 'a.id', order: 'desc' },
      ])
      .limit(options.limit)
      .offset(options.offset),
    base.clone().count<{ count: string }[]>({ count: '*' }),
  ]);
  return { rows: rows as AssignmentSummary[], total: Number(count?.count ?? 0) };
}

/**
 * Open for applications: published, not hidden, its organisation not
 * suspended, last day to apply not passed. The one definition, used by the
 * lists and by what goes into the search index.
 */
export function openAssignments(db: DbOrTrx) {
  return (
    assignmentsWithContext(db)
      .whereNull('o.suspended_at')
      .where('a.status', 'published')
      // Applying closes when the last day ends in Sweden (applications/service.ts), not in the database's time zone.
      // As a subquery PostgreSQL works the day out once per statement, not once per row (the fallback search's
      // facet counts read every open assignment: measured 0.95 → 1.74 ms per 363 rows without it).
      .where((q) => q.whereNull('a.apply_by').orWhereRaw(`a.apply_by >= (SELECT ${SQL_TODAY_IN_STOCKHOLM})`))
  );
}

/** Who posted each of these assignments, for lists whose hits carry only the organisation's name (search). */
export async function selectOrganisationsOfAssignments(
  db: DbOrTrx,
  assignmentIds: readonly number[],
): Promise<Map<number, { slug: string; verified: boolean }>> {
  if (assignmentIds.length === 0) return new Map();
  const rows = (await db('assignments as a')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .whereIn('a.id', assignmentIds)
    .select({ id: 'a.id', slug: 'o.slug', verifiedAt: 'o.verified_at' })) as {
    id: number;
    slug: string;
    verifiedAt: Date | null;
  }[];
  return new Map(rows.map((row) => [Number(row.id), { slug: row.slug, verified: row.verifiedAt !== null }]));
}

export async function selectPublicAssignment(db: DbOrTrx, id: number): Promise<AssignmentDetail | undefined> {
  return selectAssignmentDetail(db, id, PUBLIC_STATUSES, { publicOnly: true });
}

/** One assignment with its context in any of `statuses` (the preview shows drafts too). */
export async function selectAssignmentDetail(
  db: DbOrTrx,
  id: number,
  statuses: readonly string[] = ASSIGNMENT_STATUSES,
  options: { publicOnly?: boolean } = {},
): Promise<AssignmentDetail | undefined> {
  const query = assignmentsWithContext(db);
  // A suspended organisation's assignments stay visible to its members (preview), never to the public.
  if (options.publicOnly) query.whereNull('o.suspended_at');
  const row = await query
    .whereIn('a.status', statuses)
    .where('a.id', id)
    .first({
      ...SUMMARY_COLUMNS,
      estimatedHours: 'a.estimated_hours',
      startsOn: 'a.starts_on',
      endsOn: 'a.ends_on',
      peopleNeeded: 'a.people_needed',
      requirements: 'a.requirements',
      supervisorAvailable: 'a.supervisor_available',
      organisationVerified: db.raw('o.verified_at IS NOT NULL'),
      organisationId: 'a.organisation_id',
    });
  if (!row) return undefined;
  // NUMERIC arrives as exact text (platform/db.ts); hours are shown, never summed as money.
  return { ...row, estimatedHours: row.estimatedHours == null ? null : Number(row.estimatedHours) } as AssignmentDetail;
}

export async function selectCategoryId(db: DbOrTrx, slug: string): Promise<number | undefined> {
  const row = (await db('categories').where('slug', slug).first('id')) as { id: number } | undefined;
  return row?.id;
}

export async function selectLocality(db: DbOrTrx, slug: string): Promise<{ id: number; municipalityCode: string } | undefined> {
  return db('localities').where('slug', slug).first({ id: 'id', municipalityCode: 'municipality_code' });
}

/**
 * Published assignments whose last day to apply is before `today` ('YYYY-MM-DD';
 * default: today in Stockholm) become expired. Returns their ids.
 */
export async function updateExpiredAssignments(db: DbOrTrx, today: string | undefined): Promise<number[]> {
  const expired = (await db('assignments')
    .where('status', 'published')
    .where('apply_by', '<', today ? db.raw('?::date', [today]) : db.raw(SQL_TODAY_IN_STOCKHOLM))
    .update({ status: 'expired', updated_at: db.fn.now() })
    .returning('id')) as Array<{ id: number }>;
  return expired.map(({ id }) => id);
}

// ---------------------------------------------------------------------------
// Attachments

export type AttachmentKind = 'image' | 'pdf';

export interface Attachment {
  id: number;
  kind: AttachmentKind;
  position: number;
  byteSize: number;
}

export async function selectOrganisationIdBySlug(db: DbOrTrx, slug: string): Promise<number | undefined> {
  const row = (await db('organisations').where('slug', slug).first('id')) as { id: number } | undefined;
  return row?.id;
}

/** The organisation's assignment (not hidden); `lock`: its row locked until the transaction ends. */
export async function selectOrganisationAssignment(
  db: DbOrTrx,
  organisationId: number,
  id: number,
  options: { lock: boolean },
): Promise<{ id: number; organisationId: number; status: AssignmentStatus } | undefined> {
  const query = db('assignments').where({ id, organisation_id: organisationId }).whereNull('hidden_at');
  if (options.lock) query.forUpdate();
  return query.first({ id: 'id', organisationId: 'organisation_id', status: 'status' });
}

export async function selectAttachments(db: DbOrTrx, assignmentId: number): Promise<Attachment[]> {
  const rows = (await db('assignment_attachments')
    .where('assignment_id', assignmentId)
    .orderBy('position')
    .select('id', 'kind', 'position', 'byte_size')) as Array<{
    id: number;
    kind: AttachmentKind;
    position: number;
    byte_size: number;
  }>;
  return rows.map((row) => ({ id: Number(row.id), kind: row.kind, position: row.position, byteSize: row.byte_size }));
}

export async function selectAttachmentPositions(db: DbOrTrx, assignmentId: number): Promise<number[]> {
  return db('assignment_attachments').where('assignment_id', assignmentId).pluck('position');
}

export async function insertAttachment(
  db: DbOrTrx,
  attachment: {
    assignmentId: number;
    storageKey: string;
    kind: AttachmentKind;
    thumbnailKey: string | null;
    byteSize: number;
    position: number;
  },
): Promise<number> {
  const [row] = await db('assignment_attachments')
    .insert({
      assignment_id: attachment.assignmentId,
      storage_key: attachment.storageKey,
      kind: attachment.kind,
      thumbnail_key: attachment.thumbnailKey,
      byte_size: attachment.byteSize,
      position: attachment.position,
    })
    .returning<{ id: number }[]>('id');
  return Number(row!.id);
}

/** Deletes the assignment's attachment; its storage keys, or undefined when it has no such attachment. */
export async function deleteAttachment(
  db: DbOrTrx,
  assignmentId: number,
  attachmentId: number,
): Promise<{ storageKey: string; thumbnailKey: string | null } | undefined> {
  const [row] = (await db('assignment_attachments')
    .where({ id: attachmentId, assignment_id: assignmentId })
    .delete()
    .returning(['storage_key', 'thumbnail_key'])) as Array<{ storage_key: string; thumbnail_key: string | null }>;
  return row && { storageKey: row.storage_key, thumbnailKey: row.thumbnail_key };
}

export interface AttachmentFileRow {
  kind: AttachmentKind;
  position: number;
  storageKey: string;
  thumbnailKey: string | null;
  assignmentStatus: string;
  organisationId: number;
  organisationSuspendedAt: Date | null;
}

/** The attachment of the (not hidden) assignment, with what decides who may see it. */
export async function selectAttachmentFile(
  db: DbOrTrx,
  assignmentId: number,
  attachmentId: number,
): Promise<AttachmentFileRow | undefined> {
  return db('assignment_attachments as f')
    .join('assignments as a', 'a.id', 'f.assignment_id')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .where({ 'f.id': attachmentId, 'a.id': assignmentId })
    .whereNull('a.hidden_at')
    .first({
      kind: 'f.kind',
      position: 'f.position',
      storageKey: 'f.storage_key',
      thumbnailKey: 'f.thumbnail_key',
      assignmentStatus: 'a.status',
      organisationId: 'a.organisation_id',
      organisationSuspendedAt: 'o.suspended_at',
    });
}
