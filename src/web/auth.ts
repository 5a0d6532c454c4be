import type { Request, RequestHandler } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Db } from '../platform/db.js';
import { loadActor, type Actor } from '../modules/access/index.js';
import { authenticate, getSessionUser, type SessionUser } from '../modules/accounts/index.js';
import { unreadNotificationCount } from '../modules/notifications/index.js';
import { SESSION_ABSOLUTE_MS } from './session.js';

// passport with a local (e-mail + password) strategy; the session keeps only
// the user id. Authorisation itself is not decided here but in the services.

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    actor: Actor;
  }
}

declare module 'express-session' {
  interface SessionData {
    /** When the user logged in (ms since epoch): the absolute session timeout counts from here. */
    authenticatedAt?: number;
  }
}

export function configurePassport(db: Db): passport.PassportStatic {
  const instance = new passport.Passport();
  instance.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      authenticate(db, email, password).then((user) => done(null, user ?? false), done);
    }),
  );
  instance.serializeUser((user, done) => done(null, user.id));
  instance.deserializeUser((id: unknown, done) => {
    getSessionUser(db, Number(id)).then((user) => done(null, user ?? false), done);
  });
  return instance as unknown as passport.PassportStatic;
}

/** Ends a login older than the absolute timeout, however active it was. */
export const enforceAbsoluteTimeout: RequestHandler = (req, _res, next) => {
  const since = req.session?.authenticatedAt;
  if (req.user && (since === undefined || Date.now() - since > SESSION_ABSOLUTE_MS)) {
    req.logout({ keepSessionInfo: false }, (error) => next(error));
    return;
  }
  next();
};

/** The signed-in user (for views) and the actor the policy decides for (for services). */
export function actorLocals(db: Db): RequestHandler {
  return async (req, res, next) => {
    req.actor = await loadActor(db, req.user);
    res.locals.user = req.user;
    res.locals.actor = req.actor;
    // The header's "Notiser (3 olästa)": one small indexed count per request of a logged-in user.
    res.locals.unreadNotifications = req.user ? await unreadNotificationCount(db, req.user.id) : 0;
    next();
  };
}

/** Promise forms of passport's callback API. */
export function logIn(req: Request, user: Express.User): Promise<void> {
  return new Promise((resolve, reject) => req.login(user, (error) => (error ? reject(error) : resolve())));
}

export function logOut(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.logout((error) => {
      if (error) return reject(error);
      req.session.destroy((destroyError) => (destroyError ? reject(destroyError) : resolve()));
    }),
  );
}

export function authenticateLocal(auth: passport.PassportStatic, req: Request): Promise<Express.User | undefined> {
  return new Promise((resolve, reject) => {
    auth.authenticate('local', { session: false }, (error: unknown, user: Express.User | false) => {
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(user || undefined);
    })(req, {} as never, () => {});
  });
}
