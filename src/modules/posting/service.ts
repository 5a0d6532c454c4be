import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Storage } from '../../platform/storage.js';
import { authorize, type Actor } from '../access/index.js';
import { OrganisationSuspendedError, selectHiddenAssignments, type HiddenAssignment } from '../moderation/index.js';
import { recordCompletion } from '../feedback/index.js';
import type { ReferenceData } from '../../platform/reference-data.js';
import { validatePostingForm, type PostingForm, type PostingValues } from './form.js';
import {
  EDITABLE,
  enqueueIndexUpdate,
  enqueuePublishedAlert,
  selectAssignmentDetail,
  type AssignmentDetail,
  type AssignmentStatus,
} from '../assignments/index.js';

// Posting and the lifecycle of an assignment, by the members of its
// organisation (and, for review, platform admins). Every change locks the row,
// checks the state it starts from, authorises, writes and enqueues the search
// index job in one transaction.

export interface PostingOrganisation {
  id: number;
  slug: string;
  name: string;
  municipalityCode: string;
  verified: boolean;
  /** Suspended by a moderator: no new assignments, nothing published. */
  suspended: boolean;
}

export type Transition = 'publish' | 'cancel' | 'close' | 'approve' | 'complete';

/** From which states each transition may start. */
export const TRANSITIONS: Record<Transition, readonly AssignmentStatus[]> = {
  publish: ['draft'],
  cancel: ['draft', 'pending_review', 'published', 'closed'],
  close: ['published'],
  approve: ['pending_review'],
  // From published or closed only when someone was accepted (checked in recordCompletion).
  complete: ['published', 'closed', 'assigned'],
};

export class PostingFormError extends AppError {
  constructor(
    fields: Record<string, string>,
    readonly form: PostingForm,
  ) {
    super('bad_request', 'The assignment is not valid', fields);
  }
}

async function organisationBySlug(db: DbOrTrx, slug: string): Promise<PostingOrganisation> {
  const row = /^[a-z0-9-]{1,100}$/.test(slug)
    ? await db('organisations')
        .where('slug', slug)
        .first('id', 'slug', 'name', 'municipality_code', 'verified_at', 'suspended_at')
    : undefined;
  if (!row) throw notFound();
  return {
    id: row.id as number,
    slug: row.slug as string,
    name: row.name as string,
    municipalityCode: row.municipality_code as string,
    verified: row.verified_at != null,
    suspended: row.suspended_at != null,
  };
}

/** The organisation, when the actor may post for it (404 unknown, login for visitors, 403 others). */
export async function getPostingOrganisation(db: DbOrTrx, actor: Actor, slug: string): Promise<PostingOrganisation> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'assignment.create', { organisationId: organisation.id });
  return organisation;
}

/** The organisation a new assignment is written for: as getPostingOrganisation, and 403 while it is suspended. */
export async function getOrganisationForNewPosting(db: DbOrTrx, actor: Actor, slug: string): Promise<PostingOrganisation> {
  const organisation = await getPostingOrganisation(db, actor, slug);
  if (organisation.suspended) throw new OrganisationSuspendedError();
  return organisation;
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

function validOrThrow(body: Record<string, unknown>, reference: ReferenceData): PostingValues {
  const { values, errors, form } = validatePostingForm(body, reference);
  if (!values) throw new PostingFormError(errors, form);
  return values;
}

/** Saves a new draft; returns its id. */
export async function createPosting(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
  body: Record<string, unknown>,
  reference: ReferenceData,
): Promise<number> {
  const organisation = await getOrganisationForNewPosting(db, actor, slug);
  const values = validOrThrow(body, reference);
  return inTransaction(db, async (trx) => {
    const [row] = await trx('assignments')
      .insert({ ...rowValues(values), organisation_id: organisation.id, created_by: actor.userId ?? null, status: 'draft' })
      .returning<{ id: number }[]>('id');
    await enqueueIndexUpdate(trx, row!.id);
    return row!.id;
  });
}

const conflict = (status: string) => new AppError('conflict', 'errors.assignmentState', { status });

/** Locks the organisation's assignment for a change; 404 when it is not this organisation's. */
async function lockAssignment(trx: DbOrTrx, organisationId: number | undefined, id: number) {
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  const query = trx('assignments').where('id', id).whereNull('hidden_at').forUpdate();
  if (organisationId !== undefined) query.where('organisation_id', organisationId);
  const row = await query.first('id', 'status', 'organisation_id');
  if (!row) throw notFound();
  return row as { id: number; status: AssignmentStatus; organisation_id: number };
}

export async function updatePosting(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
  id: number,
  body: Record<string, unknown>,
  reference: ReferenceData,
): Promise<void> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'assignment.edit', { organisationId: organisation.id });
  const values = validOrThrow(body, reference);
  await inTransaction(db, async (trx) => {
    const row = await lockAssignment(trx, organisation.id, id);
    if (!EDITABLE.includes(row.status)) throw conflict(row.status);
    await trx('assignments')
      .where('id', id)
      .update({ ...rowValues(values), updated_at: trx.fn.now() });
    await enqueueIndexUpdate(trx, id);
  });
}

