import type { DbOrTrx } from '../../platform/db.js';
import type { MemberRole } from '../access/index.js';
import { PUBLIC_STATUSES } from '../assignments/index.js';
import type { OrganisationType } from './schemas.js';

export interface Organisation {
  id: number;
  name: string;
  slug: string;
  type: OrganisationType;
  organisationNumber: string | null;
  municipalityCode: string;
  municipalityName: string;
  description: string;
  address: string;
  billingEmail: string | null;
  website: string | null;
  verifiedAt: Date | null;
  /** Storage key of the logo (src/platform/storage.ts), or null. */
  logoKey: string | null;
  /** Suspended by a moderator (src/modules/moderation): its page shows only that. */
  suspendedAt: Date | null;
}

const ORGANISATION_COLUMNS = {
  id: 'o.id',
  name: 'o.name',
  slug: 'o.slug',
  type: 'o.type',
  organisationNumber: 'o.organisation_number',
  municipalityCode: 'o.municipality_code',
  municipalityName: 'm.short_name',
  description: 'o.description',
  address: 'o.address',
  billingEmail: 'o.billing_email',
  website: 'o.website',
  verifiedAt: 'o.verified_at',
  logoKey: 'o.logo_key',
  suspendedAt: 'o.suspended_at',
};

export async function selectOrganisationBySlug(db: DbOrTrx, slug: string): Promise<Organisation | undefined> {
  return db('organisations as o')
    .join('municipalities as m', 'm.code', 'o.municipality_code')
    .where('o.slug', slug)
    .first(ORGANISATION_COLUMNS);
}

/** The columns a create or edit form writes. */
export interface OrganisationValues {
  name: string;
  type: OrganisationType;
  organisation_number: string;
  municipality_code: string;
  address: string;
  billing_email: string;
  description: string;
  website: string | null;
}

/** Slugs that are paths of their own under /organisationer/. */
const RESERVED_SLUGS: ReadonlySet<string> = new Set(['ny']);

/**
 * Inserts an organisation under the first free slug of `base`, `base-2`, …
 * The unique index decides (ON CONFLICT (slug) DO NOTHING, then the next
 * candidate), so two organisations of the same name created at once both get
 * a slug. A taken organisation number still raises its unique violation.
 */
export async function insertOrganisation(
  db: DbOrTrx,
  values: OrganisationValues,
  base: string,
): Promise<{ id: number; slug: string }> {
  // A hint to skip the candidates already taken; the insert below is what counts.
  const taken = new Set<string>(await db('organisations').where('slug', base).orWhere('slug', 'like', `${base}-%`).pluck('slug'));
  let n = 1;
  const nextCandidate = () => {
    let candidate: string;
    do {
      candidate = n === 1 ? base : `${base}-${n}`;
      n++;
    } while (taken.has(candidate) || RESERVED_SLUGS.has(candidate));
    return candidate;
  };
  for (let attempt = 0; attempt < 25; attempt++) {
    const slug = nextCandidate();
    const [row] = await db('organisations')
      .insert({ ...values, slug })
      .onConflict('slug')
      .ignore()
      .returning<{ id: number }[]>('id');
    if (row) return { id: row.id, slug };
  }
  throw new Error(`No free slug for organisation "${base}"`);
}

/** An organisation whose name a new one would repeat in the same municipality. */
export interface NamesakeOrganisation {
  name: string;
  slug: string;
  municipalityName: string;
}

/** The organisations in `municipalityCode` named `name`, ignoring case and spacing ("Norsjö  IF" is "norsjö if"). */
export async function selectNamesakes(db: DbOrTrx, name: string, municipalityCode: string): Promise<NamesakeOrganisation[]> {
  return db('organisations as o')
    .join('municipalities as m', 'm.code', 'o.municipality_code')
    .where('o.municipality_code', municipalityCode)
    .whereRaw(`lower(regexp_replace(btrim(o.name), '\\s+', ' ', 'g')) = lower(regexp_replace(btrim(?), '\\s+', ' ', 'g'))`, [
      name,
    ])
    .orderBy('o.created_at')
    .limit(5)
    .select({ name: 'o.name', slug: 'o.slug', municipalityName: 'm.short_name' });
}

