import type { DbOrTrx } from '../../platform/db.js';

export interface ProfileRow {
  bio: string;
  availability: string;
  drivingLicence: boolean;
  cvKey: string | null;
  cvSize: number | null;
  cvUploadedAt: Date | null;
}

export async function selectProfile(db: DbOrTrx, userId: number): Promise<ProfileRow | undefined> {
  return db('resident_profiles').where('user_id', userId).first({
    bio: 'bio',
    availability: 'availability',
    drivingLicence: 'driving_licence',
    cvKey: 'cv_key',
    cvSize: 'cv_size',
    cvUploadedAt: 'cv_uploaded_at',
  });
}

export async function selectProfileCategorySlugs(db: DbOrTrx, userId: number): Promise<string[]> {
  return db('resident_categories as rc')
    .join('categories as c', 'c.id', 'rc.category_id')
    .where('rc.user_id', userId)
    .pluck('c.slug');
}

export async function selectProfileLocalitySlugs(db: DbOrTrx, userId: number): Promise<string[]> {
  return db('resident_localities as rl')
    .join('localities as l', 'l.id', 'rl.locality_id')
    .where('rl.user_id', userId)
    .pluck('l.slug');
}

export async function upsertProfile(
  db: DbOrTrx,
  userId: number,
  profile: { bio: string; availability: string; drivingLicence: boolean },
): Promise<void> {
  await db('resident_profiles')
    .insert({
      user_id: userId,
      bio: profile.bio,
      availability: profile.availability,
      driving_licence: profile.drivingLicence,
    })
    .onConflict('user_id')
    .merge(['bio', 'availability', 'driving_licence', 'updated_at']);
}

export interface CompetenceCounts {
  skills: number;
  certificates: number;
  languages: number;
  offers: number;
  wishes: number;
  visibility: 'hidden' | 'organisations' | 'public';
}

/** How much the resident's competence profile (/konto/kompetens) holds, and who sees it: a summary for this page. */
export async function selectCompetenceCounts(db: DbOrTrx, userId: number): Promise<CompetenceCounts> {
  const { rows } = await db.raw<{
    rows: Array<Omit<CompetenceCounts, 'visibility'> & { visibility: CompetenceCounts['visibility'] | null }>;
  }>(
    `SELECT
       (SELECT count(*)::int FROM resident_skills rs JOIN skills s ON s.id = rs.skill_id
         WHERE rs.user_id = :userId AND s.kind = 'skill') AS skills,
       (SELECT count(*)::int FROM resident_skills rs JOIN skills s ON s.id = rs.skill_id
         WHERE rs.user_id = :userId AND s.kind = 'certificate') AS certificates,
       (SELECT count(*)::int FROM resident_skills rs JOIN skills s ON s.id = rs.skill_id
         WHERE rs.user_id = :userId AND s.kind = 'language') AS languages,
       (SELECT count(*)::int FROM resident_offers WHERE user_id = :userId) AS offers,
       (SELECT count(*)::int FROM resident_learning_wishes WHERE user_id = :userId) AS wishes,
       (SELECT visibility FROM resident_profiles WHERE user_id = :userId) AS visibility`,
    { userId },
  );
  const row = rows[0]!;
  return { ...row, visibility: row.visibility ?? 'hidden' };
}

export async function replaceProfileCategories(db: DbOrTrx, userId: number, categoryIds: number[]): Promise<void> {
  await db('resident_categories').where('user_id', userId).delete();
  if (categoryIds.length) await db('resident_categories').insert(categoryIds.map((id) => ({ user_id: userId, category_id: id })));
}

export async function replaceProfileLocalities(db: DbOrTrx, userId: number, localityIds: number[]): Promise<void> {
  await db('resident_localities').where('user_id', userId).delete();
  if (localityIds.length) await db('resident_localities').insert(localityIds.map((id) => ({ user_id: userId, locality_id: id })));
}

export async function selectHomeMunicipalityCode(db: DbOrTrx, userId: number): Promise<string | null> {
  const user = (await db('users').where('id', userId).first('home_municipality_code')) as
    { home_municipality_code: string | null } | undefined;
  return user?.home_municipality_code ?? null;
}

/** The CV's key, the profile row locked until the transaction ends. */
export async function selectCvKeyForUpdate(db: DbOrTrx, userId: number): Promise<string | null> {
  const row = (await db('resident_profiles').where('user_id', userId).forUpdate().first('cv_key')) as
    { cv_key: string | null } | undefined;
  return row?.cv_key ?? null;
}

export async function selectCvKey(db: DbOrTrx, userId: number): Promise<string | null> {
  const row = (await db('resident_profiles').where('user_id', userId).first('cv_key')) as { cv_key: string | null } | undefined;
  return row?.cv_key ?? null;
}

export async function upsertCv(db: DbOrTrx, userId: number, cv: { key: string; size: number }): Promise<void> {
  await db('resident_profiles')
    .insert({ user_id: userId, cv_key: cv.key, cv_size: cv.size, cv_uploaded_at: db.fn.now() })
    .onConflict('user_id')
    .merge(['cv_key', 'cv_size', 'cv_uploaded_at', 'updated_at']);
}

export async function clearCv(db: DbOrTrx, userId: number): Promise<void> {
  await db('resident_profiles')
    .where('user_id', userId)
    .update({ cv_key: null, cv_size: null, cv_uploaded_at: null, updated_at: db.fn.now() });
}
