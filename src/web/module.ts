import type { Router } from 'express';
import type { Config } from '../config.js';
import type { Db } from '../platform/db.js';
import type { DataKeys } from '../platform/encryption.js';
import type { EventHandlers } from '../platform/events.js';
import type { TaskList } from '../platform/jobs.js';
import type { Logger } from '../platform/logger.js';
import type { Meilisearch } from '../platform/meilisearch.js';
import type { AppDeps, AppInput } from './deps.js';

// What a module tells the app about itself. Each module's index.ts exports one such description; src/modules.ts
// lists them, and app.ts (routes, event handlers), runtime.ts (the worker's tasks and cron) and the test app
// (the same tasks) loop over that one list, so adding a module is adding it there.

/** What background tasks are built from: the worker runs without a web server, so no session store or views. */
export interface JobDeps {
  config: Config;
  db: Db;
  /** Undefined when no Meilisearch is available at all. */
  search?: Meilisearch;
  log: Logger;
  /** Signs links in mails (one-click unsubscribe): the session secret. */
  secret: string;
  /** Personal data at rest (platform/encryption.ts); undefined only when no key is configured (infrastructure.ts). */
  dataKeys?: DataKeys;
}

export interface ModuleDescription {
  name: string;
  /** Routers, mounted in the order of the module list, after sessions, CSRF and the actor. */
  routes?(deps: AppDeps): Router[];
  /**
   * The public, cookie-free JSON API (/api/v1): mounted right after the security headers and compression, before
   * static files, view helpers and sessions, none of which an API request needs or should pay for.
   */
  apiRoutes?(deps: AppDeps): Router[];
  /** Routers that need no session (signed links from mails): mounted before sessions and CSRF. */
  routesWithoutSession?(deps: AppDeps): Router[];
  /** The module's background tasks by name (payloads checked with `jobTask`, platform/jobs.ts). */
  tasks?(deps: JobDeps): TaskList;
  /** graphile-worker crontab lines for the module's recurring tasks. */
  crontab?: readonly string[];
  /** Tasks that need Meilisearch: made due at once when it answers again after an outage, not after their backoff. */
  searchTasks?: readonly string[];
  /** Handlers of domain events (platform/events.ts) emitted by other modules. */
  events?(deps: AppInput): EventHandlers;
  /** The module's part of the public API's OpenAPI document (web/openapi.ts merges them): paths and schemas. */
  openApi?: OpenApiPart;
}

/** OpenAPI 3.1 path items by path, and schemas by name for `#/components/schemas/<name>` references. */
export interface OpenApiPart {
  paths: Record<string, unknown>;
  schemas?: Record<string, unknown>;
}
