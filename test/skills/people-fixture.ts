import type { Db } from '../../src/platform/db.js';
import type { ReferenceData } from '../../src/platform/reference-data.js';
import { enqueuePeopleIndexSync } from '../../src/modules/skills/index.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { createUser } from '../support/users.js';

// Residents with competence profiles for the people-search tests (/kompetens), written straight to the database with
// the index job enqueued as every real change does.

export interface NewResident {
  name?: string;
  visibility: 'hidden' | 'organisations' | 'public';
  /** When they can work; 'Kvällar och helger' unless given. */
  availability?: string;
  villages?: string[];
  skills?: Array<{ slug: string; level?: 'beginner' | 'experienced' | 'can_teach'; expiresOn?: string }>;
  offers?: string[];
  /** Skills an organisation confirmed after an assignment. */
  confirmed?: Array<{ slug: string; hidden?: boolean }>;
}

export interface Resident {
  userId: number;
  publicId: string;
  email: string;
  name: string;
}

const skillId = async (db: Db, slug: string) => {
  const row = (await db('skills').where({ slug }).first('id')) as { id: number } | undefined;
  if (!row) throw new Error(`No skill ${slug}`);
  return row.id;
};

let confirmer: { organisationId: number; assignmentId: number } | undefined;
let confirmerDb: Db | undefined;

export async function createResident(db: Db, reference: ReferenceData, resident: NewResident): Promise<Resident> {
  const user = await createUser(db, resident.name ? { name: resident.name } : {});
  const [profile] = (await db('resident_profiles')
    .insert({ user_id: user.id, visibility: resident.visibility, availability: resident.availability ?? 'Kvällar och helger' })
    .returning(db.raw('public_id::text AS public_id'))) as Array<{ public_id: string }>;
  for (const slug of resident.villages ?? []) {
    const locality = reference.localityBySlug.get(slug);
    if (!locality) throw new Error(`No village ${slug}`);
    await db('resident_localities').insert({ user_id: user.id, locality_id: locality.id });
  }
  for (const skill of resident.skills ?? []) {
    await db('resident_skills').insert({
      user_id: user.id,
      skill_id: await skillId(db, skill.slug),
      level: skill.level ?? null,
      expires_on: skill.expiresOn ?? null,
    });
  }
  for (const title of resident.offers ?? []) await db('resident_offers').insert({ user_id: user.id, title });
  if (resident.confirmed?.length) {
    if (!confirmer || confirmerDb !== db) {
      const organisation = await createOrganisation(db);
      confirmer = {
        organisationId: organisation.id,
        assignmentId: await createTestAssignment(db, { organisationId: organisation.id }),
      };
      confirmerDb = db;
    }
    for (const confirmation of resident.confirmed) {
      await db('skill_confirmations').insert({
        user_id: user.id,
        skill_id: await skillId(db, confirmation.slug),
        assignment_id: confirmer.assignmentId,
        organisation_id: confirmer.organisationId,
        hidden: confirmation.hidden ?? false,
      });
    }
  }
  await db.transaction((trx) => enqueuePeopleIndexSync(trx, [user.id]));
  return { userId: user.id, publicId: profile!.public_id, email: user.email, name: user.name };
}

/** A village of the municipality by name. */
export function villageSlug(reference: ReferenceData, municipalityCode: string, name: string): string {
  const locality = reference.localitiesOf(municipalityCode).find((candidate) => candidate.name === name);
  if (!locality) throw new Error(`No village ${name} in ${municipalityCode}`);
  return locality.slug;
}
