import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailable } from '../platform/db.js';
import { AppError, notFound } from '../platform/errors.js';

const wantsJson = (path: string) => path.startsWith('/api/');

export const notFoundHandler: RequestHandler = () => {
  throw notFound();
};

/**
 * The one place where errors become responses: AppErrors keep their status and
 * field messages; body-parser's client errors (bad JSON, too large) keep their
 * 4xx; a database that cannot be reached is a 503 (Retry-After); everything
 * else is a 500 with no detail shown, logged with the request id.
 */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const clientError = error as { status?: number; statusCode?: number; expose?: boolean; type?: string };
  let appError: AppError;
  if (error instanceof AppError) {
    appError = error;
  } else if ((error as { code?: string }).code === 'EBADCSRFTOKEN') {
    req.log.info({ event: 'csrf_rejected' }, 'Form without a valid CSRF token');
    appError = new AppError('forbidden', 'errors.csrf');
  } else if (isDatabaseUnavailable(error)) {
    // The database is restarting or unreachable: a short-lived state, not a bug.
    req.log.warn({ err: { message: (error as Error).message, code: (error as { code?: string }).code } }, 'Database unavailable');
    appError = new AppError('unavailable', 'errors.databaseUnavailable');
  } else if ((clientError.status ?? clientError.statusCode ?? 500) < 500) {
    // body-parser errors, and the router's URIError for a malformed %-escape in the path
    appError = new AppError('bad_request', 'The request could not be read');
    Object.assign(appError, { status: clientError.status ?? clientError.statusCode });
  } else {
    req.log.error({ err: error }, 'Unhandled error');
    appError = Object.assign(new AppError('unavailable', 'Something went wrong'), { status: 500 });
  }
  if (res.headersSent) {
    // E.g. the session could not be saved after the page was written (express-session
    // reports that after sending the head): finish what was sent. Setting a header now
    // would throw, and Express would then cut the connection.
    res.end();
    return;
  }
  if (appError.status === 503) res.set('Retry-After', '10');

  if (appError.code === 'unauthenticated' && req.method === 'GET' && !wantsJson(req.path)) {
    // A visitor opening a page that needs a login: log in, then come back.
    res.redirect(303, `/logga-in?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  res.status(appError.status);
  if (wantsJson(req.path)) {
    const [parameter] = Object.keys(appError.fields);
    res.json({
      error: {
        code: appError.status === 500 ? 'internal' : appError.code,
        message: appError.message,
        ...(parameter ? { parameter, fields: appError.fields } : {}),
        requestId: req.id,
      },
    });
    return;
  }
  const view = appError.status === 404 ? 'errors/not-found' : appError.status === 500 ? 'errors/server-error' : 'errors/error';
  const refusedAction = (appError as AppError & { refusedAction?: string }).refusedAction;
  if (refusedAction)
    req.log.info(
      { event: 'authorisation_failed', action: refusedAction, userId: req.user?.id, status: appError.status },
      'Refused',
    );
  // Services throw i18n keys ("applications.errors.full") for messages meant for
  // the user, plain English for the log; only keys are shown (the view falls
  // back to the generic text when a key has no translation).
  const messageKey = /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$/.test(appError.message) ? appError.message : 'errors.error';
  res.render(view, { status: appError.status, requestId: req.id, messageKey }, (renderError, html) => {
    if (renderError) {
      req.log.error({ err: renderError }, 'Could not render the error page');
      res.type('text/plain').send(`Error ${appError.status}`);
      return;
    }
    res.send(html);
  });
};

/**
 * The last layer. express-session saves the session while the answer is being
 * sent and reports a failure to `next` — also when that answer is already the
 * error page (a 503 while the database is away). Such an error arrives after
 * errorHandler has run; without this layer Express's final handler would cut
 * the connection instead of letting the page finish.
 */
export const afterErrorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  req.log.warn({ err: { message: (error as Error).message } }, 'Error after the answer was sent');
  if (!res.headersSent) res.status(500).type('text/plain').send('Error 500');
};
