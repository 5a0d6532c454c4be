import type { Db } from '../../src/platform/db.js';
import { createApplication, createOrganisation, createTestAssignment } from './factories.js';
import { createUser } from './users.js';

// Residents with competence profiles, organisations with members, and completed work, for the tests of
// confirmations, invitations, learning from each other and demand against supply (test/skills/{confirm,invite,
// learning,demand}-*.test.ts).

export const skillIdOf = async (db: Db, slug: string): Promise<number> =>
  ((await db('skills').where({ slug }).first('id')) as { id: number }).id;

export interface ResidentSpec {
  name?: string;
  visibility?: 'hidden' | 'organisations' | 'public';
  invitesAllowed?: boolean;
  learningMatches?: boolean;
  homeMunicipalityCode?: string;
  homeLocalityId?: number | null;
  villages?: number[];
  skills?: Array<{ slug: string; level?: 'beginner' | 'experienced' | 'can_teach'; expiresOn?: string }>;
  wishes?: string[];
}

export interface Resident {
  id: number;
  email: string;
  name: string;
  publicId: string;
}

export async function createResident(db: Db, spec: ResidentSpec = {}): Promise<Resident> {
  const user = await createUser(db, spec.name ? { name: spec.name } : {});
  await db('users')
    .where({ id: user.id })
    .update({ home_municipality_code: spec.homeMunicipalityCode ?? '2481', home_locality_id: spec.homeLocalityId ?? null });
  const [profile] = (await db('resident_profiles')
    .insert({
      user_id: user.id,
      visibility: spec.visibility ?? 'organisations',
      invites_allowed: spec.invitesAllowed ?? true,
      learning_matches: spec.learningMatches ?? false,
    })
    .returning(db.raw('public_id::text AS public_id'))) as Array<{ public_id: string }>;
  for (const localityId of spec.villages ?? [])
    await db('resident_localities').insert({ user_id: user.id, locality_id: localityId });
  for (const skill of spec.skills ?? [])
    await db('resident_skills').insert({
      user_id: user.id,
      skill_id: await skillIdOf(db, skill.slug),
      level: skill.level ?? null,
      expires_on: skill.expiresOn ?? null,
    });
  for (const slug of spec.wishes ?? [])
    await db('resident_learning_wishes').insert({ user_id: user.id, skill_id: await skillIdOf(db, slug) });
  return { ...user, publicId: profile!.public_id };
}

/** An organisation with one admin member. */
export async function createOrganisationWithMember(
  db: Db,
  overrides: Parameters<typeof createOrganisation>[1] = {},
): Promise<{ id: number; name: string; member: { id: number; email: string; name: string } }> {
  const organisation = await createOrganisation(db, overrides);
  const member = await createUser(db);
  await db('organisation_members').insert({ organisation_id: organisation.id, user_id: member.id, role: 'admin' });
  return { ...organisation, member };
}

export async function askSkills(db: Db, assignmentId: number, slugs: string[]): Promise<void> {
  for (const slug of slugs)
    await db('assignment_skills').insert({ assignment_id: assignmentId, skill_id: await skillIdOf(db, slug) });
}

/**
 * A completed assignment of the organisation done by `workers` (accepted), asking for `asked`; the organisation has
 * rated those in `rated`. Returns the assignment and each worker's application.
 */
export async function createCompletedWork(
  db: Db,
  organisationId: number,
  workers: number[],
  options: { asked?: string[]; rated?: number[]; status?: string } = {},
): Promise<{ assignmentId: number; applications: Map<number, number> }> {
  const assignmentId = await createTestAssignment(db, { organisationId, peopleNeeded: Math.max(1, workers.length) });
  await askSkills(db, assignmentId, options.asked ?? []);
  const applications = new Map<number, number>();
  for (const worker of workers)
    applications.set(worker, await createApplication(db, { assignmentId, applicantId: worker, status: 'accepted' }));
  await db('assignments')
    .where({ id: assignmentId })
    .update({ status: options.status ?? 'completed', completed_at: new Date() });
  for (const worker of options.rated ?? [])
    await db('feedback').insert({
      application_id: applications.get(worker),
      direction: 'about_resident',
      rating: 5,
      comment: '',
    });
  return { assignmentId, applications };
}
