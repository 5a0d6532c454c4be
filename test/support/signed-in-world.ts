import { loadActor } from '../../src/modules/access/index.js';
import { registerPayment } from '../../src/modules/billing/payments-service.js';
import { markSalariesPaidByPayroll } from '../../src/modules/billing/salary-service.js';
import { notify } from '../../src/modules/notifications/index.js';
import { todayInStockholm } from '../../src/platform/calendar.js';
import { createBasis, addEnterpriseAccount } from './billing-factories-e.js';
import { issueTestInvoice } from './billing-factories-d.js';
import { createApplication, createOrganisation, createTestAssignment } from './factories.js';
import { createMessage } from './messages-factories.js';
import { createReport } from './moderation-factories.js';
import { createSavedSearch } from './saved-search-factories.js';
import { createDashboardHistory } from './stats-history.js';
import type { TestApp } from './test-app.js';
import { createUser } from './users.js';

// One of every role with something on each of their pages, so a page is seen as its user sees it on an ordinary
// day, not empty: the resident has an application in every state, a message thread, notifications, an
// enterprise account, a paid invoice with its payslip; the association has assignments in every state, a
// pending invite, a billing basis to approve and invoices; the admin has an organisation and an assignment to
// review and a report; payroll has an open invoice and a salary to pay out; the officer's municipality has a
// history. What the flows themselves do is other tests' subject: most rows are written by the factories, and
// payments, salaries and notifications go through the services that make them in production.

export interface SignedInWorld {
  users: Record<
    'resident' | 'orgAdmin' | 'orgMember' | 'admin' | 'payroll' | 'officer',
    { id: number; email: string; name: string }
  >;
  organisation: { id: number; name: string; slug: string };
  municipalityCode: string;
  assignments: Record<'published' | 'draft' | 'assigned' | 'completed', number>;
  /** Another (unverified) organisation's first assignment, waiting for the platform admin's review. */
  assignmentInReview: number;
  applications: Record<'submitted' | 'shortlisted' | 'accepted' | 'declined' | 'withdrawn' | 'completed', number>;
  /** The organisation's pending invite. */
  inviteId: number;
  basisId: number;
  openInvoiceId: number;
  paidInvoiceId: number;
  savedSearchId: number;
}

const LYCKSELE = '2481';

