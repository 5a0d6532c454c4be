import type { Task as WorkerTask } from 'graphile-worker';
import type { Db } from '../../platform/db.js';
import { jobTask, type TaskList } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { meilisearchApiError, type Meilisearch } from '../../platform/meilisearch.js';
import { assignmentChangedJob } from '../assignments/index.js';
import { buildIndexAndSwap, isIndexNotFound, settleTask } from './index-building.js';
import {
  assignmentIndexName,
  countIndexableAssignments,
  documentFingerprint,
  ensureAssignmentIndex,
  ensureIndexWithSettings,
  loadAssignmentDocument,
  loadAssignmentDocumentBatches,
  loadAssignmentDocuments,
  loadIndexableVersions,
  settingsAreCurrent,
  type AssignmentDocument,
} from './assignment-index.js';

export interface SearchSyncDeps {
  db: Db;
  /** Undefined when no Meilisearch is configured or available. */
  search?: Meilisearch;
  indexPrefix: string;
  log: Logger;
}

type WithSearch = SearchSyncDeps & { search: Meilisearch };

// Indexes whose settings this process has applied: a document added to a
// missing index would create it without filterable attributes.
const ensuredIndexes = new WeakMap<Meilisearch, Set<string>>();

function markEnsured(client: Meilisearch, prefix: string): void {
  ensuredIndexes.set(client, (ensuredIndexes.get(client) ?? new Set<string>()).add(prefix));
}

async function ensureIndexOnce(client: Meilisearch, prefix: string): Promise<void> {
  if (ensuredIndexes.get(client)?.has(prefix)) return;
  await ensureAssignmentIndex(client, prefix);
  markEnsured(client, prefix);
}

/**
 * Brings one assignment's document in line with its current row. Idempotent:
 * it reads the row when it runs, so a retried or collapsed job does the right thing.
 */
export async function syncAssignment(
  deps: SearchSyncDeps,
  id: number,
): Promise<'upserted' | 'deleted' | 'unchanged' | 'skipped'> {
  if (!deps.search) return 'skipped'; // no search engine at all: the start-up sync catches up once there is one
  await ensureIndexOnce(deps.search, deps.indexPrefix);
  const index = deps.search.index(assignmentIndexName(deps.indexPrefix));
  const document = await loadAssignmentDocument(deps.db, id);
  // Reading the indexed version takes a millisecond; writing one waits for an
  // indexing task (0.3–1 s here). Most jobs that find nothing to do come from
  // a rebuild that already wrote the document (the demo data on a first start,
  // a reindex) or from a retry whose earlier attempt got through.
  const indexed = await indexedDocument(index, id);
  if (document) {
    if (indexed && documentFingerprint(indexed) === documentFingerprint(document)) return 'unchanged';
    await settleTask(index.addDocuments([document]));
    return 'upserted';
  }
  if (!indexed) return 'unchanged';
  await settleTask(index.deleteDocument(id));
  return 'deleted';
}

async function indexedDocument(index: ReturnType<Meilisearch['index']>, id: number): Promise<object | undefined> {
  try {
    return await index.getDocument(id);
  } catch (error) {
    if (meilisearchApiError(error)?.cause?.code === 'document_not_found') return undefined;
    throw error;
  }
}

export interface IndexCheck {
  /** Open assignments in the database. */
  expected: number;
  /** Documents in the index. */
  indexed: number;
  /** Open in the database, absent from the index. */
  missing: number[];
  /** In the index, but no longer open (or gone) in the database. */
  stale: number[];
  /** In both, but the document differs from the row (its updatedAt or any other field). */
  outdated: number[];
  /** True when the differences were repaired. */
  fixed: boolean;
}

export function indexDiffers(check: IndexCheck): boolean {
  return check.missing.length + check.stale.length + check.outdated.length > 0;
}

const PAGE = 1000;

