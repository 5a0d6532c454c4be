import type { Request } from 'express';
import { z } from 'zod';

// What a route reads from its path and query string besides the forms.

/** A database id as it stands in a URL: 1–15 digits (below 2^53, so the number is exact). */
export const idSchema = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);

/**
 * The id in the path parameter `name`, or NaN when it is none. NaN rather than
 * a 404 here: the service decides the right first and then finds nothing, so a
 * malformed id is answered exactly like an id that does not exist (or that the
 * asker may not know of).
 */
export function idParam(req: Request, name: string): number {
  return idSchema.safeParse(req.params[name]).data ?? NaN;
}

/** `?done=…`, the notice after a redirect: one of the page's own values, else none (nothing else is echoed). */
export function doneParam(req: Request, allowed: ReadonlySet<string>): string | undefined {
  const done = req.query.done;
  return typeof done === 'string' && allowed.has(done) ? done : undefined;
}
