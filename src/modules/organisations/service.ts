import { inTransaction, type Db, type DbOrTrx } from '../../platform/db.js';
import { AppError, badRequest, notFound } from '../../platform/errors.js';
import type { Language } from '../../platform/i18n.js';
import { reencodeAsWebp, UnreadableImageError } from '../../platform/images.js';
import { queueMail } from '../../platform/mail.js';
import { newStorageKey, type Storage, type StoredFile } from '../../platform/storage.js';
import { slugify } from '../../platform/slugify.js';
import { authorize, can, type Actor, type MemberRole } from '../access/index.js';
import { enqueueIndexUpdate, listOpenAssignments, type AssignmentSummary } from '../assignments/index.js';
import { notify } from '../notifications/index.js';
import type { ReferenceData } from '../../platform/reference-data.js';
import { hashInviteToken, isWellFormedToken, newInviteToken } from './invite-tokens.js';
import {
  addInvitedMember,
  consumeInvite,
  countInvitesSince,
  deleteMember,
  insertInvite,
  insertMember,
  insertOrganisation,
  isInviteOf,
  isMemberByEmail,
  lockMembers,
  lockOrganisationRow,
  markVerified,
  replaceLogoKey,
  revokeInvites,
  selectMembers,
  selectMembersToDo,
  selectNamesakes,
  selectOrganisationBySlug,
  selectOrganisationSlug,
  selectOrganisationsOfUser,
  selectPendingInvite,
  selectPendingInvites,
  selectPublicAssignmentIds,
  selectUsableInvite,
  updateMemberRole,
  updateOrganisation as updateOrganisationRow,
  type Member,
  type MyOrganisation,
  type NamesakeOrganisation,
  type Organisation,
  type OrganisationValues,
  type MembersToDo,
  type PendingInvite,
  type UsableInvite,
} from './queries.js';
import { fieldErrors, inviteSchema, organisationSchema, roleSchema, type OrganisationInput } from './schemas.js';

export type { Member, MyOrganisation, NamesakeOrganisation, Organisation, PendingInvite, UsableInvite };

export const INVITE_VALID_MS = 7 * 24 * 60 * 60 * 1000;
/** Invites one organisation may send per 24 hours: enough for a club, too few for a spammer. */
export const INVITES_PER_DAY = 30;
/** Open assignments shown on an organisation's page. */
const PAGE_ASSIGNMENTS = 20;

const E = 'organisations.errors';

const isId = (value: number) => Number.isSafeInteger(value) && value > 0;

async function organisationBySlug(db: DbOrTrx, slug: string): Promise<Organisation> {
  // Slugs are lower-case letters, digits and hyphens; anything else is not looked up.
  const organisation = /^[a-z0-9-]{1,100}$/.test(slug) ? await selectOrganisationBySlug(db, slug) : undefined;
  if (!organisation) throw notFound();
  return organisation;
}

function parseOrganisation(input: unknown, reference: ReferenceData): OrganisationInput {
  const parsed = organisationSchema((code) => reference.municipalityByCode.has(code)).safeParse(input ?? {});
  if (!parsed.success) throw badRequest('The organisation is not valid', fieldErrors(parsed.error));
  return parsed.data;
}

const toValues = (value: OrganisationInput): OrganisationValues => ({
  name: value.name,
  type: value.type,
  organisation_number: value.organisationNumber,
  municipality_code: value.municipality,
  address: value.address,
  billing_email: value.billingEmail,
  description: value.description,
  website: value.website,
});

/** A taken organisation number becomes a message beside its field; the unique index is the judge. */
const ORGANISATION_NUMBER_TAKEN = {
  organisations_organisation_number_unique: () =>
    new AppError('conflict', 'The organisation number is already registered', {
      organisationNumber: `${E}.organisationNumberTaken`,
    }),
};

// ---------------------------------------------------------------------------
// Organisations

/** What creating gives: the new organisation, or the namesakes the creator is asked about first. */
export type CreateOutcome = { slug: string } | { namesakes: NamesakeOrganisation[] };

