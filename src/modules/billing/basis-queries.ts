import { SQL_TODAY_IN_STOCKHOLM, type CalendarDate } from '../../platform/calendar.js';
import type { DbOrTrx } from '../../platform/db.js';
import { oreFromDatabase, type Ore } from '../../platform/money.js';

// Billing bases (fakturaunderlag): one per accepted application, its lines, expenses with receipts and what
// happened to it. The schema is migrations/202612061400_create_billing_and_payroll.ts.

export type BasisStatus = 'draft' | 'submitted' | 'disputed' | 'approved';
export type CompensationType = 'hourly' | 'fixed' | 'volunteer' | 'by_agreement';
export type TaxMode = 'side_income' | 'own' | 'sink';

/** An application as billing sees it: the work, whom it was for, and its basis if there is one. */
export interface Work {
  applicationId: number;
  workerId: number;
  workerName: string;
  applicationStatus: string;
  assignmentId: number;
  assignmentTitle: string;
  compensationType: CompensationType;
  /** Whole kronor, for hourly (per hour) and fixed assignments. */
  amountSek: number | null;
  organisationId: number;
  organisationSlug: string;
  organisationName: string;
  basisId: number | null;
}

export interface Basis {
  id: number;
  applicationId: number | null;
  workerId: number | null;
  workerName: string | null;
  organisationId: number;
  organisationSlug: string;
  organisationName: string;
  assignmentId: number;
  assignmentTitle: string;
  status: BasisStatus;
  periodStart: CalendarDate;
  periodEnd: CalendarDate;
  vatBp: number;
  vatReason: string | null;
  description: string;
  createdAt: Date;
  submittedAt: Date | null;
  approvedAt: Date | null;
}

export interface BasisLine {
  position: number;
  kind: 'hours' | 'fixed';
  description: string;
  quantityHundredths: number | null;
  unitPriceOre: Ore | null;
  amountOre: Ore;
}

export interface BasisExpense {
  id: number;
  description: string;
  amountOre: Ore;
  receiptStorageKey: string;
  receiptContentType: string;
}

export interface BasisEvent {
  kind: 'submitted' | 'disputed' | 'approved';
  actorName: string | null;
  comment: string | null;
  at: Date;
}

export interface EnterpriseAccountFacts {
  birthDate: CalendarDate;
  taxMode: TaxMode;
  ownTaxBp: number | null;
}

export async function selectWork(db: DbOrTrx, applicationId: number): Promise<Work | undefined> {
  return db('applications as ap')
    .join('users as u', 'u.id', 'ap.applicant_id')
    .join('assignments as a', 'a.id', 'ap.assignment_id')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .leftJoin('billing_bases as b', 'b.application_id', 'ap.id')
    .where('ap.id', applicationId)
    .first({
      applicationId: 'ap.id',
      workerId: 'ap.applicant_id',
      workerName: 'u.name',
      applicationStatus: 'ap.status',
      assignmentId: 'a.id',
      assignmentTitle: 'a.title',
      compensationType: 'a.compensation_type',
      amountSek: 'a.amount_sek',
      organisationId: 'o.id',
      organisationSlug: 'o.slug',
      organisationName: 'o.name',
      basisId: 'b.id',
    });
}

const BASIS_COLUMNS = {
  id: 'b.id',
  applicationId: 'b.application_id',
  workerId: 'b.worker_user_id',
  workerName: 'u.name',
  organisationId: 'b.organisation_id',
  organisationSlug: 'o.slug',
  organisationName: 'o.name',
  assignmentId: 'b.assignment_id',
  assignmentTitle: 'a.title',
  status: 'b.status',
  periodStart: 'b.period_start',
  periodEnd: 'b.period_end',
  vatBp: 'b.vat_bp',
  vatReason: 'b.vat_reason',
  description: 'b.description',
  createdAt: 'b.created_at',
  submittedAt: 'b.submitted_at',
  approvedAt: 'b.approved_at',
};

const bases = (db: DbOrTrx) =>
  db('billing_bases as b')
    .join('organisations as o', 'o.id', 'b.organisation_id')
    .join('assignments as a', 'a.id', 'b.assignment_id')
    .leftJoin('users as u', 'u.id', 'b.worker_user_id');

