import type { Knex } from 'knex';
import type { Actor } from '../src/modules/access/index.js';
import { createAssignment } from '../src/modules/assignments/index.js';
import { activateEnterpriseAccount, issueInvoice } from '../src/modules/billing/index.js';
import { addDays, type CalendarDate } from '../src/platform/calendar.js';
import type { DataKeys } from '../src/platform/encryption.js';
import { luhnCheckDigit } from '../src/platform/luhn.js';
import { BILLED_WORK, ENTERPRISE_ACCOUNTS, type DemoBilledWork, type DemoEnterpriseAccount } from './demo-content.js';

// Billing in the demo (seeds/demo.ts, inside its transaction): residents activate the simplified-enterprise account
// the way a person does at /konto/egenanstallning (the same service: the number validated, sealed with the data
// key and hashed), and finished work is billed in every state (demo-content.ts BILLED_WORK). Invoices are issued
// by issueInvoice on their dates, as an approval would; a paid one has its payment registered by hand.

const DAY_MS = 86_400_000;

export interface DemoBillingContext {
  trx: Knex.Transaction;
  dataKeys: DataKeys;
  today: CalendarDate;
  now: Date;
  userOf: (email: string) => number;
  organisationOf: (key: string) => { id: number; adminId: number; municipalityCode: string };
}

export interface DemoBillingSummary {
  accounts: number;
  bases: number;
  invoices: number;
}

/** The account's made-up personnummer, 12 digits with the right check digit. */
export function demoPersonalNumber(account: Pick<DemoEnterpriseAccount, 'birthDate' | 'serial'>): string {
  const date = account.birthDate.replaceAll('-', '');
  const body = `${date.slice(2)}${account.serial}`;
  return `${date}${account.serial}${luhnCheckDigit(body)}`;
}

const residentActor = (userId: number): Actor => ({
  userId,
  isAdmin: false,
  emailVerified: true,
  memberships: new Map(),
  officerOf: new Set(),
  isPayroll: false,
});

export async function seedDemoBilling(context: DemoBillingContext): Promise<DemoBillingSummary> {
  const { trx, dataKeys, today, userOf } = context;
  for (const account of ENTERPRISE_ACCOUNTS) {
    const userId = userOf(account.email);
    // Invoices and payslips go to the address: an account is activated only with a confirmed one.
    await trx('users').where('id', userId).whereNull('email_verified_at').update({ email_verified_at: context.now });
    await activateEnterpriseAccount(
      trx,
      dataKeys,
      residentActor(userId),
      {
        personalNumber: demoPersonalNumber(account),
        clearingNumber: account.clearingNumber,
        accountNumber: account.accountNumber,
        taxMode: account.taxMode,
        terms: 'yes',
      },
      today,
    );
  }
  let invoices = 0;
  for (const work of BILLED_WORK) if (await billWork(context, work)) invoices += 1;
  return { accounts: ENTERPRISE_ACCOUNTS.length, bases: BILLED_WORK.length, invoices };
}

/** The finished assignment, the worker's accepted application and its basis in the work's state; true if invoiced. */
async function billWork(context: DemoBillingContext, work: DemoBilledWork): Promise<boolean> {
  const { trx, today, now } = context;
  const organisation = context.organisationOf(work.org);
  const workerId = context.userOf(work.worker);
  const periodEnd = addDays(today, -work.endedDaysAgo);
  const periodStart = addDays(periodEnd, -2);
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

  const assignmentId = await createAssignment(trx, {
    organisationId: organisation.id,
    createdBy: organisation.adminId,
    title: work.title,
    description: work.description,
    categorySlug: work.category,
    municipalityCode: organisation.municipalityCode,
    localitySlug: work.locality,
    compensationType: work.compensation.type,
    amountSek: work.compensation.amountSek,
    estimatedHours: work.hours ?? null,
    startsOn: periodStart,
    endsOn: periodEnd,
    applyBy: addDays(periodStart, -3),
    status: 'published',
    publishedAt: daysAgo(work.endedDaysAgo + 14),
  });
  // Done: no longer open, so the index job queued with it takes it out of search.
  await trx('assignments')
    .where('id', assignmentId)
    .update({ status: 'completed', completed_at: daysAgo(work.endedDaysAgo) });
  const [application] = await trx('applications')
    .insert({
      assignment_id: assignmentId,
      applicant_id: workerId,
      message: 'Hej! Jag kan ta det här, jag har gjort liknande arbete förut och har egna verktyg.',
      status: 'accepted',
      decided_at: daysAgo(work.endedDaysAgo + 7),
    })
    .returning<{ id: number }[]>('id');

  const sent = work.state !== 'draft';
  const approved = work.state === 'invoiced' || work.state === 'overdue' || work.state === 'paid';
  const submittedAt = daysAgo(work.invoicedDaysAgo === undefined ? work.endedDaysAgo - 1 : work.invoicedDaysAgo + 1);
  const decidedAt = work.invoicedDaysAgo === undefined ? now : daysAgo(work.invoicedDaysAgo);
  const [basis] = await trx('billing_bases')
    .insert({
      application_id: application!.id,
      worker_user_id: workerId,
      organisation_id: organisation.id,
      assignment_id: assignmentId,
      status: approved ? 'approved' : work.state,
      period_start: periodStart,
      period_end: periodEnd,
      description: work.description,
      submitted_at: sent ? submittedAt : null,
      approved_at: approved ? decidedAt : null,
      approved_by: approved ? organisation.adminId : null,
    })
    .returning<{ id: number }[]>('id');
  const basisId = basis!.id;
  const rateOre = work.compensation.amountSek * 100;
  await trx('billing_basis_lines').insert(
    work.hours === undefined
      ? { basis_id: basisId, position: 1, kind: 'fixed', description: work.lineDescription, amount_ore: rateOre }
      : {
          basis_id: basisId,
          position: 1,
          kind: 'hours',
          description: work.lineDescription,
          quantity_hundredths: work.hours * 100,
          unit_price_ore: rateOre,
          amount_ore: work.hours * rateOre,
        },
  );
  if (sent)
    await trx('billing_basis_events').insert({ basis_id: basisId, kind: 'submitted', actor_user_id: workerId, at: submittedAt });
  if (work.state === 'disputed')
    await trx('billing_basis_events').insert({
      basis_id: basisId,
      kind: 'disputed',
      actor_user_id: organisation.adminId,
      comment: work.disputeComment ?? '',
      at: decidedAt,
    });
  if (!approved) return false;

  await trx('billing_basis_events').insert({
    basis_id: basisId,
    kind: 'approved',
    actor_user_id: organisation.adminId,
    at: decidedAt,
  });
  const invoiceDate = addDays(today, -(work.invoicedDaysAgo ?? 0));
  const { invoiceId } = await issueInvoice(trx, basisId, invoiceDate);
  if (work.state === 'paid') {
    const invoice = await trx('invoices').where('id', invoiceId).first<{ total_ore: string; ocr: string }>('total_ore', 'ocr');
    const paidOn = addDays(invoiceDate, 20);
    await trx('payments').insert({
      invoice_id: invoiceId,
      amount_ore: invoice.total_ore,
      paid_on: paidOn,
      reference: invoice.ocr,
      source: 'manual',
    });
    await trx('invoices')
      .where('id', invoiceId)
      .update({ status: 'paid', paid_at: daysAgo(work.invoicedDaysAgo! - 20) });
  }
  return true;
}
