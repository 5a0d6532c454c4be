import { inTransaction, type Db, type DbOrTrx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { reencodeAsWebp, UnreadableImageError } from '../../platform/images.js';
import { newStorageKey, type Storage, type StoredFile } from '../../platform/storage.js';
import { authorize, can, type Actor } from '../access/index.js';
import {
  deleteAttachment,
  EDITABLE,
  insertAttachment,
  PUBLIC_STATUSES,
  selectAttachmentFile,
  selectAttachmentPositions,
  selectAttachments,
  selectOrganisationAssignment,
  selectOrganisationIdBySlug,
  type Attachment,
  type AttachmentKind,
  type AssignmentStatus,
} from './queries.js';

// Attachments of an assignment (images and PDFs), added and removed by the
// members of its organisation while the assignment can be edited, and served
// to everyone once it is public. At most MAX_ATTACHMENTS: counted under a row
// lock on the assignment (SELECT … FOR UPDATE), so concurrent uploads queue
// behind each other; positions 1–6, unique per assignment, back it in the
// database. Files are written first and deleted again when the row is not.

export const MAX_ATTACHMENTS = 6;
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;
export const PDF_MAX_BYTES = 10 * 1024 * 1024;
/** Images are stored at most this many pixels wide or high, thumbnails at THUMBNAIL_SIDE. */
export const IMAGE_MAX_SIDE = 1600;
export const THUMBNAIL_SIDE = 400;

export const ATTACHMENT_FIELD = 'attachment';

export type { Attachment, AttachmentKind };

interface Target {
  id: number;
  organisationId: number;
  status: AssignmentStatus;
}

const fieldError = (code: 'bad_request' | 'conflict' | 'too_large', key: string) =>
  new AppError(code, key, { [ATTACHMENT_FIELD]: key });

const validId = (id: number) => Number.isSafeInteger(id) && id > 0;

async function organisationIdBySlug(db: DbOrTrx, slug: string): Promise<number> {
  const id = /^[a-z0-9-]{1,100}$/.test(slug) ? await selectOrganisationIdBySlug(db, slug) : undefined;
  if (id === undefined) throw notFound();
  return id;
}

async function findTarget(db: DbOrTrx, organisationId: number, id: number, lock: boolean): Promise<Target> {
  if (!validId(id)) throw notFound();
  const target = await selectOrganisationAssignment(db, organisationId, id, { lock });
  if (!target) throw notFound();
  return target;
}

const notEditable = (status: string) => new AppError('conflict', 'errors.assignmentState', { status });

/**
 * The assignment a member may attach files to: 404 unknown, 401 visitors,
 * 403 others, 409 when it can no longer be edited. Routes call this before
 * they read a body, so refused users upload nothing.
 */
export async function getAttachmentTarget(db: DbOrTrx, actor: Actor, slug: string, id: number): Promise<Target> {
  const organisationId = await organisationIdBySlug(db, slug);
  authorize(actor, 'assignment.edit', { organisationId });
  const target = await findTarget(db, organisationId, id, false);
  if (!EDITABLE.includes(target.status)) throw notEditable(target.status);
  return target;
}

export function listAttachments(db: DbOrTrx, assignmentId: number): Promise<Attachment[]> {
  return selectAttachments(db, assignmentId);
}

/** The files to store for an upload, decided from a received (type-checked) file. */
async function prepareFiles(file: { bytes: Buffer; mime: string }) {
  if (file.mime === 'application/pdf') {
    if (file.bytes.length > PDF_MAX_BYTES) throw fieldError('too_large', 'attachments.errors.tooLarge');
    return { kind: 'pdf' as const, main: file.bytes, thumbnail: undefined };
  }
  if (file.bytes.length > IMAGE_MAX_BYTES) throw fieldError('too_large', 'attachments.errors.imageTooLarge');
  try {
    const [main, thumbnail] = await Promise.all([
      reencodeAsWebp(file.bytes, IMAGE_MAX_SIDE),
      reencodeAsWebp(file.bytes, THUMBNAIL_SIDE),
    ]);
    return { kind: 'image' as const, main, thumbnail };
  } catch (error) {
    if (error instanceof UnreadableImageError) throw fieldError('bad_request', 'attachments.errors.unreadable');
    throw error;
  }
}

/** Adds one attachment; 409 (for the field) when the assignment already has six. */
export async function addAttachment(
  db: Db,
  storage: Storage,
  actor: Actor,
  slug: string,
  assignmentId: number,
  file: { bytes: Buffer; mime: string },
): Promise<Attachment> {
  const target = await getAttachmentTarget(db, actor, slug, assignmentId);
  const prepared = await prepareFiles(file);
  const key = newStorageKey('attachments', prepared.kind === 'pdf' ? 'pdf' : 'webp');
  const thumbnailKey = prepared.thumbnail ? newStorageKey('attachments', 'webp') : null;
  const written: string[] = [];
  try {
    await storage.put(key, prepared.main, prepared.kind === 'pdf' ? 'application/pdf' : 'image/webp');
    written.push(key);
    if (thumbnailKey && prepared.thumbnail) {
      await storage.put(thumbnailKey, prepared.thumbnail, 'image/webp');
      written.push(thumbnailKey);
    }
    return await inTransaction(db, async (trx) => {
      const locked = await findTarget(trx, target.organisationId, target.id, true);
      if (!EDITABLE.includes(locked.status)) throw notEditable(locked.status);
      const taken = await selectAttachmentPositions(trx, locked.id);
      if (taken.length >= MAX_ATTACHMENTS) throw fieldError('conflict', 'attachments.errors.tooMany');
      let position = 1;
      while (taken.includes(position)) position++;
      const id = await insertAttachment(trx, {
        assignmentId: locked.id,
        storageKey: key,
        kind: prepared.kind,
        thumbnailKey,
        byteSize: prepared.main.length,
        position,
      });
      return { id, kind: prepared.kind, position, byteSize: prepared.main.length };
    });
  } catch (error) {
    await Promise.all(written.map((written) => storage.delete(written).catch(() => {})));
    throw error;
  }
}

/** Removes an attachment and its files. */
export async function removeAttachment(
  db: Db,
  storage: Storage,
  actor: Actor,
  slug: string,
  assignmentId: number,
  attachmentId: number,
): Promise<void> {
  const target = await getAttachmentTarget(db, actor, slug, assignmentId);
  if (!validId(attachmentId)) throw notFound();
  const keys = await inTransaction(db, async (trx) => {
    const locked = await findTarget(trx, target.organisationId, target.id, true);
    if (!EDITABLE.includes(locked.status)) throw notEditable(locked.status);
    const deleted = await deleteAttachment(trx, locked.id, attachmentId);
    if (!deleted) throw notFound();
    return [deleted.storageKey, deleted.thumbnailKey].filter((key): key is string => key !== null);
  });
  // The row is gone; a file that fails to go is unreferenced, not a broken page.
  await Promise.all(keys.map((key) => storage.delete(key).catch(() => {})));
}

export interface AttachmentFile extends StoredFile {
  kind: AttachmentKind;
  position: number;
  /** Public assignment: may be cached by anyone. */
  isPublic: boolean;
}

/**
 * An attachment's file (or its thumbnail) for the serving route: only when
 * the assignment is public, not hidden and its organisation not suspended, or the requester is a member of
 * its organisation; otherwise 404, as if it did not exist.
 */
export async function getAttachmentFile(
  db: DbOrTrx,
  storage: Storage,
  actor: Actor,
  assignmentId: number,
  attachmentId: number,
  variant: 'full' | 'thumbnail',
): Promise<AttachmentFile> {
  if (!validId(assignmentId) || !validId(attachmentId)) throw notFound();
  const row = await selectAttachmentFile(db, assignmentId, attachmentId);
  if (!row) throw notFound();
  const isPublic = (PUBLIC_STATUSES as readonly string[]).includes(row.assignmentStatus) && row.organisationSuspendedAt === null;
  if (!isPublic && !can(actor, 'assignment.edit', { organisationId: row.organisationId })) throw notFound();
  const key = variant === 'thumbnail' ? row.thumbnailKey : row.storageKey;
  const file = key ? await storage.get(key) : undefined;
  if (!file) throw notFound();
  return { ...file, kind: row.kind, position: row.position, isPublic };
}
