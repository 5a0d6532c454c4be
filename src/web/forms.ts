import type { Request, Response } from 'express';
import { AppError, FormError } from '../platform/errors.js';

// Forms the one way: the action answers when it succeeds; when it refuses the
// input, the answer is the same form again with a message beside each field
// and what the user typed still in it.

/** The submitted fields (a url-encoded body); {} when there is no body. */
export const formBody = (req: Request): Record<string, unknown> => (req.body ?? {}) as Record<string, unknown>;

/** The page that answers a refused form: a view and its locals, with the refusal's status unless `status` is given. */
export interface FormPage {
  view: string;
  locals: object;
  status?: number;
}

/** Which errors are a refusal of the input (the others go on to the error handler). */
export type Refusal<E extends AppError> = (error: unknown) => error is E;

/** AppErrors with one of these statuses: for services that refuse a form with a plain AppError and its fields. */
export const refusedWith =
  (...statuses: number[]): Refusal<AppError> =>
  (error): error is AppError =>
    error instanceof AppError && statuses.includes(error.status);

const isFormError: Refusal<FormError<unknown>> = (error): error is FormError<unknown> => error instanceof FormError;

/** A FormError or what `other` names: for a page that shows another kind of refusal too (a full assignment, …). */
export const formErrorOr =
  (other: Refusal<AppError>): Refusal<AppError> =>
  (error): error is AppError =>
    isFormError(error) || other(error);

export type Again<E> = (error: E) => FormPage | Promise<FormPage>;

type Action = () => Promise<unknown>;

/**
 * Runs a form's `action`, which answers the request when it succeeds. When the
 * action refuses the input with a FormError (or, with `refused` given, with
 * what that names), the answer is the page `again` makes of the refusal
 * (usually the form with `error.fields` beside its fields and `error.form` in
 * them) with the refusal's status, 400 or 409, unless the page names its own.
 * Any other error goes on to the error handler.
 */
export function orFormAgain<F>(res: Response, again: Again<FormError<F>>, action: Action): Promise<void>;
export function orFormAgain<E extends AppError>(
  res: Response,
  refused: Refusal<E>,
  again: Again<E>,
  action: Action,
): Promise<void>;
export async function orFormAgain(
  res: Response,
  ...args: [Again<never>, Action] | [Refusal<AppError>, Again<never>, Action]
): Promise<void> {
  const [refused, again, action] = args.length === 2 ? [isFormError, ...args] : args;
  try {
    await action();
  } catch (error) {
    if (!refused(error)) throw error;
    // The overloads pair `again` with `refused`: it is given only what `refused` let through.
    const page = await (again as Again<AppError>)(error);
    res.status(page.status ?? error.status).render(page.view, page.locals);
  }
}