/** The assignment as the form shows it, for the organisation's members. */
export async function getPostingForEdit(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
  id: number,
): Promise<{ organisation: PostingOrganisation; form: PostingForm; status: AssignmentStatus }> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'assignment.edit', { organisationId: organisation.id });
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound();
  const row = await db('assignments as a')
    .join('categories as c', 'c.id', 'a.category_id')
    .leftJoin('localities as l', 'l.id', 'a.locality_id')
    .where({ 'a.id': id, 'a.organisation_id': organisation.id })
    .whereNull('a.hidden_at')
    .first('a.*', { category_slug: 'c.slug', locality_name: 'l.name' });
  if (!row) throw notFound();
  if (!EDITABLE.includes(row.status)) throw conflict(row.status as string);
  const text = (value: unknown) => (value == null ? '' : String(value));
  return {
    organisation,
    status: row.status as AssignmentStatus,
    form: {
      title: row.title,
      description: row.description,
      category: row.category_slug,
      municipality: row.municipality_code,
      locality: text(row.locality_name),
      point: row.lat != null ? `${row.lat}, ${row.lng}` : '',
      compensationType: row.compensation_type,
      amountSek: text(row.amount_sek),
      // NUMERIC(6,1) arrives as exact text ('4.0'); the form shows the number (4).
      estimatedHours: text(row.estimated_hours == null ? null : Number(row.estimated_hours)),
      startsOn: text(row.starts_on),
      endsOn: text(row.ends_on),
      applyBy: text(row.apply_by),
      peopleNeeded: text(row.people_needed),
      requirements: row.requirements,
      workTraining: row.work_training,
      supervisorAvailable: row.supervisor_available,
    },
  };
}

/** The assignment as its public page will show it, whatever its state. */
export async function getPostingPreview(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
  id: number,
): Promise<{ organisation: PostingOrganisation; assignment: AssignmentDetail }> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'assignment.edit', { organisationId: organisation.id });
  const assignment = Number.isSafeInteger(id) && id > 0 ? await selectAssignmentDetail(db, id) : undefined;
  if (!assignment || assignment.organisationId !== organisation.id) throw notFound();
  return { organisation, assignment };
}

/**
 * One step of the lifecycle. publish: a verified organisation's draft is
 * published, an unverified one's waits for review; approve is a platform
 * admin's (slug undefined). Returns the new status.
 */