/**
 * Registers an organisation, unverified, with the creator as its admin, in one
 * transaction. The slug comes from the name and is made unique. A name already
 * used in the same municipality is likely the creator's own association, made
 * before by someone else: unless `namesakesConfirmed`, nothing is stored and the
 * namesakes come back, so the creator can ask for an invitation instead — or go
 * on (a warning, not a refusal: two clubs may share a name).
 */
export async function createOrganisation(
  db: Db,
  actor: Actor,
  input: unknown,
  reference: ReferenceData,
  options: { namesakesConfirmed?: boolean } = {},
): Promise<CreateOutcome> {
  authorize(actor, 'organisation.create');
  const value = parseOrganisation(input, reference);
  if (!options.namesakesConfirmed) {
    const namesakes = await selectNamesakes(db, value.name, value.municipality);
    if (namesakes.length > 0) return { namesakes };
  }
  return inTransaction(
    db,
    async (trx) => {
      const { id, slug } = await insertOrganisation(trx, toValues(value), slugify(value.name) || 'organisation');
      await insertMember(trx, id, actor.userId!, 'admin');
      return { slug };
    },
    { constraints: ORGANISATION_NUMBER_TAKEN },
  );
}

export interface OrganisationPage {
  organisation: Organisation;
  assignments: AssignmentSummary[];
  totalAssignments: number;
  canEdit: boolean;
  canViewMembers: boolean;
  canPost: boolean;
  canVerify: boolean;
  /** For those who may post: what waits for them; undefined for anyone else. */
  membersToDo: MembersToDo | undefined;
}

/** The public page: anyone may read it. */
export async function getOrganisationPage(db: DbOrTrx, actor: Actor, slug: string): Promise<OrganisationPage> {
  const organisation = await organisationBySlug(db, slug);
  const { assignments, total } = await listOpenAssignments(db, {
    page: 1,
    perPage: PAGE_ASSIGNMENTS,
    organisationId: organisation.id,
  });
  const resource = { organisationId: organisation.id };
  const canPost = can(actor, 'assignment.create', resource);
  return {
    organisation,
    assignments,
    totalAssignments: total,
    canEdit: can(actor, 'organisation.edit', resource),
    canViewMembers: can(actor, 'organisation.members.view', resource),
    canPost,
    canVerify: can(actor, 'organisation.verify', resource),
    membersToDo: canPost ? await selectMembersToDo(db, organisation.id) : undefined,
  };
}

export async function getOrganisationForEdit(db: DbOrTrx, actor: Actor, slug: string): Promise<Organisation> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'organisation.edit', { organisationId: organisation.id });
  return organisation;
}

/**
 * Saves the edit form. Verification vouches for a name and a number: when an
 * organisation admin changes either, the organisation is unverified again
 * (a platform admin's edit keeps it verified). The slug stays, so links keep working.
 */
export async function updateOrganisation(
  db: Db,
  actor: Actor,
  slug: string,
  input: unknown,
  reference: ReferenceData,
): Promise<{ slug: string; unverified: boolean }> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'organisation.edit', { organisationId: organisation.id });
  const value = parseOrganisation(input, reference);
  const unverify =
    organisation.verifiedAt !== null &&
    !actor.isAdmin &&
    (value.name !== organisation.name || value.organisationNumber !== organisation.organisationNumber);
  await inTransaction(
    db,
    async (trx) => {
      await updateOrganisationRow(trx, organisation.id, toValues(value), { unverify });
      // Search documents carry the organisation's name: a new name re-indexes its public assignments.
      if (value.name !== organisation.name) {
        for (const id of await selectPublicAssignmentIds(trx, organisation.id)) await enqueueIndexUpdate(trx, id);
      }
    },
    { constraints: ORGANISATION_NUMBER_TAKEN },
  );
  return { slug: organisation.slug, unverified: unverify };
}

/**
 * A platform admin marks the organisation verified (idempotent). Its members
 * are told once: until then every assignment they publish waits for review,
 * and they should not have to keep checking. 404 for everyone else.
 */
