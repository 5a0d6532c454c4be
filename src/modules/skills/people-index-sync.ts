import type { Db, DbOrTrx } from '../../platform/db.js';
import { jobTask, type TaskList } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { meilisearchApiError, type Meilisearch } from '../../platform/meilisearch.js';
import { buildIndexAndSwap, documentFingerprint, isIndexNotFound, settingsMatch, settleTask } from '../search/index.js';
import {
  ensurePeopleIndexWithSettings,
  loadPersonDocument,
  loadPersonDocumentBatches,
  loadPersonDocumentsByPublicId,
  PEOPLE_INDEX_SETTINGS,
  peopleIndexName,
  type PersonDocument,
} from './people-index.js';
import { enqueuePeopleIndexSync, personChangedJob } from './people-sync.js';

// The people index follows the database as the assignments' index does (search/sync.ts): the `index_person` job
// re-reads the resident's current rows and upserts or deletes their document; a full rebuild swaps a new index in
// atomically; the check compares every document with the database and repairs the differences; at start-up and
// after Meilisearch restarts a missing or outdated index is rebuilt.

export interface PeopleSyncDeps {
  db: Db;
  search?: Meilisearch;
  indexPrefix: string;
  log: Logger;
}
type WithSearch = PeopleSyncDeps & { search: Meilisearch };

const PAGE = 1000;

const ensured = new WeakMap<Meilisearch, Set<string>>();
function markEnsured(client: Meilisearch, prefix: string) {
  ensured.set(client, (ensured.get(client) ?? new Set<string>()).add(prefix));
}
async function ensureIndexOnce(client: Meilisearch, prefix: string) {
  if (ensured.get(client)?.has(prefix)) return;
  await ensurePeopleIndexWithSettings(client, peopleIndexName(prefix));
  markEnsured(client, prefix);
}

async function indexedDocument(index: ReturnType<Meilisearch['index']>, id: string): Promise<object | undefined> {
  try {
    return await index.getDocument(id);
  } catch (error) {
    if (meilisearchApiError(error)?.cause?.code === 'document_not_found') return undefined;
    throw error;
  }
}

/** Every document id in the index. */
async function indexedIds(index: ReturnType<Meilisearch['index']>): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await index.getDocuments<{ id: string }>({ limit: PAGE, offset, fields: ['id'] });
    ids.push(...page.results.map((document) => String(document.id)));
    if (page.results.length < PAGE) return ids;
  }
}

async function existingPublicIds(db: DbOrTrx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = (await db('resident_profiles')
    .whereRaw('public_id::text = ANY(?::text[])', [[...ids]])
    .select({ id: db.raw('public_id::text') })) as { id: string }[];
  return new Set(rows.map((row) => row.id));
}

/**
 * Brings one resident's document in line with their current rows. Idempotent (it reads the rows when it runs).
 * When the account (and so its profile) is gone, the index holds no user id to find the document by: the documents
 * whose profile no longer exists are removed instead.
 */
export async function syncPerson(
  deps: PeopleSyncDeps,
  userId: number,
): Promise<'upserted' | 'deleted' | 'unchanged' | 'skipped'> {
  if (!deps.search) return 'skipped';
  await ensureIndexOnce(deps.search, deps.indexPrefix);
  const index = deps.search.index(peopleIndexName(deps.indexPrefix));
  const profile = (await deps
    .db('resident_profiles')
    .where('user_id', userId)
    .first({ id: deps.db.raw('public_id::text') })) as { id: string } | undefined;
  if (!profile) {
    const ids = await indexedIds(index);
    const existing = await existingPublicIds(deps.db, ids);
    const gone = ids.filter((id) => !existing.has(id));
    if (gone.length === 0) return 'unchanged';
    await settleTask(index.deleteDocuments(gone));
    return 'deleted';
  }
  const document = await loadPersonDocument(deps.db, userId);
  const indexed = await indexedDocument(index, profile.id);
  if (document) {
    if (indexed && documentFingerprint(indexed) === documentFingerprint(document)) return 'unchanged';
    await settleTask(index.addDocuments([document]));
    return 'upserted';
  }
  if (!indexed) return 'unchanged';
  await settleTask(index.deleteDocument(profile.id));
  return 'deleted';
}

export interface PeopleIndexCheck {
  expected: number;
  indexed: number;
  missing: string[];
  stale: string[];
  outdated: string[];
  fixed: boolean;
}

export function peopleIndexDiffers(check: PeopleIndexCheck): boolean {
  return check.missing.length + check.stale.length + check.outdated.length > 0;
}

