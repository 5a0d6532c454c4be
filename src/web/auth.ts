import type { Request, RequestHandler } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { SESSION_ABSOLUTE_MS } from './session.js';

// passport with a local (e-mail + password) strategy; the session keeps only
// the user id. Authorisation itself is not decided here but in the services.
// What a user and an actor are belongs to the accounts and access modules
// (they declare Express.User and req.actor); web/ sits below every module, so
// app.ts hands these functions over instead of web/ importing them.

export interface UserLookup {
  /** The user when the e-mail and password match, else undefined. */
  authenticate(email: string, password: string): Promise<Express.User | undefined>;
  /** The user a session names, undefined when the account is gone. */
  findUser(id: number): Promise<Express.User | undefined>;
}

export interface ActorLookup {
  actorOf(user: Express.User | undefined): Promise<Request['actor']>;
  unreadNotifications(userId: number): Promise<number>;
}

declare module 'express-session' {
  interface SessionData {
    /** When the user logged in (ms since epoch): the absolute session timeout counts from here. */
    authenticatedAt?: number;
  }
}

export function configurePassport(users: UserLookup): passport.PassportStatic {
  const instance = new passport.Passport();
  instance.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      users.authenticate(email, password).then((user) => done(null, user ?? false), done);
    }),
  );
  instance.serializeUser((user, done) => done(null, user.id));
  instance.deserializeUser((id: unknown, done) => {
    users.findUser(Number(id)).then((user) => done(null, user ?? false), done);
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
export function actorLocals(actors: ActorLookup): RequestHandler {
  return async (req, res, next) => {
    req.actor = await actors.actorOf(req.user);
    res.locals.user = req.user;
    res.locals.actor = req.actor;
    // The header's "Notiser (3 olästa)": one small indexed count per request of a logged-in user.
    res.locals.unreadNotifications = req.user ? await actors.unreadNotifications(req.user.id) : 0;
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