export async function updateOrganisation(
  db: DbOrTrx,
  id: number,
  values: OrganisationValues,
  options: { unverify: boolean },
): Promise<void> {
  await db('organisations')
    .where({ id })
    .update({ ...values, ...(options.unverify ? { verified_at: null } : {}), updated_at: db.fn.now() });
}

/** Marks an unverified organisation verified; false when it already was (nothing changes then). */
export async function markVerified(db: DbOrTrx, id: number): Promise<boolean> {
  const changed = await db('organisations')
    .where({ id })
    .whereNull('verified_at')
    .update({ verified_at: db.fn.now(), updated_at: db.fn.now() });
  return changed > 0;
}

/**
 * Sets (or with null clears) the logo's key and returns the key it replaces.
 * The row is locked first, so two uploads at once each learn the key they
 * replaced and no file is left behind unreferenced.
 */
export async function replaceLogoKey(trx: DbOrTrx, id: number, key: string | null): Promise<string | null> {
  const row = (await trx('organisations').where({ id }).forUpdate().first('logo_key')) as { logo_key: string | null } | undefined;
  await trx('organisations').where({ id }).update({ logo_key: key, updated_at: trx.fn.now() });
  return row?.logo_key ?? null;
}

/** The slug of the organisation with this id. */
export async function selectOrganisationSlug(db: DbOrTrx, id: number): Promise<string | undefined> {
  const row = (await db('organisations').where({ id }).first('slug')) as { slug: string } | undefined;
  return row?.slug;
}

/**
 * Locks the organisation's row against other updates (FOR NO KEY UPDATE:
 * inserts that only reference the organisation are not blocked).
 */
export async function lockOrganisationRow(db: DbOrTrx, id: number): Promise<void> {
  await db('organisations').where({ id }).forNoKeyUpdate().first('id');
}

/** The organisation's assignments in a public status (PUBLIC_STATUSES), hidden ones included. */
export async function selectPublicAssignmentIds(db: DbOrTrx, organisationId: number): Promise<number[]> {
  return db('assignments').where('organisation_id', organisationId).whereIn('status', PUBLIC_STATUSES).pluck('id');
}

/** What waits for the organisation's members: new applications and drafts that review sent back (hidden ones left out). */
export interface MembersToDo {
  newApplications: number;
  returnedDrafts: number;
}

export async function selectMembersToDo(db: DbOrTrx, organisationId: number): Promise<MembersToDo> {
  const row = await db('assignments as a')
    .where('a.organisation_id', organisationId)
    .whereNull('a.hidden_at')
    .first({
      newApplications: db.raw(
        `COALESCE(SUM((SELECT count(*) FROM applications ap WHERE ap.assignment_id = a.id AND ap.status = 'submitted')), 0)::int`,
      ),
      returnedDrafts: db.raw(`count(*) FILTER (WHERE a.status = 'draft' AND a.review_note IS NOT NULL)::int`),
    });
  return { newApplications: Number(row?.newApplications ?? 0), returnedDrafts: Number(row?.returnedDrafts ?? 0) };
}

// ---------------------------------------------------------------------------
// Members

export interface Member {
  userId: number;
  name: string;
  email: string;
  role: MemberRole;
  joinedAt: Date;
}

export async function selectMembers(db: DbOrTrx, organisationId: number): Promise<Member[]> {
  return db('organisation_members as om')
    .join('users as u', 'u.id', 'om.user_id')
    .where('om.organisation_id', organisationId)
    .orderByRaw(`om.role = 'admin' DESC, u.name, u.id`)
    .select({ userId: 'u.id', name: 'u.name', email: 'u.email', role: 'om.role', joinedAt: 'om.created_at' });
}