export async function createSignedInWorld(ctx: TestApp): Promise<SignedInWorld> {
  const { db } = ctx;
  const users = {
    resident: await createUser(db, { name: 'Rasmus Boende' }),
    orgAdmin: await createUser(db, { name: 'Maja Ordförande' }),
    orgMember: await createUser(db, { name: 'Kalle Medlem' }),
    admin: await createUser(db, { name: 'Ada Administratör', isAdmin: true }),
    payroll: await createUser(db, { name: 'Lena Lön' }),
    officer: await createUser(db, { name: 'Olle Handläggare' }),
  };
  await db('payroll_staff').insert({ user_id: users.payroll.id });
  await db('officer_municipalities').insert({ user_id: users.officer.id, municipality_code: LYCKSELE });
  await addEnterpriseAccount(db, users.resident.id);

  const created = await createOrganisation(db, { name: 'Kusfors byaförening', municipality_code: LYCKSELE });
  await db('organisations')
    .where('id', created.id)
    .update({ address: 'Byvägen 1\n921 91 Lycksele', billing_email: `kassor.${process.pid}@example.se` });
  const { slug } = (await db('organisations').where('id', created.id).first('slug')) as { slug: string };
  const organisation = { ...created, slug };
  await db('organisation_members').insert([
    { organisation_id: organisation.id, user_id: users.orgAdmin.id, role: 'admin' },
    { organisation_id: organisation.id, user_id: users.orgMember.id, role: 'member' },
  ]);
  const [invite] = await db('organisation_invites')
    .insert({
      organisation_id: organisation.id,
      email: 'ny.medlem@example.se',
      role: 'member',
      token_hash: 'c'.repeat(64),
      invited_by: users.orgAdmin.id,
      expires_at: new Date(Date.now() + 7 * 86_400_000),
    })
    .returning<{ id: number }[]>('id');

  // createAssignment makes drafts and published ones; later states are where the flow would have moved them.
  const assignment = async (title: string, status: 'published' | 'draft' | 'assigned' | 'completed' = 'published') => {
    const id = await createTestAssignment(db, {
      organisationId: organisation.id,
      title,
      status: status === 'draft' ? 'draft' : 'published',
      compensationType: 'fixed',
      amountSek: 800,
      description: 'Trappan och gången till bygdegården behöver skottas efter snöfall. Spade och sand finns i förrådet.',
    });
    if (status === 'assigned' || status === 'completed')
      await db('assignments')
        .where('id', id)
        .update({ status, ...(status === 'completed' ? { completed_at: new Date() } : {}) });
    return id;
  };
  const assignments = {
    published: await assignment('Skotta trappan vid bygdegården'),
    draft: await assignment('Måla staketet runt badplatsen', 'draft'),
    assigned: await assignment('Klippa gräset på idrottsplatsen', 'assigned'),
    completed: await assignment('Stapla ved i vedboden', 'completed'),
  };
  const other = (title: string) => assignment(title);
  const applicationTo = (assignmentId: number, status?: 'submitted' | 'shortlisted' | 'accepted' | 'declined' | 'withdrawn') =>
    createApplication(db, { assignmentId, applicantId: users.resident.id, shareProfile: false, ...(status ? { status } : {}) });
  const applications = {
    submitted: await applicationTo(assignments.published),
    shortlisted: await applicationTo(await other('Sköta om blomlådorna i byn'), 'shortlisted'),
    accepted: await applicationTo(assignments.assigned, 'accepted'),
    declined: await applicationTo(await other('Hjälpa till på höstmarknaden'), 'declined'),
    withdrawn: await applicationTo(await other('Byta lampor i elljusspåret'), 'withdrawn'),
    completed: await applicationTo(assignments.completed, 'accepted'),
  };
  await createMessage(db, {
    applicationId: applications.accepted,
    senderId: users.orgAdmin.id,
    body: 'Hej Rasmus! Välkommen. Nyckeln till förrådet hänger i bygdegårdens hall.',
  });
  await createMessage(db, {
    applicationId: applications.accepted,
    senderId: users.resident.id,
    body: 'Tack! Jag börjar på lördag förmiddag.',
  });

  // Work billed and paid: the resident's billing basis waits for the association; one invoice is open, one paid.
  const basisId = await createBasis(
    db,
    {
      applicationId: applications.accepted,
      assignmentId: assignments.assigned,
      organisationId: organisation.id,
      workerId: users.resident.id,
    },
    { status: 'submitted' },
  );
  const billing = { organisationId: organisation.id, workerId: users.resident.id, approverId: users.orgAdmin.id };
  const openInvoiceId = await issueTestInvoice(db, billing);
  const paidInvoiceId = await issueTestInvoice(db, billing);
  const payrollActor = await loadActor(db, { id: users.payroll.id, isAdmin: false, emailVerified: true });
  const paid = (await db('invoices').where('id', paidInvoiceId).first('total_ore')) as { total_ore: string };
  const today = todayInStockholm();
  const total = Number(paid.total_ore);
  await registerPayment(db, payrollActor, {
    invoice: String(paidInvoiceId),
    ocr: '',
    amount: `${Math.trunc(total / 100)},${String(total % 100).padStart(2, '0')}`,
    paidOn: today,
    reference: 'Bankgiro',
  });
  await ctx.runJobs(); // the salary of the paid invoice, and the notifications' mails
  const salary = (await db('salaries').where('invoice_id', paidInvoiceId).first('id')) as { id: number } | undefined;
  if (!salary) throw new Error('The salary job made no salary for the paid invoice');
  // A second paid invoice whose salary waits for payout, so payroll's list has a row.
  const waitingInvoiceId = await issueTestInvoice(db, billing);
  const waiting = (await db('invoices').where('id', waitingInvoiceId).first('total_ore')) as { total_ore: string };
  await registerPayment(db, payrollActor, {
    invoice: String(waitingInvoiceId),
    ocr: '',
    amount: `${Math.trunc(Number(waiting.total_ore) / 100)},${String(Number(waiting.total_ore) % 100).padStart(2, '0')}`,
    paidOn: today,
    reference: 'Bankgiro',
  });
  await markSalariesPaidByPayroll(db, payrollActor, { salary: [String(salary.id)], paidOn: today });
  await ctx.runJobs();
  // The invoiced work was done: its assignments are completed, as the flow leaves them.
  await db('assignments')
    .whereIn('id', db('billing_bases').where({ worker_user_id: users.resident.id, status: 'approved' }).select('assignment_id'))
    .update({ status: 'completed', completed_at: new Date() });

  await notify(db, {
    userIds: [users.resident.id],
    type: 'application_accepted',
    link: `/ansokningar/${applications.accepted}`,
    params: { assignment: 'Klippa gräset på idrottsplatsen', organisation: organisation.name },
  });
  await notify(db, {
    userIds: [users.resident.id],
    type: 'message_received',
    link: `/ansokningar/${applications.accepted}/meddelanden`,
    params: { assignment: 'Klippa gräset på idrottsplatsen', sender: users.orgAdmin.name },
  });
  await notify(db, {
    userIds: [users.orgAdmin.id, users.orgMember.id],
    type: 'application_received',
    link: `/ansokningar/${applications.submitted}`,
    params: { assignment: 'Skotta trappan vid bygdegården' },
  });

  // For the platform admin: a new organisation whose first assignment waits for review, and a report.
  const newcomer = await createOrganisation(db, { name: 'Nya Tallbergs IK', verified_at: null, municipality_code: LYCKSELE });
  const assignmentInReview = await createTestAssignment(db, { organisationId: newcomer.id, title: 'Kratta löv på grusplanen' });
  await db('assignments').where('id', assignmentInReview).update({ status: 'pending_review' });
  await createReport(db, {
    assignmentId: assignments.published,
    reason: 'spam',
    details: 'Samma annons finns tre gånger.',
  });

  const savedSearchId = await createSavedSearch(db, { userId: users.resident.id, name: 'Snöskottning i Lycksele', query: 'snö' });
  await createDashboardHistory(db);
  await ctx.syncIndex();

  return {
    users,
    organisation,
    municipalityCode: LYCKSELE,
    assignments,
    assignmentInReview,
    applications,
    inviteId: invite!.id,
    basisId,
    openInvoiceId,
    paidInvoiceId,
    savedSearchId,
  };
}
