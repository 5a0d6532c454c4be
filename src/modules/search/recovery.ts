import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../platform/logger.js';
import { isSearchUp, type Meilisearch } from '../../platform/meilisearch.js';

// While Meilisearch is away (stopped, frozen, restarting), index jobs fail and
// graphile-worker retries them with a growing backoff: after a 20 s outage the
// last of them waited ~40 s more before running. This watcher asks Meilisearch
// every second whether it answers; the moment it answers again after not
// answering, `onRecovered` makes the waiting jobs due at once.

const CHECK_INTERVAL_MS = 1000;

export interface SearchRecoveryWatcher {
  stop(): void;
}

export function watchSearchRecovery(deps: {
  search: Meilisearch;
  log: Logger;
  onRecovered: () => Promise<number>;
}): SearchRecoveryWatcher {
  const controller = new AbortController();
  const loop = async () => {
    let up = true;
    while (!controller.signal.aborted) {
      const nowUp = await isSearchUp(deps.search);
      if (up && !nowUp) deps.log.warn('Search: Meilisearch does not answer; index jobs wait until it does');
      if (!up && nowUp) {
        try {
          const jobs = await deps.onRecovered();
          deps.log.info({ jobs }, 'Search: Meilisearch answers again; waiting index jobs made due now');
          up = true;
        } catch (error) {
          // The database may be away too: stay "down", so the next check tries again.
          deps.log.warn({ err: { message: (error as Error).message } }, 'Search: could not make waiting index jobs due');
        }
      } else {
        up = nowUp;
      }
      await sleep(CHECK_INTERVAL_MS, undefined, { signal: controller.signal }).catch(() => {});
    }
  };
  void loop();
  return { stop: () => controller.abort() };
}
