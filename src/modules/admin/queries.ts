import type { DbOrTrx } from '../../platform/db.js';
import { formatOrganisationsnummer } from '../../platform/identifiers.js';
import { selectPendingReview, type PendingAssignment } from '../posting/index.js';

export interface Overview {
  users: number;
  organisations: number;
  publishedAssignments: number;
  unverifiedOrganisations: Array<{
    id: number;
    name: string;
    slug: string;
    type: string;
    createdAt: Date;
    /** As written ("802451-3765"), or null (organisations from before the number was asked for). */
    organisationNumber: string | null;
    municipalityName: string;
  }>;
  pendingAssignments: PendingAssignment[];
}

const count = async (query: ReturnType<DbOrTrx['table']>) =>
  Number((await query.count<{ count: string }[]>({ count: '*' }))[0]?.count ?? 0);

export async function selectOverview(db: DbOrTrx): Promise<Overview> {
  const [users, organisations, publishedAssignments, unverifiedOrganisations, pendingAssignments] = await Promise.all([
    count(db('users')),
    count(db('organisations')),
    count(db('assignments').where('status', 'published').whereNull('hidden_at')),
    // Number and municipality tell two organisations of the same name apart.
    db('organisations as o')
      .join('municipalities as m', 'm.code', 'o.municipality_code')
      .whereNull('o.verified_at')
      .orderBy('o.created_at')
      .limit(100)
      .select({
        id: 'o.id',
        name: 'o.name',
        slug: 'o.slug',
        type: 'o.type',
        createdAt: 'o.created_at',
        organisationNumber: 'o.organisation_number',
        municipalityName: 'm.short_name',
      })
      .then((rows: Overview['unverifiedOrganisations']) =>
        rows.map((row) => ({
          ...row,
          organisationNumber: row.organisationNumber ? formatOrganisationsnummer(row.organisationNumber) : null,
        })),
      ),
    selectPendingReview(db),
  ]);
  return { users, organisations, publishedAssignments, unverifiedOrganisations, pendingAssignments };
}

export interface OfficerRow {
  userId: number;
  name: string;
  email: string;
  municipalityCode: string;
  municipalityName: string;
}

export async function selectOfficers(db: DbOrTrx): Promise<OfficerRow[]> {
  return db('officer_municipalities as om')
    .join('users as u', 'u.id', 'om.user_id')
    .join('municipalities as m', 'm.code', 'om.municipality_code')
    .orderBy([{ column: 'u.name' }, { column: 'm.short_name' }])
    .select({ userId: 'u.id', name: 'u.name', email: 'u.email', municipalityCode: 'm.code', municipalityName: 'm.short_name' });
}

export async function insertOfficer(db: DbOrTrx, userId: number, municipalityCode: string, appointedBy: number): Promise<void> {
  await db('officer_municipalities')
    .insert({ user_id: userId, municipality_code: municipalityCode, appointed_by: appointedBy })
    .onConflict(['user_id', 'municipality_code'])
    .ignore();
}

export async function deleteOfficer(db: DbOrTrx, userId: number, municipalityCode: string): Promise<number> {
  return db('officer_municipalities').where({ user_id: userId, municipality_code: municipalityCode }).delete();
}

export async function selectUserIdByEmail(db: DbOrTrx, email: string): Promise<number | undefined> {
  const row = (await db('users').where('email', email).first('id')) as { id: number } | undefined;
  return row?.id;
}

export interface PayrollStaffRow {
  userId: number;
  name: string;
  email: string;
  appointedAt: Date;
}

export async function selectPayrollStaff(db: DbOrTrx): Promise<PayrollStaffRow[]> {
  return db('payroll_staff as p')
    .join('users as u', 'u.id', 'p.user_id')
    .orderBy('u.name')
    .select({ userId: 'u.id', name: 'u.name', email: 'u.email', appointedAt: 'p.appointed_at' });
}

export async function insertPayrollStaff(db: DbOrTrx, userId: number, appointedBy: number): Promise<void> {
  await db('payroll_staff').insert({ user_id: userId, appointed_by: appointedBy }).onConflict('user_id').ignore();
}

export async function deletePayrollStaff(db: DbOrTrx, userId: number): Promise<number> {
  return db('payroll_staff').where('user_id', userId).delete();
}
