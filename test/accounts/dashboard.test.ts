import { expect } from 'chai';
import { loadActor } from '../../src/modules/access/index.js';
import { getDashboard, type Dashboard } from '../../src/modules/accounts/dashboard.js';
import { notify } from '../../src/modules/notifications/index.js';
import { todayInStockholm } from '../../src/platform/calendar.js';
import { createBasis, ensureOperatorSettings } from '../support/billing-factories-e.js';
import { issueTestInvoice } from '../support/billing-factories-d.js';
import { insertSalary } from '../support/payroll-factories-p2.js';
import { createApplication, createOrganisation, createTestAssignment } from '../support/factories.js';
import { createMessage } from '../support/messages-factories.js';
import { createReport } from '../support/moderation-factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs } from '../support/users.js';

// "Mitt konto" lists what needs the person now (src/modules/accounts/dashboard.ts). Each item appears exactly while
// its condition holds, for each role, and a person never sees another person's (or another organisation's) items.

describe('Mitt konto: what needs me now', function () {
  this.timeout(60_000);
  const ctx = useTestApp();

  const dashboardOf = async (userId: number, isAdmin = false): Promise<Dashboard> =>
    getDashboard(ctx.db, await loadActor(ctx.db, { id: userId, isAdmin, emailVerified: true }));

  /** "group kind:item kind count href" for every item, in order. */
  const items = async (userId: number, isAdmin = false) =>
    (await dashboardOf(userId, isAdmin)).groups.flatMap((group) =>
      group.items.map((item) => `${group.kind}:${item.kind} ${item.count} ${item.href}`),
    );
  const ofKind = async (userId: number, kind: string, isAdmin = false) =>
    (await items(userId, isAdmin)).filter((line) => line.split(' ')[0]!.endsWith(`:${kind}`));

  async function organisationWithMember() {
    const organisation = await createOrganisation(ctx.db);
    const { slug } = (await ctx.db('organisations').where('id', organisation.id).first('slug')) as { slug: string };
    const member = await createUser(ctx.db);
    await ctx.db('organisation_members').insert({ organisation_id: organisation.id, user_id: member.id, role: 'member' });
    return { ...organisation, slug, member };
  }

  it('when nothing waits, then there are no items, nothing in total and no statistics', async () => {
    const user = await createUser(ctx.db);
    const dashboard = await dashboardOf(user.id);
    expect(dashboard).to.deep.equal({ groups: [], total: 0, statistics: false });
  });

  it('when the page is opened, then it shows the empty state, the settings as links and no one else’s items', async () => {
    const user = await createUser(ctx.db, { name: 'Tom Tomsson' });
    const busy = await createUser(ctx.db);
    const organisation = await createOrganisation(ctx.db);
    const assignment = await createTestAssignment(ctx.db, { organisationId: organisation.id, title: 'Andras uppdrag' });
    await createApplication(ctx.db, { assignmentId: assignment, applicantId: busy.id });
    await notify(ctx.db, { userIds: [busy.id], type: 'application_received', link: '/konto', params: { assignment: 'x' } });
    const { agent } = await logInAs(ctx.app, user.email);
    const page = await agent.get('/konto').expect(200);
    expect(page.text).to.include('Inget väntar på dig');
    expect(page.text).not.to.include('väntar på svar');
    expect(page.text).not.to.include('oläst notis');
    for (const href of [
      '/konto/losenord',
      '/konto/epost',
      '/konto/notiser/installningar',
      '/konto/profil',
      '/konto/mina-uppgifter',
    ])
      expect(page.text).to.include(`href="${href}"`);
    const busyPage = await (await logInAs(ctx.app, busy.email)).agent.get('/konto').expect(200);
    expect(busyPage.text).to.include('1 intresseanmälan väntar på svar');
    // The one primary action is the first thing that waits; with nothing waiting, finding work.
    const primaryOf = (html: string) =>
      /<a class="button-link page-header-primary" href="([^"]*)">([^<]*)<\/a>/.exec(html)?.slice(1);
    expect(primaryOf(busyPage.text)).to.deep.equal(['/konto/ansokningar', '1 intresseanmälan väntar på svar']);
    expect(primaryOf(page.text)).to.deep.equal(['/uppdrag', 'Sök uppdrag']);
    expect(busyPage.text).to.include('1 oläst notis');
    expect(busyPage.text).not.to.include('Inget väntar på dig');
  });

  it('resident: applications waiting for an answer count while sent or shortlisted to an open assignment', async () => {
    const resident = await createUser(ctx.db);
    const organisation = await createOrganisation(ctx.db);
    const assignment = (title: string) =>
      createTestAssignment(ctx.db, { organisationId: organisation.id, title: `Uppdrag nummer ${title}` });
    const submitted = await createApplication(ctx.db, { assignmentId: await assignment('Ett'), applicantId: resident.id });
    await createApplication(ctx.db, { assignmentId: await assignment('Två'), applicantId: resident.id, status: 'shortlisted' });
    await createApplication(ctx.db, { assignmentId: await assignment('Tre'), applicantId: resident.id, status: 'declined' });
    await createApplication(ctx.db, { assignmentId: await assignment('Fyra'), applicantId: resident.id, status: 'withdrawn' });
    expect(await ofKind(resident.id, 'awaitingAnswer')).to.deep.equal(['own:awaitingAnswer 2 /konto/ansokningar']);
    const { assignment_id: cancelled } = (await ctx.db('applications').where('id', submitted).first('assignment_id')) as {
      assignment_id: number;
    };
    await ctx.db('assignments').where('id', cancelled).update({ status: 'cancelled' });
    expect(await ofKind(resident.id, 'awaitingAnswer')).to.deep.equal(['own:awaitingAnswer 1 /konto/ansokningar']);
    await ctx.db('applications').where('applicant_id', resident.id).update({ status: 'declined' });
    expect(await ofKind(resident.id, 'awaitingAnswer')).to.deep.equal([]);
  });

  it('resident: accepted work shows until the assignment is completed, then the billing basis waits until it is sent', async () => {
    const resident = await createUser(ctx.db);
    const other = await createUser(ctx.db);
    const organisation = await createOrganisation(ctx.db);
    const assignmentId = await createTestAssignment(ctx.db, {
      organisationId: organisation.id,
      title: 'Skotta taket',
      compensationType: 'fixed',
      amountSek: 900,
      startsOn: '2027-01-10',
      endsOn: '2027-01-12',
    });
    const applicationId = await createApplication(ctx.db, { assignmentId, applicantId: resident.id, status: 'accepted' });
    const dashboard = await dashboardOf(resident.id);
    expect(dashboard.groups[0]!.items[0]).to.deep.equal({
      kind: 'upcomingWork',
      href: `/ansokningar/${applicationId}`,
      count: 1,
      params: { title: 'Skotta taket', organisation: organisation.name },
      date: '2027-01-10',
    });
    expect(await ofKind(other.id, 'upcomingWork')).to.deep.equal([]);
    expect(await ofKind(resident.id, 'basisToFill')).to.deep.equal([]);

    await ctx.db('assignments').where('id', assignmentId).update({ status: 'completed', completed_at: new Date() });
    expect(await ofKind(resident.id, 'upcomingWork')).to.deep.equal([]);
    expect(await ofKind(resident.id, 'basisToFill')).to.deep.equal([`own:basisToFill 1 /konto/fakturaunderlag/${applicationId}`]);
    const work = { applicationId, assignmentId, organisationId: organisation.id, workerId: resident.id };
    const basisId = await createBasis(ctx.db, work); // a draft: still to fill in and send
    expect(await ofKind(resident.id, 'basisToFill')).to.have.length(1);
    await ctx.db('billing_bases').where('id', basisId).update({ status: 'submitted', submitted_at: new Date() });
    expect(await ofKind(resident.id, 'basisToFill')).to.deep.equal([]);
    await ctx.db('billing_bases').where('id', basisId).update({ status: 'disputed' });
    expect(await ofKind(resident.id, 'basisDisputed')).to.deep.equal([
      `own:basisDisputed 1 /konto/fakturaunderlag/${applicationId}`,
    ]);
    expect(await ofKind(other.id, 'basisDisputed')).to.deep.equal([]);
  });

  it('resident: volunteer work asks for no billing basis', async () => {
    const resident = await createUser(ctx.db);
    const organisation = await createOrganisation(ctx.db);
    const assignmentId = await createTestAssignment(ctx.db, {
      organisationId: organisation.id,
      compensationType: 'volunteer',
      amountSek: null,
    });
    await createApplication(ctx.db, { assignmentId, applicantId: resident.id, status: 'accepted' });
    await ctx.db('assignments').where('id', assignmentId).update({ status: 'completed', completed_at: new Date() });
    expect(await items(resident.id)).to.deep.equal([]);
  });

  it('both sides: a thread with messages by others not yet read shows, for its two sides only, until it is read', async () => {
    const resident = await createUser(ctx.db);
    const organisation = await organisationWithMember();
    const outsider = await createUser(ctx.db);
    const assignmentId = await createTestAssignment(ctx.db, { organisationId: organisation.id, title: 'Laga bryggan' });
    const applicationId = await createApplication(ctx.db, { assignmentId, applicantId: resident.id, status: 'accepted' });
    const thread = `/ansokningar/${applicationId}/meddelanden`;
    await createMessage(ctx.db, { applicationId, senderId: resident.id, body: 'Hej!' });
    expect(await ofKind(resident.id, 'unreadThread')).to.deep.equal([]);
    expect(await ofKind(organisation.member.id, 'unreadThread')).to.deep.equal([`own:unreadThread 1 ${thread}`]);
    const second = await createMessage(ctx.db, { applicationId, senderId: organisation.member.id, body: 'Välkommen' });
    await createMessage(ctx.db, { applicationId, senderId: organisation.member.id, body: 'Nyckeln hänger i hallen' });
    expect(await ofKind(resident.id, 'unreadThread')).to.deep.equal([`own:unreadThread 2 ${thread}`]);
    expect(await ofKind(outsider.id, 'unreadThread')).to.deep.equal([]);
    await ctx
      .db('application_reads')
      .insert({ application_id: applicationId, user_id: resident.id, last_read_message_id: second });
    expect(await ofKind(resident.id, 'unreadThread')).to.deep.equal([`own:unreadThread 1 ${thread}`]);
    await ctx
      .db('application_reads')
      .where({ application_id: applicationId, user_id: resident.id })
      .update({
        last_read_message_id: ctx.db('application_messages').where('application_id', applicationId).max('id'),
      });
    expect(await ofKind(resident.id, 'unreadThread')).to.deep.equal([]);
  });

  it('resident: unread notifications count until they are read', async () => {
    const resident = await createUser(ctx.db);
    const other = await createUser(ctx.db);
    const notice = (userId: number) =>
      notify(ctx.db, {
        userIds: [userId],
        type: 'application_accepted',
        link: '/konto',
        params: { assignment: 'a', organisation: 'b' },
      });
    await notice(resident.id);
    await notice(resident.id);
    expect(await ofKind(resident.id, 'unreadNotifications')).to.deep.equal(['own:unreadNotifications 2 /konto/notiser']);
    expect(await ofKind(other.id, 'unreadNotifications')).to.deep.equal([]);
    await ctx.db('notifications').where('user_id', resident.id).update({ read_at: new Date() });
    expect(await ofKind(resident.id, 'unreadNotifications')).to.deep.equal([]);
  });

  it('resident: a payslip is new for 30 days after its salary was paid out, and only the worker’s', async () => {
    await ensureOperatorSettings(ctx.db);
    const organisation = await organisationWithMember();
    const worker = await createUser(ctx.db);
    const billing = { organisationId: organisation.id, workerId: worker.id, approverId: organisation.member.id };
    const { id: salaryId } = await insertSalary(ctx.db, await issueTestInvoice(ctx.db, billing), { payoutDate: '2026-03-25' });
    expect(await ofKind(worker.id, 'newPayslips')).to.deep.equal([]); // not paid out yet
    await ctx.db('salaries').where('id', salaryId).update({ paid_on: todayInStockholm() });
    expect(await ofKind(worker.id, 'newPayslips')).to.deep.equal(['own:newPayslips 1 /konto/lonebesked']);
    expect(await ofKind(organisation.member.id, 'newPayslips')).to.deep.equal([]);
    const old = await insertSalary(ctx.db, await issueTestInvoice(ctx.db, billing), { payoutDate: '2026-03-25' });
    await ctx.db('salaries').where('id', old.id).update({ paid_on: '2026-03-25' });
    expect(await ofKind(worker.id, 'newPayslips')).to.deep.equal(['own:newPayslips 1 /konto/lonebesked']);
  });

  it('organisation member: new applications per assignment, drafts, drafts sent back, bases to approve and unpaid invoices', async () => {
    const organisation = await organisationWithMember();
    const otherOrganisation = await organisationWithMember();
    const resident = await createUser(ctx.db);
    const snow = await createTestAssignment(ctx.db, { organisationId: organisation.id, title: 'Skotta' });
    const mow = await createTestAssignment(ctx.db, { organisationId: organisation.id, title: 'Klippa' });
    const first = await createApplication(ctx.db, { assignmentId: snow, applicantId: resident.id });
    await createApplication(ctx.db, { assignmentId: snow, applicantId: (await createUser(ctx.db)).id });
    await createApplication(ctx.db, { assignmentId: mow, applicantId: resident.id, status: 'shortlisted' });
    const applicants = `/organisationer/${organisation.slug}/uppdrag/${snow}/ansokningar`;
    expect(await ofKind(organisation.member.id, 'newApplications')).to.deep.equal([
      `organisation:newApplications 2 ${applicants}`,
    ]);
    expect((await dashboardOf(organisation.member.id)).groups.find((group) => group.kind === 'organisation')?.name).to.equal(
      organisation.name,
    );
    expect(await ofKind(otherOrganisation.member.id, 'newApplications')).to.deep.equal([]);
    expect(await ofKind(resident.id, 'newApplications')).to.deep.equal([]);
    await ctx.db('applications').where('id', first).update({ status: 'shortlisted' });
    expect(await ofKind(organisation.member.id, 'newApplications')).to.deep.equal([
      `organisation:newApplications 1 ${applicants}`,
    ]);

    const mine = `/organisationer/${organisation.slug}/uppdrag`;
    const draft = await createTestAssignment(ctx.db, { organisationId: organisation.id, status: 'draft' });
    await createTestAssignment(ctx.db, { organisationId: organisation.id, status: 'draft' });
    expect(await ofKind(organisation.member.id, 'drafts')).to.deep.equal([`organisation:drafts 2 ${mine}`]);
    expect(await ofKind(organisation.member.id, 'sentBack')).to.deep.equal([]);
    await ctx.db('assignments').where('id', draft).update({ review_note: 'Skriv vad ersättningen är.' });
    expect(await ofKind(organisation.member.id, 'sentBack')).to.deep.equal([`organisation:sentBack 1 ${mine}`]);
    expect(await ofKind(organisation.member.id, 'drafts')).to.deep.equal([`organisation:drafts 1 ${mine}`]);
    expect(await ofKind(otherOrganisation.member.id, 'drafts')).to.deep.equal([]);

    await ensureOperatorSettings(ctx.db);
    const accepted = await createApplication(ctx.db, {
      assignmentId: mow,
      applicantId: (await createUser(ctx.db)).id,
      status: 'accepted',
    });
    const work = { applicationId: accepted, assignmentId: mow, organisationId: organisation.id, workerId: resident.id };
    const basisId = await createBasis(ctx.db, work); // a draft is the worker's own
    expect(await ofKind(organisation.member.id, 'basesToApprove')).to.deep.equal([]);
    await ctx.db('billing_bases').where('id', basisId).update({ status: 'submitted', submitted_at: new Date() });
    expect(await ofKind(organisation.member.id, 'basesToApprove')).to.deep.equal([
      `organisation:basesToApprove 1 /organisationer/${organisation.slug}/fakturaunderlag`,
    ]);
    expect(await ofKind(otherOrganisation.member.id, 'basesToApprove')).to.deep.equal([]);

    const invoiceId = await issueTestInvoice(ctx.db, {
      organisationId: organisation.id,
      workerId: resident.id,
      approverId: organisation.member.id,
    });
    expect(await ofKind(organisation.member.id, 'unpaidInvoices')).to.deep.equal([
      `organisation:unpaidInvoices 1 /organisationer/${organisation.slug}/fakturor`,
    ]);
    expect(await ofKind(otherOrganisation.member.id, 'unpaidInvoices')).to.deep.equal([]);
    expect(await ofKind(resident.id, 'unpaidInvoices')).to.deep.equal([]);
    await ctx.db('invoices').where('id', invoiceId).update({ status: 'paid', paid_at: new Date() });
    expect(await ofKind(organisation.member.id, 'unpaidInvoices')).to.deep.equal([]);
  });

  it('platform admin: organisations to verify, assignments to review and open reports; nobody else sees them', async () => {
    const admin = await createUser(ctx.db, { isAdmin: true });
    const member = await organisationWithMember();
    const before = await dashboardOf(admin.id, true);
    const count = (dashboard: Dashboard, kind: string) =>
      dashboard.groups.flatMap((group) => group.items).find((item) => item.kind === kind)?.count ?? 0;
    const newcomer = await createOrganisation(ctx.db, { verified_at: null });
    const inReview = await createTestAssignment(ctx.db, { organisationId: newcomer.id });
    await ctx.db('assignments').where('id', inReview).update({ status: 'pending_review' });
    await createReport(ctx.db, { assignmentId: inReview });
    const after = await dashboardOf(admin.id, true);
    expect(count(after, 'organisationsToVerify')).to.equal(count(before, 'organisationsToVerify') + 1);
    expect(count(after, 'assignmentsToReview')).to.equal(count(before, 'assignmentsToReview') + 1);
    expect(count(after, 'openReports')).to.equal(count(before, 'openReports') + 1);
    expect(after.groups.find((group) => group.kind === 'admin')?.items.map((item) => item.href)).to.deep.equal([
      '/admin',
      '/admin',
      '/admin/moderering',
    ]);
    expect(after.statistics).to.equal(true);
    for (const other of [member.member.id, (await createUser(ctx.db)).id])
      expect((await dashboardOf(other)).groups.map((group) => group.kind)).not.to.include('admin');
  });

  it('payroll staff: payments to match, invoices waiting for payment and salaries to pay out; nobody else sees them', async () => {
    const staff = await createUser(ctx.db);
    await ctx.db('payroll_staff').insert({ user_id: staff.id });
    const organisation = await organisationWithMember();
    const worker = await createUser(ctx.db);
    const before = await dashboardOf(staff.id);
    const count = (dashboard: Dashboard, kind: string) =>
      dashboard.groups.flatMap((group) => group.items).find((item) => item.kind === kind)?.count ?? 0;
    const invoiceId = await issueTestInvoice(ctx.db, {
      organisationId: organisation.id,
      workerId: worker.id,
      approverId: organisation.member.id,
    });
    await insertSalary(ctx.db, invoiceId, { payoutDate: '2026-03-25' });
    await ctx.db('payments').insert({ amount_ore: 100, paid_on: '2026-03-20', reference: 'okänd', source: 'manual' });
    const after = await dashboardOf(staff.id);
    expect(count(after, 'invoicesAwaitingPayment')).to.equal(count(before, 'invoicesAwaitingPayment') + 1);
    expect(count(after, 'salariesToPay')).to.equal(count(before, 'salariesToPay') + 1);
    expect(count(after, 'unmatchedPayments')).to.equal(count(before, 'unmatchedPayments') + 1);
    expect(after.groups.find((group) => group.kind === 'payroll')?.items.map((item) => item.href)).to.deep.equal([
      '/lon',
      '/lon',
      '/lon/loner',
    ]);
    expect(after.statistics).to.equal(false);
    for (const other of [organisation.member.id, worker.id])
      expect((await dashboardOf(other)).groups.map((group) => group.kind)).not.to.include('payroll');
  });

  it('officer: the statistics link and no waiting items of other roles', async () => {
    const officer = await createUser(ctx.db);
    await ctx.db('officer_municipalities').insert({ user_id: officer.id, municipality_code: '2481' });
    const dashboard = await dashboardOf(officer.id);
    expect(dashboard).to.deep.equal({ groups: [], total: 0, statistics: true });
    const { agent } = await logInAs(ctx.app, officer.email);
    expect((await agent.get('/konto').expect(200)).text).to.include('<a href="/statistik/kommun">');
  });
});
