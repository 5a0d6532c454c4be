import { todayInStockholm } from '../../platform/calendar.js';
import { inTransaction, type Db, type DbOrTrx } from '../../platform/db.js';
import { AppError, FormError, notFound } from '../../platform/errors.js';
import { reencodeAsWebp, UnreadableImageError } from '../../platform/images.js';
import { addMoney, multiplyByBasisPoints, sumMoney, type Ore } from '../../platform/money.js';
import { formText } from '../../platform/validation.js';
import { newStorageKey, type Storage, type StoredFile } from '../../platform/storage.js';
import { authorize, can, type Actor } from '../access/index.js';
import { notify } from '../notifications/index.js';
import {
  emptyLine,
  lineToForm,
  MAX_COMMENT_LENGTH,
  MAX_EXPENSES,
  readBasisForm,
  readExpenseForm,
  validateBasisForm,
  validateComment,
  validateExpenseForm,
  type BasisForm,
} from './basis-form.js';
import {
  countBasisExpenses,
  deleteBasisExpense,
  insertBasis,
  insertBasisEvent,
  insertBasisExpense,
  replaceBasisLines,
  selectBasis,
  selectBasisEvents,
  selectBasisExpenses,
  selectBasisLines,
  selectEnterpriseAccountFacts,
  selectGrossPaid,
  selectMemberIds,
  selectOrganisationBases,
  selectOrganisationBySlug,
  selectReceipt,
  selectWork,
  selectWorkerBases,
  setBasisStatus,
  updateBasis,
  type Basis,
  type BasisEvent,
  type BasisExpense,
  type BasisLine,
  type BasisStatus,
  type EnterpriseAccountFacts,
  type OrganisationBasisRow,
  type Work,
  type WorkerBasisRow,
} from './basis-queries.js';
import { calculateSalary, SalaryInputError, taxRateFor, type SalaryCalculation } from './calculation.js';
import { issueInvoice } from './invoices.js';
import { currentFeeBp, loadPayrollRates, NoRatesError } from './rates.js';

// Billing bases (fakturaunderlag), PRODUCT.md "Billing through the simplified-enterprise account": the worker
// of an accepted application writes what to bill and sends it; the organisation's members approve it (the
// invoice is issued in the same transaction) or dispute it with a comment, back to the worker to edit and send
// again. One basis per application: billing_bases.application_id is unique, so two "new" forms at once make
// one basis and the other gets a message. Before sending, the worker sees the salary calculation the payroll
// will use (calculation.ts with the rates of today); the organisation sees only the invoice's part of it.

export type { BasisStatus, OrganisationBasisRow, WorkerBasisRow };

const E = 'billingBasis.errors';
const conflict = (key: string) => new AppError('conflict', `${E}.${key}`);
const EDITABLE: readonly BasisStatus[] = ['draft', 'disputed'];

export const workerBasisPath = (applicationId: number) => `/konto/fakturaunderlag/${applicationId}`;
export const organisationBasisPath = (slug: string, basisId: number) => `/organisationer/${slug}/fakturaunderlag/${basisId}`;
export const receiptPath = (basisId: number, expenseId: number) => `/fakturaunderlag/${basisId}/kvitton/${expenseId}`;

const validId = (id: number) => Number.isSafeInteger(id) && id > 0;

const unauthenticated = () => new AppError('unauthenticated', 'Log in first');

/** Why a worker's work cannot be billed now (the page says so instead of showing the form). */
export type Blocked = 'volunteer' | 'notAccepted' | 'noAccount';

/** The invoice's part of a basis: what the organisation pays. */
export interface InvoicePart {
  linesOre: Ore;
  expensesOre: Ore;
  invoiceExclVatOre: Ore;
  vatBp: number;
  vatOre: Ore;
  totalOre: Ore;
}

/** The worker's preview: the invoice and the salary the payroll would make of it if it were paid today. */
export type Preview =
  | { ok: true; invoice: InvoicePart; feeBp: number; taxBp: number; payoutDate: string; salary: SalaryCalculation }
  | { ok: false; problem: string };

