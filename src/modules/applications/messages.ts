import { z } from 'zod';
import type { DbOrTrx } from '../../platform/db.js';
import { AppError, translateDatabaseError } from '../../platform/errors.js';
import { fieldErrors, formText, textField } from '../../platform/validation.js';
import type { Actor } from '../access/index.js';
import { getApplicationForActor } from './service.js';
import { notify } from '../notifications/index.js';

// The message thread of an application (PRODUCT.md flow 3): between the
// applicant and the members of the assignment's organisation, nobody else
// (platform admins included: it is a private conversation). Who is a party is
// decided with the application (getApplicationForActor); everyone else is
// told the thread does not exist. Read state is a marker per person and
// thread (application_reads): everything up to that message id is read.
// The thread belongs to its application (it lives and dies with it, and every
// rule about who may write follows the application's status), so it is part of
// this module: a module of its own imported applications and was imported back.

export const MESSAGE_MAX_LENGTH = 4000;
/** The newest messages shown at once; older ones are a link away. */
export const MESSAGES_PER_PAGE = 50;
/** While an application is open the two sides may write; afterwards the thread is read-only. */
export const WRITABLE_STATUSES: readonly string[] = ['submitted', 'shortlisted', 'accepted'];

export const threadPath = (applicationId: number) => `/ansokningar/${applicationId}/meddelanden`;

export interface ThreadApplication {
  id: number;
  status: string;
  applicantId: number;
  applicantName: string;
  assignmentId: number;
  assignmentTitle: string;
  organisationId: number;
  organisationName: string;
}

export interface ThreadMessage {
  id: number;
  body: string;
  sentAt: Date;
  /** Who wrote it: the applicant, a member of the organisation, or an account deleted since. */
  side: 'applicant' | 'organisation' | 'deleted';
  senderName: string | null;
  mine: boolean;
}

export interface Thread {
  application: ThreadApplication;
  messages: ThreadMessage[];
  /** The id to page back from when older messages exist. */
  olderBefore?: number;
  /** True when this page is not the newest one. */
  showingOlder: boolean;
  writable: boolean;
}

export class MessageFormError extends AppError {
  constructor(
    code: 'bad_request' | 'conflict',
    field: string,
    readonly body: string,
  ) {
    super(code, 'The message was not sent', { body: field });
  }
}

/** The application when the actor is a party to its thread (applications decides: login first for visitors, 404 for others). */
async function threadApplication(db: DbOrTrx, actor: Actor, id: number): Promise<ThreadApplication> {
  const { application, assignment, organisation } = await getApplicationForActor(db, actor, id);
  return {
    id: application.id,
    status: application.status,
    applicantId: application.applicantId,
    applicantName: application.applicantName,
    assignmentId: assignment.id,
    assignmentTitle: assignment.title,
    organisationId: organisation.id,
    organisationName: organisation.name,
  };
}

/** Everything in the thread up to its newest message counts as read for this person, its notices too. */
async function markThreadRead(db: DbOrTrx, userId: number, applicationId: number): Promise<void> {
  await db.raw(
    `INSERT INTO application_reads (application_id, user_id, last_read_message_id)
       SELECT :applicationId, :userId, max(id) FROM application_messages WHERE application_id = :applicationId HAVING max(id) IS NOT NULL
     ON CONFLICT (application_id, user_id) DO UPDATE
       SET last_read_message_id = GREATEST(application_reads.last_read_message_id, EXCLUDED.last_read_message_id)`,
    { applicationId, userId },
  );
  await db('notifications')
    .where({ user_id: userId, type: 'message_received', link: threadPath(applicationId) })
    .whereNull('read_at')
    .update({ read_at: db.fn.now() });
}

/**
 * The thread as its page shows it: the newest MESSAGES_PER_PAGE messages
 * (or those before `before`), oldest first. Opening it marks it read.
 */
export async function getThread(db: DbOrTrx, actor: Actor, applicationId: number, before?: number): Promise<Thread> {
  const application = await threadApplication(db, actor, applicationId);
  const query = db('application_messages as m')
    .leftJoin('users as u', 'u.id', 'm.sender_id')
    .where('m.application_id', application.id)
    .orderBy('m.id', 'desc')
    .limit(MESSAGES_PER_PAGE + 1)
    .select<Array<{ id: number; body: string; created_at: Date; sender_id: number | null; name: string | null }>>(
      'm.id',
      'm.body',
      'm.created_at',
      'm.sender_id',
      'u.name',
    );
  if (before !== undefined) query.where('m.id', '<', before);
  const rows = await query;
  const hasOlder = rows.length > MESSAGES_PER_PAGE;
  const shown = rows.slice(0, MESSAGES_PER_PAGE).reverse();
  await markThreadRead(db, actor.userId!, application.id);
  return {
    application,
    messages: shown.map((row) => ({
      id: row.id,
      body: row.body,
      sentAt: row.created_at,
      side: row.sender_id === null ? 'deleted' : row.sender_id === application.applicantId ? 'applicant' : 'organisation',
      senderName: row.name,
      mine: row.sender_id !== null && row.sender_id === actor.userId,
    })),
    olderBefore: hasOlder ? shown[0]!.id : undefined,
    showingOlder: before !== undefined,
    writable: WRITABLE_STATUSES.includes(application.status),
  };
}

const messageBody = z.strictObject({
  body: textField({ multiline: true, typeMessage: 'messages.errors.notText' })
    .transform((text) => text.replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(1, 'messages.errors.empty')
        // Counted in characters (code points), as the database's check does.
        .refine((text) => Array.from(text).length <= MESSAGE_MAX_LENGTH, 'messages.errors.tooLong'),
    ),
});

/** Adds a message from the actor and notifies the other side; returns its id. */
export async function postMessage(db: DbOrTrx, actor: Actor, applicationId: number, input: unknown): Promise<number> {
  const application = await threadApplication(db, actor, applicationId);
  const raw = (input as { body?: unknown } | null)?.body;
  const typed = formText(raw);
  const parsed = messageBody.safeParse({ body: raw });
  if (!parsed.success)
    throw new MessageFormError('bad_request', fieldErrors(parsed.error).body ?? 'messages.errors.notText', typed);
  try {
    return await db.transaction(async (trx) => {
      // The status decides whether a message may be added: held still until the message is in.
      const { status } = (await trx('applications').where('id', application.id).forUpdate().first('status')) as {
        status: string;
      };
      if (!WRITABLE_STATUSES.includes(status)) throw new MessageFormError('conflict', 'messages.errors.readOnly', typed);
      const [row] = (await trx('application_messages')
        .insert({ application_id: application.id, sender_id: actor.userId, body: parsed.data.body })
        .returning('id')) as Array<{ id: number }>;
      // One's own message is read by its writer.
      await markThreadRead(trx, actor.userId!, application.id);
      // The other side: from the applicant, every member of the organisation; from a member, the applicant.
      const recipients =
        actor.userId === application.applicantId
          ? ((await trx('organisation_members')
              .where('organisation_id', application.organisationId)
              .pluck('user_id')) as number[])
          : [application.applicantId];
      const sender = await trx('users').where('id', actor.userId).first('name');
      await notify(trx, {
        userIds: recipients.filter((id) => id !== actor.userId),
        type: 'message_received',
        link: threadPath(application.id),
        params: { assignment: application.assignmentTitle, sender: (sender?.name as string | undefined) ?? '' },
      });
      return row!.id;
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw translateDatabaseError(error);
  }
}

// ---------------------------------------------------------------------------
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
