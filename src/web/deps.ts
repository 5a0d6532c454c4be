import type { i18n } from 'i18next';
import type passport from 'passport';
import type { Store } from 'express-session';
import type { Config } from '../config.js';
import type { Db } from '../platform/db.js';
import type { DataKeys } from '../platform/encryption.js';
import type { EventBus } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';
import type { Meilisearch } from '../platform/meilisearch.js';
import type { ReferenceData } from '../platform/reference-data.js';
import type { Storage } from '../platform/storage.js';

// What every route and request handler is given. It lives in web/ (below the modules) rather than in app.ts,
// so a module's routes can name it without importing the file that imports every module.

export interface AppDeps {
  config: Config;
  db: Db;
  /** Undefined when no Meilisearch is available at all. */
  search?: Meilisearch;
  log: Logger;
  reference: ReferenceData;
  i18n: i18n;
  /** PostgreSQL-backed (web/session.ts); the caller owns and closes it. */
  sessionStore: Store;
  sessionSecret: string;
  /** Personal data at rest (platform/encryption.ts); undefined only when no key is configured (infrastructure.ts). */
  dataKeys?: DataKeys;
  /** Uploaded files (logos, CVs): DATA_DIR/uploads on the filesystem. */
  storage: Storage;
  /** Domain events in the process (platform/events.ts), with the handlers of every module. Made by buildApp. */
  events: EventBus;
  /** passport with the local strategy (web/auth.ts), for the login form. Made by buildApp. */
  auth: passport.PassportStatic;
}

/** What buildApp is given (by server.ts and the test app): everything but what it makes itself. */
export type AppInput = Omit<AppDeps, 'events' | 'auth'>;
