import type { DbOrTrx } from '../../platform/db.js';
import type { CompetenceVisibility } from '../access/index.js';
import type { SkillKind } from './vocabulary-queries.js';

// The resident's competence profile in the database (migrations/202612062200_create_skills.ts): their skills,
// certificates and languages (resident_skills), what they want to learn, what they offer, the confirmations
// organisations gave them, and the switches on resident_profiles (visibility, invites, learning matches).

export type SkillLevel = 'beginner' | 'experienced' | 'can_teach';
export const SKILL_LEVELS: readonly SkillLevel[] = ['beginner', 'experienced', 'can_teach'];

export interface CompetenceSettings {
  visibility: CompetenceVisibility;
  invitesAllowed: boolean;
  learningMatches: boolean;
}

export interface ResidentSkillRow {
  skillId: number;
  kind: SkillKind;
  nameSv: string;
  nameEn: string;
  curated: boolean;
  level: SkillLevel | null;
  /** 'YYYY-MM-DD' or null. */
  expiresOn: string | null;
}

export interface WishRow {
  skillId: number;
  nameSv: string;
  nameEn: string;
}

export interface OfferRow {
  id: number;
  title: string;
  description: string;
  priceOre: number | null;
  volunteer: boolean;
}

export interface ConfirmationRow {
  id: number;
  skillId: number;
  skillNameSv: string;
  skillNameEn: string;
  assignmentId: number;
  assignmentTitle: string;
  organisationName: string;
  confirmedAt: Date;
  hidden: boolean;
}

export const MAX_OFFERS = 10;

export async function selectCompetenceSettings(db: DbOrTrx, userId: number): Promise<CompetenceSettings | undefined> {
  return db('resident_profiles').where('user_id', userId).first({
    visibility: 'visibility',
    invitesAllowed: 'invites_allowed',
    learningMatches: 'learning_matches',
  });
}

export async function upsertCompetenceSettings(db: DbOrTrx, userId: number, settings: CompetenceSettings): Promise<void> {
  await db('resident_profiles')
    .insert({
      user_id: userId,
      visibility: settings.visibility,
      invites_allowed: settings.invitesAllowed,
      learning_matches: settings.learningMatches,
    })
    .onConflict('user_id')
    .merge(['visibility', 'invites_allowed', 'learning_matches', 'updated_at']);
}

/** The resident's skills, certificates and languages, by kind and Swedish name. */
export async function selectResidentSkills(db: DbOrTrx, userId: number): Promise<ResidentSkillRow[]> {
  const { rows } = await db.raw<{ rows: ResidentSkillRow[] }>(
    `SELECT s.id AS "skillId", s.kind, s.name_sv AS "nameSv", s.name_en AS "nameEn", s.curated,
            rs.level, rs.expires_on AS "expiresOn"
     FROM resident_skills rs JOIN skills s ON s.id = rs.skill_id
     WHERE rs.user_id = ?
     ORDER BY s.kind, s.name_sv COLLATE "sv-SE-x-icu", s.id`,
    [userId],
  );
  return rows;
}

export async function selectLearningWishes(db: DbOrTrx, userId: number): Promise<WishRow[]> {
  const { rows } = await db.raw<{ rows: WishRow[] }>(
    `SELECT s.id AS "skillId", s.name_sv AS "nameSv", s.name_en AS "nameEn"
     FROM resident_learning_wishes w JOIN skills s ON s.id = w.skill_id
     WHERE w.user_id = ?
     ORDER BY s.name_sv COLLATE "sv-SE-x-icu", s.id`,
    [userId],
  );
  return rows;
}

/** The kinds of these skills, for the ids that exist and were not merged into another. */
export async function selectLiveSkillKinds(db: DbOrTrx, skillIds: number[]): Promise<Map<number, SkillKind>> {
  if (skillIds.length === 0) return new Map();
  const rows = (await db('skills').whereIn('id', skillIds).whereNull('merged_into_id').select('id', 'kind')) as Array<{
    id: number;
    kind: SkillKind;
  }>;
  return new Map(rows.map((row) => [row.id, row.kind]));
}

/** Replaces the resident's skills, certificates and languages with these (the created_at of those kept stays). */
export async function replaceResidentSkills(
  db: DbOrTrx,
  userId: number,
  skills: Array<{ skillId: number; level: SkillLevel | null; expiresOn: string | null }>,
): Promise<void> {
  const ids = skills.map((skill) => skill.skillId);
  await db('resident_skills')
    .where('user_id', userId)
    .modify((query) => {
      if (ids.length) void query.whereNotIn('skill_id', ids);
    })
    .delete();
  if (skills.length)
    await db('resident_skills')
      .insert(
        skills.map((skill) => ({ user_id: userId, skill_id: skill.skillId, level: skill.level, expires_on: skill.expiresOn })),
      )
      .onConflict(['user_id', 'skill_id'])
      .merge(['level', 'expires_on']);
}

export async function replaceLearningWishes(db: DbOrTrx, userId: number, skillIds: number[]): Promise<void> {
  await db('resident_learning_wishes')
    .where('user_id', userId)
    .modify((query) => {
      if (skillIds.length) void query.whereNotIn('skill_id', skillIds);
    })
    .delete();
  if (skillIds.length)
    await db('resident_learning_wishes')
      .insert(skillIds.map((skillId) => ({ user_id: userId, skill_id: skillId })))
      .onConflict(['user_id', 'skill_id'])
      .ignore();
}

