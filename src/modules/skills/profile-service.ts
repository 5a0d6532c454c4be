import { z } from 'zod';
import { todayInStockholm } from '../../platform/calendar.js';
import { inTransaction, type Db, type DbOrTrx } from '../../platform/db.js';
import { AppError, FormError, notFound } from '../../platform/errors.js';
import { foldedKey } from '../../platform/slugify.js';
import { formText, hasForbiddenCharacters, textField, VALIDATION_MESSAGES } from '../../platform/validation.js';
import { authorize, can, type Actor, type CompetenceVisibility } from '../access/index.js';
import { enqueuePeopleIndexSync } from './people-sync.js';
import {
  confirmationIsOwn,
  countOffersForUpdate,
  deleteOffer,
  insertOffer,
  MAX_OFFERS,
  replaceLearningWishes,
  replaceResidentSkills,
  selectCompetenceSettings,
  selectConfirmations,
  selectLearningWishes,
  selectLiveSkillKinds,
  selectOffer,
  selectOffers,
  selectPersonByPublicId,
  selectPublicId,
  selectResidentSkills,
  selectVillageNames,
  setConfirmationHidden,
  SKILL_LEVELS,
  updateOffer,
  upsertCompetenceSettings,
  type ConfirmationRow,
  type OfferRow,
  type OfferValues,
  type ResidentSkillRow,
  type SkillLevel,
} from './profile-queries.js';
import { resolveTypedSkills, selectCuratedSkills, type SkillKind, type SkillRow } from './vocabulary-queries.js';

// The resident's competence profile (issue 15, item 2): skills with a level, certificates with an expiry, languages,
// what they want to learn, who sees it; what they offer; the confirmations organisations gave them (shown or hidden
// by the resident); and the person page others see by the visibility the resident chose.

/** Field messages: i18n keys under competenceProfile.errors. */
const E = (key: string) => `competenceProfile.errors.${key}`;

export const PROFILE_LIMITS = {
  /** Skills, certificates and languages, each. */
  perKind: 40,
  wishes: 20,
  /** A typed name. */
  nameLength: 60,
  /** A field of comma-separated words. */
  typedLength: 1500,
} as const;

const VISIBILITIES: readonly CompetenceVisibility[] = ['hidden', 'organisations', 'public'];
const ID = /^\d{1,9}$/;

/** The profile form as the page shows it: what is saved, or what was typed into a refused form. */
export interface CompetenceForm {
  /** Skill id → level, for the skills chosen. */
  levels: Record<string, SkillLevel>;
  certificates: string[];
  /** Certificate id → expiry as typed ('YYYY-MM-DD' or ''). */
  expires: Record<string, string>;
  languages: string[];
  newSkills: string;
  newSkillsLevel: SkillLevel;
  newCertificates: string;
  newLanguages: string;
  wishes: string;
  visibility: string;
  invitesAllowed: boolean;
  learningMatches: boolean;
}

export interface CompetenceChoices {
  /** Skills to give a level, in groups (by category; the resident's own words last). */
  skillGroups: Array<{
    categorySlug: string | null;
    own: boolean;
    skills: Array<{ id: number; nameSv: string; nameEn: string }>;
  }>;
  certificates: Array<{ id: number; nameSv: string; nameEn: string }>;
  languages: Array<{ id: number; nameSv: string; nameEn: string }>;
  /** Every curated name, for the datalist of the typed fields. */
  suggestions: string[];
}

export interface CompetencePage {
  form: CompetenceForm;
  choices: CompetenceChoices;
  offers: OfferRow[];
  confirmations: ConfirmationRow[];
  publicId: string | undefined;
  /** The saved certificates that expired ('YYYY-MM-DD' < today). */
  expired: number[];
}

