import type { DbOrTrx } from '../../src/platform/db.js';

/** An open report written straight to the database (tests of what admins do with reports). */
export async function createReport(
  db: DbOrTrx,
  overrides: { assignmentId: number; reporterId?: number | null; reason?: string; details?: string },
): Promise<number> {
  const [row] = await db('assignment_reports')
    .insert({
      assignment_id: overrides.assignmentId,
      reporter_id: overrides.reporterId ?? null,
      reason: overrides.reason ?? 'spam',
      details: overrides.details ?? '',
    })
    .returning<{ id: number }[]>('id');
  return row!.id;
}
