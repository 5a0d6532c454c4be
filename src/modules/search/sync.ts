import type { Task as WorkerTask } from 'graphile-worker';
import type { Db } from '../../platform/db.js';
import type { TaskList } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { Meilisearch } from '../../platform/meilisearch.js';
import type { EnqueuedTaskPromise, Task } from 'meilisearch';
import { INDEX_ASSIGNMENT_TASK } from '../assignments/index.js';
import {
  assignmentIndexName,
  countIndexableAssignments,
  ensureAssignmentIndex,
  loadAssignmentDocument,
  loadAssignmentDocumentBatches,
} from './assignment-index.js';

export interface SearchSyncDeps {
  db: Db;
  /** Undefined when no Meilisearch is configured or available. */
  search?: Meilisearch;
  indexPrefix: string;
  log: Logger;
}

/** Waits for a Meilisearch task and turns a failed one into an exception (so the job retries). */
async function settle(promise: EnqueuedTaskPromise, timeoutMs = 30_000): Promise<Task> {
  const task = await promise.waitTask({ timeout: timeoutMs });
  if (task.status === 'failed') throw new Error(`Meilisearch task ${task.uid} failed: ${task.error?.message}`);
  return task;
}

// Indexes whose settings this process has applied: a document added to a
// missing index would create it without filterable attributes.
const ensuredIndexes = new WeakMap<Meilisearch, Set<string>>();

async function ensureIndexOnce(client: Meilisearch, prefix: string): Promise<void> {
  const done = ensuredIndexes.get(client) ?? new Set<string>();
  ensuredIndexes.set(client, done);
  if (done.has(prefix)) return;
  await ensureAssignmentIndex(client, prefix);
  done.add(prefix);
}

/**
 * Brings one assignment's document in line with its current row. Idempotent:
 * it reads the row when it runs, so a retried or collapsed job does the right thing.
 */
export async function syncAssignment(deps: SearchSyncDeps, id: number): Promise<'upserted' | 'deleted' | 'skipped'> {
  if (!deps.search) return 'skipped'; // no search engine at all: the start-up sync catches up once there is one
  await ensureIndexOnce(deps.search, deps.indexPrefix);
  const index = deps.search.index(assignmentIndexName(deps.indexPrefix));
  const document = await loadAssignmentDocument(deps.db, id);
  if (document) {
    await settle(index.addDocuments([document]));
    return 'upserted';
  }
  await settle(index.deleteDocument(id));
  return 'deleted';
}

/**
 * Creates the index with its settings and, when the number of documents differs
 * from the database, loads every open assignment and removes the documents of
 * ones that are no longer open. Run at start-up and after Meilisearch restarts.
 */
export async function syncAssignmentIndex(deps: SearchSyncDeps & { search: Meilisearch }, options: { force?: boolean } = {}) {
  await ensureAssignmentIndex(deps.search, deps.indexPrefix);
  ensuredIndexes.set(deps.search, (ensuredIndexes.get(deps.search) ?? new Set()).add(deps.indexPrefix));
  const index = deps.search.index(assignmentIndexName(deps.indexPrefix));
  const [expected, stats] = await Promise.all([countIndexableAssignments(deps.db), index.getStats()]);
  if (!options.force && stats.numberOfDocuments === expected) return { indexed: 0, removed: 0, expected };

  const started = Date.now();
  const keep = new Set<number>();
  let indexed = 0;
  for await (const batch of loadAssignmentDocumentBatches(deps.db)) {
    await settle(index.addDocuments(batch), 120_000);
    for (const document of batch) keep.add(document.id);
    indexed += batch.length;
  }
  const stale: number[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await index.getDocuments<{ id: number }>({ fields: ['id'], limit: 1000, offset });
    for (const document of page.results) if (!keep.has(document.id)) stale.push(document.id);
    if (page.results.length < 1000) break;
  }
  if (stale.length > 0) await settle(index.deleteDocuments(stale));
  deps.log.info({ indexed, removed: stale.length, ms: Date.now() - started }, 'Search index synchronised with the database');
  return { indexed, removed: stale.length, expected };
}

export function searchTasks(deps: SearchSyncDeps): TaskList {
  const indexAssignment: WorkerTask = async (payload) => {
    const id = Number((payload as { id?: unknown } | null)?.id);
    if (!Number.isSafeInteger(id) || id <= 0) {
      deps.log.error({ payload }, `${INDEX_ASSIGNMENT_TASK}: payload without a valid id; dropped`);
      return;
    }
    await syncAssignment(deps, id);
  };
  return { [INDEX_ASSIGNMENT_TASK]: indexAssignment };
}