/** Compares every document with the database (by fingerprint); with `fix`, upserts and deletes the differences. */
export async function checkPeopleIndex(deps: WithSearch, options: { fix?: boolean } = {}): Promise<PeopleIndexCheck> {
  await ensureIndexOnce(deps.search, deps.indexPrefix);
  const index = deps.search.index<PersonDocument>(peopleIndexName(deps.indexPrefix));
  const expected = new Map<string, string>();
  for await (const batch of loadPersonDocumentBatches(deps.db)) {
    for (const document of batch) expected.set(document.id, documentFingerprint(document));
  }
  const seen = new Set<string>();
  const stale: string[] = [];
  const outdated: string[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await index.getDocuments<PersonDocument>({ limit: PAGE, offset });
    for (const document of page.results) {
      seen.add(document.id);
      const wanted = expected.get(document.id);
      if (wanted === undefined) stale.push(document.id);
      else if (wanted !== documentFingerprint(document)) outdated.push(document.id);
    }
    if (page.results.length < PAGE) break;
  }
  const check: PeopleIndexCheck = {
    expected: expected.size,
    indexed: seen.size,
    missing: [...expected.keys()].filter((id) => !seen.has(id)).sort(),
    stale: stale.sort(),
    outdated: outdated.sort(),
    fixed: false,
  };
  if (options.fix && peopleIndexDiffers(check)) {
    const upsert = [...check.missing, ...check.outdated];
    for (let start = 0; start < upsert.length; start += PAGE) {
      const documents = await loadPersonDocumentsByPublicId(deps.db, upsert.slice(start, start + PAGE));
      if (documents.length) await settleTask(index.addDocuments(documents), 120_000);
    }
    const reread = new Set((await loadPersonDocumentsByPublicId(deps.db, check.stale)).map((document) => document.id));
    const remove = check.stale.filter((id) => !reread.has(id));
    if (remove.length) await settleTask(index.deleteDocuments(remove), 120_000);
    check.fixed = true;
    deps.log.info(
      { missing: check.missing.length, stale: check.stale.length, outdated: check.outdated.length },
      'People index repaired',
    );
  }
  return check;
}

/** Rebuilds the people index into a new one and swaps it in atomically; then repairs what changed meanwhile. */
export async function reindexPeople(deps: WithSearch): Promise<{ indexed: number; repaired: number; ms: number }> {
  const started = Date.now();
  const client = deps.search;
  const live = peopleIndexName(deps.indexPrefix);
  const indexed = await buildIndexAndSwap(
    client,
    live,
    (uid) => ensurePeopleIndexWithSettings(client, uid),
    loadPersonDocumentBatches(deps.db, 2000),
  );
  markEnsured(client, deps.indexPrefix);
  const check = await checkPeopleIndex(deps, { fix: true });
  const repaired = check.missing.length + check.stale.length + check.outdated.length;
  const ms = Date.now() - started;
  deps.log.info({ indexed, repaired, ms }, 'People index rebuilt and swapped in');
  return { indexed, repaired, ms };
}

/** At start-up and after Meilisearch restarts: rebuild when missing or its settings changed, else repair differences. */
export async function syncPeopleIndex(deps: WithSearch) {
  const index = deps.search.index(peopleIndexName(deps.indexPrefix));
  const settings = await index.getSettings().catch((error: unknown) => {
    if (isIndexNotFound(error)) return undefined;
    throw error;
  });
  if (!settings || !settingsMatch(PEOPLE_INDEX_SETTINGS, settings)) {
    const { indexed } = await reindexPeople(deps);
    return { rebuilt: true, indexed };
  }
  markEnsured(deps.search, deps.indexPrefix);
  const check = await checkPeopleIndex(deps, { fix: true });
  return { rebuilt: false, indexed: check.missing.length + check.outdated.length };
}

export const PEOPLE_EXPIRIES_TASK = 'people_index_expiries';
/** Daily at 00:20 UTC: a certificate whose last day passed leaves the cards. */
export const PEOPLE_CRONTAB = `20 0 * * * ${PEOPLE_EXPIRIES_TASK} ?fill=2d`;

/** Enqueues an index update for each resident with a certificate that expired in the last days. */
export async function enqueueExpiredCertificates(db: Db): Promise<number> {
  const userIds = (await db('resident_skills')
    .whereRaw(`expires_on BETWEEN CURRENT_DATE - 3 AND CURRENT_DATE - 1`)
    .distinct('user_id')
    .pluck('user_id')) as number[];
  await db.transaction((trx) => enqueuePeopleIndexSync(trx, userIds.map(Number)));
  return userIds.length;
}

export function peopleTasks(deps: PeopleSyncDeps): TaskList {
  return {
    ...jobTask(personChangedJob, deps.log, ({ userId }) => syncPerson(deps, userId)),
    [PEOPLE_EXPIRIES_TASK]: async () => {
      const count = await enqueueExpiredCertificates(deps.db);
      deps.log.info({ count }, 'People index: expired certificates queued for removal from cards');
    },
  };
}
