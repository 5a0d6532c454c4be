import type { Db, DbOrTrx } from '../../src/platform/db.js';
import { createAssignment, type NewAssignment } from '../../src/modules/assignments/index.js';

// Factories with realistic defaults; each test overrides what it is about.

let sequence = 0;
const next = () => ++sequence;

export async function createOrganisation(
  db: Db,
  overrides: Partial<{ name: string; type: string; municipality_code: string; verified_at: Date | null }> = {},
): Promise<{ id: number; name: string }> {
  const n = next();
  const name = overrides.name ?? `Testbyns byaförening ${n}`;
  const [row] = await db('organisations')
    .insert({
      name,
      slug: `testbyns-byaforening-${n}-${process.pid}`,
      type: overrides.type ?? 'forening',
      municipality_code: overrides.municipality_code ?? '2481',
      description: 'En förening för test.',
      verified_at: overrides.verified_at === undefined ? new Date() : overrides.verified_at,
    })
    .returning(['id', 'name']);
  return row as { id: number; name: string };
}

export function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export async function createTestAssignment(
  db: DbOrTrx,
  overrides: Partial<NewAssignment> & { organisationId: number },
): Promise<number> {
  const n = next();
  return createAssignment(db, {
    title: `Testuppdrag nummer ${n}`,
    description: 'Ett uppdrag som finns för att testa. Det behövs någon som kan hjälpa till en eftermiddag.',
    categorySlug: 'ovrigt',
    municipalityCode: '2481',
    compensationType: 'hourly',
    amountSek: 200,
    applyBy: isoDay(14),
    status: 'published',
    ...overrides,
  });
}

/** An application written straight to the database (tests of what follows an application). */
export async function createApplication(
  db: DbOrTrx,
  overrides: {
    assignmentId: number;
    applicantId: number;
    status?: 'submitted' | 'shortlisted' | 'accepted' | 'declined' | 'withdrawn';
    message?: string;
    shareProfile?: boolean;
  },
): Promise<number> {
  const [row] = await db('applications')
    .insert({
      assignment_id: overrides.assignmentId,
      applicant_id: overrides.applicantId,
      message: overrides.message ?? 'Hej! Jag kan göra det här, jag bor nära och har gjort liknande förut.',
      share_profile: overrides.shareProfile ?? true,
      status: overrides.status ?? 'submitted',
      decided_at: ['accepted', 'declined'].includes(overrides.status ?? '') ? new Date() : null,
    })
    .returning<{ id: number }[]>('id');
  return row!.id;
}

/** A mail as the app stores it (for routes that show one, such as /dev/mail/:id). */
export async function createStoredMail(db: DbOrTrx): Promise<number> {
  const [row] = await db('mails')
    .insert({
      to_address: 'someone@example.se',
      subject: 'Test',
      text_body: 'Hej',
      html_body: '<p>Hej</p>',
      template: 'verify-email',
    })
    .returning<{ id: number }[]>('id');
  return row!.id;
}