export async function verifyOrganisation(db: DbOrTrx, actor: Actor, slug: string): Promise<{ slug: string }> {
  authorize(actor, 'organisation.verify');
  const organisation = await organisationBySlug(db, slug);
  await inTransaction(db, async (trx) => {
    if (!(await markVerified(trx, organisation.id))) return;
    const members = await selectMembers(trx, organisation.id);
    await notify(trx, {
      userIds: members.map((member) => member.userId).filter((id) => id !== actor.userId),
      type: 'organisation_verified',
      link: `/organisationer/${organisation.slug}/uppdrag`,
      params: { organisation: organisation.name },
    });
  });
  return { slug: organisation.slug };
}

// ---------------------------------------------------------------------------
// Logo

/** Logos are shown at most this many pixels wide or high. */
export const LOGO_MAX_SIDE = 512;

/**
 * Replaces the logo: the image is re-encoded (EXIF and GPS gone, at most
 * 512 × 512, WebP), stored under a new key, the key saved, then the old file
 * deleted. If saving the key fails, the new file is deleted again.
 */
export async function setOrganisationLogo(
  db: Db,
  storage: Storage,
  actor: Actor,
  slug: string,
  image: Buffer,
): Promise<{ slug: string }> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'organisation.edit', { organisationId: organisation.id });
  let webp: Buffer;
  try {
    webp = await reencodeAsWebp(image, LOGO_MAX_SIDE);
  } catch (error) {
    if (error instanceof UnreadableImageError)
      throw badRequest('The image could not be read', { logo: 'logo.errors.unreadable' });
    throw error;
  }
  const key = newStorageKey('logos', 'webp');
  await storage.put(key, webp, 'image/webp');
  let replaced: string | null;
  try {
    replaced = await inTransaction(db, (trx) => replaceLogoKey(trx, organisation.id, key));
  } catch (error) {
    await storage.delete(key).catch(() => {});
    throw error;
  }
  await deleteFileQuietly(storage, replaced);
  return { slug: organisation.slug };
}

export async function removeOrganisationLogo(db: Db, storage: Storage, actor: Actor, slug: string): Promise<{ slug: string }> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'organisation.edit', { organisationId: organisation.id });
  const replaced = await inTransaction(db, (trx) => replaceLogoKey(trx, organisation.id, null));
  await deleteFileQuietly(storage, replaced);
  return { slug: organisation.slug };
}

/**
 * The logo file. Organisation pages are public, and so are their logos —
 * except a suspended organisation's, which only its members and platform
 * admins still get (its page shows no logo to anyone else).
 */
export async function getOrganisationLogo(
  db: DbOrTrx,
  storage: Storage,
  actor: Actor,
  slug: string,
): Promise<StoredFile & { key: string; isPublic: boolean }> {
  const organisation = await organisationBySlug(db, slug);
  const isPublic = organisation.suspendedAt === null;
  if (!isPublic && !can(actor, 'organisation.members.view', { organisationId: organisation.id })) throw notFound();
  const file = organisation.logoKey ? await storage.get(organisation.logoKey) : undefined;
  if (!organisation.logoKey || !file) throw notFound();
  return { ...file, key: organisation.logoKey, isPublic };
}

/**
 * A replaced file whose row no longer points at it. Failing to delete it
 * leaves an unreferenced file, not a broken page, so the change stands.
 */
async function deleteFileQuietly(storage: Storage, key: string | null): Promise<void> {
  if (key) await storage.delete(key).catch(() => {});
}

export async function listMyOrganisations(db: DbOrTrx, actor: Actor): Promise<MyOrganisation[]> {
  authorize(actor, 'account.view');
  return selectOrganisationsOfUser(db, actor.userId!);
}

// ---------------------------------------------------------------------------
// Members

export interface MembersPage {
  organisation: Organisation;
  /** E-mail addresses only for those who manage the members. */
  members: Array<Omit<Member, 'email'> & { email: string | null }>;
  invites: PendingInvite[];
  canManage: boolean;
  adminCount: number;
}

export async function getMembersPage(db: DbOrTrx, actor: Actor, slug: string): Promise<MembersPage> {
  const organisation = await organisationBySlug(db, slug);
  const resource = { organisationId: organisation.id };
  authorize(actor, 'organisation.members.view', resource);
  const canManage = can(actor, 'organisation.members.manage', resource);
  const [members, invites] = await Promise.all([
    selectMembers(db, organisation.id),
    canManage ? selectPendingInvites(db, organisation.id) : Promise.resolve([]),
  ]);
  return {
    organisation,
    members: members.map((member) => ({ ...member, email: canManage ? member.email : null })),
    invites,
    canManage,
    adminCount: members.filter((member) => member.role === 'admin').length,
  };
}