const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function formFromRows(
  rows: ResidentSkillRow[],
  wishes: string[],
  settings: Awaited<ReturnType<typeof selectCompetenceSettings>>,
): CompetenceForm {
  const form: CompetenceForm = {
    levels: {},
    certificates: [],
    expires: {},
    languages: [],
    newSkills: '',
    newSkillsLevel: 'experienced',
    newCertificates: '',
    newLanguages: '',
    wishes: wishes.join(', '),
    visibility: settings?.visibility ?? 'hidden',
    invitesAllowed: settings?.invitesAllowed ?? true,
    learningMatches: settings?.learningMatches ?? false,
  };
  for (const row of rows) {
    const id = String(row.skillId);
    if (row.kind === 'skill') form.levels[id] = row.level ?? 'experienced';
    else if (row.kind === 'certificate') {
      form.certificates.push(id);
      form.expires[id] = row.expiresOn ?? '';
    } else form.languages.push(id);
  }
  return form;
}

/** The submitted form as the page shows it again, so nothing typed is lost (only strings count). */
export function echoCompetenceForm(body: Record<string, unknown>): CompetenceForm {
  const strings = (value: unknown) =>
    list(value)
      .filter((v): v is string => typeof v === 'string')
      .slice(0, 300);
  const levels: Record<string, SkillLevel> = {};
  for (const value of strings(body.skills)) {
    const [id, level] = value.split(':');
    if (id && ID.test(id) && SKILL_LEVELS.includes(level as SkillLevel)) levels[id] = level as SkillLevel;
  }
  const expires: Record<string, string> = {};
  for (const [name, value] of Object.entries(body))
    if (name.startsWith('expires-') && ID.test(name.slice(8))) expires[name.slice(8)] = formText(value, 10);
  const level = formText(body.newSkillsLevel);
  return {
    levels,
    certificates: strings(body.certificates).filter((id) => ID.test(id)),
    expires,
    languages: strings(body.languages).filter((id) => ID.test(id)),
    newSkills: formText(body.newSkills, PROFILE_LIMITS.typedLength),
    newSkillsLevel: SKILL_LEVELS.includes(level as SkillLevel) ? (level as SkillLevel) : 'experienced',
    newCertificates: formText(body.newCertificates, PROFILE_LIMITS.typedLength),
    newLanguages: formText(body.newLanguages, PROFILE_LIMITS.typedLength),
    wishes: formText(body.wishes, PROFILE_LIMITS.typedLength),
    visibility: formText(body.visibility, 20),
    invitesAllowed: body.invitesAllowed === 'on',
    learningMatches: body.learningMatches === 'on',
  };
}

/** The resident's competence page: the saved form (or `form`, a refused one), the choices, offers and confirmations. */
export async function getCompetencePage(db: DbOrTrx, actor: Actor, form?: CompetenceForm): Promise<CompetencePage> {
  authorize(actor, 'competence.manage');
  const userId = actor.userId!;
  const [rows, wishes, settings, curated, offers, confirmations, publicId] = await Promise.all([
    selectResidentSkills(db, userId),
    selectLearningWishes(db, userId),
    selectCompetenceSettings(db, userId),
    selectCuratedSkills(db),
    selectOffers(db, userId),
    selectConfirmations(db, userId, false),
    selectPublicId(db, userId),
  ]);
  const today = todayInStockholm();
  return {
    form:
      form ??
      formFromRows(
        rows,
        wishes.map((wish) => wish.nameSv),
        settings,
      ),
    choices: choicesOf(curated, rows),
    offers,
    confirmations,
    publicId,
    expired: rows.filter((row) => row.expiresOn !== null && row.expiresOn < today).map((row) => row.skillId),
  };
}

