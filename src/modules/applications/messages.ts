import { z } from 'zod';
import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { FormError } from '../../platform/errors.js';
import { fieldErrors, formText, textField } from '../../platform/validation.js';
import type { Actor } from '../access/index.js';
import { getApplicationForActor } from './service.js';
import { notify } from '../notifications/index.js';
import {
  insertMessage,
  lockApplication,
  markMessageNotificationsRead,
  selectMemberIds,
  selectMessages,
  selectUserName,
  upsertReadMarker,
} from './queries.js';

export { unreadMessageCounts, unreadMessageTotal } from './queries.js';

// The message thread of an application (PRODUCT.md flow 3): between the
// applicant and the members of the assignment's organisation, nobody else
// (platform admins included: it is a private conversation). Who is a party is
// decided with the application (getApplicationForActor); everyone else is
// told the thread does not exist. Opening a thread marks it read.
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
  await upsertReadMarker(db, userId, applicationId);
  await markMessageNotificationsRead(db, userId, threadPath(applicationId));
}

/**
 * The thread as its page shows it: the newest MESSAGES_PER_PAGE messages
 * (or those before `before`), oldest first. Opening it marks it read.
 */
export async function getThread(db: DbOrTrx, actor: Actor, applicationId: number, before?: number): Promise<Thread> {
  const application = await threadApplication(db, actor, applicationId);
  const rows = await selectMessages(db, application.id, { limit: MESSAGES_PER_PAGE + 1, before });
  const hasOlder = rows.length > MESSAGES_PER_PAGE;
  const shown = rows.slice(0, MESSAGES_PER_PAGE).reverse();
  await markThreadRead(db, actor.userId!, application.id);
  return {
    application,
    messages: shown.map((row) => ({
      id: row.id,
      body: row.body,
      sentAt: row.sentAt,
      side: row.senderId === null ? 'deleted' : row.senderId === application.applicantId ? 'applicant' : 'organisation',
      senderName: row.senderName,
      mine: row.senderId !== null && row.senderId === actor.userId,
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
    throw new FormError({ body: fieldErrors(parsed.error).body ?? 'messages.errors.notText' }, { body: typed });
  return inTransaction(db, async (trx) => {
    // The status decides whether a message may be added: held still until the message is in.
    const { status } = (await lockApplication(trx, application.id))!;
    if (!WRITABLE_STATUSES.includes(status))
      throw new FormError({ body: 'messages.errors.readOnly' }, { body: typed }, 'conflict');
    const id = await insertMessage(trx, { applicationId: application.id, senderId: actor.userId!, body: parsed.data.body });
    // One's own message is read by its writer.
    await markThreadRead(trx, actor.userId!, application.id);
    // The other side: from the applicant, every member of the organisation; from a member, the applicant.
    const recipients =
      actor.userId === application.applicantId
        ? await selectMemberIds(trx, application.organisationId)
        : [application.applicantId];
    const senderName = await selectUserName(trx, actor.userId!);
    await notify(trx, {
      userIds: recipients.filter((id) => id !== actor.userId),
      type: 'message_received',
      link: threadPath(application.id),
      params: { assignment: application.assignmentTitle, sender: senderName ?? '' },
    });
    return id;
  });
}
