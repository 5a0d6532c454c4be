import type { DbOrTrx } from '../../platform/db.js';
import type { MemberRole } from './policy.js';

export async function selectMemberships(
  db: DbOrTrx,
  userId: number,
): Promise<Array<{ organisationId: number; role: MemberRole }>> {
  return db('organisation_members').where('user_id', userId).select({ organisationId: 'organisation_id', role: 'role' });
}

/** The municipalities the user is an officer of. */
export async function selectOfficerMunicipalityCodes(db: DbOrTrx, userId: number): Promise<string[]> {
  return db('officer_municipalities').where('user_id', userId).pluck('municipality_code');
}

export async function isPayrollStaff(db: DbOrTrx, userId: number): Promise<boolean> {
  return (await db('payroll_staff').where('user_id', userId).first('user_id')) !== undefined;
}
