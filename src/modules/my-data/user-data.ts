import type { DbOrTrx } from '../../platform/db.js';

// Every column in the database that refers to a user, and what "my data"
// does with it: put it in the export, and on account deletion either delete
// the row (with the user, by cascade or explicitly) or keep the row without
// the person (SET NULL). test/my-data/my-data.test.ts compares this list with the
// foreign keys in the database, so a new table with a user reference cannot
// be forgotten here.

export interface UserReference {
  table: string;
  column: string;
  /** What happens to the row when the account is deleted. */
  onDelete: 'delete' | 'keep-without-person';
  /** The rows to export (undefined: the reference is only a pointer, exported elsewhere). */
  exportRows?: (db: DbOrTrx, userId: number) => Promise<unknown[]>;
}

const all = (table: string, column: string, columns: string[] | Record<string, string>) => (db: DbOrTrx, userId: number) =>
  db(table).where(column, userId).select(columns) as Promise<unknown[]>;

export const USER_REFERENCES: readonly UserReference[] = [
  {
    table: 'resident_profiles',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: all('resident_profiles', 'user_id', [
      'bio',
      'availability',
      'driving_licence',
      // Who sees the competence profile, whether organisations may invite them, learn-from-each-other matches.
      'visibility',
      'invites_allowed',
      'learning_matches',
      // The CV's metadata; the file itself is downloaded at /konto/profil/cv, and
      // deleted with the account (service.ts).
      'cv_size',
      'cv_uploaded_at',
      'created_at',
      'updated_at',
    ]),
  },
  {
    table: 'resident_categories',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: (db, userId) =>
      db('resident_categories as rc')
        .join('categories as c', 'c.id', 'rc.category_id')
        .where('rc.user_id', userId)
        .select({ category: 'c.slug' }),
  },
  {
    table: 'resident_localities',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: (db, userId) =>
      db('resident_localities as rl')
        .join('localities as l', 'l.id', 'rl.locality_id')
        .where('rl.user_id', userId)
        .select({ locality: 'l.name', municipalityCode: 'l.municipality_code' }),
  },
  // The competence profile (issue 15): skills, certificates and languages with their levels and expiry, what they
  // want to learn, what they offer; the confirmations organisations gave them and the invites they received.
  {
    table: 'resident_skills',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: (db, userId) =>
      db('resident_skills as rs')
        .join('skills as s', 's.id', 'rs.skill_id')
        .where('rs.user_id', userId)
        .orderBy(['s.kind', 's.name_sv'])
        .select({
          kind: 's.kind',
          skill: 's.name_sv',
          level: 'rs.level',
          expiresOn: 'rs.expires_on',
          createdAt: 'rs.created_at',
        }),
  },
  {
    table: 'resident_learning_wishes',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: (db, userId) =>
      db('resident_learning_wishes as w')
        .join('skills as s', 's.id', 'w.skill_id')
        .where('w.user_id', userId)
        .orderBy('s.name_sv')
        .select({ skill: 's.name_sv', createdAt: 'w.created_at' }),
  },
  {
    table: 'resident_offers',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: all('resident_offers', 'user_id', {
      title: 'title',
      description: 'description',
      priceOre: 'price_ore',
      volunteer: 'volunteer',
      createdAt: 'created_at',
      updatedAt: 'updated_at',
    }),
  },
  {
    table: 'skill_confirmations',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: (db, userId) =>
      db('skill_confirmations as sc')
        .join('skills as s', 's.id', 'sc.skill_id')
        .join('assignments as a', 'a.id', 'sc.assignment_id')
        .join('organisations as o', 'o.id', 'sc.organisation_id')
        .where('sc.user_id', userId)
        .orderBy('sc.confirmed_at')
        .select({
          skill: 's.name_sv',
          assignment: 'a.title',
          organisation: 'o.name',
          confirmedAt: 'sc.confirmed_at',
          hidden: 'sc.hidden',
        }),
  },
  // A confirmation given as an organisation's member stays the organisation's, without the person.
  {
    table: 'skill_confirmations',
    column: 'confirmed_by_user_id',
    onDelete: 'keep-without-person',
    exportRows: (db, userId) =>
      db('skill_confirmations as sc')
        .join('skills as s', 's.id', 'sc.skill_id')
        .join('assignments as a', 'a.id', 'sc.assignment_id')
        .where('sc.confirmed_by_user_id', userId)
        .orderBy('sc.confirmed_at')
        .select({ skill: 's.name_sv', assignment: 'a.title', confirmedAt: 'sc.confirmed_at' }),
  },
  {
    table: 'skill_invites',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: (db, userId) =>
      db('skill_invites as i')
        .join('assignments as a', 'a.id', 'i.assignment_id')
        .join('organisations as o', 'o.id', 'i.organisation_id')
        .where('i.user_id', userId)
        .orderBy('i.created_at')
        .select({ assignment: 'a.title', organisation: 'o.name', createdAt: 'i.created_at' }),
  },
  // Learn from each other: the messages a resident sent a match and those they received; gone with either account.
  {
    table: 'learning_contacts',
    column: 'from_user_id',
    onDelete: 'delete',
    exportRows: all('learning_contacts', 'from_user_id', { message: 'message', createdAt: 'created_at' }),
  },
  {
    table: 'learning_contacts',
    column: 'to_user_id',
    onDelete: 'delete',
    exportRows: all('learning_contacts', 'to_user_id', { message: 'message', createdAt: 'created_at' }),
  },
  // An invite sent as an organisation's member stays the organisation's (its rate limit counts it), without the person.
  { table: 'skill_invites', column: 'invited_by_user_id', onDelete: 'keep-without-person' },
  {
    table: 'organisation_members',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: (db, userId) =>
      db('organisation_members as om')
        .join('organisations as o', 'o.id', 'om.organisation_id')
        .where('om.user_id', userId)
        .select({ organisation: 'o.name', role: 'om.role', since: 'om.created_at' }),
  },
  {
    table: 'officer_municipalities',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: all('officer_municipalities', 'user_id', { municipalityCode: 'municipality_code', since: 'created_at' }),
  },
  { table: 'officer_municipalities', column: 'appointed_by', onDelete: 'keep-without-person' },
  {
    table: 'user_tokens',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: all('user_tokens', 'user_id', ['purpose', 'created_at', 'expires_at', 'used_at']),
  },
  {
    table: 'assignments',
    column: 'created_by',
    // An assignment belongs to its organisation; it stays, without its author.
    onDelete: 'keep-without-person',
    exportRows: all('assignments', 'created_by', ['id', 'title', 'status', 'created_at']),
  },
  {
    table: 'organisation_invites',
    column: 'invited_by',
    onDelete: 'keep-without-person',
    exportRows: all('organisation_invites', 'invited_by', {
      invitedEmail: 'email',
      createdAt: 'created_at',
      acceptedAt: 'accepted_at',
    }),
  },
  {
    table: 'organisation_invites',
    column: 'accepted_by',
    onDelete: 'keep-without-person',
    exportRows: all('organisation_invites', 'accepted_by', { createdAt: 'created_at', acceptedAt: 'accepted_at' }),
  },
  {
    table: 'applications',
    column: 'applicant_id',
    onDelete: 'delete',
    exportRows: (db, userId) =>
      db('applications as ap').join('assignments as a', 'a.id', 'ap.assignment_id').where('ap.applicant_id', userId).select({
        assignment: 'a.title',
        message: 'ap.message',
        shareProfile: 'ap.share_profile',
        status: 'ap.status',
        declineMessage: 'ap.decline_message',
        createdAt: 'ap.created_at',
        decidedAt: 'ap.decided_at',
      }),
  },
  {
    table: 'application_messages',
    column: 'sender_id',
    // The other side keeps the conversation; the text stays without its author.
    onDelete: 'keep-without-person',
    exportRows: all('application_messages', 'sender_id', { applicationId: 'application_id', body: 'body', sentAt: 'created_at' }),
  },
  { table: 'application_reads', column: 'user_id', onDelete: 'delete' },
  // A demo account's generated password (development only): gone with the account, never exported.
  { table: 'demo_logins', column: 'user_id', onDelete: 'delete' },
  {
    table: 'notifications',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: all('notifications', 'user_id', ['type', 'params', 'link', 'created_at', 'read_at', 'emailed_at']),
  },
  {
    table: 'notification_preferences',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: all('notification_preferences', 'user_id', ['type', 'email']),
  },
  {
    table: 'feedback',
    column: 'author_id',
    // Feedback is part of the other side's record; it stays without its author.
    onDelete: 'keep-without-person',
    exportRows: all('feedback', 'author_id', ['direction', 'rating', 'comment', 'created_at']),
  },
  {
    table: 'assignment_reports',
    column: 'reporter_id',
    onDelete: 'keep-without-person',
    exportRows: all('assignment_reports', 'reporter_id', {
      assignmentId: 'assignment_id',
      reason: 'reason',
      details: 'details',
      createdAt: 'created_at',
    }),
  },
  { table: 'assignment_reports', column: 'handled_by', onDelete: 'keep-without-person' },
  {
    table: 'saved_searches',
    column: 'user_id',
    // With their deliveries, by cascade.
    onDelete: 'delete',
    exportRows: all('saved_searches', 'user_id', {
      name: 'name',
      query: 'query',
      frequency: 'frequency',
      createdAt: 'created_at',
      lastMailedAt: 'last_mailed_at',
    }),
  },
  // Billing and payroll (PRODUCT.md: invoices and payslips are kept 7 years, without the person once the
  // account is deleted). The personnummer is never exported in clear: the masked form is on the account page.
  {
    table: 'enterprise_accounts',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: all('enterprise_accounts', 'user_id', {
      coordinationNumber: 'coordination_number',
      birthDate: 'birth_date',
      clearingNumber: 'clearing_number',
      accountNumber: 'account_number',
      taxMode: 'tax_mode',
      ownTaxBasisPoints: 'own_tax_bp',
      taxDecisionDate: 'tax_decision_date',
      termsAcceptedAt: 'terms_accepted_at',
    }),
  },
  {
    table: 'billing_bases',
    column: 'worker_user_id',
    onDelete: 'keep-without-person',
    exportRows: all('billing_bases', 'worker_user_id', {
      id: 'id',
      assignmentId: 'assignment_id',
      status: 'status',
      periodStart: 'period_start',
      periodEnd: 'period_end',
      submittedAt: 'submitted_at',
      approvedAt: 'approved_at',
    }),
  },
  { table: 'billing_bases', column: 'approved_by', onDelete: 'keep-without-person' },
  { table: 'billing_basis_events', column: 'actor_user_id', onDelete: 'keep-without-person' },
  {
    table: 'invoices',
    column: 'worker_user_id',
    onDelete: 'keep-without-person',
    exportRows: all('invoices', 'worker_user_id', {
      kind: 'kind',
      series: 'series',
      number: 'number',
      invoiceDate: 'invoice_date',
      totalOre: 'total_ore',
      status: 'status',
    }),
  },
  {
    table: 'salaries',
    column: 'worker_user_id',
    onDelete: 'keep-without-person',
    exportRows: all('salaries', 'worker_user_id', {
      invoiceId: 'invoice_id',
      payoutDate: 'payout_date',
      grossOre: 'gross_ore',
      taxOre: 'tax_ore',
      netOre: 'net_ore',
    }),
  },
  {
    table: 'payroll_staff',
    column: 'user_id',
    onDelete: 'delete',
    exportRows: all('payroll_staff', 'user_id', ['appointed_at']),
  },
  { table: 'payroll_staff', column: 'appointed_by', onDelete: 'keep-without-person' },
  { table: 'operator_settings', column: 'created_by', onDelete: 'keep-without-person' },
  { table: 'payments', column: 'registered_by', onDelete: 'keep-without-person' },
  { table: 'payment_imports', column: 'imported_by', onDelete: 'keep-without-person' },
  // Who looked at whose personnummer: the audit stays, without a deleted account's id.
  { table: 'personal_data_views', column: 'viewer_user_id', onDelete: 'keep-without-person' },
  { table: 'personal_data_views', column: 'subject_user_id', onDelete: 'keep-without-person' },
  { table: 'audit_events', column: 'actor_user_id', onDelete: 'keep-without-person' },
];