/** A basis; with `lock`, its row is locked for the rest of the transaction (FOR UPDATE OF b). */
export async function selectBasis(db: DbOrTrx, id: number, { lock = false } = {}): Promise<Basis | undefined> {
  const query = bases(db).where('b.id', id).first(BASIS_COLUMNS);
  if (lock) query.forUpdate('b');
  return query as Promise<Basis | undefined>;
}

export async function selectBasisLines(db: DbOrTrx, basisId: number): Promise<BasisLine[]> {
  const rows = await db('billing_basis_lines').where('basis_id', basisId).orderBy('position').select({
    position: 'position',
    kind: 'kind',
    description: 'description',
    quantityHundredths: 'quantity_hundredths',
    unitPriceOre: 'unit_price_ore',
    amountOre: 'amount_ore',
  });
  return rows.map((row) => ({
    ...row,
    unitPriceOre: row.unitPriceOre === null ? null : oreFromDatabase(row.unitPriceOre),
    amountOre: oreFromDatabase(row.amountOre),
  })) as BasisLine[];
}

export async function selectBasisExpenses(db: DbOrTrx, basisId: number): Promise<BasisExpense[]> {
  const rows = await db('billing_basis_expenses').where('basis_id', basisId).orderBy('id').select({
    id: 'id',
    description: 'description',
    amountOre: 'amount_ore',
    receiptStorageKey: 'receipt_storage_key',
    receiptContentType: 'receipt_content_type',
  });
  return rows.map((row) => ({ ...row, amountOre: oreFromDatabase(row.amountOre) })) as BasisExpense[];
}

