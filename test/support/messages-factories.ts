import type { DbOrTrx } from '../../src/platform/db.js';

/** A message written straight to the database (threads with history, paging). */
export async function createMessage(
  db: DbOrTrx,
  overrides: { applicationId: number; senderId: number | null; body?: string },
): Promise<number> {
  const [row] = await db('application_messages')
    .insert({ application_id: overrides.applicationId, sender_id: overrides.senderId, body: overrides.body ?? 'Hej!' })
    .returning<{ id: number }[]>('id');
  return row!.id;
}

/** Makes every waiting job due now (e.g. the delayed, batched notification mail). */
export async function makeJobsDue(db: DbOrTrx): Promise<void> {
  await db.raw(
    `SELECT graphile_worker.reschedule_jobs(ARRAY(SELECT id FROM graphile_worker.jobs WHERE run_at > now()), run_at => now())`,
  );
}