/**
 * Invites someone by e-mail: a single-use link valid for seven days, mailed in
 * the same transaction. A new invite to the same address replaces older ones.
 */
export async function inviteMember(
  db: Db,
  actor: Actor,
  slug: string,
  input: unknown,
  context: { publicUrl: string; language: Language; inviterName?: string },
): Promise<{ email: string }> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'organisation.members.manage', { organisationId: organisation.id });
  const parsed = inviteSchema.safeParse(input ?? {});
  if (!parsed.success) throw badRequest('The invitation is not valid', fieldErrors(parsed.error));
  const { email, role } = parsed.data;

  await inTransaction(db, async (trx) => {
    // One invite at a time per organisation, so the daily limit holds under concurrency.
    await lockOrganisationRow(trx, organisation.id);
    if ((await countInvitesSince(trx, organisation.id, new Date(Date.now() - 24 * 60 * 60 * 1000))) >= INVITES_PER_DAY) {
      throw badRequest('Too many invitations today', { email: `${E}.tooManyInvites` });
    }
    if (await isMemberByEmail(trx, organisation.id, email)) {
      throw badRequest('Already a member', { email: `${E}.alreadyMember` });
    }
    await revokeInvites(trx, organisation.id, { email });
    const token = newInviteToken();
    await insertInvite(trx, {
      organisationId: organisation.id,
      email,
      role,
      tokenHash: hashInviteToken(token),
      invitedBy: actor.userId!,
      expiresAt: new Date(Date.now() + INVITE_VALID_MS),
    });
    await queueMail(trx, {
      to: email,
      template: 'invite',
      language: context.language,
      data: {
        url: `${context.publicUrl}/inbjudan?token=${token}`,
        organisationName: organisation.name,
        inviterName: context.inviterName,
      },
    });
  });
  return { email };
}

/**
 * Withdraws one invite of the organisation. An id that is not one of this
 * organisation's invites is a 404, like any other organisation's object named
 * under this organisation's path; withdrawing one already used, withdrawn or
 * expired changes nothing and is no error (a second click, another admin first).
 */
export async function revokeInvite(db: DbOrTrx, actor: Actor, slug: string, inviteId: number): Promise<void> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'organisation.members.manage', { organisationId: organisation.id });
  if (!isId(inviteId) || !(await isInviteOf(db, organisation.id, inviteId))) throw notFound();
  await revokeInvites(db, organisation.id, { inviteId });
}

/**
 * What the confirmation step of revoking an invite shows; refused as the revocation itself would be. An invite that
 * was used, revoked or has expired meanwhile has nothing left to revoke.
 */
export async function getInviteRevocationToConfirm(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
  inviteId: number,
): Promise<{ organisation: Organisation; invite: PendingInvite }> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'organisation.members.manage', { organisationId: organisation.id });
  if (!isId(inviteId) || !(await isInviteOf(db, organisation.id, inviteId))) throw notFound();
  const invite = await selectPendingInvite(db, organisation.id, inviteId);
  if (!invite) throw new AppError('conflict', 'organisationPages.members.revokeInvite.gone');
  return { organisation, invite };
}

type MembershipChange = { role: unknown } | 'remove';

/**
 * Changes a member's role or removes the member, never leaving the
 * organisation without an admin. The member rows are locked first and the
 * actor's right is decided again on what the lock shows, so two admins
 * removing each other at once leave one admin, not none.
 */
