import type { DbOrTrx } from '../../platform/db.js';
import { authorize, type Actor } from '../access/index.js';

// The append-only audit log (issue 12 item 7): what payroll, admins and the money jobs did, one row each, written
// inside the transaction of the change itself so a change and its record stand or fall together. The database
// refuses UPDATE and DELETE (migration 202612061605). Personnummer views stay in personal_data_views (they name
// whose number was seen); the log page shows both. Details never carry a personnummer.

export const AUDIT_KINDS = [
  'personal_number_view',
  'salary_run',
  'salary_paid',
  'payment_registered',
  'payment_import',
  'credit_note',
  'operator_settings',
  'payroll_staff',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditEvent {
  /** Undefined or null: the system (a job). */
  actorUserId?: number | null;
  kind: AuditKind;
  /** What it concerns, e.g. 'invoice 12'. */
  subject: string;
  details?: Record<string, string | number | boolean | null | Array<string | number>>;
}

export async function recordAudit(trx: DbOrTrx, event: AuditEvent): Promise<void> {
  await trx('audit_events').insert({
    actor_user_id: event.actorUserId ?? null,
    kind: event.kind,
    subject: event.subject,
    details: JSON.stringify(event.details ?? {}),
  });
}

/** How many rows the log page shows: the newest. */
export const AUDIT_LIST_LIMIT = 200;

export interface AuditRow {
  at: Date;
  kind: AuditKind;
  actorName: string | null;
  subject: string;
  /** For a personnummer view: whose number, by name (null: the account is deleted). */
  subjectName: string | null;
  details: Record<string, unknown>;
}

async function selectAuditEvents(db: DbOrTrx, kind: AuditKind | undefined): Promise<AuditRow[]> {
  const rows = (await db('audit_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .modify((query) => {
      if (kind) void query.where('e.kind', kind);
    })
    .orderBy([
      { column: 'e.at', order: 'desc' },
      { column: 'e.id', order: 'desc' },
    ])
    .limit(AUDIT_LIST_LIMIT)
    .select({ at: 'e.at', kind: 'e.kind', actorName: 'u.name', subject: 'e.subject', details: 'e.details' })) as Array<
    Omit<AuditRow, 'subjectName'>
  >;
  return rows.map((row) => ({ ...row, subjectName: null }));
}

async function selectPersonalNumberViews(db: DbOrTrx): Promise<AuditRow[]> {
  const rows = (await db('personal_data_views as v')
    .leftJoin('users as viewer', 'viewer.id', 'v.viewer_user_id')
    .leftJoin('users as subject', 'subject.id', 'v.subject_user_id')
    .orderBy([
      { column: 'v.viewed_at', order: 'desc' },
      { column: 'v.id', order: 'desc' },
    ])
    .limit(AUDIT_LIST_LIMIT)
    .select({ at: 'v.viewed_at', actorName: 'viewer.name', subjectName: 'subject.name', purpose: 'v.purpose' })) as Array<{
    at: Date;
    actorName: string | null;
    subjectName: string | null;
    purpose: string;
  }>;
  return rows.map((row) => ({
    at: row.at,
    kind: 'personal_number_view',
    actorName: row.actorName,
    subject: row.purpose,
    subjectName: row.subjectName,
    details: {},
  }));
}

export function auditKindFrom(value: unknown): AuditKind | undefined {
  return typeof value === 'string' && (AUDIT_KINDS as readonly string[]).includes(value) ? (value as AuditKind) : undefined;
}

/**
 * The newest events, for payroll (/lon/logg) or platform admins (/admin/logg): the audit table and the
 * personnummer views merged by time.
 */
export async function listAuditLog(
  db: DbOrTrx,
  actor: Actor,
  audience: 'payroll' | 'admin',
  kind?: AuditKind,
): Promise<AuditRow[]> {
  authorize(actor, audience === 'payroll' ? 'payroll.manage' : 'admin.view');
  const [events, views] = await Promise.all([
    selectAuditEvents(db, kind),
    kind === undefined || kind === 'personal_number_view' ? selectPersonalNumberViews(db) : Promise.resolve([]),
  ]);
  return [...events, ...views].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, AUDIT_LIST_LIMIT);
}
