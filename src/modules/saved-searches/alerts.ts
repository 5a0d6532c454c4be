import type { Task } from 'graphile-worker';
import { inTransaction, type Db, type DbOrTrx } from '../../platform/db.js';
import { jobTask, type TaskList } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { queueMail } from '../../platform/mail.js';
import type { Meilisearch } from '../../platform/meilisearch.js';
import { assignmentPath, assignmentPublishedJob } from '../assignments/index.js';
import { loadReferenceData, type ReferenceData } from '../../platform/reference-data.js';
import { parseSearchParams, searchAssignments, type SearchParams } from '../search/index.js';
import {
  insertDeliveries,
  markDeliveriesMailed,
  selectAlertRecipientIds,
  selectMailRecipient,
  selectOpenPublishedAt,
  selectSavedSearchesForUpdate,
  selectUndelivered,
  updateCheckedUntil,
  type Frequency,
  type NewMatchRow,
  type SavedSearchRow,
} from './queries.js';
import { savedQueryFrom, searchPath } from './search-query.js';
import { unsubscribeToken } from './tokens.js';

// Alert mails for saved searches.
//
// Which assignments match is asked of the search engine itself, with the saved
// parameters sorted newest first, so an alert agrees with what /uppdrag shows
// for the same search (typo tolerance, synonyms, radius and all): evaluating
// the parameters for one assignment in SQL would be a second, different
// search. The engine's answer is then checked against the database (still
// open, not hidden, published after the saved search was made, not yet sent).
//
// Never twice, never lost:
// - `checked_until` is the high-water mark: the time of the last complete
//   check. A check looks at assignments published since the mark less
//   GRACE_MS, so one that became searchable a little late (a slow commit, the
//   index job still running) is still seen; never before the saved search was
//   made.
// - Each mailed assignment gets a delivery row (saved search, assignment),
//   unique, written in the transaction that queues the mail, under a lock on
//   the saved search row: a retried job, a second job, a publish-edit-publish
//   or two jobs at once find it already sent.
//
// "At once": publishing (or approving) an assignment enqueues the
// assignment_published job in the same transaction. It waits until the
// assignment is searchable (the index job runs beside it; a failed attempt is
// retried by graphile-worker with backoff), then checks every instant saved
// search. "Daily": a cron job at 06:30 UTC checks the daily ones and sends one
// digest per person. While the search engine is unavailable, or only the
// PostgreSQL fallback answers (a different search), the jobs fail and are
// retried: the mark only moves after a check the engine answered.

export const DAILY_ALERTS_TASK = 'saved_search_daily_digest';
/** 06:30 UTC is 07:30 or 08:30 in Sweden; ?fill catches up a morning missed by downtime. */
export const SAVED_SEARCH_CRONTAB = `30 6 * * * ${DAILY_ALERTS_TASK} ?fill=12h`;

const GRACE_MS = 15 * 60_000;
/** Hits looked at per check (newest first); more than this in one check are left for the list on the site. */
const PAGE_SIZE = 100;
const MAX_PAGES = 5;
/** Assignments listed per saved search in one mail; the rest are one click away. */
export const MAIL_ITEMS_MAX = 20;

export interface AlertDeps {
  db: Db;
  search?: Meilisearch;
  indexPrefix: string;
  publicUrl: string;
  /** The secret the unsubscribe tokens are made with (the session secret). */
  secret: string;
  log: Logger;
  /** Loaded once, on first use (the worker starts before the web app has it). */
  reference: () => Promise<ReferenceData>;
}

class SearchNotReadyError extends Error {}

/** Ids of the hits published at or after `since`, newest first, as /uppdrag finds them. */
async function matchingSince(deps: AlertDeps, params: SearchParams, since: Date): Promise<number[]> {
  const reference = await deps.reference();
  const ids: number[] = [];
  const sinceSeconds = Math.floor(since.getTime() / 1000) * 1000;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const result = await searchAssignments(
      deps.search,
      deps.indexPrefix,
      { ...params, sort: 'newest', page, perPage: PAGE_SIZE },
      { publicUrl: deps.publicUrl, reference, db: deps.db, log: deps.log, indexOnly: true },
    );
    // The fallback is a different search (no typo tolerance, no synonyms): ask again later.
    if (result.engine !== 'meilisearch') throw new SearchNotReadyError('Only the fallback search answers now');
    for (const hit of result.hits) {
      if (Date.parse(hit.publishedAt) < sinceSeconds) return ids;
      ids.push(hit.id);
    }
    if (page >= result.totalPages) return ids;
  }
  return ids;
}

interface MailItem {
  title: string;
  place: string;
  url: string;
}

interface Section {
  savedSearch: SavedSearchRow;
  items: MailItem[];
  total: number;
}

/**
 * Finds what is new for one saved search and records it as delivered. Call
 * inside a transaction that holds the saved search row locked (FOR UPDATE).
 */