export async function selectBasisEvents(db: DbOrTrx, basisId: number): Promise<BasisEvent[]> {
  return db('billing_basis_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .where('e.basis_id', basisId)
    .orderBy([
      { column: 'e.at', order: 'asc' },
      { column: 'e.id', order: 'asc' },
    ])
    .select({ kind: 'e.kind', actorName: 'u.name', comment: 'e.comment', at: 'e.at' });
}

export async function selectEnterpriseAccountFacts(db: DbOrTrx, userId: number): Promise<EnterpriseAccountFacts | undefined> {
  return db('enterprise_accounts')
    .where('user_id', userId)
    .first({ birthDate: 'birth_date', taxMode: 'tax_mode', ownTaxBp: 'own_tax_bp' });
}

/** Gross pay to the worker from `from` up to and including `to` (salaries by payout date). */
export async function selectGrossPaid(db: DbOrTrx, workerId: number, from: CalendarDate, to: CalendarDate): Promise<Ore> {
  const row = await db('salaries')
    .where('worker_user_id', workerId)
    .whereBetween('payout_date', [from, to])
    .first(db.raw('coalesce(sum(gross_ore), 0) AS total'));
  return oreFromDatabase((row as { total: string | number }).total);
}

export interface BasisValues {
  periodStart: CalendarDate;
  periodEnd: CalendarDate;
  vatBp: number;
  vatReason: string | null;
  description: string;
}

export interface LineValues {
  kind: 'hours' | 'fixed';
  description: string;
  quantityHundredths: number | null;
  unitPriceOre: Ore | null;
  amountOre: Ore;
}

/** A new draft, or undefined when the application has a basis already (the unique key decides, also under concurrency). */
export async function insertBasis(
  trx: DbOrTrx,
  work: { applicationId: number; workerId: number; organisationId: number; assignmentId: number },
  values: BasisValues,
): Promise<number | undefined> {
  const [row] = (await trx('billing_bases')
    .insert({
      application_id: work.applicationId,
      worker_user_id: work.workerId,
      organisation_id: work.organisationId,
      assignment_id: work.assignmentId,
      period_start: values.periodStart,
      period_end: values.periodEnd,
      vat_bp: values.vatBp,
      vat_reason: values.vatReason,
      description: values.description,
    })
    .onConflict('application_id')
    .ignore()
    .returning('id')) as Array<{ id: number }>;
  return row?.id;
}

export async function updateBasis(trx: DbOrTrx, id: number, values: BasisValues): Promise<void> {
  await trx('billing_bases').where('id', id).update({
    period_start: values.periodStart,
    period_end: values.periodEnd,
    vat_bp: values.vatBp,
    vat_reason: values.vatReason,
    description: values.description,
  });
}

export async function replaceBasisLines(trx: DbOrTrx, basisId: number, lines: readonly LineValues[]): Promise<void> {
  await trx('billing_basis_lines').where('basis_id', basisId).delete();
  if (lines.length === 0) return;
  await trx('billing_basis_lines').insert(
    lines.map((line, index) => ({
      basis_id: basisId,
      position: index + 1,
      kind: line.kind,
      description: line.description,
      quantity_hundredths: line.quantityHundredths,
      unit_price_ore: line.unitPriceOre,
      amount_ore: line.amountOre,
    })),
  );
}

export async function countBasisExpenses(db: DbOrTrx, basisId: number): Promise<number> {
  const [row] = await db('billing_basis_expenses').where('basis_id', basisId).count<{ count: string }[]>({ count: '*' });
  return Number(row?.count ?? 0);
}

export async function insertBasisExpense(
  trx: DbOrTrx,
  values: { basisId: number; description: string; amountOre: Ore; storageKey: string; contentType: string },
): Promise<number> {
  const [row] = (await trx('billing_basis_expenses')
    .insert({
      basis_id: values.basisId,
      description: values.description,
      amount_ore: values.amountOre,
      receipt_storage_key: values.storageKey,
      receipt_content_type: values.contentType,
    })
    .returning('id')) as Array<{ id: number }>;
  return row!.id;
}

/** Deletes one expense of the basis; its receipt's key, or undefined when the basis has no such expense. */
export async function deleteBasisExpense(trx: DbOrTrx, basisId: number, expenseId: number): Promise<string | undefined> {
  const [row] = (await trx('billing_basis_expenses')
    .where({ basis_id: basisId, id: expenseId })
    .delete()
    .returning('receipt_storage_key')) as Array<{ receipt_storage_key: string }>;
  return row?.receipt_storage_key;
}

export async function setBasisStatus(
  trx: DbOrTrx,
  id: number,
  status: 'submitted' | 'disputed' | 'approved',
  actorId: number,
): Promise<void> {
  await trx('billing_bases')
    .where('id', id)
    .update({
      status,
      ...(status === 'submitted' ? { submitted_at: trx.fn.now() } : {}),
      ...(status === 'approved' ? { approved_at: trx.fn.now(), approved_by: actorId } : {}),
    });
}

export async function insertBasisEvent(
  trx: DbOrTrx,
  values: { basisId: number; kind: 'submitted' | 'disputed' | 'approved'; actorId: number; comment?: string },
): Promise<void> {
  await trx('billing_basis_events').insert({
    basis_id: values.basisId,
    kind: values.kind,
    actor_user_id: values.actorId,
    comment: values.comment ?? null,
  });
}

export async function selectMemberIds(db: DbOrTrx, organisationId: number): Promise<number[]> {
  return (await db('organisation_members').where('organisation_id', organisationId).pluck('user_id')) as number[];
}

export async function selectOrganisationBySlug(
  db: DbOrTrx,
  slug: string,
): Promise<{ id: number; slug: string; name: string } | undefined> {
  return db('organisations').where('slug', slug).first('id', 'slug', 'name');
}

/** The worker's accepted applications with the state of their bases ("Mina fakturaunderlag"), newest first. */
export interface WorkerBasisRow {
  applicationId: number;
  assignmentTitle: string;
  organisationName: string;
  compensationType: CompensationType;
  basisId: number | null;
  status: BasisStatus | null;
  /** The latest dispute's comment, while the basis is disputed. */
  disputeComment: string | null;
}

export async function selectWorkerBases(db: DbOrTrx, workerId: number): Promise<WorkerBasisRow[]> {
  return db('applications as ap')
    .join('assignments as a', 'a.id', 'ap.assignment_id')
    .join('organisations as o', 'o.id', 'a.organisation_id')
    .leftJoin('billing_bases as b', 'b.application_id', 'ap.id')
    .where('ap.applicant_id', workerId)
    .where((query) => query.where('ap.status', 'accepted').orWhereNotNull('b.id'))
    .orderBy([
      { column: 'ap.decided_at', order: 'desc', nulls: 'last' },
      { column: 'ap.id', order: 'desc' },
    ])
    .limit(500)
    .select({
      applicationId: 'ap.id',
      assignmentTitle: 'a.title',
      organisationName: 'o.name',
      compensationType: 'a.compensation_type',
      basisId: 'b.id',
      status: 'b.status',
      disputeComment: db.raw(
        `CASE WHEN b.status = 'disputed' THEN (SELECT e.comment FROM billing_basis_events e
           WHERE e.basis_id = b.id AND e.kind = 'disputed' ORDER BY e.at DESC, e.id DESC LIMIT 1) END`,
      ),
    });
}

export interface OrganisationBasisRow {
  id: number;
  status: BasisStatus;
  workerName: string | null;
  assignmentTitle: string;
  periodStart: CalendarDate;
  periodEnd: CalendarDate;
  submittedAt: Date | null;
  linesOre: Ore;
  expensesOre: Ore;
  vatBp: number;
}

/** The bases an organisation has been sent (drafts are the worker's own until sent), waiting ones first. */
export async function selectOrganisationBases(db: DbOrTrx, organisationId: number): Promise<OrganisationBasisRow[]> {
  const rows = await bases(db)
    .where('b.organisation_id', organisationId)
    .whereNot('b.status', 'draft')
    .orderByRaw(`b.status = 'submitted' DESC, b.submitted_at DESC NULLS LAST, b.id DESC`)
    .limit(500)
    .select({
      id: 'b.id',
      status: 'b.status',
      workerName: 'u.name',
      assignmentTitle: 'a.title',
      periodStart: 'b.period_start',
      periodEnd: 'b.period_end',
      submittedAt: 'b.submitted_at',
      vatBp: 'b.vat_bp',
      linesOre: db.raw('(SELECT coalesce(sum(l.amount_ore), 0) FROM billing_basis_lines l WHERE l.basis_id = b.id)'),
      expensesOre: db.raw('(SELECT coalesce(sum(x.amount_ore), 0) FROM billing_basis_expenses x WHERE x.basis_id = b.id)'),
    });
  return rows.map((row) => ({
    ...row,
    linesOre: oreFromDatabase(row.linesOre),
    expensesOre: oreFromDatabase(row.expensesOre),
  })) as OrganisationBasisRow[];
}

/** An expense's receipt with what decides who may see it. */
export async function selectReceipt(
  db: DbOrTrx,
  basisId: number,
  expenseId: number,
): Promise<
  { workerId: number | null; organisationId: number; status: BasisStatus; storageKey: string; contentType: string } | undefined
> {
  return db('billing_basis_expenses as x')
    .join('billing_bases as b', 'b.id', 'x.basis_id')
    .where({ 'x.id': expenseId, 'x.basis_id': basisId })
    .first({
      workerId: 'b.worker_user_id',
      organisationId: 'b.organisation_id',
      status: 'b.status',
      storageKey: 'x.receipt_storage_key',
      contentType: 'x.receipt_content_type',
    });
}

export interface BillingDashboard {
  /** The worker's completed paid work whose basis is not written, not sent or was disputed. */
  basesToFill: Array<{ applicationId: number; assignmentTitle: string; status: BasisStatus | null }>;
  /** The worker's salaries paid out in the last 30 days. */
  newPayslips: number;
  /** Per organisation of the member: bases sent to it and waiting for approval, and its unpaid invoices. */
  organisations: Array<{ organisationSlug: string; organisationName: string; basesToApprove: number; unpaidInvoices: number }>;
  /** Payroll only (zero for others): payments that found no invoice, invoices not paid yet, salaries not paid out. */
  unmatchedPayments: number;
  invoicesAwaitingPayment: number;
  salariesToPay: number;
}

/** What waits for the person in billing and payroll, for "Mitt konto": only their own work and organisations'. */
export async function selectBillingDashboard(
  db: DbOrTrx,
  userId: number,
  { payroll }: { payroll: boolean },
): Promise<BillingDashboard> {
  const count = async (query: ReturnType<DbOrTrx['table']>) =>
    Number((await query.count<{ count: string }[]>({ count: '*' }))[0]?.count ?? 0);
  const [basesToFill, newPayslips, organisations, unmatchedPayments, invoicesAwaitingPayment, salariesToPay] = await Promise.all([
    db('applications as ap')
      .join('assignments as a', 'a.id', 'ap.assignment_id')
      .leftJoin('billing_bases as b', 'b.application_id', 'ap.id')
      .where({ 'ap.applicant_id': userId, 'ap.status': 'accepted', 'a.status': 'completed' })
      .whereNot('a.compensation_type', 'volunteer')
      .where((query) => query.whereNull('b.id').orWhereIn('b.status', ['draft', 'disputed']))
      .orderBy([
        { column: 'a.completed_at', order: 'asc', nulls: 'last' },
        { column: 'ap.id', order: 'asc' },
      ])
      .limit(20)
      .select({ applicationId: 'ap.id', assignmentTitle: 'a.title', status: 'b.status' }),
    count(
      db('salaries').where('worker_user_id', userId).whereNotNull('paid_on').whereRaw(`paid_on > ${SQL_TODAY_IN_STOCKHOLM} - 30`),
    ),
    db('organisation_members as om')
      .join('organisations as o', 'o.id', 'om.organisation_id')
      .where('om.user_id', userId)
      .orderBy('o.name')
      .select({
        organisationSlug: 'o.slug',
        organisationName: 'o.name',
        basesToApprove: db.raw(
          `(SELECT count(*)::int FROM billing_bases b WHERE b.organisation_id = o.id AND b.status = 'submitted')`,
        ),
        unpaidInvoices: db.raw(
          `(SELECT count(*)::int FROM invoices i WHERE i.organisation_id = o.id AND i.kind = 'invoice' AND i.status IN ('unpaid', 'collection'))`,
        ),
      }),
    payroll ? count(db('payments').whereNull('invoice_id')) : 0,
    payroll ? count(db('invoices').where('kind', 'invoice').whereIn('status', ['unpaid', 'collection'])) : 0,
    payroll ? count(db('salaries').whereNull('paid_on')) : 0,
  ]);
  return {
    basesToFill: basesToFill as BillingDashboard['basesToFill'],
    newPayslips,
    organisations: (organisations as BillingDashboard['organisations']).filter(
      (row) => row.basesToApprove > 0 || row.unpaidInvoices > 0,
    ),
    unmatchedPayments,
    invoicesAwaitingPayment,
    salariesToPay,
  };
}

/** How far billing has come for one application: for its timeline (billed = basis approved, paid = salary paid out). */
export interface ApplicationBilling {
  completedAt: Date | null;
  basisStatus: BasisStatus | null;
  basisSubmittedAt: Date | null;
  basisApprovedAt: Date | null;
  invoiceDate: CalendarDate | null;
  salaryPaidOn: CalendarDate | null;
  volunteer: boolean;
}

export async function selectApplicationBilling(db: DbOrTrx, applicationId: number): Promise<ApplicationBilling | undefined> {
  return db('applications as ap')
    .join('assignments as a', 'a.id', 'ap.assignment_id')
    .leftJoin('billing_bases as b', 'b.application_id', 'ap.id')
    .where('ap.id', applicationId)
    .first({
      completedAt: 'a.completed_at',
      basisStatus: 'b.status',
      basisSubmittedAt: 'b.submitted_at',
      basisApprovedAt: 'b.approved_at',
      invoiceDate: db.raw(`(SELECT min(i.invoice_date) FROM invoices i WHERE i.basis_id = b.id AND i.kind = 'invoice')`),
      salaryPaidOn: db.raw(
        `(SELECT max(s.paid_on) FROM salaries s JOIN invoices i ON i.id = s.invoice_id WHERE i.basis_id = b.id)`,
      ),
      volunteer: db.raw(`a.compensation_type = 'volunteer'`),
    });
}
