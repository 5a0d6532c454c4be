import { randomBytes } from 'node:crypto';
import type { Db, DbOrTrx } from '../../src/platform/db.js';
import { ensureOperatorSettings as ensureOperatorOn } from './billing-factories.js';
import { createApplication, createOrganisation, createTestAssignment } from './factories.js';
import { createUser } from './users.js';

// Billing bases (helper E): workers with a simplified-enterprise account written straight to the database (the
// encrypted columns hold dummy bytes; only the hash must be unique), and accepted work to bill.

let sequence = 0;

export async function addEnterpriseAccount(
  db: DbOrTrx,
  userId: number,
  overrides: Partial<{ birthDate: string; taxMode: 'side_income' | 'own' | 'sink'; ownTaxBp: number | null }> = {},
): Promise<void> {
  const taxMode = overrides.taxMode ?? 'side_income';
  await db('enterprise_accounts').insert({
    user_id: userId,
    personal_number_ciphertext: randomBytes(32),
    personal_number_key_id: 'test',
    personal_number_hash: randomBytes(32),
    coordination_number: false,
    birth_date: overrides.birthDate ?? '1980-05-17',
    clearing_number: '8327',
    account_number: '1234567890',
    tax_mode: taxMode,
    own_tax_bp: taxMode === 'own' ? (overrides.ownTaxBp ?? 2500) : null,
    tax_decision_date: taxMode === 'own' ? '2026-01-15' : null,
    terms_accepted_at: new Date(),
  });
}

/** A verified user with an enterprise account. */
export async function createWorker(db: Db, name?: string): Promise<{ id: number; email: string; name: string }> {
  const user = await createUser(db, name ? { name } : {});
  await addEnterpriseAccount(db, user.id);
  return user;
}

export interface Work {
  organisation: { id: number; name: string; slug: string };
  member: { id: number; email: string; name: string };
  worker: { id: number; email: string; name: string };
  assignmentId: number;
  applicationId: number;
}

type Compensation = 'hourly' | 'fixed' | 'volunteer' | 'by_agreement';

/** An organisation with a member (its admin), billing details as an invoice needs them. */
export async function createBillingOrganisation(
  db: Db,
): Promise<{ organisation: { id: number; name: string; slug: string }; member: { id: number; email: string; name: string } }> {
  const n = ++sequence;
  const organisation = await createOrganisation(db, { name: `Faktureringsföreningen ${n}` });
  await db('organisations')
    .where('id', organisation.id)
    .update({ address: 'Byvägen 1\n795 90 Rättvik', billing_email: `faktura${n}.${process.pid}@example.se` });
  const { slug } = await db('organisations').where('id', organisation.id).first('slug');
  const member = await createUser(db, { name: `Kassör ${n}` });
  await db('organisation_members').insert({ organisation_id: organisation.id, user_id: member.id, role: 'admin' });
  return { organisation: { ...organisation, slug }, member };
}

/** A new assignment of the organisation and the worker's application to it, accepted unless told otherwise. */
export async function createWorkFor(
  db: Db,
  organisationId: number,
  workerId: number,
  overrides: Partial<{
    compensationType: Compensation;
    amountSek: number | null;
    applicationStatus: 'submitted' | 'accepted' | 'declined';
  }> = {},
): Promise<{ assignmentId: number; applicationId: number }> {
  const compensationType = overrides.compensationType ?? 'hourly';
  const amountSek =
    overrides.amountSek !== undefined
      ? overrides.amountSek
      : compensationType === 'hourly'
        ? 250
        : compensationType === 'fixed'
          ? 3000
          : null;
  const assignmentId = await createTestAssignment(db, { organisationId, compensationType, amountSek });
  const applicationId = await createApplication(db, {
    assignmentId,
    applicantId: workerId,
    status: overrides.applicationStatus ?? 'accepted',
  });
  return { assignmentId, applicationId };
}

export interface Work {
  organisation: { id: number; name: string; slug: string };
  member: { id: number; email: string; name: string };
  worker: { id: number; email: string; name: string };
  assignmentId: number;
  applicationId: number;
}

/** An organisation with a member, an assignment and a worker's (with an enterprise account) accepted application to it. */
export async function createAcceptedWork(db: Db, overrides: Partial<{ compensationType: Compensation }> = {}): Promise<Work> {
  const { organisation, member } = await createBillingOrganisation(db);
  const worker = await createWorker(db);
  return { organisation, member, worker, ...(await createWorkFor(db, organisation.id, worker.id, overrides)) };
}

/** Operator settings valid from long ago, so an approval can issue its invoice. */
export async function ensureOperatorSettings(db: Db): Promise<void> {
  await ensureOperatorOn(db, { valid_from: '2020-01-01' });
}

/** A basis written straight to the database, with one fixed line (for tests of what follows a basis). */
export async function createBasis(
  db: DbOrTrx,
  work: { applicationId: number; assignmentId: number; organisationId: number; workerId: number },
  overrides: Partial<{ status: 'draft' | 'submitted' | 'disputed' | 'approved'; amountOre: number }> = {},
): Promise<number> {
  const [row] = await db('billing_bases')
    .insert({
      application_id: work.applicationId,
      worker_user_id: work.workerId,
      organisation_id: work.organisationId,
      assignment_id: work.assignmentId,
      status: overrides.status ?? 'draft',
      period_start: '2026-03-01',
      period_end: '2026-03-05',
      submitted_at: overrides.status && overrides.status !== 'draft' ? new Date() : null,
    })
    .returning<{ id: number }[]>('id');
  await db('billing_basis_lines').insert({
    basis_id: row!.id,
    position: 1,
    kind: 'fixed',
    description: 'Snöskottning',
    amount_ore: overrides.amountOre ?? 300_000,
  });
  return row!.id;
}
