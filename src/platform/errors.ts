// Typed domain errors. Services throw these; one Express error handler turns
// them into a page or JSON. `fields` carries a message per input field so a
// form can be re-rendered with each message beside its field.

export type ErrorCode = 'bad_request' | 'unauthenticated' | 'not_found' | 'conflict' | 'forbidden' | 'too_large' | 'unavailable';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unavailable: 503,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }
}

/**
 * A refused form: a message per field and the form as the user typed it (`F`,
 * the values the form's view shows), so the route can answer with the form
 * again and nothing typed is lost. A bad request, or a conflict when the input
 * was fine but the state of things refuses it (a limit reached, a closed thread).
 */
export class FormError<F> extends AppError {
  constructor(
    fields: Record<string, string>,
    readonly form: F,
    code: 'bad_request' | 'conflict' = 'bad_request',
  ) {
    super(code, 'The form is not valid', fields);
  }
}

export const badRequest = (message: string, fields?: Record<string, string>) => new AppError('bad_request', message, fields);
export const notFound = (message = 'Not found') => new AppError('not_found', message);

/**
 * Translates the PostgreSQL errors that a request can cause (a broken unique,
 * foreign key or check constraint) into conflicts and bad requests, once, here.
 */
export function translateDatabaseError(error: unknown): unknown {
  const pgError = error as { code?: string; constraint?: string; column?: string };
  const field = pgError.constraint ?? pgError.column ?? 'value';
  switch (pgError.code) {
    case '23505':
      return new AppError('conflict', 'Already exists', { [field]: 'already exists' });
    case '23503':
      return badRequest('Refers to something that does not exist', { [field]: 'does not exist' });
    case '23514':
    case '23502':
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
      return badRequest('Invalid value', { [field]: 'is not valid' });
    default:
      return error;
  }
}