// ---------------------------------------------------------------------------
// Offers

const OFFER_COLUMNS = {
  id: 'id',
  title: 'title',
  description: 'description',
  priceOre: 'price_ore',
  volunteer: 'volunteer',
} as const;

export async function selectOffers(db: DbOrTrx, userId: number): Promise<OfferRow[]> {
  return db('resident_offers').where('user_id', userId).orderBy('id').select(OFFER_COLUMNS);
}

export async function selectOffer(db: DbOrTrx, userId: number, offerId: number): Promise<OfferRow | undefined> {
  return db('resident_offers').where({ id: offerId, user_id: userId }).first(OFFER_COLUMNS);
}

export async function countOffersForUpdate(db: DbOrTrx, userId: number): Promise<number> {
  // Locks the profile row so two parallel adds cannot both pass the limit.
  await db('resident_profiles').where('user_id', userId).forUpdate().first('user_id');
  const row = (await db('resident_offers').where('user_id', userId).count({ n: '*' }).first()) as { n: string | number };
  return Number(row.n);
}

export interface OfferValues {
  title: string;
  description: string;
  priceOre: number | null;
  volunteer: boolean;
}

export async function insertOffer(db: DbOrTrx, userId: number, offer: OfferValues): Promise<void> {
  await db('resident_offers').insert({
    user_id: userId,
    title: offer.title,
    description: offer.description,
    price_ore: offer.priceOre,
    volunteer: offer.volunteer,
  });
}

/** Whether the offer was the resident's (and so was changed). */
export async function updateOffer(db: DbOrTrx, userId: number, offerId: number, offer: OfferValues): Promise<boolean> {
  const changed = await db('resident_offers').where({ id: offerId, user_id: userId }).update({
    title: offer.title,
    description: offer.description,
    price_ore: offer.priceOre,
    volunteer: offer.volunteer,
    updated_at: db.fn.now(),
  });
  return changed > 0;
}

export async function deleteOffer(db: DbOrTrx, userId: number, offerId: number): Promise<boolean> {
  return (await db('resident_offers').where({ id: offerId, user_id: userId }).delete()) > 0;
}

// ---------------------------------------------------------------------------
// Confirmations

/** The resident's confirmations, newest first; `visibleOnly` for the person page. */
export async function selectConfirmations(db: DbOrTrx, userId: number, visibleOnly: boolean): Promise<ConfirmationRow[]> {
  const { rows } = await db.raw<{ rows: ConfirmationRow[] }>(
    `SELECT sc.id, sc.skill_id AS "skillId", s.name_sv AS "skillNameSv", s.name_en AS "skillNameEn", a.id AS "assignmentId",
            a.title AS "assignmentTitle", o.name AS "organisationName", sc.confirmed_at AS "confirmedAt", sc.hidden
     FROM skill_confirmations sc
     JOIN skills s ON s.id = sc.skill_id
     JOIN assignments a ON a.id = sc.assignment_id
     JOIN organisations o ON o.id = sc.organisation_id
     WHERE sc.user_id = ? ${visibleOnly ? 'AND NOT sc.hidden' : ''}
     ORDER BY sc.confirmed_at DESC, sc.id DESC`,
    [userId],
  );
  return rows;
}

export async function confirmationIsOwn(db: DbOrTrx, userId: number, confirmationId: number): Promise<boolean> {
  return (await db('skill_confirmations').where({ id: confirmationId, user_id: userId }).first('id')) !== undefined;
}

/** Whether the confirmation was the resident's (and so was changed). */
export async function setConfirmationHidden(
  db: DbOrTrx,
  userId: number,
  confirmationId: number,
  hidden: boolean,
): Promise<boolean> {
  return (await db('skill_confirmations').where({ id: confirmationId, user_id: userId }).update({ hidden })) > 0;
}

// ---------------------------------------------------------------------------
// The person page

export interface PersonRow {
  userId: number;
  name: string;
  availability: string;
  visibility: CompetenceVisibility;
  invitesAllowed: boolean;
}

/** The person behind a card's public id (a uuid, checked by the caller). */
export async function selectPersonByPublicId(db: DbOrTrx, publicId: string): Promise<PersonRow | undefined> {
  return db('resident_profiles as rp').join('users as u', 'u.id', 'rp.user_id').where('rp.public_id', publicId).first({
    userId: 'rp.user_id',
    name: 'u.name',
    availability: 'rp.availability',
    visibility: 'rp.visibility',
    invitesAllowed: 'rp.invites_allowed',
  });
}

export async function selectPublicId(db: DbOrTrx, userId: number): Promise<string | undefined> {
  const row = (await db('resident_profiles').where('user_id', userId).first('public_id')) as { public_id: string } | undefined;
  return row?.public_id;
}

export async function selectVillageNames(db: DbOrTrx, userId: number): Promise<string[]> {
  return db('resident_localities as rl')
    .join('localities as l', 'l.id', 'rl.locality_id')
    .where('rl.user_id', userId)
    .orderByRaw('l.name COLLATE "sv-SE-x-icu"')
    .pluck('l.name');
}
