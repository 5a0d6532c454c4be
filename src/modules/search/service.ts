import { MeilisearchError } from 'meilisearch';
import { isDatabaseUnavailable, type DbOrTrx } from '../../platform/db.js';
import type { Logger } from '../../platform/logger.js';
import { meilisearchEngine } from './meilisearch-engine.js';
import type { SearchParams } from './params.js';
import { postgresEngine } from './postgres-engine.js';
import { awaitingIndex, indexWindow, MAX_AWAITING, mergeFresh } from './fresh.js';
import type { SearchOptions, SearchResult } from './result.js';
import { meilisearchApiError, type Meilisearch } from '../../platform/meilisearch.js';

/**
 * How long a search may wait for Meilisearch before PostgreSQL answers instead.
 * Meilisearch answers in milliseconds; a second means it is down or drowning.
 */
export const SEARCH_TIMEOUT_MS = 1000;

// One warning per logger and interval at most: a Meilisearch outage would
// otherwise write one line per request. Pass the app's logger, not a request's.
const FALLBACK_WARNING_INTERVAL_MS = 60_000;
const lastFallbackWarning = new WeakMap<Logger, number>();

function warnFallback(log: Logger | undefined, error: unknown) {
  const apiError = meilisearchApiError(error);
  const reason =
    error === undefined
      ? 'no_client'
      : apiError
        ? (apiError.cause?.code ?? 'api_error')
        : error instanceof Error
          ? error.name
          : 'unknown';
  // An API error other than a missing index means our request or the index
  // settings are wrong: an error to fix, logged every time.
  if (apiError && reason !== 'index_not_found') {
    log?.error({ reason, status: apiError.response.status }, 'Meilisearch refused a search; answered from PostgreSQL');
    return;
  }
  if (!log) return;
  const now = Date.now();
  if (now - (lastFallbackWarning.get(log) ?? 0) < FALLBACK_WARNING_INTERVAL_MS) return;
  lastFallbackWarning.set(log, now);
  // No query text in the log: what people search for stays out of it.
  log.warn({ reason }, 'Meilisearch cannot answer; searches are answered from PostgreSQL');
}

/**
 * The assignments the index has not caught up with; none while the database cannot be reached, so that the search
 * keeps answering from Meilisearch alone (fresh search needs the database, a search does not).
 */
async function awaitingOrNone(db: DbOrTrx): Promise<number[]> {
  try {
    return await awaitingIndex(db);
  } catch (error) {
    if (isDatabaseUnavailable(error)) return [];
    throw error;
  }
}

/**
 * The one search entry: Meilisearch with a short timeout, else the same
 * search from PostgreSQL (`engine: "postgres"` in the result). Only failures
 * of Meilisearch itself fall back; any other error is ours and goes on.
 * Assignments changed in the last moment, which the index has not caught up
 * with, are answered by PostgreSQL and merged in (fresh.ts).
 */
export async function searchAssignments(
  client: Meilisearch | undefined,
  indexPrefix: string,
  params: SearchParams,
  options: SearchOptions & {
    db: DbOrTrx;
    /** The app's logger (fallback warnings are rate-limited per logger). */
    log?: Logger;
    timeoutMs?: number;
    /**
     * Only what Meilisearch has indexed, without the assignments whose index job has not finished (fresh.ts):
     * for the saved-search alerts, which wait until the index has an assignment and match it by its rules.
     */
    indexOnly?: boolean;
  },
): Promise<SearchResult> {
  if (client) {
    try {
      const engine = meilisearchEngine(client, indexPrefix, { timeoutMs: options.timeoutMs ?? SEARCH_TIMEOUT_MS });
      const awaiting = options.indexOnly ? [] : await awaitingOrNone(options.db);
      if (awaiting.length === 0 || awaiting.length > MAX_AWAITING) return await engine.search(params, options);
      const window = indexWindow(params, awaiting.length);
      const [indexed, fresh] = await Promise.all([
        engine.searchView(params, options, { excludeIds: awaiting, window }),
        postgresEngine(options.db, { onlyIds: awaiting }).search({ ...params, page: 1, perPage: awaiting.length }, options),
      ]);
      return mergeFresh(params, { ...indexed, offset: window.offset }, fresh);
    } catch (error) {
      if (!(error instanceof MeilisearchError)) throw error;
      warnFallback(options.log, error);
    }
  } else {
    warnFallback(options.log, undefined);
  }
  return postgresEngine(options.db).search(params, options);
}