async function collectSection(deps: AlertDeps, trx: DbOrTrx, savedSearch: SavedSearchRow): Promise<Section | undefined> {
  const saved = savedQueryFrom(savedSearch.query, await deps.reference());
  if (!saved.ok) {
    // A category or village removed from the reference data since: the person sees it in the list.
    deps.log.warn({ savedSearchId: savedSearch.id }, 'Saved search no longer valid; skipped');
    return undefined;
  }
  const since = new Date(Math.max(savedSearch.created_at.getTime(), savedSearch.checked_until.getTime() - GRACE_MS));
  const candidates = await matchingSince(deps, saved.params, since);
  const rows: NewMatchRow[] =
    candidates.length > 0
      ? await selectUndelivered(trx, { id: savedSearch.id, createdAt: savedSearch.created_at }, candidates)
      : [];
  // The transaction's start: everything published before it was either seen now or is within the grace next time.
  await updateCheckedUntil(trx, savedSearch.id);
  if (rows.length === 0) return undefined;
  await insertDeliveries(
    trx,
    savedSearch.id,
    rows.map((row) => row.id),
  );
  return {
    savedSearch,
    total: rows.length,
    items: rows.slice(0, MAIL_ITEMS_MAX).map((row) => ({
      title: row.title,
      place: [row.localityName, row.municipalityName].filter(Boolean).join(', '),
      url: deps.publicUrl + assignmentPath(row),
    })),
  };
}

/** Queues one mail with the sections and links the deliveries to it. */
async function mailSections(
  deps: AlertDeps,
  trx: DbOrTrx,
  user: { email: string; name: string | null },
  sections: Section[],
  frequency: Frequency,
) {
  const [only] = sections;
  const mailId = await queueMail(trx, {
    to: user.email,
    template: 'saved-search',
    // One saved search in the mail: mail programs may offer its unsubscribe (RFC 2369, one click by RFC 8058).
    headers:
      sections.length === 1 && only
        ? {
            'List-Unsubscribe': `<${deps.publicUrl}/bevakningar/avsluta/ett-klick?token=${unsubscribeToken(deps.secret, only.savedSearch.id)}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          }
        : undefined,
    data: {
      name: user.name ?? undefined,
      url: `${deps.publicUrl}/konto/bevakningar`,
      daily: frequency === 'daily',
      count: sections.reduce((sum, section) => sum + section.total, 0),
      searches: sections.map(({ savedSearch, items, total }) => ({
        name: savedSearch.name,
        searchUrl: deps.publicUrl + searchPath(savedSearch.query),
        unsubscribeUrl: `${deps.publicUrl}/bevakningar/avsluta?token=${unsubscribeToken(deps.secret, savedSearch.id)}`,
        items,
        moreCount: total - items.length,
      })),
    },
  });
  for (const { savedSearch } of sections) await markDeliveriesMailed(trx, savedSearch.id, mailId);
}

/**
 * Checks every saved search of one person with `frequency` and mails what is
 * new in one mail (instant: one mail per saved search). Returns how many
 * assignments were mailed.
 */
async function alertUser(deps: AlertDeps, userId: number, frequency: 'instant' | 'daily'): Promise<number> {
  return inTransaction(
    deps.db,
    async (trx) => {
      const user = await selectMailRecipient(trx, userId);
      if (!user) return 0;
      const savedSearches = await selectSavedSearchesForUpdate(trx, userId, frequency);
      const sections: Section[] = [];
      for (const savedSearch of savedSearches) {
        const section = await collectSection(deps, trx, savedSearch);
        if (section) sections.push(section);
      }
      if (frequency === 'daily') {
        if (sections.length) await mailSections(deps, trx, user, sections, frequency);
      } else {
        for (const section of sections) await mailSections(deps, trx, user, [section], frequency);
      }
      return sections.reduce((sum, section) => sum + section.total, 0);
    },
    { databaseErrors: 'raw' },
  );
}

/** The daily digest: one mail per person with what is new for each of their daily saved searches. */
export async function sendDailyAlerts(deps: AlertDeps): Promise<number> {
  const userIds = await selectAlertRecipientIds(deps.db, 'daily');
  let mailed = 0;
  for (const userId of userIds) mailed += await alertUser(deps, userId, 'daily');
  return mailed;
}

/**
 * "At once": after an assignment is published, mails it (and anything else new)
 * to the instant saved searches it matches. Throws while the assignment is not
 * yet searchable, so the job is retried.
 */
export async function sendInstantAlerts(deps: AlertDeps, assignmentId: number): Promise<number> {
  const userIds = await selectAlertRecipientIds(deps.db, 'instant');
  if (userIds.length === 0) return 0;
  const publishedAt = await selectOpenPublishedAt(deps.db, assignmentId);
  if (!publishedAt) return 0; // hidden, closed or withdrawn since: nothing to tell
  const everything = parseSearchParams({}, await deps.reference());
  if (!everything.ok) throw new Error('The empty search does not parse');
  const searchable = await matchingSince(deps, everything.params, publishedAt);
  if (!searchable.includes(assignmentId)) throw new SearchNotReadyError(`Assignment ${assignmentId} is not searchable yet`);
  let mailed = 0;
  for (const userId of userIds) mailed += await alertUser(deps, userId, 'instant');
  return mailed;
}

export type AlertTaskDeps = Omit<AlertDeps, 'reference'>;

export function savedSearchTasks(taskDeps: AlertTaskDeps): TaskList {
  let reference: Promise<ReferenceData> | undefined;
  const deps: AlertDeps = {
    ...taskDeps,
    reference: () => {
      reference ??= loadReferenceData(taskDeps.db);
      // A failed load is tried again by the next job, not remembered.
      reference.catch(() => (reference = undefined));
      return reference;
    },
  };
  const daily: Task = async () => {
    const mailed = await sendDailyAlerts(deps);
    if (mailed) deps.log.info({ mailed }, 'Saved-search digests queued');
  };
  return {
    ...jobTask(assignmentPublishedJob, deps.log, async ({ id }) => {
      const mailed = await sendInstantAlerts(deps, id);
      if (mailed) deps.log.info({ assignmentId: id, mailed }, 'Saved-search alerts queued');
    }),
    [DAILY_ALERTS_TASK]: daily,
  };
}
