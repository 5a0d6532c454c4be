import { z } from 'zod';
import type { DbOrTrx } from '../../platform/db.js';
import { defineJob, jobId } from '../../platform/jobs.js';

// "This resident's competence changed": the people index (the /kompetens search) brings their document in line —
// adds, updates, or removes it when the profile is hidden or the account is gone. Enqueued in the transaction of
// every change to what a person card shows (skills, certificates, languages, offers, villages, availability,
// visibility, confirmations, a merge in the vocabulary, a deleted account), so the index follows the database as
// the assignments' index does (the outbox pattern; the task re-reads the current rows).

export const personChangedJob = defineJob('index_person', z.object({ userId: jobId }), ({ userId }) => ({
  jobKey: `index_person:${userId}`, // a burst of edits to one profile collapses into one job
}));

/** Enqueues a people-index update for each of these residents in the caller's transaction. */
export async function enqueuePeopleIndexSync(db: DbOrTrx, userIds: Iterable<number>): Promise<void> {
  for (const userId of new Set(userIds)) await personChangedJob.enqueue(db, { userId });
}
