import { todayInStockholm } from '../../platform/calendar.js';
import { dateProblem, formText, textProblem, VALIDATION_MESSAGES } from '../../platform/validation.js';
import type { ReferenceData } from '../../platform/reference-data.js';
import { foldedKey } from '../../platform/slugify.js';
import { COMPENSATION_TYPES, type CompensationType } from '../assignments/index.js';

// The posting form: what the organisation types, read as text, checked field
// by field (messages are i18n keys under postings.errors) and turned into the
// values of an assignment row. Every typed value is kept for the re-rendered form.

export const POSTING_TEXT_FIELDS = [
  'title',
  'description',
  'category',
  'municipality',
  'locality',
  'point',
  'compensationType',
  'amountSek',
  'estimatedHours',
  'startsOn',
  'endsOn',
  'applyBy',
  'peopleNeeded',
  'requirements',
  'skills',
] as const;
export type PostingTextField = (typeof POSTING_TEXT_FIELDS)[number];

export type PostingForm = Record<PostingTextField, string> & { workTraining: boolean; supervisorAvailable: boolean };

export interface PostingValues {
  title: string;
  description: string;
  categoryId: number;
  municipalityCode: string;
  localityId: number | null;
  lat: number | null;
  lng: number | null;
  compensationType: CompensationType;
  amountSek: number | null;
  estimatedHours: number | null;
  startsOn: string | null;
  endsOn: string | null;
  applyBy: string | null;
  peopleNeeded: number;
  requirements: string;
  workTraining: boolean;
  supervisorAvailable: boolean;
  /** The skills asked for, as typed (distinct by folded key): resolved on the vocabulary when saved. */
  askedSkills: string[];
}

/** At most this many skills asked for, each at most this long. */
export const MAX_ASKED_SKILLS = 10;
export const MAX_ASKED_SKILL_LENGTH = 60;

const LIMITS: Record<PostingTextField, number> = {
  title: 120,
  description: 10_000,
  category: 100,
  municipality: 4,
  locality: 100,
  point: 60,
  compensationType: 20,
  amountSek: 20,
  estimatedHours: 20,
  startsOn: 10,
  endsOn: 10,
  applyBy: 10,
  peopleNeeded: 10,
  requirements: 2000,
  skills: MAX_ASKED_SKILLS * (MAX_ASKED_SKILL_LENGTH + 2),
};

const checked = (value: unknown) => value === 'on' || value === 'true' || value === '1';

/** The form as typed: text only (arrays and objects become ''), cut a little past each limit so the message still shows. */
export function postingFormFromBody(body: Record<string, unknown>): PostingForm {
  const form = Object.fromEntries(
    POSTING_TEXT_FIELDS.map((field) => {
      return [field, formText(body[field], LIMITS[field] + 100)];
    }),
  ) as Record<PostingTextField, string>;
  return { ...form, workTraining: checked(body.workTraining), supervisorAvailable: checked(body.supervisorAvailable) };
}

export const emptyPostingForm = (municipalityCode: string): PostingForm => ({
  ...postingFormFromBody({}),
  municipality: municipalityCode,
  compensationType: 'fixed',
  peopleNeeded: '1',
});

/** The textareas: line breaks (and tabs) belong in them, not in the one-line fields. */
const MULTILINE: ReadonlySet<PostingTextField> = new Set(['description', 'requirements']);

/**
 * Checks the typed form. `body` is the raw request body: a field sent as an
 * array or object is refused rather than read.
 */