function choicesOf(curated: SkillRow[], own: ResidentSkillRow[]): CompetenceChoices {
  const pick = ({ id, nameSv, nameEn }: { id: number; nameSv: string; nameEn: string }) => ({ id, nameSv, nameEn });
  const ownOf = (kind: SkillKind) =>
    own
      .filter((row) => row.kind === kind && !row.curated)
      .map((row) => pick({ id: row.skillId, nameSv: row.nameSv, nameEn: row.nameEn }));
  const groups = new Map<string | null, CompetenceChoices['skillGroups'][number]>();
  for (const skill of curated.filter((s) => s.kind === 'skill')) {
    const group = groups.get(skill.categorySlug) ?? { categorySlug: skill.categorySlug, own: false, skills: [] };
    group.skills.push(pick(skill));
    groups.set(skill.categorySlug, group);
  }
  const skillGroups = [...groups.values()];
  const ownSkills = ownOf('skill');
  if (ownSkills.length) skillGroups.push({ categorySlug: null, own: true, skills: ownSkills });
  return {
    skillGroups,
    certificates: [...curated.filter((s) => s.kind === 'certificate').map(pick), ...ownOf('certificate')],
    languages: [...curated.filter((s) => s.kind === 'language').map(pick), ...ownOf('language')],
    suggestions: curated.map((skill) => skill.nameSv),
  };
}

// ---------------------------------------------------------------------------
// Saving the profile

/** An expiry: a real calendar day from 1900 to 2100 (a licence may be old or long-lived), else the message. */
export function expiryProblem(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return E('expiryFormat');
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2100) return E('expiryRange');
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (days === undefined || day < 1 || day > days) return E('expiryInvalid');
  return undefined;
}

/** Comma-separated typed words, or the message for the field. */
function typedWords(value: unknown, max: number): string[] | string {
  if (value === undefined) return [];
  if (typeof value !== 'string') return E('invalid');
  if (hasForbiddenCharacters(value)) return VALIDATION_MESSAGES.invalidCharacters;
  if (value.length > PROFILE_LIMITS.typedLength) return E('typedTooLong');
  const words = [
    ...new Map(
      value
        .split(',')
        .map((word) => word.trim())
        .filter((word) => foldedKey(word) !== '')
        .map((w) => [foldedKey(w), w]),
    ).values(),
  ];
  if (words.some((word) => [...word].length > PROFILE_LIMITS.nameLength)) return E('nameTooLong');
  if (words.length > max) return E(max === PROFILE_LIMITS.wishes ? 'tooManyWishes' : 'tooMany');
  return words;
}

/** Ids from checkboxes, or the message for the field. */
function idList(value: unknown): number[] | string {
  const values = list(value);
  if (values.length > 300) return E('tooMany');
  if (!values.every((v): v is string => typeof v === 'string' && ID.test(v))) return E('unknownSkill');
  return [...new Set(values.map(Number))];
}

