import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, notFound } from '../platform/errors.js';

const wantsJson = (path: string) => path.startsWith('/api/');

export const notFoundHandler: RequestHandler = () => {
  throw notFound();
};

/**
 * The one place where errors become responses: AppErrors keep their status and
 * field messages; body-parser's client errors (bad JSON, too large) keep their
 * 4xx; everything else is a 500 with no detail shown, logged with the request id.
 */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const clientError = error as { status?: number; statusCode?: number; expose?: boolean; type?: string };
  let appError: AppError;
  if (error instanceof AppError) {
    appError = error;
  } else if ((error as { code?: string }).code === 'EBADCSRFTOKEN') {
    req.log.info({ event: 'csrf_rejected' }, 'Form without a valid CSRF token');
    appError = new AppError('forbidden', 'errors.csrf');
  } else if ((clientError.status ?? clientError.statusCode ?? 500) < 500) {
    // body-parser errors, and the router's URIError for a malformed %-escape in the path
    appError = new AppError('bad_request', 'The request could not be read');
    Object.assign(appError, { status: clientError.status ?? clientError.statusCode });
  } else {
    req.log.error({ err: error }, 'Unhandled error');
    appError = Object.assign(new AppError('unavailable', 'Something went wrong'), { status: 500 });
  }
  if (appError.status === 503) res.set('Retry-After', '10');
  if (res.headersSent) {
    res.end();
    return;
  }

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
