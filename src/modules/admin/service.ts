import { z } from 'zod';
import { inTransaction, type DbOrTrx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { fieldErrors, formText, textField } from '../../platform/validation.js';
import { authorize, type Actor } from '../access/index.js';
import { recordAudit } from '../billing/index.js';
import { getOpenReportCount } from '../moderation/index.js';
import type { ReferenceData } from '../../platform/reference-data.js';
import {
  deleteOfficer,
  deletePayrollStaff,
  insertOfficer,
  insertPayrollStaff,
  selectOfficers,
  selectOverview,
  selectPayrollStaff,
  selectUserIdByEmail,
  type OfficerRow,
  type Overview,
  type PayrollStaffRow,
} from './queries.js';

export type { OfficerRow, Overview };

export async function getOverview(db: DbOrTrx, actor: Actor): Promise<Overview & { openReports: number }> {
  authorize(actor, 'admin.view');
  const [overview, openReports] = await Promise.all([selectOverview(db), getOpenReportCount(db, actor)]);
  return { ...overview, openReports };
}

export async function listOfficers(db: DbOrTrx, actor: Actor): Promise<OfficerRow[]> {
  authorize(actor, 'officer.appoint');
  return selectOfficers(db);
}

const appointSchema = z.object({
  email: textField({ typeMessage: 'admin.errors.emailRequired' })
    .trim()
    .min(1, 'admin.errors.emailRequired')
    .max(254, 'admin.errors.userNotFound'),
  municipality: z.string({ message: 'admin.errors.municipalityRequired' }).regex(/^\d{4}$/, 'admin.errors.municipalityRequired'),
});

/** Appoints a registered user as officer for a municipality (idempotent). */
export async function appointOfficer(db: DbOrTrx, actor: Actor, input: unknown, reference: ReferenceData): Promise<void> {
  authorize(actor, 'officer.appoint');
  const parsed = appointSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('bad_request', 'Invalid appointment', fieldErrors(parsed.error));
  }
  if (!reference.municipalityByCode.has(parsed.data.municipality)) {
    throw new AppError('bad_request', 'Unknown municipality', { municipality: 'admin.errors.municipalityRequired' });
  }
  const userId = await selectUserIdByEmail(db, parsed.data.email);
  // Only admins get here, so naming a missing account reveals nothing new.
  if (userId === undefined) throw new AppError('bad_request', 'No such user', { email: 'admin.errors.userNotFound' });
  await insertOfficer(db, userId, parsed.data.municipality, actor.userId!);
}

export async function removeOfficer(
  db: DbOrTrx,
  actor: Actor,
  input: { userId?: unknown; municipality?: unknown },
): Promise<void> {
  authorize(actor, 'officer.appoint');
  const userId = Number(input.userId);
  const municipality = formText(input.municipality);
  if (!Number.isSafeInteger(userId) || userId <= 0 || !/^\d{4}$/.test(municipality))
    throw new AppError('bad_request', 'Invalid request');
  await deleteOfficer(db, userId, municipality);
}

export async function listPayrollStaff(db: DbOrTrx, actor: Actor): Promise<PayrollStaffRow[]> {
  authorize(actor, 'operator.manage');
  return selectPayrollStaff(db);
}

const appointPayrollSchema = z.object({
  email: textField({ typeMessage: 'payrollStaff.errors.emailRequired' })
    .trim()
    .min(1, 'payrollStaff.errors.emailRequired')
    .max(254, 'payrollStaff.errors.userNotFound'),
});

/** Makes a registered user payroll staff of the operator (idempotent). */
export async function appointPayrollStaff(db: DbOrTrx, actor: Actor, input: unknown): Promise<void> {
  authorize(actor, 'operator.manage');
  const parsed = appointPayrollSchema.safeParse(input);
  if (!parsed.success) throw new AppError('bad_request', 'Invalid appointment', fieldErrors(parsed.error));
  const userId = await selectUserIdByEmail(db, parsed.data.email);
  // Only admins get here, so naming a missing account reveals nothing new.
  if (userId === undefined) throw new AppError('bad_request', 'No such user', { email: 'payrollStaff.errors.userNotFound' });
  await inTransaction(db, async (trx) => {
    await insertPayrollStaff(trx, userId, actor.userId!);
    await recordAudit(trx, {
      actorUserId: actor.userId,
      kind: 'payroll_staff',
      subject: `user ${userId}`,
      details: { change: 'appointed' },
    });
  });
}

export async function removePayrollStaff(db: DbOrTrx, actor: Actor, input: { userId?: unknown }): Promise<void> {
  authorize(actor, 'operator.manage');
  const userId = formText(input.userId);
  if (!/^[1-9]\d{0,14}$/.test(userId)) throw new AppError('bad_request', 'Invalid request');
  await inTransaction(db, async (trx) => {
    const removed = await deletePayrollStaff(trx, Number(userId));
    if (removed > 0)
      await recordAudit(trx, {
        actorUserId: actor.userId,
        kind: 'payroll_staff',
        subject: `user ${userId}`,
        details: { change: 'removed' },
      });
  });
}