/** Validates and saves the whole competence profile in one transaction; refuses with the form kept as typed. */
export async function saveCompetenceProfile(db: Db, actor: Actor, body: Record<string, unknown>): Promise<void> {
  authorize(actor, 'competence.manage');
  const userId = actor.userId!;
  const errors: Record<string, string> = {};
  const refuse = (): never => {
    throw new FormError(errors, echoCompetenceForm(body));
  };

  // Skills: one select per skill, each "<id>:<level>" or "" (not chosen).
  const levels = new Map<number, SkillLevel>();
  const skillValues = list(body.skills);
  if (skillValues.length > 300) errors.skills = E('tooMany');
  for (const value of skillValues) {
    if (value === '') continue;
    const match = typeof value === 'string' ? /^(\d{1,9}):(beginner|experienced|can_teach)$/.exec(value) : null;
    if (!match) {
      errors.skills = E('unknownSkill');
      break;
    }
    levels.set(Number(match[1]), match[2] as SkillLevel);
  }
  const certificates = idList(body.certificates);
  if (typeof certificates === 'string') errors.certificates = certificates;
  const languages = idList(body.languages);
  if (typeof languages === 'string') errors.languages = languages;
  const expires = new Map<number, string | null>();
  for (const id of Array.isArray(certificates) ? certificates : []) {
    const value = body[`expires-${id}`];
    if (value === undefined || value === '') {
      expires.set(id, null);
      continue;
    }
    const problem = typeof value === 'string' ? expiryProblem(value.trim()) : E('expiryFormat');
    if (problem) errors[`expires-${id}`] = problem;
    else expires.set(id, (value as string).trim());
  }

  const typed = {
    newSkills: typedWords(body.newSkills, PROFILE_LIMITS.perKind),
    newCertificates: typedWords(body.newCertificates, PROFILE_LIMITS.perKind),
    newLanguages: typedWords(body.newLanguages, PROFILE_LIMITS.perKind),
    wishes: typedWords(body.wishes, PROFILE_LIMITS.wishes),
  };
  for (const [field, words] of Object.entries(typed)) if (typeof words === 'string') errors[field] = words;
  const newLevel = body.newSkillsLevel === undefined ? 'experienced' : body.newSkillsLevel;
  if (!SKILL_LEVELS.includes(newLevel as SkillLevel)) errors.newSkillsLevel = E('level');
  const visibility = z.enum(VISIBILITIES as [CompetenceVisibility, ...CompetenceVisibility[]]).safeParse(body.visibility);
  if (!visibility.success) errors.visibility = E('visibility');
  for (const field of ['invitesAllowed', 'learningMatches'])
    if (body[field] !== undefined && body[field] !== 'on') errors[field] = E('invalid');
  if (Object.keys(errors).length) refuse();

  // The chosen ids must be skills of the field's kind that exist and were not merged away.
  const certificateIds = certificates as number[];
  const languageIds = languages as number[];
  const kinds = await selectLiveSkillKinds(db, [...levels.keys(), ...certificateIds, ...languageIds]);
  if ([...levels.keys()].some((id) => kinds.get(id) !== 'skill')) errors.skills = E('unknownSkill');
  if (certificateIds.some((id) => kinds.get(id) !== 'certificate')) errors.certificates = E('unknownSkill');
  if (languageIds.some((id) => kinds.get(id) !== 'language')) errors.languages = E('unknownSkill');
  if (Object.keys(errors).length) refuse();

  await inTransaction(db, async (trx) => {
    const chosen = new Map<number, { kind: SkillKind; level: SkillLevel | null; expiresOn: string | null }>();
    for (const [id, level] of levels) chosen.set(id, { kind: 'skill', level, expiresOn: null });
    for (const id of certificateIds) chosen.set(id, { kind: 'certificate', level: null, expiresOn: expires.get(id) ?? null });
    for (const id of languageIds) chosen.set(id, { kind: 'language', level: null, expiresOn: null });
    // Typed words: matched to the vocabulary (a typed "motorsåg" is the certificate), free tags for the rest.
    const typedKinds: Array<[keyof typeof typed, SkillKind]> = [
      ['newSkills', 'skill'],
      ['newCertificates', 'certificate'],
      ['newLanguages', 'language'],
    ];
    for (const [field, kind] of typedKinds) {
      const resolved = await resolveTypedSkills(trx, typed[field] as string[], kind);
      for (const skill of resolved.values())
        if (!chosen.has(skill.id))
          chosen.set(skill.id, {
            kind: skill.kind,
            level: skill.kind === 'skill' ? (newLevel as SkillLevel) : null,
            expiresOn: null,
          });
    }
    const fieldOf: Record<SkillKind, string> = { skill: 'skills', certificate: 'certificates', language: 'languages' };
    for (const kind of ['skill', 'certificate', 'language'] as const)
      if ([...chosen.values()].filter((skill) => skill.kind === kind).length > PROFILE_LIMITS.perKind)
        errors[fieldOf[kind]] = E('tooMany');
    if (Object.keys(errors).length) refuse();
    const wishes = await resolveTypedSkills(trx, typed.wishes as string[], 'skill');

    await upsertCompetenceSettings(trx, userId, {
      visibility: visibility.data!,
      invitesAllowed: body.invitesAllowed === 'on',
      learningMatches: body.learningMatches === 'on',
    });
    await replaceResidentSkills(
      trx,
      userId,
      [...chosen].map(([skillId, skill]) => ({ skillId, level: skill.level, expiresOn: skill.expiresOn })),
    );
    await replaceLearningWishes(trx, userId, [...new Set([...wishes.values()].map((skill) => skill.id))]);
    await enqueuePeopleIndexSync(trx, [userId]);
  });
}

