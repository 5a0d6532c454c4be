import { csrfSync } from 'csrf-sync';
import type { Request, RequestHandler } from 'express';

// Synchroniser-token CSRF protection for every state-changing request: the
// token lives in the session, forms carry it in a hidden `_csrf` field (see
// views/partials/csrf.ejs), scripts may send it as X-CSRF-Token.

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof fromBody === 'string') return fromBody;
    if (req.is('multipart/form-data') && typeof req.query._csrf === 'string') return req.query._csrf;
    const fromHeader = req.headers['x-csrf-token'];
    return typeof fromHeader === 'string' ? fromHeader : undefined;
  },
});

export const csrfProtection: RequestHandler = csrfSynchronisedProtection;

/** Makes `csrfToken()` available to views; the token is created on first use and kept for the session. */
export const csrfLocals: RequestHandler = (req, res, next) => {
  res.locals.csrfToken = () => generateToken(req);
  next();
};

/** A new token, e.g. after login (the session is regenerated then). */
export function renewCsrfToken(req: Request): string {
  return generateToken(req, true);
}