export function invoicePart(
  lines: readonly { amountOre: Ore }[],
  expenses: readonly { amountOre: Ore }[],
  vatBp: number,
): InvoicePart {
  const linesOre = sumMoney(lines.map((line) => line.amountOre));
  const expensesOre = sumMoney(expenses.map((expense) => expense.amountOre));
  const invoiceExclVatOre = addMoney(linesOre, expensesOre);
  // Expenses are billed on as part of the work, so VAT is charged on them too (ML 2023:200 7 kap.).
  const vatOre = multiplyByBasisPoints(invoiceExclVatOre, vatBp);
  return { linesOre, expensesOre, invoiceExclVatOre, vatBp, vatOre, totalOre: addMoney(invoiceExclVatOre, vatOre) };
}

/** The calculation with the SAME code, rates and fee the salary will use, as if the invoice were paid today. */
async function previewFor(
  db: DbOrTrx,
  workerId: number,
  account: EnterpriseAccountFacts,
  invoice: InvoicePart,
): Promise<Preview> {
  const payoutDate = todayInStockholm();
  let rates;
  try {
    rates = await loadPayrollRates(db, payoutDate);
  } catch (error) {
    if (error instanceof NoRatesError) return { ok: false, problem: `${E}.noRates` };
    throw error;
  }
  const [feeBp, paidThisMonth, paidThisYear] = await Promise.all([
    currentFeeBp(db, payoutDate),
    selectGrossPaid(db, workerId, `${payoutDate.slice(0, 7)}-01`, payoutDate),
    selectGrossPaid(db, workerId, `${payoutDate.slice(0, 4)}-01-01`, payoutDate),
  ]);
  const taxBp = taxRateFor(account, rates);
  try {
    const salary = calculateSalary(
      {
        invoiceExclVatOre: invoice.invoiceExclVatOre,
        feeBp,
        expensesOre: invoice.expensesOre,
        birthDate: account.birthDate,
        taxBp,
        payoutDate,
        paidEarlierThisMonthOre: paidThisMonth,
        paidEarlierThisYearOre: paidThisYear,
      },
      rates,
    );
    return { ok: true, invoice, feeBp, taxBp, payoutDate, salary };
  } catch (error) {
    if (error instanceof SalaryInputError)
      return { ok: false, problem: error.field === 'expensesOre' ? `${E}.expensesTooLarge` : `${E}.notCalculable` };
    throw error;
  }
}

// --- the worker -------------------------------------------------------------------------------------------

/** The work as its worker may see it: 401 visitors, 404 strangers (an application is nobody else's business), 403 its organisation's members. */
async function loadWork(db: DbOrTrx, actor: Actor, applicationId: number): Promise<Work> {
  if (actor.userId === undefined) throw unauthenticated();
  const work = validId(applicationId) ? await selectWork(db, applicationId) : undefined;
  if (!work) throw notFound();
  authorize(actor, 'application.view', { organisationId: work.organisationId, applicantId: work.workerId });
  authorize(actor, 'billing.submit', { workerId: work.workerId });
  return work;
}

function blockedReason(work: Work, account: EnterpriseAccountFacts | undefined): Blocked | undefined {
  if (work.compensationType === 'volunteer') return 'volunteer';
  if (work.applicationStatus !== 'accepted') return 'notAccepted';
  if (!account) return 'noAccount';
  return undefined;
}

const BLOCKED_MESSAGES: Record<Blocked, string> = {
  volunteer: `${E}.volunteer`,
  notAccepted: `${E}.notAccepted`,
  noAccount: `${E}.noAccount`,
};

/** A new basis's form, filled in from the assignment: its rate per hour or its fixed amount. */
function prefilledForm(work: Work): BasisForm {
  const today = todayInStockholm();
  const line = { ...emptyLine(), description: work.assignmentTitle };
  // amount_sek is whole kronor; the form shows kronor with a decimal comma.
  const amount = work.amountSek === null ? '' : `${work.amountSek},00`;
  if (work.compensationType === 'hourly') Object.assign(line, { kind: 'hours', rate: amount });
  else Object.assign(line, { kind: 'fixed', amount: work.compensationType === 'fixed' ? amount : '' });
  return {
    basisId: '',
    periodStart: today,
    periodEnd: today,
    description: '',
    vatRate: '25',
    vatReason: '',
    lines: [line],
  };
}