// ---------------------------------------------------------------------------
// Offers

export interface OfferForm {
  title: string;
  description: string;
  payment: string;
  price: string;
}

export const EMPTY_OFFER: OfferForm = { title: '', description: '', payment: 'price', price: '' };

/**
 * A typed price in kronor as öre, exactly (no floating point): "350", "350 kr", "1 200,50", "1200.5", "350:-".
 * Undefined when it is no price.
 */
export function parseKronor(text: string): number | undefined {
  const compact = text
    .trim()
    .replace(/(kr|kronor|sek|:-)$/i, '')
    .replace(/[\s\u00a0\u202f]/g, '');
  const match = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!match) return undefined;
  const ore = Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
  return ore <= 100_000_000 ? ore : undefined;
}

/** Öre as the form shows them again: "1200" or "1200,50". */
export function kronorText(ore: number): string {
  const rest = ore % 100;
  return rest === 0 ? String(Math.floor(ore / 100)) : `${Math.floor(ore / 100)},${String(rest).padStart(2, '0')}`;
}

const offerSchema = z.object({
  title: textField({ typeMessage: E('offerTitle') })
    .trim()
    .min(1, E('offerTitle'))
    .max(80, E('offerTitleTooLong')),
  description: textField({ multiline: true, typeMessage: E('invalid') })
    .trim()
    .max(500, E('offerDescriptionTooLong'))
    .default(''),
  payment: z.enum(['price', 'volunteer'], { message: E('offerPayment') }),
  price: textField({ typeMessage: E('offerPrice') })
    .max(30, E('offerPrice'))
    .default(''),
});

export function echoOffer(body: Record<string, unknown>): OfferForm {
  return {
    title: formText(body.title, 80),
    description: formText(body.description, 500),
    payment: formText(body.payment, 20),
    price: formText(body.price, 30),
  };
}

export function offerForm(offer: OfferRow): OfferForm {
  return {
    title: offer.title,
    description: offer.description,
    payment: offer.volunteer ? 'volunteer' : 'price',
    price: offer.priceOre === null ? '' : kronorText(offer.priceOre),
  };
}

function parseOffer(body: Record<string, unknown>): OfferValues {
  const parsed = offerSchema.safeParse(body);
  const errors: Record<string, string> = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'title');
      errors[field] ??=
        issue.message.startsWith('competenceProfile.') || issue.message.startsWith('validation.') ? issue.message : E('invalid');
    }
  let priceOre: number | null = null;
  if (parsed.success && parsed.data.payment === 'price') {
    if (parsed.data.price.trim() === '') errors.price = E('offerPrice');
    else {
      const ore = parseKronor(parsed.data.price);
      if (ore === undefined) errors.price = E('offerPrice');
      else priceOre = ore;
    }
  }
  if (Object.keys(errors).length || !parsed.success) throw new FormError(errors, echoOffer(body));
  return {
    title: parsed.data.title,
    description: parsed.data.description,
    priceOre: parsed.data.payment === 'price' ? priceOre : null,
    volunteer: parsed.data.payment === 'volunteer',
  };
}

export async function addOffer(db: Db, actor: Actor, body: Record<string, unknown>): Promise<void> {
  authorize(actor, 'competence.manage');
  const userId = actor.userId!;
  const offer = parseOffer(body);
  await inTransaction(db, async (trx) => {
    // A profile row to lock (and to carry the offers' visibility) exists from the first offer on.
    await trx('resident_profiles').insert({ user_id: userId }).onConflict('user_id').ignore();
    if ((await countOffersForUpdate(trx, userId)) >= MAX_OFFERS)
      throw new FormError({ title: E('tooManyOffers') }, echoOffer(body), 'conflict');
    await insertOffer(trx, userId, offer);
    await enqueuePeopleIndexSync(trx, [userId]);
  });
}

