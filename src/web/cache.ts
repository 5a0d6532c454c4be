import type { NextFunction, Response } from 'express';

/**
 * For a route whose answers hold personal data, one-time tokens or a form
 * (a CSRF token): no browser or shared cache keeps a copy. Given per route,
 * not per router: a router is passed by every request that reaches the ones
 * after it, and public pages stay cacheable.
 */
// The request is `unknown` so that the route's own handler still gets its path parameters typed from the path.
export function noStore(_req: unknown, res: Response, next: NextFunction): void {
  res.set('Cache-Control', 'no-store');
  next();
}