function formOf(basis: Basis, lines: BasisLine[]): BasisForm {
  return {
    basisId: String(basis.id),
    periodStart: basis.periodStart,
    periodEnd: basis.periodEnd,
    description: basis.description,
    vatRate: String(basis.vatBp / 100),
    vatReason: basis.vatReason ?? '',
    lines: lines.map(lineToForm),
  };
}

export interface WorkerBasisPage {
  work: Work;
  basis?: Basis;
  lines: BasisLine[];
  expenses: BasisExpense[];
  events: BasisEvent[];
  blocked?: Blocked;
  editable: boolean;
  /** The latest dispute's comment, while the basis is disputed. */
  disputeComment?: string;
  form: BasisForm;
  preview?: Preview;
  /** Whether the suggested amount needs the worker's input: "by agreement". */
  askAgreedAmount: boolean;
}

export async function getWorkerBasisPage(db: DbOrTrx, actor: Actor, applicationId: number): Promise<WorkerBasisPage> {
  const work = await loadWork(db, actor, applicationId);
  const account = await selectEnterpriseAccountFacts(db, work.workerId);
  const basis = work.basisId === null ? undefined : await selectBasis(db, work.basisId);
  const [lines, expenses, events] = basis
    ? await Promise.all([selectBasisLines(db, basis.id), selectBasisExpenses(db, basis.id), selectBasisEvents(db, basis.id)])
    : [[], [], []];
  const blocked = blockedReason(work, account);
  const disputes = events.filter((event) => event.kind === 'disputed');
  return {
    work,
    basis,
    lines,
    expenses,
    events,
    blocked,
    editable: blocked === undefined && (!basis || EDITABLE.includes(basis.status)),
    disputeComment: basis?.status === 'disputed' ? (disputes[disputes.length - 1]?.comment ?? undefined) : undefined,
    form: basis ? formOf(basis, lines) : prefilledForm(work),
    preview:
      basis && account && lines.length > 0
        ? await previewFor(db, work.workerId, account, invoicePart(lines, expenses, basis.vatBp))
        : undefined,
    askAgreedAmount: work.compensationType === 'by_agreement',
  };
}

/** Refuses what the state of the work forbids (a message for the whole form, the input kept). */
function checkBillable(work: Work, account: EnterpriseAccountFacts | undefined, form: unknown): void {
  const blocked = blockedReason(work, account);
  if (blocked) throw new FormError({ form: BLOCKED_MESSAGES[blocked] }, form, 'conflict');
}

/** Creates the basis or saves the worker's changes to it; its id. */
export async function saveBasis(db: Db, actor: Actor, applicationId: number, body: Record<string, unknown>): Promise<number> {
  const work = await loadWork(db, actor, applicationId);
  const form = readBasisForm(body);
  checkBillable(work, await selectEnterpriseAccountFacts(db, work.workerId), form);
  const { valid, errors } = validateBasisForm(form);
  if (!valid) throw new FormError(errors, form);
  return inTransaction(db, async (trx) => {
    if (form.basisId === '') {
      const id = await insertBasis(trx, work, valid.values);
      if (id === undefined) throw new FormError({ form: `${E}.alreadyExists` }, form, 'conflict');
      await replaceBasisLines(trx, id, valid.lines);
      return id;
    }
    const basis = work.basisId === null ? undefined : await selectBasis(trx, work.basisId, { lock: true });
    if (!basis || String(basis.id) !== form.basisId) throw new FormError({ form: `${E}.alreadyExists` }, form, 'conflict');
    if (!EDITABLE.includes(basis.status)) throw new FormError({ form: `${E}.notEditable` }, form, 'conflict');
    await updateBasis(trx, basis.id, valid.values);
    await replaceBasisLines(trx, basis.id, valid.lines);
    return basis.id;
  });
}