/** One of the actor's own offers; any other id is a 404. */
export async function getOwnOffer(db: DbOrTrx, actor: Actor, offerId: number): Promise<OfferRow> {
  authorize(actor, 'competence.manage');
  const offer = Number.isSafeInteger(offerId) ? await selectOffer(db, actor.userId!, offerId) : undefined;
  if (!offer) throw notFound();
  return offer;
}

export async function editOffer(db: Db, actor: Actor, offerId: number, body: Record<string, unknown>): Promise<void> {
  await getOwnOffer(db, actor, offerId);
  const offer = parseOffer(body);
  await inTransaction(db, async (trx) => {
    if (!(await updateOffer(trx, actor.userId!, offerId, offer))) throw notFound();
    await enqueuePeopleIndexSync(trx, [actor.userId!]);
  });
}

export async function removeOffer(db: Db, actor: Actor, offerId: number): Promise<void> {
  authorize(actor, 'competence.manage');
  if (!Number.isSafeInteger(offerId)) throw notFound();
  await inTransaction(db, async (trx) => {
    if (!(await deleteOffer(trx, actor.userId!, offerId))) throw notFound();
    await enqueuePeopleIndexSync(trx, [actor.userId!]);
  });
}

// ---------------------------------------------------------------------------
// Confirmations

/** Hides or shows one of the actor's own confirmations on their card; another's (or none) is a 404. */
export async function setConfirmationVisibility(db: Db, actor: Actor, confirmationId: number, value: unknown): Promise<boolean> {
  authorize(actor, 'competence.manage');
  // Whose it is first: another's confirmation is a 404 whatever the form says.
  if (!Number.isSafeInteger(confirmationId) || !(await confirmationIsOwn(db, actor.userId!, confirmationId))) throw notFound();
  if (value !== 'yes' && value !== 'no') throw new AppError('bad_request', 'hidden is yes or no', { hidden: E('invalid') });
  const hidden = value === 'yes';
  await inTransaction(db, async (trx) => {
    if (!(await setConfirmationHidden(trx, actor.userId!, confirmationId, hidden))) throw notFound();
    await enqueuePeopleIndexSync(trx, [actor.userId!]);
  });
  return hidden;
}

// ---------------------------------------------------------------------------
// The person page

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The address of a person's card (the public id is an opaque uuid: no user id, name or e-mail in a link). */
export const personPath = (publicId: string) => `/kompetens/person/${publicId}`;

export interface PersonCard {
  publicId: string;
  name: string;
  availability: string;
  visibility: CompetenceVisibility;
  villages: string[];
  skills: ResidentSkillRow[];
  expired: number[];
  offers: OfferRow[];
  confirmations: ConfirmationRow[];
  isOwner: boolean;
  /** An organisation member may invite this person to apply (they allow invites). */
  canInvite: boolean;
}

/**
 * The person behind a card, as the actor may see them: a hidden profile only by its owner, one shown to
 * organisations only by their members; anyone else (and any id that is no card) gets the same 404, so the page
 * never tells that the person exists. Never an e-mail, phone, address or birth date: none is read.
 */
export async function getPersonCard(db: DbOrTrx, actor: Actor, publicId: string): Promise<PersonCard> {
  if (!UUID.test(publicId)) throw notFound();
  const person = await selectPersonByPublicId(db, publicId.toLowerCase());
  if (!person || !can(actor, 'competence.view', { personId: person.userId, visibility: person.visibility })) throw notFound();
  const [skills, villages, offers, confirmations] = await Promise.all([
    selectResidentSkills(db, person.userId),
    selectVillageNames(db, person.userId),
    selectOffers(db, person.userId),
    selectConfirmations(db, person.userId, true),
  ]);
  const today = todayInStockholm();
  const isOwner = actor.userId === person.userId;
  return {
    publicId: publicId.toLowerCase(),
    name: person.name,
    availability: person.availability,
    visibility: person.visibility,
    villages,
    skills,
    expired: skills.filter((row) => row.expiresOn !== null && row.expiresOn < today).map((row) => row.skillId),
    offers,
    confirmations,
    isOwner,
    canInvite: !isOwner && person.invitesAllowed && actor.memberships.size > 0,
  };
}
