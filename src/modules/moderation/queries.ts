import type { DbOrTrx } from '../../platform/db.js';
import { formatOrganisationsnummer } from '../../platform/identifiers.js';

export const REPORT_REASONS = ['spam', 'fraud', 'offensive', 'discriminatory', 'illegal', 'wrong_information', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export interface QueuedReport {
  id: number;
  reason: ReportReason;
  details: string;
  createdAt: Date;
  /** Only whether a logged-in person sent it; who it was is not shown. */
  fromVisitor: boolean;
}

export interface ReportedAssignment {
  id: number;
  title: string;
  status: string;
  hidden: boolean;
  organisationName: string;
  organisationSlug: string;
  organisationSuspended: boolean;
  /** Number and municipality tell two organisations of the same name apart (as on the admin overview). */
  organisationNumber: string | null;
  municipalityName: string;
  reports: QueuedReport[];
  /** reason → number of open reports giving it */
  reasons: Partial<Record<ReportReason, number>>;
}

export interface HiddenAssignment {
  id: number;
  title: string;
  organisationName: string;
  organisationSlug: string;
  organisationNumber: string | null;
  municipalityName: string;
  hiddenAt: Date;
  hiddenReason: string | null;
}

export interface SuspendedOrganisation {
  name: string;
  slug: string;
  organisationNumber: string | null;
  municipalityName: string;
  suspendedAt: Date;
  suspendedReason: string | null;
}

/** As written ("802451-3765"), or null (organisations from before the number was asked for). */
const withFormattedNumber = <T extends { organisationNumber: string | null }>(row: T): T => ({
  ...row,
  organisationNumber: row.organisationNumber ? formatOrganisationsnummer(row.organisationNumber) : null,
});

/** How many open reports the queue shows at most (the oldest first). */
const QUEUE_LIMIT = 500;

/** Open reports grouped by assignment, the assignment with the oldest report first. */
export async function selectOpenReports(db: DbOrTrx): Promise<ReportedAssignment[]> {
  const rows = (await db('assignment_reports as r')
    .join('assignments as a', 'a.id', 'r.assignment_id')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .join('municipalities as m', 'm.code', 'o.municipality_code')
    .where('r.status', 'open')
    .orderBy([{ column: 'r.created_at' }, { column: 'r.id' }])
    .limit(QUEUE_LIMIT)
    .select({
      id: 'r.id',
      reason: 'r.reason',
      details: 'r.details',
      createdAt: 'r.created_at',
      fromVisitor: db.raw('r.reporter_id IS NULL'),
      assignmentId: 'a.id',
      title: 'a.title',
      status: 'a.status',
      hidden: db.raw('a.hidden_at IS NOT NULL'),
      organisationName: 'o.name',
      organisationSlug: 'o.slug',
      organisationSuspended: db.raw('o.suspended_at IS NOT NULL'),
      organisationNumber: 'o.organisation_number',
      municipalityName: 'm.short_name',
    })) as Array<QueuedReport & Omit<ReportedAssignment, 'id' | 'reports' | 'reasons'> & { assignmentId: number }>;
  const byAssignment = new Map<number, ReportedAssignment>();
  for (const { id, reason, details, createdAt, fromVisitor, assignmentId, ...assignment } of rows) {
    let group = byAssignment.get(assignmentId);
    if (!group) {
      group = { id: assignmentId, ...withFormattedNumber(assignment), reports: [], reasons: {} };
      byAssignment.set(assignmentId, group);
    }
    group.reports.push({ id, reason, details, createdAt, fromVisitor });
    group.reasons[reason] = (group.reasons[reason] ?? 0) + 1;
  }
  return [...byAssignment.values()];
}

/** Hidden assignments, newest first; of one organisation when given (its members see them in their list). */
export async function selectHiddenAssignments(
  db: DbOrTrx,
  filter: { organisationId?: number } = {},
): Promise<HiddenAssignment[]> {
  const query = db('assignments as a')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .join('municipalities as m', 'm.code', 'o.municipality_code')
    .whereNotNull('a.hidden_at');
  if (filter.organisationId !== undefined) query.where('a.organisation_id', filter.organisationId);
  const rows: HiddenAssignment[] = await query.orderBy('a.hidden_at', 'desc').limit(QUEUE_LIMIT).select({
    id: 'a.id',
    title: 'a.title',
    organisationName: 'o.name',
    organisationSlug: 'o.slug',
    organisationNumber: 'o.organisation_number',
    municipalityName: 'm.short_name',
    hiddenAt: 'a.hidden_at',
    hiddenReason: 'a.hidden_reason',
  });
  return rows.map(withFormattedNumber);
}

export async function selectSuspendedOrganisations(db: DbOrTrx): Promise<SuspendedOrganisation[]> {
  const rows: SuspendedOrganisation[] = await db('organisations as o')
    .join('municipalities as m', 'm.code', 'o.municipality_code')
    .whereNotNull('o.suspended_at')
    .orderBy('o.suspended_at', 'desc')
    .limit(QUEUE_LIMIT)
    .select({
      name: 'o.name',
      slug: 'o.slug',
      organisationNumber: 'o.organisation_number',
      municipalityName: 'm.short_name',
      suspendedAt: 'o.suspended_at',
      suspendedReason: 'o.suspended_reason',
    });
  return rows.map(withFormattedNumber);
}

export async function countOpenReports(db: DbOrTrx): Promise<number> {
  const [row] = await db('assignment_reports').where('status', 'open').count<{ count: string }[]>({ count: '*' });
  return Number(row?.count ?? 0);
}

/** Marks the open reports of these assignments as dealt with by `adminId`. */
export async function resolveOpenReports(db: DbOrTrx, assignmentIds: readonly number[], adminId: number): Promise<void> {
  if (assignmentIds.length === 0) return;
  await db('assignment_reports')
    .whereIn('assignment_id', assignmentIds)
    .where('status', 'open')
    .update({ status: 'resolved', handled_by: adminId, handled_at: db.fn.now() });
}

/** Marks the open reports on any of the organisation's assignments as dealt with by `adminId`. */
export async function resolveOpenReportsOfOrganisation(db: DbOrTrx, organisationId: number, adminId: number): Promise<void> {
  await db('assignment_reports')
    .whereIn('assignment_id', db('assignments').select('id').where('organisation_id', organisationId))
    .where('status', 'open')
    .update({ status: 'resolved', handled_by: adminId, handled_at: db.fn.now() });
}

/** The organisation's members: the people a moderation notice goes to. */
export async function selectMemberIds(db: DbOrTrx, organisationId: number): Promise<number[]> {
  return db('organisation_members').where('organisation_id', organisationId).pluck('user_id') as Promise<number[]>;
}

export async function insertReport(
  db: DbOrTrx,
  report: { assignmentId: number; reporterId: number | null; reason: ReportReason; details: string },
): Promise<void> {
  await db('assignment_reports').insert({
    assignment_id: report.assignmentId,
    reporter_id: report.reporterId,
    reason: report.reason,
    details: report.details,
  });
}

/** The report's status, the row locked until the transaction ends. */
export async function selectReportStatusForUpdate(db: DbOrTrx, reportId: number): Promise<string | undefined> {
  const row = (await db('assignment_reports').where('id', reportId).forUpdate().first('status')) as
    { status: string } | undefined;
  return row?.status;
}

export async function markReportDismissed(db: DbOrTrx, reportId: number, adminId: number): Promise<void> {
  await db('assignment_reports')
    .where('id', reportId)
    .update({ status: 'dismissed', handled_by: adminId, handled_at: db.fn.now() });
}

/** The assignment (hidden or not) with its organisation; the assignment's row locked. */
export async function selectAssignmentWithOrganisationForUpdate(
  db: DbOrTrx,
  assignmentId: number,
): Promise<{ id: number; title: string; hiddenAt: Date | null; organisationId: number; name: string; slug: string } | undefined> {
  return db('assignments as a')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .where('a.id', assignmentId)
    .forUpdate('a')
    .first({ id: 'a.id', title: 'a.title', hiddenAt: 'a.hidden_at', organisationId: 'o.id', name: 'o.name', slug: 'o.slug' });
}

export async function markAssignmentHidden(db: DbOrTrx, assignmentId: number, reason: string): Promise<void> {
  await db('assignments').where('id', assignmentId).update({ hidden_at: db.fn.now(), hidden_reason: reason });
}

export async function clearAssignmentHidden(db: DbOrTrx, assignmentId: number): Promise<void> {
  await db('assignments').where('id', assignmentId).update({ hidden_at: null, hidden_reason: null });
}

export async function selectOrganisationForUpdate(
  db: DbOrTrx,
  slug: string,
): Promise<{ id: number; name: string; slug: string; suspendedAt: Date | null } | undefined> {
  return db('organisations')
    .where('slug', slug)
    .forUpdate()
    .first({ id: 'id', name: 'name', slug: 'slug', suspendedAt: 'suspended_at' });
}

export async function markOrganisationSuspended(db: DbOrTrx, organisationId: number, reason: string): Promise<void> {
  await db('organisations').where('id', organisationId).update({ suspended_at: db.fn.now(), suspended_reason: reason });
}

export async function clearOrganisationSuspended(db: DbOrTrx, organisationId: number): Promise<void> {
  await db('organisations').where('id', organisationId).update({ suspended_at: null, suspended_reason: null });
}

/** The organisation's published assignments: the ones that may be in the search index. */
export async function selectPublishedAssignmentIds(db: DbOrTrx, organisationId: number): Promise<number[]> {
  return db('assignments').where({ organisation_id: organisationId, status: 'published' }).pluck('id') as Promise<number[]>;
}