/** Sends the basis to the organisation: 'submitted', an event row, and a notice to each member. */
export async function submitBasis(db: Db, actor: Actor, applicationId: number): Promise<void> {
  const work = await loadWork(db, actor, applicationId);
  if (work.basisId === null) throw conflict('noBasis');
  const basisId = work.basisId;
  await inTransaction(db, async (trx) => {
    const account = await selectEnterpriseAccountFacts(trx, work.workerId);
    const blocked = blockedReason(work, account);
    if (blocked) throw new AppError('conflict', BLOCKED_MESSAGES[blocked]);
    const basis = await selectBasis(trx, basisId, { lock: true });
    if (!basis) throw notFound();
    if (!EDITABLE.includes(basis.status)) throw conflict('alreadySubmitted');
    const [lines, expenses] = await Promise.all([selectBasisLines(trx, basisId), selectBasisExpenses(trx, basisId)]);
    if (lines.length === 0) throw conflict('noLines');
    const preview = await previewFor(trx, work.workerId, account!, invoicePart(lines, expenses, basis.vatBp));
    if (!preview.ok && preview.problem === `${E}.expensesTooLarge`) throw conflict('expensesTooLarge');
    await setBasisStatus(trx, basisId, 'submitted', actor.userId!);
    await insertBasisEvent(trx, { basisId, kind: 'submitted', actorId: actor.userId! });
    await notify(trx, {
      userIds: (await selectMemberIds(trx, basis.organisationId)).filter((id) => id !== actor.userId),
      type: 'billing_basis_submitted',
      link: organisationBasisPath(work.organisationSlug, basisId),
      params: { assignment: work.assignmentTitle, sender: work.workerName },
    });
  });
}

/** "Mina fakturaunderlag": the worker's accepted applications (and any other with a basis) and their bases' states. */
export async function listWorkerBases(db: DbOrTrx, actor: Actor): Promise<WorkerBasisRow[]> {
  if (actor.userId === undefined) throw unauthenticated();
  authorize(actor, 'billing.viewWorker', { workerId: actor.userId });
  return selectWorkerBases(db, actor.userId);
}

// --- expenses and receipts --------------------------------------------------------------------------------

export const RECEIPT_FIELD = 'receipt';
export const RECEIPT_MAX_BYTES = 10 * 1024 * 1024;
/** Receipts must stay legible: larger than assignment images. */
const RECEIPT_IMAGE_MAX_SIDE = 2400;

/**
 * The basis an expense may be added to or removed from, checked before a request's body is read (so a refused
 * user uploads nothing): the worker's own, editable basis.
 */
export async function getExpenseTarget(db: DbOrTrx, actor: Actor, applicationId: number): Promise<{ basisId: number }> {
  const work = await loadWork(db, actor, applicationId);
  checkBillable(work, await selectEnterpriseAccountFacts(db, work.workerId), readExpenseForm({}));
  if (work.basisId === null) throw conflict('noBasis');
  const basis = await selectBasis(db, work.basisId);
  if (!basis || !EDITABLE.includes(basis.status)) throw conflict('notEditable');
  return { basisId: basis.id };
}

async function prepareReceipt(file: {
  bytes: Buffer;
  mime: string;
}): Promise<{ bytes: Buffer; contentType: string; ext: 'pdf' | 'webp' }> {
  if (file.mime === 'application/pdf') return { bytes: file.bytes, contentType: 'application/pdf', ext: 'pdf' };
  try {
    return { bytes: await reencodeAsWebp(file.bytes, RECEIPT_IMAGE_MAX_SIDE), contentType: 'image/webp', ext: 'webp' };
  } catch (error) {
    if (error instanceof UnreadableImageError)
      throw new AppError('bad_request', `${E}.receiptUnreadable`, { [RECEIPT_FIELD]: `${E}.receiptUnreadable` });
    throw error;
  }
}

/**
 * Adds an expense with its receipt. `uploadProblem` is the receiver's refusal of the file, if any: shown
 * together with the other fields' messages, with what was typed kept.
 */