/**
 * Locks the organisation's member rows until the transaction ends and returns
 * them as they are now. Every change to roles or membership takes this lock
 * first, so "is there another admin?" cannot be answered by two transactions
 * at once: the second waits and then sees the first one's change.
 */
export async function lockMembers(trx: DbOrTrx, organisationId: number): Promise<Array<{ userId: number; role: MemberRole }>> {
  return trx('organisation_members')
    .where('organisation_id', organisationId)
    .orderBy('user_id')
    .forUpdate()
    .select({ userId: 'user_id', role: 'role' });
}

export async function insertMember(db: DbOrTrx, organisationId: number, userId: number, role: MemberRole): Promise<void> {
  await db('organisation_members').insert({ organisation_id: organisationId, user_id: userId, role });
}

/**
 * Adds a member from an invite. Someone who already is a member keeps their
 * membership; an admin invite makes them admin, a member invite never demotes.
 */
export async function addInvitedMember(
  db: DbOrTrx,
  organisationId: number,
  userId: number,
  role: MemberRole,
): Promise<'added' | 'promoted' | 'unchanged'> {
  // xmax = 0 on the returned row: it was inserted, not updated. No row: nothing changed.
  const result = await db.raw<{ rows: Array<{ inserted: boolean }> }>(
    `INSERT INTO organisation_members (organisation_id, user_id, role) VALUES (?, ?, ?)
     ON CONFLICT (organisation_id, user_id) DO UPDATE SET role = 'admin'
       WHERE EXCLUDED.role = 'admin' AND organisation_members.role <> 'admin'
     RETURNING (xmax = 0) AS inserted`,
    [organisationId, userId, role],
  );
  const [row] = result.rows;
  return row === undefined ? 'unchanged' : row.inserted ? 'added' : 'promoted';
}

export async function updateMemberRole(db: DbOrTrx, organisationId: number, userId: number, role: MemberRole): Promise<void> {
  await db('organisation_members').where({ organisation_id: organisationId, user_id: userId }).update({ role });
}

export async function deleteMember(db: DbOrTrx, organisationId: number, userId: number): Promise<void> {
  await db('organisation_members').where({ organisation_id: organisationId, user_id: userId }).delete();
}

export async function isMemberByEmail(db: DbOrTrx, organisationId: number, email: string): Promise<boolean> {
  const row = await db('organisation_members as om')
    .join('users as u', 'u.id', 'om.user_id')
    .where('om.organisation_id', organisationId)
    .where('u.email', email)
    .first('u.id');
  return row !== undefined;
}

export interface MyOrganisation {
  name: string;
  slug: string;
  role: MemberRole;
  verified: boolean;
}

export async function selectOrganisationsOfUser(db: DbOrTrx, userId: number): Promise<MyOrganisation[]> {
  return db('organisation_members as om')
    .join('organisations as o', 'o.id', 'om.organisation_id')
    .where('om.user_id', userId)
    .orderBy([{ column: 'o.name' }, { column: 'o.id' }])
    .select({ name: 'o.name', slug: 'o.slug', role: 'om.role', verified: db.raw('o.verified_at IS NOT NULL') });
}

// ---------------------------------------------------------------------------
// Invites

export interface PendingInvite {
  id: number;
  email: string;
  role: MemberRole;
  expiresAt: Date;
  invitedByName: string | null;
}

export async function insertInvite(
  db: DbOrTrx,
  invite: { organisationId: number; email: string; role: MemberRole; tokenHash: string; invitedBy: number; expiresAt: Date },
): Promise<void> {
  await db('organisation_invites').insert({
    organisation_id: invite.organisationId,
    email: invite.email,
    role: invite.role,
    token_hash: invite.tokenHash,
    invited_by: invite.invitedBy,
    expires_at: invite.expiresAt,
  });
}