async function changeMembership(
  db: Db,
  actor: Actor,
  slug: string,
  userId: number,
  change: MembershipChange,
): Promise<{ slug: string; leftOrganisation: boolean }> {
  const organisation = await organisationBySlug(db, slug);
  const resource = { organisationId: organisation.id };
  authorize(actor, 'organisation.members.manage', resource);
  if (!isId(userId)) throw notFound();

  return inTransaction(db, async (trx) => {
    const members = await lockMembers(trx, organisation.id);
    const ownRole = members.find((member) => member.userId === actor.userId)?.role;
    const memberships = new Map(actor.memberships);
    if (ownRole) memberships.set(organisation.id, ownRole);
    else memberships.delete(organisation.id);
    authorize({ ...actor, memberships }, 'organisation.members.manage', resource);

    // Someone who is not a member here (another organisation's, say) is a 404, whatever the form says.
    const target = members.find((member) => member.userId === userId);
    if (!target) throw notFound();
    let newRole: MemberRole | undefined;
    if (change !== 'remove') {
      const role = roleSchema.safeParse(change.role);
      if (!role.success) throw badRequest('Unknown role', { role: `${E}.roleRequired` });
      newRole = role.data;
    }
    const losesAdmin = target.role === 'admin' && newRole !== 'admin';
    const otherAdmins = members.filter((member) => member.role === 'admin' && member.userId !== userId).length;
    if (losesAdmin && otherAdmins === 0) {
      throw new AppError('conflict', 'An organisation needs an admin', { form: `${E}.lastAdmin` });
    }
    if (newRole === undefined) await deleteMember(trx, organisation.id, userId);
    else if (newRole !== target.role) await updateMemberRole(trx, organisation.id, userId, newRole);
    return { slug: organisation.slug, leftOrganisation: newRole === undefined && userId === actor.userId };
  });
}

export function changeMemberRole(db: Db, actor: Actor, slug: string, userId: number, role: unknown) {
  return changeMembership(db, actor, slug, userId, { role });
}

export function removeMember(db: Db, actor: Actor, slug: string, userId: number) {
  return changeMembership(db, actor, slug, userId, 'remove');
}

/** What the confirmation step of removing a member shows; refused as the removal itself would be. */
export async function getMemberRemovalToConfirm(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
  userId: number,
): Promise<{ organisation: Organisation; member: { userId: number; name: string }; isSelf: boolean }> {
  const organisation = await organisationBySlug(db, slug);
  authorize(actor, 'organisation.members.manage', { organisationId: organisation.id });
  if (!isId(userId)) throw notFound();
  const members = await selectMembers(db, organisation.id);
  const target = members.find((member) => member.userId === userId);
  if (!target) throw notFound();
  const otherAdmins = members.filter((member) => member.role === 'admin' && member.userId !== userId).length;
  if (target.role === 'admin' && otherAdmins === 0) throw new AppError('conflict', `${E}.lastAdmin`);
  return { organisation, member: { userId: target.userId, name: target.name }, isSelf: userId === actor.userId };
}

// ---------------------------------------------------------------------------
// Accepting an invite

export interface InviteView {
  invite: UsableInvite | undefined;
  alreadyMember: boolean;
}

/** What the invite link's page shows; anyone holding the link may see it. */
export async function getInvite(db: DbOrTrx, actor: Actor, token: string): Promise<InviteView> {
  const invite = isWellFormedToken(token) ? await selectUsableInvite(db, hashInviteToken(token)) : undefined;
  // A member invited as admin may still accept, to become admin.
  const role = invite ? actor.memberships.get(invite.organisationId) : undefined;
  return { invite, alreadyMember: role === 'admin' || (role === 'member' && invite?.role === 'member') };
}

/**
 * Uses the invite: the logged-in user becomes a member with the invite's role.
 * The account's e-mail need not be the one the invite went to (people have a
 * work and a home address); the link itself, sent to that mailbox, is the
 * credential, and it works once.
 */
export async function acceptInvite(db: Db, actor: Actor, token: string): Promise<{ slug: string; joined: boolean }> {
  authorize(actor, 'organisation.join');
  const invalid = () => badRequest('The invitation is used, withdrawn or expired', { token: `${E}.inviteInvalid` });
  if (!isWellFormedToken(token)) throw invalid();
  return inTransaction(db, async (trx) => {
    const invite = await consumeInvite(trx, hashInviteToken(token), actor.userId!);
    if (!invite) throw invalid();
    const change = await addInvitedMember(trx, invite.organisationId, actor.userId!, invite.role);
    const slug = (await selectOrganisationSlug(trx, invite.organisationId))!;
    return { slug, joined: change !== 'unchanged' };
  });
}
