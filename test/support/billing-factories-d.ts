import { issueInvoice } from '../../src/modules/billing/invoices.js';
import { inTransaction, type Db, type DbOrTrx } from '../../src/platform/db.js';
import { createApplication, createOrganisation, createTestAssignment } from './factories.js';
import { createUser } from './users.js';
import { ensureOperatorSettings } from './billing-factories.js';

export { ensureOperatorSettings };

// Approved billing bases written straight to the database, for the tests of what follows an approval
// (invoices, credit notes): the basis flow itself is tested in test/billing/basis*.test.ts.

export interface ApprovedBasis {
  basisId: number;
  organisationId: number;
  organisationSlug: string;
  workerId: number;
  workerEmail: string;
  memberEmail: string;
}

export interface BasisOverrides {
  organisationName?: string;
  organisationNumber?: string | null;
  address?: string;
  billingEmail?: string | null;
  workerName?: string;
  assignmentTitle?: string;
  status?: 'draft' | 'submitted' | 'disputed' | 'approved';
  vatBp?: 2500 | 1200 | 600 | 0;
  vatReason?: string | null;
  periodStart?: string;
  periodEnd?: string;
  /** Work lines: hours (quantity in hundredths × price per hour) or a fixed amount, in öre. */
  lines?: Array<{ description: string; hundredths?: number; unitPriceOre?: number; amountOre: number }>;
  expenses?: Array<{ description: string; amountOre: number }>;
}

let sequence = 0;

/** A new organisation (with an admin member), worker, accepted application and approved basis. */
export async function createApprovedBasis(db: Db, overrides: BasisOverrides = {}): Promise<ApprovedBasis> {
  const n = ++sequence;
  const organisation = await createOrganisation(db, { name: overrides.organisationName ?? `Fakturaföreningen ${n}` });
  await db('organisations')
    .where({ id: organisation.id })
    .update({
      address: overrides.address ?? `Byvägen ${n}\n923 98 Storuman`,
      billing_email: overrides.billingEmail === undefined ? `kassor${n}.${process.pid}@example.se` : overrides.billingEmail,
      organisation_number: overrides.organisationNumber === undefined ? null : overrides.organisationNumber,
    });
  const { slug } = (await db('organisations').where({ id: organisation.id }).first('slug')) as { slug: string };
  const member = await createUser(db, { name: `Kassör ${n}` });
  await db('organisation_members').insert({ organisation_id: organisation.id, user_id: member.id, role: 'admin' });
  const worker = await createUser(db, { name: overrides.workerName ?? `Arbetare ${n}` });
  const basisId = await insertBasis(db, {
    organisationId: organisation.id,
    workerId: worker.id,
    approverId: member.id,
    n,
    overrides,
  });
  return {
    basisId,
    organisationId: organisation.id,
    organisationSlug: slug,
    workerId: worker.id,
    workerEmail: worker.email,
    memberEmail: member.email,
  };
}

/** An accepted application of `workerId` to a new assignment of the organisation, and its basis. */
async function insertBasis(
  db: DbOrTrx,
  {
    organisationId,
    workerId,
    approverId,
    n,
    overrides,
  }: { organisationId: number; workerId: number; approverId: number; n: number; overrides: BasisOverrides },
): Promise<number> {
  const assignmentId = await createTestAssignment(db, {
    organisationId,
    ...(overrides.assignmentTitle ? { title: overrides.assignmentTitle } : {}),
  });
  const applicationId = await createApplication(db, { assignmentId, applicantId: workerId, status: 'accepted' });
  const status = overrides.status ?? 'approved';
  const vatBp = overrides.vatBp ?? 2500;
  const [basis] = (await db('billing_bases')
    .insert({
      application_id: applicationId,
      worker_user_id: workerId,
      organisation_id: organisationId,
      assignment_id: assignmentId,
      status,
      period_start: overrides.periodStart ?? '2026-03-02',
      period_end: overrides.periodEnd ?? '2026-03-06',
      vat_bp: vatBp,
      vat_reason: overrides.vatReason === undefined ? (vatBp === 2500 ? null : 'Skäl till momssatsen') : overrides.vatReason,
      description: 'Arbete enligt uppdraget',
      submitted_at: status === 'draft' ? null : new Date(),
      approved_at: status === 'approved' ? new Date() : null,
      approved_by: status === 'approved' ? approverId : null,
    })
    .returning('id')) as Array<{ id: number }>;
  const lines = overrides.lines ?? [{ description: 'Snöskottning', hundredths: 250, unitPriceOre: 40_000, amountOre: 100_000 }];
  if (lines.length > 0)
    await db('billing_basis_lines').insert(
      lines.map((line, index) => ({
        basis_id: basis!.id,
        position: index + 1,
        kind: line.hundredths === undefined ? 'fixed' : 'hours',
        description: line.description,
        quantity_hundredths: line.hundredths ?? null,
        unit_price_ore: line.unitPriceOre ?? null,
        amount_ore: line.amountOre,
      })),
    );
  const expenses = overrides.expenses ?? [];
  if (expenses.length > 0)
    await db('billing_basis_expenses').insert(
      expenses.map((expense, index) => ({
        basis_id: basis!.id,
        description: expense.description,
        amount_ore: expense.amountOre,
        receipt_storage_key: `receipts/test-${n}-${index}.pdf`,
        receipt_content_type: 'application/pdf',
      })),
    );
  return basis!.id;
}

/** An issued invoice of the organisation for the worker's work (the access table's :invoiceId). */
export async function issueTestInvoice(
  db: Db,
  { organisationId, workerId, approverId }: { organisationId: number; workerId: number; approverId: number },
): Promise<number> {
  await ensureOperatorSettings(db);
  const basisId = await insertBasis(db, { organisationId, workerId, approverId, n: ++sequence, overrides: {} });
  return (await inTransaction(db, (trx) => issueInvoice(trx, basisId, '2026-03-10'))).invoiceId;
}