/**
 * Compares the database with the live index and with `fix` upserts the
 * missing and outdated documents and deletes the stale. By default each
 * document is compared whole (by a fingerprint, so a renamed organisation
 * counts too); `byUpdatedAt` compares only ids and updatedAt, which is enough
 * right after a reindex and much cheaper. Memory: one short fingerprint per
 * open assignment, never all documents at once.
 */
export async function checkAssignmentIndex(
  deps: WithSearch,
  options: { fix?: boolean; byUpdatedAt?: boolean } = {},
): Promise<IndexCheck> {
  const uid = assignmentIndexName(deps.indexPrefix);
  await ensureIndexOnce(deps.search, deps.indexPrefix);
  const index = deps.search.index<AssignmentDocument>(uid);

  const expected = new Map<number, string>();
  if (options.byUpdatedAt) {
    for (const [id, updatedAt] of await loadIndexableVersions(deps.db)) expected.set(id, String(updatedAt));
  } else {
    for await (const batch of loadAssignmentDocumentBatches(deps.db)) {
      for (const document of batch) expected.set(document.id, documentFingerprint(document));
    }
  }
  // With `fields`, the index returns only those: a partial document.
  const fingerprint = (document: Partial<AssignmentDocument>) =>
    options.byUpdatedAt ? String(document.updatedAt) : documentFingerprint(document);
  const seen = new Set<number>();
  const stale: number[] = [];
  const outdated: number[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await index.getDocuments<Partial<AssignmentDocument> & { id: number }>({
      limit: PAGE,
      offset,
      ...(options.byUpdatedAt ? { fields: ['id', 'updatedAt'] } : {}),
    });
    for (const document of page.results) {
      seen.add(document.id);
      const wanted = expected.get(document.id);
      if (wanted === undefined) stale.push(document.id);
      else if (wanted !== fingerprint(document)) outdated.push(document.id);
    }
    if (page.results.length < PAGE) break;
  }
  const missing = [...expected.keys()].filter((id) => !seen.has(id));
  const byId = (a: number, b: number) => a - b;
  const check: IndexCheck = {
    expected: expected.size,
    indexed: seen.size,
    missing: missing.sort(byId),
    stale: stale.sort(byId),
    outdated: outdated.sort(byId),
    fixed: false,
  };
  if (options.fix && indexDiffers(check)) {
    const upsert = [...check.missing, ...check.outdated];
    for (let start = 0; start < upsert.length; start += PAGE) {
      // Re-read now: a row may have changed since the comparison, and the job for that change may have run.
      const documents = await loadAssignmentDocuments(deps.db, upsert.slice(start, start + PAGE));
      if (documents.length) await settleTask(index.addDocuments(documents), 120_000);
    }
    const reread = new Set((await loadAssignmentDocuments(deps.db, check.stale)).map((document) => document.id));
    const remove = check.stale.filter((id) => !reread.has(id));
    if (remove.length) await settleTask(index.deleteDocuments(remove), 120_000);
    check.fixed = true;
    deps.log.info(
      { missing: check.missing.length, stale: check.stale.length, outdated: check.outdated.length },
      'Search index repaired',
    );
  }
  return check;
}

/**
 * Rebuilds the index with no moment without results: loads every open
 * assignment into a new index with the current settings, swaps it with the
 * live one in one atomic Meilisearch task, deletes the old one, and then
 * repairs what changed while it loaded (jobs that ran meanwhile wrote to the
 * old index). Searches keep answering from the old index until the swap.
 */
export async function reindexAssignments(
  deps: WithSearch,
  options: { batchSize?: number } = {},
): Promise<{ indexed: number; repaired: number; ms: number }> {
  const started = Date.now();
  const client = deps.search;
  const live = assignmentIndexName(deps.indexPrefix);
  const indexed = await buildIndexAndSwap(
    client,
    live,
    (uid) => ensureIndexWithSettings(client, uid),
    loadAssignmentDocumentBatches(deps.db, options.batchSize ?? 5000),
  );
  markEnsured(client, deps.indexPrefix);

  const check = await checkAssignmentIndex(deps, { fix: true, byUpdatedAt: true });
  const repaired = check.missing.length + check.stale.length + check.outdated.length;
  const ms = Date.now() - started;
  deps.log.info({ indexed, repaired, ms }, 'Search index rebuilt and swapped in');
  return { indexed, repaired, ms };
}