/** Invites neither accepted, withdrawn nor expired. */
const pending = (db: DbOrTrx) =>
  db('organisation_invites as i').whereNull('i.accepted_at').whereNull('i.revoked_at').where('i.expires_at', '>', db.fn.now());

export async function selectPendingInvites(db: DbOrTrx, organisationId: number): Promise<PendingInvite[]> {
  return pending(db)
    .leftJoin('users as u', 'u.id', 'i.invited_by')
    .where('i.organisation_id', organisationId)
    .orderBy('i.created_at', 'desc')
    .select({ id: 'i.id', email: 'i.email', role: 'i.role', expiresAt: 'i.expires_at', invitedByName: 'u.name' });
}

export async function countInvitesSince(db: DbOrTrx, organisationId: number, since: Date): Promise<number> {
  const [row] = await db('organisation_invites')
    .where('organisation_id', organisationId)
    .where('created_at', '>', since)
    .count<{ count: string }[]>({ count: '*' });
  return Number(row?.count ?? 0);
}

/** One of the organisation's pending invites, or undefined. */
export async function selectPendingInvite(
  db: DbOrTrx,
  organisationId: number,
  inviteId: number,
): Promise<PendingInvite | undefined> {
  return pending(db)
    .leftJoin('users as u', 'u.id', 'i.invited_by')
    .where({ 'i.organisation_id': organisationId, 'i.id': inviteId })
    .first({ id: 'i.id', email: 'i.email', role: 'i.role', expiresAt: 'i.expires_at', invitedByName: 'u.name' });
}

/** Whether the invite (in any state) belongs to the organisation. */
export async function isInviteOf(db: DbOrTrx, organisationId: number, inviteId: number): Promise<boolean> {
  const row = await db('organisation_invites').where({ id: inviteId, organisation_id: organisationId }).first('id');
  return row !== undefined;
}

/** Withdraws pending invites: one (`inviteId`) or all to an address. Returns how many. */
export async function revokeInvites(
  db: DbOrTrx,
  organisationId: number,
  which: { inviteId: number } | { email: string },
): Promise<number> {
  const query = pending(db).where('i.organisation_id', organisationId);
  if ('inviteId' in which) query.where('i.id', which.inviteId);
  else query.where('i.email', which.email);
  return query.update({ revoked_at: db.fn.now() });
}

export interface UsableInvite {
  organisationId: number;
  organisationName: string;
  organisationSlug: string;
  email: string;
  role: MemberRole;
}

export async function selectUsableInvite(db: DbOrTrx, tokenHash: string): Promise<UsableInvite | undefined> {
  return pending(db).join('organisations as o', 'o.id', 'i.organisation_id').where('i.token_hash', tokenHash).first({
    organisationId: 'o.id',
    organisationName: 'o.name',
    organisationSlug: 'o.slug',
    email: 'i.email',
    role: 'i.role',
  });
}

/** Marks a usable invite used by `userId`; undefined when it is unknown, used, withdrawn or expired. */
export async function consumeInvite(
  db: DbOrTrx,
  tokenHash: string,
  userId: number,
): Promise<{ organisationId: number; role: MemberRole } | undefined> {
  const [row] = await db('organisation_invites')
    .where({ token_hash: tokenHash })
    .whereNull('accepted_at')
    .whereNull('revoked_at')
    .where('expires_at', '>', db.fn.now())
    .update({ accepted_at: db.fn.now(), accepted_by: userId })
    .returning<Array<{ organisationId: number; role: MemberRole }>>(['organisation_id as organisationId', 'role']);
  return row;
}

/** Organisations no platform admin has verified yet (the admin's "to verify" on "Mitt konto"). */
export async function countUnverifiedOrganisations(db: DbOrTrx): Promise<number> {
  const [row] = await db('organisations').whereNull('verified_at').count<{ count: string }[]>({ count: '*' });
  return Number(row?.count ?? 0);
}