export async function transitionAssignment(
  db: DbOrTrx,
  actor: Actor,
  transition: Transition,
  id: number,
  slug?: string,
): Promise<AssignmentStatus> {
  let organisation: PostingOrganisation | undefined;
  if (transition === 'approve') {
    authorize(actor, 'assignment.review');
  } else {
    organisation = await organisationBySlug(db, slug ?? '');
    authorize(actor, 'assignment.edit', { organisationId: organisation.id });
  }
  return inTransaction(db, async (trx) => {
    const row = await lockAssignment(trx, organisation?.id, id);
    if (!TRANSITIONS[transition].includes(row.status)) throw conflict(row.status);
    let status: AssignmentStatus;
    const changes: Record<string, unknown> = { updated_at: trx.fn.now() };
    // Read under a share lock: verification may have changed since the page, and
    // a suspension running now waits for this publish (or this for it).
    const owner =
      transition === 'publish' || transition === 'approve'
        ? await trx('organisations').where('id', row.organisation_id).forShare().first('verified_at', 'suspended_at')
        : undefined;
    if (owner?.suspended_at != null) throw new OrganisationSuspendedError();
    switch (transition) {
      case 'publish': {
        status = owner?.verified_at != null ? 'published' : 'pending_review';
        break;
      }
      case 'approve':
        status = 'published';
        break;
      case 'cancel':
        status = 'cancelled';
        break;
      case 'close':
        status = 'closed';
        break;
      case 'complete':
        await recordCompletion(trx, actor, row.id);
        status = 'completed';
        changes.completed_at = trx.fn.now();
        break;
    }
    changes.status = status;
    if (status === 'published') changes.published_at = trx.fn.now();
    await trx('assignments').where('id', row.id).update(changes);
    await enqueueIndexUpdate(trx, row.id);
    if (status === 'published') await enqueuePublishedAlert(trx, row.id);
    return status;
  });
}

/**
 * Deletes a draft for good, with its attachments' files. Only drafts: anything
 * that was ever public may have applicants, links and search hits, and is
 * cancelled instead.
 */
export async function deleteDraft(db: DbOrTrx, storage: Storage, actor: Actor, slug: string, id: number): Promise<void> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'assignment.edit', { organisationId: organisation.id });
  const keys = await inTransaction(db, async (trx) => {
    const row = await lockAssignment(trx, organisation.id, id);
    if (row.status !== 'draft') throw conflict(row.status);
    const files = (await trx('assignment_attachments')
      .where('assignment_id', row.id)
      .select('storage_key', 'thumbnail_key')) as Array<{ storage_key: string; thumbnail_key: string | null }>;
    await trx('assignments').where('id', row.id).delete(); // attachments rows go by cascade
    // A draft is never in the index; the job makes sure of it all the same.
    await enqueueIndexUpdate(trx, row.id);
    return files.flatMap((file) => [file.storage_key, file.thumbnail_key]).filter((key): key is string => key !== null);
  });
  // The rows are gone; a file that fails to go is unreferenced, not a broken page.
  await Promise.all(keys.map((key) => storage.delete(key).catch(() => {})));
}

export interface OrganisationAssignment {
  id: number;
  title: string;
  status: AssignmentStatus;
  applyBy: string | null;
  updatedAt: Date;
  /** Applications not withdrawn, and of those the ones nobody has handled yet (submitted). */
  activeApplications: number;
  newApplications: number;
}

/** "Mina uppdrag": the organisation's assignments grouped by status, with their applicant counts. */
export async function listOrganisationAssignments(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
): Promise<{
  organisation: PostingOrganisation;
  groups: Array<{ status: AssignmentStatus; assignments: OrganisationAssignment[] }>;
  /** Hidden by a moderator: listed only here, with the moderator's reason (the notice links here). */
  hiddenByModerators: HiddenAssignment[];
}> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'assignment.edit', { organisationId: organisation.id });
  const rows = (await db('assignments')
    .where('organisation_id', organisation.id)
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
      activeApplications: db.raw(
        `(SELECT count(*)::int FROM applications ap WHERE ap.assignment_id = assignments.id AND ap.status <> 'withdrawn')`,
      ),
      newApplications: db.raw(
        `(SELECT count(*)::int FROM applications ap WHERE ap.assignment_id = assignments.id AND ap.status = 'submitted')`,
      ),
    })) as OrganisationAssignment[];
  const order: AssignmentStatus[] = [
    'draft',
    'pending_review',
    'published',
    'closed',
    'assigned',
    'completed',
    'expired',
    'cancelled',
  ];
  const groups = order
    .map((status) => ({ status, assignments: rows.filter((row) => row.status === status) }))
    .filter((group) => group.assignments.length > 0);
  return { organisation, groups, hiddenByModerators: await selectHiddenAssignments(db, { organisationId: organisation.id }) };
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