export async function addExpense(
  db: Db,
  storage: Storage,
  actor: Actor,
  applicationId: number,
  body: Record<string, unknown>,
  upload: { file: { bytes: Buffer; mime: string } } | { problem: AppError },
): Promise<void> {
  const { basisId } = await getExpenseTarget(db, actor, applicationId);
  const form = readExpenseForm(body);
  const { valid, errors } = validateExpenseForm(form);
  if ('problem' in upload) Object.assign(errors, upload.problem.fields);
  if (!valid || 'problem' in upload) throw new FormError(errors, form);
  let receipt;
  try {
    receipt = await prepareReceipt(upload.file);
  } catch (error) {
    if (error instanceof AppError) throw new FormError(error.fields, form);
    throw error;
  }
  // The receipts live beside the assignments' attachments; only their rows say who may read them.
  const key = newStorageKey('receipts', receipt.ext);
  await storage.put(key, receipt.bytes, receipt.contentType);
  try {
    await inTransaction(db, async (trx) => {
      const basis = await selectBasis(trx, basisId, { lock: true });
      if (!basis || !EDITABLE.includes(basis.status)) throw new FormError({ form: `${E}.notEditable` }, form, 'conflict');
      if ((await countBasisExpenses(trx, basisId)) >= MAX_EXPENSES)
        throw new FormError({ [RECEIPT_FIELD]: `${E}.tooManyExpenses` }, form, 'conflict');
      await insertBasisExpense(trx, { basisId, ...valid, storageKey: key, contentType: receipt.contentType });
    });
  } catch (error) {
    await storage.delete(key).catch(() => {});
    throw error;
  }
}

export async function removeExpense(
  db: Db,
  storage: Storage,
  actor: Actor,
  applicationId: number,
  expenseId: number,
): Promise<void> {
  const { basisId } = await getExpenseTarget(db, actor, applicationId);
  if (!validId(expenseId)) throw notFound();
  const key = await inTransaction(db, async (trx) => {
    const basis = await selectBasis(trx, basisId, { lock: true });
    if (!basis || !EDITABLE.includes(basis.status)) throw conflict('notEditable');
    const deleted = await deleteBasisExpense(trx, basisId, expenseId);
    if (deleted === undefined) throw notFound();
    return deleted;
  });
  // The row is gone; a file that fails to go is unreferenced, not a broken page.
  await storage.delete(key).catch(() => {});
}

/** A receipt, for the worker, the organisation's members once the basis is sent, and payroll; 404 for anyone else. */
export async function getReceipt(
  db: DbOrTrx,
  storage: Storage,
  actor: Actor,
  basisId: number,
  expenseId: number,
): Promise<StoredFile> {
  if (actor.userId === undefined) throw unauthenticated();
  const row = validId(basisId) && validId(expenseId) ? await selectReceipt(db, basisId, expenseId) : undefined;
  const allowed =
    row !== undefined &&
    ((row.workerId !== null && can(actor, 'billing.viewWorker', { workerId: row.workerId })) ||
      (row.status !== 'draft' && can(actor, 'billing.approve', { organisationId: row.organisationId })) ||
      can(actor, 'payroll.manage'));
  if (!allowed) throw notFound();
  const file = await storage.get(row.storageKey);
  if (!file) throw notFound();
  return file;
}

// --- the organisation -------------------------------------------------------------------------------------

async function loadOrganisation(db: DbOrTrx, actor: Actor, slug: string): Promise<{ id: number; slug: string; name: string }> {
  const organisation = /^[a-z0-9-]{1,100}$/.test(slug) ? await selectOrganisationBySlug(db, slug) : undefined;
  if (!organisation) throw notFound();
  authorize(actor, 'billing.approve', { organisationId: organisation.id });
  return organisation;
}

/** "Att godkänna" and the rest the organisation was sent, with each one's invoice amount. */
export async function listOrganisationBases(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
): Promise<{ organisation: { slug: string; name: string }; bases: Array<OrganisationBasisRow & { totalOre: Ore }> }> {
  const organisation = await loadOrganisation(db, actor, slug);
  const rows = await selectOrganisationBases(db, organisation.id);
  return {
    organisation,
    bases: rows.map((row) => ({
      ...row,
      totalOre: invoicePart([{ amountOre: row.linesOre }], [{ amountOre: row.expensesOre }], row.vatBp).totalOre,
    })),
  };
}

export interface OrganisationBasisPage {
  organisation: { slug: string; name: string };
  basis: Basis;
  lines: BasisLine[];
  expenses: BasisExpense[];
  events: BasisEvent[];
  invoice: InvoicePart;
}

