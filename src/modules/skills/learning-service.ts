import { z } from 'zod';
import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { AppError, FormError } from '../../platform/errors.js';
import { fieldErrors, formText, textField } from '../../platform/validation.js';
import { authorize, can, type Actor } from '../access/index.js';
import { notify } from '../notifications/index.js';
import {
  countContactsSince,
  insertContact,
  lockSender,
  NEIGHBOUR_KM,
  selectLearningMatches,
  selectLearningSettings,
  selectReceivedContacts,
  selectUserIdByPublicId,
  type LearningMatchRow,
} from './learning-queries.js';

// Learn from each other (issue 15, item 6; PRODUCT.md "Skills and competence"). A resident who switched learning
// matches on (at /konto/kompetens, off by default) sees the others who did too, near them, who can teach what they
// want to learn or want to learn what they can teach. A match shows what the other's card shows (name, chosen
// villages, the matching skills; never an e-mail, phone or address) and is reached through the platform: a short
// message, kept for the recipient's page, announced by a notification (mail per their settings) that does not hold
// the message itself, as with the applications' messages. Only to a current match, at most CONTACTS_PER_DAY a day
// and CONTACTS_PER_PERSON_PER_DAY to one person (429 beyond).

export const MAX_MESSAGE_LENGTH = 1000;
export const CONTACTS_PER_DAY = 10;
export const CONTACTS_PER_PERSON_PER_DAY = 2;
const MATCH_LIMIT = 50;
const RECEIVED_LIMIT = 50;
const PUBLIC_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const LEARNING_PATH = '/konto/lara-av-varandra';

export type LearningState = 'on' | 'off' | 'hidden';

export interface LearningMatch extends Omit<LearningMatchRow, 'userId'> {
  /** The contact form's field id, unique on the page (no user id in the page). */
  formId: string;
}

export interface LearningPage {
  /** off: not opted in; hidden: opted in, but the profile is hidden, so no one may see the card to match with. */
  state: LearningState;
  matches: LearningMatch[];
  received: Array<{ id: number; message: string; createdAt: Date; senderName: string; senderUrl?: string }>;
  neighbourKm: number;
}

export interface ContactForm {
  to: string;
  message: string;
}

async function stateOf(db: DbOrTrx, userId: number): Promise<LearningState> {
  const settings = await selectLearningSettings(db, userId);
  if (!settings?.learningMatches) return 'off';
  return settings.visibility === 'hidden' ? 'hidden' : 'on';
}

const matchesOf = (db: DbOrTrx, actor: Actor, options: { limit: number; onlyUserId?: number }) =>
  selectLearningMatches(db, { userId: actor.userId!, isMember: actor.memberships.size > 0 }, options);

export async function getLearningPage(db: DbOrTrx, actor: Actor): Promise<LearningPage> {
  authorize(actor, 'competence.manage');
  const userId = actor.userId!;
  const state = await stateOf(db, userId);
  const [matches, received] = await Promise.all([
    state === 'on' ? matchesOf(db, actor, { limit: MATCH_LIMIT }) : Promise.resolve([]),
    selectReceivedContacts(db, userId, RECEIVED_LIMIT),
  ]);
  return {
    state,
    matches: matches.map(({ userId: _userId, ...match }, index) => ({ ...match, formId: `match-${index + 1}` })),
    received: received.map((contact) => ({
      id: contact.id,
      message: contact.message,
      createdAt: contact.createdAt,
      senderName: contact.senderName,
      // The sender's card, while the reader may still see it.
      senderUrl:
        contact.senderPublicId &&
        contact.senderVisibility &&
        contact.senderVisibility !== 'hidden' &&
        can(actor, 'competence.view', { personId: contact.senderUserId, visibility: contact.senderVisibility })
          ? `/kompetens/person/${contact.senderPublicId}`
          : undefined,
    })),
    neighbourKm: NEIGHBOUR_KM,
  };
}

const contactSchema = z.object({
  message: textField({ multiline: true, typeMessage: 'learning.errors.messageRequired' })
    .transform((value) => value.trim())
    .pipe(
      z
        .string()
        .min(1, 'learning.errors.messageRequired')
        .refine((value) => Array.from(value).length <= MAX_MESSAGE_LENGTH, 'learning.errors.messageTooLong'),
    ),
});

/** Sends a message to a current match; the refusals name the field (the person, or the message). */
export async function contactMatch(db: DbOrTrx, actor: Actor, body: Record<string, unknown>): Promise<void> {
  authorize(actor, 'competence.manage');
  const userId = actor.userId!;
  const form: ContactForm = { to: formText(body.to, 40), message: formText(body.message, MAX_MESSAGE_LENGTH * 2) };
  const parsed = contactSchema.safeParse(body);
  const errors: Record<string, string> = parsed.success ? {} : fieldErrors(parsed.error);
  const to = typeof body.to === 'string' && PUBLIC_ID.test(body.to) ? body.to : undefined;
  if (!to) errors.to = 'learning.errors.notAMatch';
  if (!parsed.success || !to) throw new FormError(errors, form);

  await inTransaction(db, async (trx) => {
    if ((await stateOf(trx, userId)) !== 'on') throw new AppError('conflict', 'learning.errors.notOn');
    const recipient = await selectUserIdByPublicId(trx, to);
    // Not a match (or no such card): one answer for both, so the form tells nobody who exists.
    const match =
      recipient === undefined || recipient === userId ? [] : await matchesOf(trx, actor, { limit: 1, onlyUserId: recipient });
    if (match.length === 0 || recipient === undefined) throw new FormError({ to: 'learning.errors.notAMatch' }, form);

    await lockSender(trx, userId);
    const since = new Date(Date.now() - 24 * 3_600_000);
    const all = await countContactsSince(trx, userId, since);
    const toThem = await countContactsSince(trx, userId, since, recipient);
    if (all >= CONTACTS_PER_DAY || toThem >= CONTACTS_PER_PERSON_PER_DAY) {
      const limited = new FormError(
        { message: all >= CONTACTS_PER_DAY ? 'learning.errors.dayLimit' : 'learning.errors.personLimit' },
        form,
        'conflict',
      );
      throw Object.assign(limited, { status: 429 });
    }
    await insertContact(trx, { fromUserId: userId, toUserId: recipient, message: parsed.data.message });
    const sender = await trx('users').where('id', userId).first<{ name: string }>('name');
    await notify(trx, {
      userIds: [recipient],
      type: 'learning_contact',
      link: `${LEARNING_PATH}#meddelanden`,
      params: { sender: sender?.name ?? '' },
    });
  });
}
