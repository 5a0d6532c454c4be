import type { EnqueuedTaskPromise, Task } from 'meilisearch';
import { meilisearchApiError, type Meilisearch } from '../../platform/meilisearch.js';

// What every search index of the app (assignments here, people in the skills module) does the same way: wait for
// a Meilisearch task, tell a missing index from other errors, and rebuild an index beside the live one and swap
// it in, so searches answer from the old index until the new one is complete.

export function isIndexNotFound(error: unknown): boolean {
  return meilisearchApiError(error)?.cause?.code === 'index_not_found';
}

/** Waits for a Meilisearch task and turns a failed one into an exception (so the job retries). */
export async function settleTask(promise: EnqueuedTaskPromise, timeoutMs = 30_000): Promise<Task> {
  const task = await promise.waitTask({ timeout: timeoutMs });
  if (task.status === 'failed') throw new Error(`Meilisearch task ${task.uid} failed: ${task.error?.message}`);
  return task;
}

/**
 * Builds the index `live` anew as `<live>_next` (created with its settings by `create`, filled from `batches`) and
 * swaps it in atomically; the first build, with no live index to swap with, is renamed to the live name. Returns
 * how many documents were sent. Changes made meanwhile are the caller's to repair afterwards (its check).
 */
export async function buildIndexAndSwap(
  client: Meilisearch,
  live: string,
  create: (uid: string) => Promise<void>,
  batches: AsyncIterable<object[]>,
): Promise<number> {
  const next = `${live}_next`;
  // A rebuild that died half-way leaves its index behind: start that one afresh.
  await client.deleteIndexIfExists(next);
  await create(next);
  // Send every batch, then wait: Meilisearch merges queued additions into large indexing batches, far faster than
  // waiting after each one.
  const tasks: number[] = [];
  let indexed = 0;
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    tasks.push((await client.index(next).addDocuments(batch)).taskUid);
    indexed += batch.length;
  }
  for (const task of await client.tasks.waitForTasks(tasks, { timeout: 600_000, interval: 100 })) {
    if (task.status === 'failed') throw new Error(`Meilisearch task ${task.uid} failed: ${task.error?.message}`);
  }
  const liveExists = await client
    .index(live)
    .getRawInfo()
    .then(
      () => true,
      (error: unknown) => {
        if (isIndexNotFound(error)) return false;
        throw error;
      },
    );
  await settleTask(
    client.swapIndexes([liveExists ? { indexes: [live, next], rename: false } : { indexes: [next, live], rename: true }]),
    60_000,
  );
  if (liveExists) await settleTask(client.deleteIndex(next), 60_000);
  return indexed;
}
