import type { DbOrTrx } from '../../platform/db.js';
import { authorize, can, type Actor } from '../access/index.js';
import { selectApplicationsDashboard } from '../applications/index.js';
import { selectBillingDashboard } from '../billing/index.js';
import { getOpenReportCount } from '../moderation/index.js';
import { unreadNotificationCount } from '../notifications/index.js';
import { countUnverifiedOrganisations } from '../organisations/index.js';
import { countPendingReview, selectDraftsDashboard } from '../posting/index.js';

// "Mitt konto" as a list of what needs the person now (issue 14): each item says what waits, how many, and links to
// the page where it is handled. Every query is scoped to the actor's own work, organisations or staff role, so the
// page shows nobody else's items. Items are texts by key (accountPages.dashboard.items.<kind>) with their
// parameters; the view words them.

export type DashboardItemKind =
  | 'upcomingWork'
  | 'awaitingAnswer'
  | 'unreadThread'
  | 'basisToFill'
  | 'basisDisputed'
  | 'newPayslips'
  | 'unreadNotifications'
  | 'newApplications'
  | 'sentBack'
  | 'drafts'
  | 'basesToApprove'
  | 'unpaidInvoices'
  | 'organisationsToVerify'
  | 'assignmentsToReview'
  | 'openReports'
  | 'unmatchedPayments'
  | 'invoicesAwaitingPayment'
  | 'salariesToPay';

export interface DashboardItem {
  kind: DashboardItemKind;
  href: string;
  count: number;
  /** The title, organisation or date the text names (already the person's own data or their organisation's). */
  params: Record<string, string>;
  /** A date to show beside the text ('YYYY-MM-DD'). */
  date?: string;
}

/** A group of items: the person's own work, one per organisation, the platform admin's, payroll's. */
export interface DashboardGroup {
  kind: 'own' | 'organisation' | 'admin' | 'payroll';
  /** The organisation's name for kind 'organisation'. */
  name?: string;
  items: DashboardItem[];
}

export interface Dashboard {
  groups: DashboardGroup[];
  /** How many things wait in all (the sum of the counts). */
  total: number;
  /** The officer's (and admin's) statistics: a tool, not something that waits. */
  statistics: boolean;
}

const item = (kind: DashboardItemKind, href: string, count: number, params: Record<string, string> = {}): DashboardItem => ({
  kind,
  href,
  count,
  params,
});

export async function getDashboard(db: DbOrTrx, actor: Actor): Promise<Dashboard> {
  authorize(actor, 'account.view');
  const userId = actor.userId!;
  const [applications, billing, notifications, drafts, admin] = await Promise.all([
    selectApplicationsDashboard(db, userId),
    selectBillingDashboard(db, userId, { payroll: can(actor, 'payroll.manage') }),
    unreadNotificationCount(db, userId),
    actor.memberships.size > 0 ? selectDraftsDashboard(db, userId) : [],
    can(actor, 'admin.view')
      ? Promise.all([countUnverifiedOrganisations(db), countPendingReview(db), getOpenReportCount(db, actor)])
      : undefined,
  ]);

  const own: DashboardItem[] = [
    ...applications.upcomingWork.map((work) => ({
      ...item('upcomingWork', `/ansokningar/${work.applicationId}`, 1, {
        title: work.assignmentTitle,
        organisation: work.organisationName,
      }),
      ...(work.startsOn ? { date: work.startsOn } : {}),
    })),
    ...billing.basesToFill.map((basis) =>
      item(basis.status === 'disputed' ? 'basisDisputed' : 'basisToFill', `/konto/fakturaunderlag/${basis.applicationId}`, 1, {
        title: basis.assignmentTitle,
      }),
    ),
    ...applications.unreadThreads.map((thread) =>
      item('unreadThread', `/ansokningar/${thread.applicationId}/meddelanden`, thread.unread, { title: thread.assignmentTitle }),
    ),
    ...(applications.awaitingAnswer > 0 ? [item('awaitingAnswer', '/konto/ansokningar', applications.awaitingAnswer)] : []),
    ...(billing.newPayslips > 0 ? [item('newPayslips', '/konto/lonebesked', billing.newPayslips)] : []),
    ...(notifications > 0 ? [item('unreadNotifications', '/konto/notiser', notifications)] : []),
  ];

  const organisations = new Map<string, DashboardGroup>();
  const organisationGroup = (slug: string, name: string) => {
    let group = organisations.get(slug);
    if (!group) organisations.set(slug, (group = { kind: 'organisation', name, items: [] }));
    return group;
  };
  for (const row of applications.newApplications) {
    organisationGroup(row.organisationSlug, row.organisationName).items.push(
      item('newApplications', `/organisationer/${row.organisationSlug}/uppdrag/${row.assignmentId}/ansokningar`, row.count, {
        title: row.assignmentTitle,
      }),
    );
  }
  for (const row of drafts) {
    const group = organisationGroup(row.organisationSlug, row.organisationName);
    const path = `/organisationer/${row.organisationSlug}/uppdrag`;
    if (row.sentBack > 0) group.items.push(item('sentBack', path, row.sentBack));
    if (row.drafts > row.sentBack) group.items.push(item('drafts', path, row.drafts - row.sentBack));
  }
  for (const row of billing.organisations) {
    const group = organisationGroup(row.organisationSlug, row.organisationName);
    if (row.basesToApprove > 0)
      group.items.push(item('basesToApprove', `/organisationer/${row.organisationSlug}/fakturaunderlag`, row.basesToApprove));
    if (row.unpaidInvoices > 0)
      group.items.push(item('unpaidInvoices', `/organisationer/${row.organisationSlug}/fakturor`, row.unpaidInvoices));
  }

  const adminItems: DashboardItem[] = [];
  if (admin) {
    const [unverified, pendingReview, openReports] = admin;
    if (unverified > 0) adminItems.push(item('organisationsToVerify', '/admin', unverified));
    if (pendingReview > 0) adminItems.push(item('assignmentsToReview', '/admin', pendingReview));
    if (openReports > 0) adminItems.push(item('openReports', '/admin/moderering', openReports));
  }

  const payrollItems: DashboardItem[] = [];
  if (billing.unmatchedPayments > 0) payrollItems.push(item('unmatchedPayments', '/lon', billing.unmatchedPayments));
  if (billing.invoicesAwaitingPayment > 0)
    payrollItems.push(item('invoicesAwaitingPayment', '/lon', billing.invoicesAwaitingPayment));
  if (billing.salariesToPay > 0) payrollItems.push(item('salariesToPay', '/lon/loner', billing.salariesToPay));

  const groups: DashboardGroup[] = [
    { kind: 'own' as const, items: own },
    ...organisations.values(),
    { kind: 'admin' as const, items: adminItems },
    { kind: 'payroll' as const, items: payrollItems },
  ].filter((group) => group.items.length > 0);
  return {
    groups,
    total: groups.reduce((sum, group) => sum + group.items.reduce((groupSum, entry) => groupSum + entry.count, 0), 0),
    statistics: can(actor, 'statistics.view'),
  };
}
