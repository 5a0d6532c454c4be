import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { z } from 'zod';
import { defineJob, jobId, pendingJobKeys } from '../../platform/jobs.js';
import {
  insertAssignment,
  selectCategoryId,
  selectLocality,
  selectOpenAssignments,
  selectPublicAssignment,
  type AssignmentDetail,
  type AssignmentSummary,
} from './queries.js';
import { newAssignmentSchema, type NewAssignment } from './schemas.js';

// The assignments' domain events, as jobs enqueued in the transaction of the change (they exist if and only if
// it commits). This module defines them; the modules above handle them: search indexes, saved searches mail.

/** "This assignment changed": the search index brings its document in line (src/modules/search). */
const INDEX_JOB_KEY_PREFIX = 'index_assignment:';

export const assignmentChangedJob = defineJob('index_assignment', z.object({ id: jobId }), ({ id }) => ({
  jobKey: `${INDEX_JOB_KEY_PREFIX}${id}`, // a burst of changes to one assignment collapses into one job
}));

/**
 * Assignments changed since the search index last took them: their index job is waiting or running. Until it
 * finishes, the index shows an older version (or nothing, for a new one); the search answers these from the
 * database (src/modules/search/fresh.ts).
 */
export async function assignmentsAwaitingIndex(db: DbOrTrx): Promise<number[]> {
  const keys = await pendingJobKeys(db, assignmentChangedJob.name);
  return keys
    .filter((key) => key.startsWith(INDEX_JOB_KEY_PREFIX))
    .map((key) => Number(key.slice(INDEX_JOB_KEY_PREFIX.length)))
    .filter((id) => Number.isSafeInteger(id) && id > 0);
}

/** "This assignment was just published": saved searches mail it (src/modules/saved-searches). */
export const assignmentPublishedJob = defineJob('assignment_published', z.object({ id: jobId }), ({ id }) => ({
  jobKey: `assignment_published:${id}`, // one per assignment however often it is asked for
}));

/** Enqueues a search-index update in the caller's transaction. */
export async function enqueueIndexUpdate(db: DbOrTrx, assignmentId: number): Promise<void> {
  await assignmentChangedJob.enqueue(db, { id: assignmentId });
}

/** Enqueues the "just published" job in the caller's transaction. */
export async function enqueuePublishedAlert(db: DbOrTrx, assignmentId: number): Promise<void> {
  await assignmentPublishedJob.enqueue(db, { id: assignmentId });
}

/**
 * Creates an assignment and, in the same transaction, the job that indexes it.
 * Throws AppError (bad_request with per-field messages) on invalid input.
 */
export async function createAssignment(db: DbOrTrx, input: NewAssignment): Promise<number> {
  const parsed = newAssignmentSchema.safeParse(input);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? 'input'), issue.message]));
    throw badRequest('The assignment is not valid', fields);
  }
  const value = parsed.data;

  const run = async (trx: DbOrTrx) => {
    const categoryId = await selectCategoryId(trx, value.categorySlug);
    if (categoryId === undefined) throw badRequest('Unknown category', { categorySlug: 'is not a category' });
    let localityId: number | null = null;
    if (value.localitySlug) {
      const locality = await selectLocality(trx, value.localitySlug);
      if (!locality) throw badRequest('Unknown locality', { localitySlug: 'is not a locality' });
      if (locality.municipalityCode !== value.municipalityCode) {
        throw badRequest('The locality is in another municipality', { localitySlug: 'is not in the chosen municipality' });
      }
      localityId = locality.id;
    }
    const id = await insertAssignment(trx, {
      organisation_id: value.organisationId,
      created_by: value.createdBy ?? null,
      title: value.title,
      description: value.description,
      category_id: categoryId,
      municipality_code: value.municipalityCode,
      locality_id: localityId,
      lat: value.lat ?? null,
      lng: value.lng ?? null,
      compensation_type: value.compensationType,
      amount_sek: value.amountSek ?? null,
      estimated_hours: value.estimatedHours ?? null,
      starts_on: value.startsOn ?? null,
      ends_on: value.endsOn ?? null,
      apply_by: value.applyBy ?? null,
      people_needed: value.peopleNeeded,
      requirements: value.requirements,
      work_training: value.workTraining,
      supervisor_available: value.supervisorAvailable,
      status: value.status,
      published_at: value.status === 'published' ? (value.publishedAt ?? new Date()) : null,
    });
    await enqueueIndexUpdate(trx, id);
    return id;
  };

  // Inside a caller's transaction this is a savepoint, so a demo seed can create many at once.
  return inTransaction(db, run);
}

export async function getPublicAssignment(db: DbOrTrx, id: number): Promise<AssignmentDetail> {
  const assignment = await selectPublicAssignment(db, id);
  if (!assignment) throw notFound();
  return assignment;
}

export async function listOpenAssignments(
  db: DbOrTrx,
  page: { page: number; perPage: number; organisationId?: number },
): Promise<{ assignments: AssignmentSummary[]; total: number }> {
  const { rows, total } = await selectOpenAssignments(db, {
    limit: page.perPage,
    offset: (page.page - 1) * page.perPage,
    organisationId: page.organisationId,
  });
  return { assignments: rows, total };
}
