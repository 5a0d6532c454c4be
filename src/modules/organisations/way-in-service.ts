import type { DbOrTrx } from '../../platform/db.js';
import { can, type Actor } from '../access/index.js';
import { selectOrganisationsOfUser, type MyOrganisation } from './queries.js';

// "Lägg ut uppdrag" for an association that has never posted: where the person
// is on the way (account → organisation → first assignment) decides what they
// see next, so the link works the same from the header, the home page or a mail.

export type PostingStart =
  /** A visitor: the three steps, how review works, sign up or log in. */
  | { step: 'account' }
  /** Logged in, the e-mail not confirmed yet: an organisation cannot be registered before. */
  | { step: 'confirmEmail' }
  /** Logged in, in no organisation: register one. */
  | { step: 'organisation' }
  /** In one organisation: straight to its new-assignment form. */
  | { step: 'assignment'; slug: string }
  /** In several: the person chooses which one posts. */
  | { step: 'choose'; organisations: MyOrganisation[] };

export async function postingStart(db: DbOrTrx, actor: Actor): Promise<PostingStart> {
  if (actor.userId === undefined) return { step: 'account' };
  const organisations = await selectOrganisationsOfUser(db, actor.userId);
  if (organisations.length === 1) return { step: 'assignment', slug: organisations[0]!.slug };
  if (organisations.length > 1) return { step: 'choose', organisations };
  return can(actor, 'organisation.create') ? { step: 'organisation' } : { step: 'confirmEmail' };
}
