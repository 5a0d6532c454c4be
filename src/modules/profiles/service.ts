import { z } from 'zod';
import type { Db, DbOrTrx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { authorize, type Actor } from '../access/index.js';
import type { ReferenceData } from '../reference/index.js';

// The resident's profile: what they can do (categories and free tags), where
// (villages), when, driving licence, a short bio, and whether organisations
// may see it. The CV upload comes with the upload storage (assignments issue).

export interface Profile {
  bio: string;
  skillTags: string[];
  availability: string;
  drivingLicence: boolean;
  visibleToOrganisations: boolean;
  categories: string[];
  localities: string[];
}

const list = (value: unknown) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const profileSchema = z.object({
  bio: z.string().trim().max(2000, 'profiles.errors.bioTooLong').default(''),
  skillTags: z
    .string()
    .max(1000, 'profiles.errors.tagsTooLong')
    .default('')
    .transform((text) => [
      ...new Set(
        text
          .split(',')
          .map((tag) => tag.trim().toLocaleLowerCase('sv'))
          .filter(Boolean),
      ),
    ])
    .refine((tags) => tags.length <= 20, 'profiles.errors.tooManyTags')
    .refine((tags) => tags.every((tag) => [...tag].length <= 40 && !/[<>]/.test(tag)), 'profiles.errors.tagInvalid'),
  availability: z.string().trim().max(200, 'profiles.errors.availabilityTooLong').default(''),
  drivingLicence: z.preprocess((value) => value === 'on' || value === 'true', z.boolean()),
  visibleToOrganisations: z.enum(['yes', 'no'], { message: 'profiles.errors.visibility' }),
  categories: z.preprocess(list, z.array(z.string().max(100)).max(50)),
  localities: z.preprocess(list, z.array(z.string().max(200)).max(200)),
});

export async function getProfile(db: DbOrTrx, actor: Actor): Promise<Profile> {
  authorize(actor, 'account.view');
  const userId = actor.userId!;
  const [row, categories, localities] = await Promise.all([
    db('resident_profiles').where('user_id', userId).first(),
    db('resident_categories as rc').join('categories as c', 'c.id', 'rc.category_id').where('rc.user_id', userId).pluck('c.slug'),
    db('resident_localities as rl').join('localities as l', 'l.id', 'rl.locality_id').where('rl.user_id', userId).pluck('l.slug'),
  ]);
  return {
    bio: row?.bio ?? '',
    skillTags: row?.skill_tags ?? [],
    availability: row?.availability ?? '',
    drivingLicence: row?.driving_licence ?? false,
    visibleToOrganisations: row?.visible_to_organisations ?? false,
    categories: categories as string[],
    localities: localities as string[],
  };
}

/** Validates and saves the whole profile; unknown categories or villages are refused beside their field. */
export async function saveProfile(db: Db, actor: Actor, input: Record<string, unknown>, reference: ReferenceData): Promise<void> {
  authorize(actor, 'account.view');
  const parsed = profileSchema.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues)
      fields[String(issue.path[0])] ??= issue.message.startsWith('profiles.') ? issue.message : 'profiles.errors.invalid';
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
  await db.transaction(async (trx) => {
    await trx('resident_profiles')
      .insert({
        user_id: userId,
        bio: value.bio,
        skill_tags: value.skillTags,
        availability: value.availability,
        driving_licence: value.drivingLicence,
        visible_to_organisations: value.visibleToOrganisations === 'yes',
      })
      .onConflict('user_id')
      .merge(['bio', 'skill_tags', 'availability', 'driving_licence', 'visible_to_organisations', 'updated_at']);
    await trx('resident_categories').where('user_id', userId).delete();
    if (categoryIds.length)
      await trx('resident_categories').insert([...new Set(categoryIds)].map((id) => ({ user_id: userId, category_id: id })));
    await trx('resident_localities').where('user_id', userId).delete();
    if (localityIds.length)
      await trx('resident_localities').insert([...new Set(localityIds)].map((id) => ({ user_id: userId, locality_id: id })));
  });
}

/** Villages offered on the form: those of the home municipality, plus any already chosen elsewhere. */
export async function localityChoices(db: DbOrTrx, actor: Actor, reference: ReferenceData, chosen: string[]) {
  const user = await db('users').where('id', actor.userId!).first('home_municipality_code');
  const home = user?.home_municipality_code ? reference.localitiesOf(user.home_municipality_code) : [];
  const extra = chosen.map((slug) => reference.localityBySlug.get(slug)).filter((l) => l !== undefined && !home.includes(l));
  return [...home, ...extra];
}