export function validatePostingForm(
  body: Record<string, unknown>,
  reference: ReferenceData,
  today = todayInStockholm(),
): { values?: PostingValues; errors: Record<string, string>; form: PostingForm } {
  const form = postingFormFromBody(body);
  const errors: Record<string, string> = {};
  for (const field of [...POSTING_TEXT_FIELDS, 'workTraining', 'supervisorAvailable']) {
    const value = body[field];
    if (value !== undefined && typeof value !== 'string') errors[field] = 'postings.errors.invalid';
  }
  // Every typed value, before anything else reads it: NUL and other controls
  // never reach the database (which refuses NUL with an error, not a message).
  for (const field of POSTING_TEXT_FIELDS) {
    const problem = textProblem(form[field], { multiline: MULTILINE.has(field) });
    if (problem) errors[field] ??= problem;
  }
  const fail = (field: string, key: string) => {
    errors[field] ??= `postings.errors.${key}`;
  };

  const title = form.title.trim();
  if (!title) fail('title', 'titleRequired');
  else if (title.length < 5 || title.length > LIMITS.title) fail('title', 'titleLength');

  const description = form.description.trim();
  if (!description) fail('description', 'descriptionRequired');
  else if (description.length < 20) fail('description', 'descriptionShort');
  else if (description.length > LIMITS.description) fail('description', 'descriptionLong');

  const category = reference.categoryBySlug.get(form.category);
  if (!category) fail('category', 'category');

  const municipality = reference.municipalityByCode.get(form.municipality);
  if (!municipality) fail('municipality', 'municipality');

  let localityId: number | null = null;
  const localityName = form.locality.trim().toLocaleLowerCase('sv');
  if (localityName && municipality) {
    const locality = reference.localitiesOf(municipality.code).find((l) => l.name.toLocaleLowerCase('sv') === localityName);
    if (locality) localityId = locality.id;
    else fail('locality', 'locality');
  }

  let lat: number | null = null;
  let lng: number | null = null;
  if (form.point.trim()) {
    const match = /^\s*(-?\d{1,3}(?:\.\d{1,12})?)\s*,\s*(-?\d{1,3}(?:\.\d{1,12})?)\s*$/.exec(form.point);
    const [pointLat, pointLng] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
    if (Math.abs(pointLat) <= 90 && Math.abs(pointLng) <= 180) [lat, lng] = [pointLat, pointLng];
    else fail('point', 'point');
  }

  const compensationType = COMPENSATION_TYPES.find((type) => type === form.compensationType);
  if (!compensationType) fail('compensationType', 'compensationType');
  const paid = compensationType === 'hourly' || compensationType === 'fixed';
  let amountSek: number | null = null;
  const amount = form.amountSek.replace(/[\s\u00a0]/g, '');
  if (paid) {
    if (!amount) fail('amountSek', 'amountRequired');
    else if (!/^\d{1,7}$/.test(amount) || Number(amount) < 1 || Number(amount) > 1_000_000) fail('amountSek', 'amountWhole');
    else amountSek = Number(amount);
  } else if (amount && compensationType) {
    fail('amountSek', 'amountNotAllowed');
  }

  let estimatedHours: number | null = null;
  if (form.estimatedHours.trim()) {
    const hours = form.estimatedHours.trim().replace(',', '.');
    if (/^\d{1,5}(?:\.\d)?$/.test(hours) && Number(hours) > 0 && Number(hours) <= 10_000) estimatedHours = Number(hours);
    else fail('estimatedHours', 'estimatedHours');
  }

  const date = (field: 'startsOn' | 'endsOn' | 'applyBy') => {
    const value = form[field].trim();
    if (!value) return null;
    const problem = dateProblem(value);
    if (!problem) return value;
    // Not written as a date: the form's own message; not a real date, or far out: the shared one.
    if (problem === VALIDATION_MESSAGES.dateFormat) fail(field, 'date');
    else errors[field] ??= problem;
    return null;
  };
  const startsOn = date('startsOn');
  const endsOn = date('endsOn');
  const applyBy = date('applyBy');
  if (startsOn && endsOn && endsOn < startsOn) fail('endsOn', 'endBeforeStart');
  if (applyBy && applyBy < today) fail('applyBy', 'applyByPast');

  const people = form.peopleNeeded.trim();
  if (!/^\d{1,3}$/.test(people) || Number(people) < 1 || Number(people) > 100) fail('peopleNeeded', 'peopleNeeded');

  const requirements = form.requirements.trim();
  if (requirements.length > LIMITS.requirements) fail('requirements', 'requirementsLong');

  const askedSkills = parseAskedSkills(form.skills);
  if (askedSkills.error) errors.skills ??= askedSkills.error;

  if (Object.keys(errors).length > 0) return { errors, form };
  return {
    errors,
    form,
    values: {
      title,
      description,
      categoryId: category!.id,
      municipalityCode: municipality!.code,
      localityId,
      lat,
      lng,
      compensationType: compensationType!,
      amountSek,
      estimatedHours,
      startsOn,
      endsOn,
      applyBy,
      peopleNeeded: Number(people),
      requirements,
      workTraining: form.workTraining,
      supervisorAvailable: form.workTraining && form.supervisorAvailable,
      askedSkills: askedSkills.words,
    },
  };
}

/**
 * "motorsåg, Vedhuggning, motorsag" → ['motorsåg', 'Vedhuggning']: comma-separated words, one per folded key (two
 * spellings of a word ask for one skill), at most ten, each at most 60 characters, without markup characters.
 * Words that fold to nothing (only punctuation) are dropped. The message is an i18n key for the field.
 */
export function parseAskedSkills(text: string): { words: string[]; error?: string } {
  const words: string[] = [];
  const keys = new Set<string>();
  for (const part of text.split(',')) {
    const word = part.trim().replace(/\s+/g, ' ');
    const key = foldedKey(word);
    if (!key || keys.has(key)) continue;
    keys.add(key);
    words.push(word);
  }
  if (words.some((word) => /[<>]/.test(word))) return { words: [], error: 'competenceData.posting.errors.invalid' };
  if (words.some((word) => [...word].length > MAX_ASKED_SKILL_LENGTH))
    return { words: [], error: 'competenceData.posting.errors.tooLong' };
  if (words.length > MAX_ASKED_SKILLS) return { words: [], error: 'competenceData.posting.errors.tooMany' };
  return { words };
}
