import connectPgSimple from 'connect-pg-simple';
import session, { type Store } from 'express-session';
import type { RequestHandler } from 'express';
import pg from 'pg';
import type { Logger } from '../platform/logger.js';

// Sessions live in PostgreSQL (connect-pg-simple, table `sessions`), so they
// survive restarts and are shared by every app process. The cookie is
// HttpOnly, SameSite=Lax, Secure with a __Host- name in production. The idle
// timeout is the cookie's rolling max age; the absolute one is checked by
// `enforceAbsoluteTimeout` (web/auth.ts) from the time of login.

export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;

export interface SessionStore {
  store: Store;
  close(): Promise<void>;
}

export function createSessionStore(connectionString: string, log?: Logger): SessionStore {
  const pool = new pg.Pool({
    connectionString,
    max: 5,
    application_name: 'uppdragsbanken-sessions',
    connectionTimeoutMillis: 5000,
  });
  // An idle connection that the server closes (a restart, a fail-over) emits
  // 'error' on the pool; without a listener Node would exit. The pool drops
  // that connection by itself and the next request opens a new one.
  pool.on('error', (error) => log?.warn({ err: { message: error.message } }, 'Session store: a database connection was lost'));
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool,
    tableName: 'sessions',
    createTableIfMissing: false,
    pruneSessionInterval: 15 * 60,
    // Its default is console.error (raw text on stderr); ours are JSON lines. A failed prune is retried next interval.
    errorLog: (message: string, error?: Error) => log?.warn({ err: { message: error?.message } }, `Session store: ${message}`),
  });
  return {
    store,
    async close() {
      store.close();
      await pool.end();
    },
  };
}

/** The session cookie's name: `__Host-` in production binds it to this host, HTTPS and path / (needs Secure). */
export const sessionCookieName = (production: boolean) => (production ? '__Host-ub.sid' : 'ub.sid');

export function sessions(options: { store: Store; secret: string; production: boolean }): RequestHandler {
  return session({
    store: options.store,
    name: sessionCookieName(options.production),
    secret: options.secret,
    resave: false,
    saveUninitialized: false, // no session (and no cookie) until something is stored: a form token or a login
    rolling: true,
    proxy: options.production,
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.production, maxAge: SESSION_IDLE_MS, path: '/' },
  });
}