/**
 * Run at start-up and after Meilisearch restarts: a missing index or one with
 * other settings (a new version of the code) is rebuilt and swapped in; else,
 * when the number of documents differs from the database (or `force`), the
 * differences are repaired document by document.
 */
export async function syncAssignmentIndex(deps: WithSearch, options: { force?: boolean } = {}) {
  const index = deps.search.index(assignmentIndexName(deps.indexPrefix));
  const settings = await index.getSettings().catch((error: unknown) => {
    if (isIndexNotFound(error)) return undefined;
    throw error;
  });
  if (!settings || !settingsAreCurrent(settings)) {
    const { indexed } = await reindexAssignments(deps);
    return { rebuilt: true, indexed };
  }
  markEnsured(deps.search, deps.indexPrefix);
  const [expected, stats] = await Promise.all([countIndexableAssignments(deps.db), index.getStats()]);
  if (!options.force && stats.numberOfDocuments === expected) return { rebuilt: false, indexed: 0 };
  const check = await checkAssignmentIndex(deps, { fix: true });
  return { rebuilt: false, indexed: check.missing.length + check.outdated.length };
}

export const PRUNE_SEARCH_TASKS_TASK = 'prune_search_tasks';
/** Daily at 03:30 UTC; `fill` runs a missed one after a restart. */
export const SEARCH_CRONTAB = `30 3 * * * ${PRUNE_SEARCH_TASKS_TASK} ?fill=1d`;
const TASK_RETENTION_MS = 7 * 86_400_000;

/**
 * Deletes finished Meilisearch tasks older than a week: every indexed change
 * leaves a task behind, and Meilisearch keeps only the last million (then
 * deletes in bulk by itself, at a moment of its choosing).
 */
export async function pruneSearchTasks(search: Meilisearch, now = new Date()): Promise<number> {
  const task = await settleTask(
    search.tasks.deleteTasks({
      statuses: ['succeeded', 'failed', 'canceled'],
      beforeFinishedAt: new Date(now.getTime() - TASK_RETENTION_MS).toISOString(),
    }),
    120_000,
  );
  return Number(task.details?.deletedTasks ?? 0);
}

export function searchTasks(deps: SearchSyncDeps): TaskList {
  const pruneTasks: WorkerTask = async () => {
    if (!deps.search) return;
    const deleted = await pruneSearchTasks(deps.search);
    deps.log.info({ deleted }, 'Old Meilisearch tasks deleted');
  };
  return {
    ...jobTask(assignmentChangedJob, deps.log, ({ id }) => syncAssignment(deps, id)),
    [PRUNE_SEARCH_TASKS_TASK]: pruneTasks,
  };
}

/**
 * Takes assignments out of the index at once, without waiting for their index jobs (which were enqueued with
 * the change and still run): the handler of "assignments.withdrawn". Only the request to Meilisearch is awaited,
 * not its task, so a restore that follows is always queued after this removal. Best effort: a failure is logged
 * and the jobs remove them.
 */
export async function removeFromIndexNow(
  deps: { search?: Meilisearch; config: { meili: { indexPrefix: string } }; log: Logger },
  ids: readonly number[],
) {
  if (!deps.search || ids.length === 0) return;
  try {
    await deps.search.index(assignmentIndexName(deps.config.meili.indexPrefix)).deleteDocuments([...ids]);
  } catch (error) {
    deps.log.warn({ err: error, ids }, 'Could not remove withdrawn assignments from search at once; the index job will');
  }
}