/** A basis the organisation was sent: 404 for a draft (the worker's own until sent) or another's basis. */
async function loadOrganisationBasis(db: DbOrTrx, organisationId: number, basisId: number, lock = false): Promise<Basis> {
  const basis = validId(basisId) ? await selectBasis(db, basisId, { lock }) : undefined;
  if (!basis || basis.organisationId !== organisationId || basis.status === 'draft') throw notFound();
  return basis;
}

export async function getOrganisationBasisPage(
  db: DbOrTrx,
  actor: Actor,
  slug: string,
  basisId: number,
): Promise<OrganisationBasisPage> {
  const organisation = await loadOrganisation(db, actor, slug);
  const basis = await loadOrganisationBasis(db, organisation.id, basisId);
  const [lines, expenses, events] = await Promise.all([
    selectBasisLines(db, basis.id),
    selectBasisExpenses(db, basis.id),
    selectBasisEvents(db, basis.id),
  ]);
  return { organisation, basis, lines, expenses, events, invoice: invoicePart(lines, expenses, basis.vatBp) };
}

/** One who did the work never approves or disputes it, even as a member of the organisation since. */
function refuseOwnBasis(actor: Actor, basis: Basis): void {
  if (basis.workerId !== null && basis.workerId === actor.userId) throw new AppError('forbidden', `${E}.ownBasis`);
}

/**
 * Approves a sent basis and issues its invoice, in one transaction: the basis row is locked, so two approvals
 * at once make one invoice and the second is told the basis is no longer waiting.
 */
/** Approves a submitted basis and issues its invoice in the same transaction; `publicUrl` links the invoice mail to the site. */
export async function approveBasis(db: Db, actor: Actor, slug: string, basisId: number, publicUrl: string): Promise<void> {
  const organisation = await loadOrganisation(db, actor, slug);
  await inTransaction(db, async (trx) => {
    const basis = await loadOrganisationBasis(trx, organisation.id, basisId, true);
    refuseOwnBasis(actor, basis);
    if (basis.status !== 'submitted') throw conflict('notSubmitted');
    await setBasisStatus(trx, basis.id, 'approved', actor.userId!);
    await insertBasisEvent(trx, { basisId: basis.id, kind: 'approved', actorId: actor.userId! });
    await issueInvoice(trx, basis.id, todayInStockholm(), { publicUrl });
    if (basis.workerId !== null && basis.applicationId !== null)
      await notify(trx, {
        userIds: [basis.workerId],
        type: 'billing_basis_approved',
        link: workerBasisPath(basis.applicationId),
        params: { assignment: basis.assignmentTitle, organisation: basis.organisationName },
      });
  });
}

export interface DisputeForm {
  comment: string;
}

/** Sends a basis back to its worker with a comment (required): 'disputed', to be edited and sent again. */
export async function disputeBasis(
  db: Db,
  actor: Actor,
  slug: string,
  basisId: number,
  body: Record<string, unknown>,
): Promise<void> {
  const organisation = await loadOrganisation(db, actor, slug);
  const { comment, errors } = validateComment(body);
  const form: DisputeForm = { comment: formText(body.comment, MAX_COMMENT_LENGTH + 100) };
  await inTransaction(db, async (trx) => {
    const basis = await loadOrganisationBasis(trx, organisation.id, basisId, true);
    refuseOwnBasis(actor, basis);
    if (basis.status !== 'submitted') throw new FormError({ form: `${E}.notSubmitted` }, form, 'conflict');
    if (Object.keys(errors).length > 0) throw new FormError(errors, form);
    await setBasisStatus(trx, basis.id, 'disputed', actor.userId!);
    await insertBasisEvent(trx, { basisId: basis.id, kind: 'disputed', actorId: actor.userId!, comment });
    if (basis.workerId !== null && basis.applicationId !== null)
      await notify(trx, {
        userIds: [basis.workerId],
        type: 'billing_basis_disputed',
        link: workerBasisPath(basis.applicationId),
        params: { assignment: basis.assignmentTitle, organisation: basis.organisationName },
      });
  });
}
