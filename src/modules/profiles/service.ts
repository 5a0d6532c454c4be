import { z } from 'zod';
import { inTransaction, type Db, type DbOrTrx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { newStorageKey, type Storage, type StoredFile } from '../../platform/storage.js';
import { textField, VALIDATION_MESSAGES } from '../../platform/validation.js';
import { authorize, type Actor } from '../access/index.js';
import type { ReferenceData } from '../../platform/reference-data.js';
import { enqueuePeopleIndexSync } from '../skills/index.js';
import {
  clearCv,
  replaceProfileCategories,
  replaceProfileLocalities,
  selectCvKey,
  selectCvKeyForUpdate,
  selectHomeMunicipalityCode,
  selectProfile,
  selectProfileCategorySlugs,
  selectProfileLocalitySlugs,
  selectCompetenceCounts,
  upsertCv,
  upsertProfile,
  type CompetenceCounts,
} from './queries.js';

// The resident's profile: what they can do (categories), where (villages),
// when, driving licence and a short bio. And an optional CV (PDF), which only
// its owner can download for now; organisations get it with an application.
// Skills, certificates, languages and who sees them live in the competence
// profile (/konto/kompetens, the skills module); this page sums it up.

export interface Profile {
  bio: string;
  availability: string;
  drivingLicence: boolean;
  categories: string[];
  localities: string[];
  /** Metadata of the uploaded CV; the file's own name is never kept. */
  cv: { size: number; uploadedAt: Date } | null;
}

const list = (value: unknown) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const profileSchema = z.object({
  bio: textField({ multiline: true }).trim().max(2000, 'profiles.errors.bioTooLong').default(''),
  availability: textField().trim().max(200, 'profiles.errors.availabilityTooLong').default(''),
  drivingLicence: z.preprocess((value) => value === 'on' || value === 'true', z.boolean()),
  categories: z.preprocess(list, z.array(textField().max(100)).max(50)),
  localities: z.preprocess(list, z.array(textField().max(200)).max(200)),
});

export async function getProfile(db: DbOrTrx, actor: Actor): Promise<Profile> {
  authorize(actor, 'account.view');
  const userId = actor.userId!;
  const [row, categories, localities] = await Promise.all([
    selectProfile(db, userId),
    selectProfileCategorySlugs(db, userId),
    selectProfileLocalitySlugs(db, userId),
  ]);
  return {
    bio: row?.bio ?? '',
    availability: row?.availability ?? '',
    drivingLicence: row?.drivingLicence ?? false,
    categories,
    localities,
    cv: row?.cvKey ? { size: row.cvSize!, uploadedAt: row.cvUploadedAt! } : null,
  };
}

/** Validates and saves the whole profile; unknown categories or villages are refused beside their field. */
export async function saveProfile(db: Db, actor: Actor, input: Record<string, unknown>, reference: ReferenceData): Promise<void> {
  authorize(actor, 'account.view');
  const parsed = profileSchema.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues)
      fields[String(issue.path[0])] ??=
        issue.message.startsWith('profiles.') || issue.message === VALIDATION_MESSAGES.invalidCharacters
          ? issue.message
          : 'profiles.errors.invalid';
    throw new AppError('bad_request', 'The profile is not valid', fields);
  }
  const value = parsed.data;
  const categoryIds = value.categories.map((slug) => reference.categoryBySlug.get(slug)?.id);
  if (categoryIds.some((id) => id === undefined))
    throw new AppError('bad_request', 'Unknown category', { categories: 'profiles.errors.invalid' });
  const localityIds = value.localities.map((slug) => reference.localityBySlug.get(slug)?.id);
  if (localityIds.some((id) => id === undefined))
    throw new AppError('bad_request', 'Unknown locality', { localities: 'profiles.errors.invalid' });

  const userId = actor.userId!;
  await inTransaction(db, async (trx) => {
    await upsertProfile(trx, userId, {
      bio: value.bio,
      availability: value.availability,
      drivingLicence: value.drivingLicence,
    });
    await replaceProfileCategories(trx, userId, [...new Set(categoryIds as number[])]);
    await replaceProfileLocalities(trx, userId, [...new Set(localityIds as number[])]);
    // Villages and availability are on the person's card in the people search.
    await enqueuePeopleIndexSync(trx, [userId]);
  });
}

/** What the competence profile holds, for the summary on this page. */
export async function getCompetenceSummary(db: DbOrTrx, actor: Actor): Promise<CompetenceCounts> {
  authorize(actor, 'account.view');
  return selectCompetenceCounts(db, actor.userId!);
}

/** Villages offered on the form: those of the home municipality, plus any already chosen elsewhere. */
export async function localityChoices(db: DbOrTrx, actor: Actor, reference: ReferenceData, chosen: string[]) {
  const homeMunicipalityCode = await selectHomeMunicipalityCode(db, actor.userId!);
  const home = homeMunicipalityCode ? reference.localitiesOf(homeMunicipalityCode) : [];
  const extra = chosen.map((slug) => reference.localityBySlug.get(slug)).filter((l) => l !== undefined && !home.includes(l));
  return [...home, ...extra];
}

// ---------------------------------------------------------------------------
// CV

/**
 * Stores the actor's CV (already checked to be a PDF by its magic bytes) under
 * a new key, saves the key with size and time, then deletes the CV it
 * replaces. If saving fails, the new file is deleted again.
 */
export async function saveCv(db: Db, storage: Storage, actor: Actor, pdf: Buffer): Promise<void> {
  authorize(actor, 'account.view');
  // file-type said PDF; the file must also begin with the PDF header itself.
  if (!pdf.subarray(0, 5).equals(Buffer.from('%PDF-'))) throw new AppError('bad_request', 'Not a PDF', { cv: 'cv.errors.type' });
  const userId = actor.userId!;
  const key = newStorageKey('cvs', 'pdf');
  await storage.put(key, pdf, 'application/pdf');
  let replaced: string | null;
  try {
    replaced = await inTransaction(db, async (trx) => {
      const previous = await selectCvKeyForUpdate(trx, userId);
      await upsertCv(trx, userId, { key, size: pdf.length });
      return previous;
    });
  } catch (error) {
    await storage.delete(key).catch(() => {});
    throw error;
  }
  // A file left behind here is unreferenced, not broken: the new CV stands.
  if (replaced) await storage.delete(replaced).catch(() => {});
}

export async function removeCv(db: Db, storage: Storage, actor: Actor): Promise<void> {
  authorize(actor, 'account.view');
  const userId = actor.userId!;
  const replaced = await inTransaction(db, async (trx) => {
    const previous = await selectCvKeyForUpdate(trx, userId);
    await clearCv(trx, userId);
    return previous;
  });
  if (replaced) await storage.delete(replaced).catch(() => {});
}

/**
 * The actor's own CV. Only the owner, for now: organisations will read an
 * applicant's CV through the application (assignments issue), with its own
 * rule in the policy.
 */
export async function getOwnCv(db: DbOrTrx, storage: Storage, actor: Actor): Promise<StoredFile> {
  authorize(actor, 'account.view');
  const cvKey = await selectCvKey(db, actor.userId!);
  const file = cvKey ? await storage.get(cvKey) : undefined;
  if (!file) throw notFound();
  return file;
}
