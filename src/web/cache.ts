import type { RequestHandler } from 'express';

/**
 * For a route whose answers hold personal data, one-time tokens or a form
 * (a CSRF token): no browser or shared cache keeps a copy. Given per route,
 * not per router: a router is passed by every request that reaches the ones
 * after it, and public pages stay cacheable.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
