import compression from 'compression';
import express, { type Express } from 'express';
import path from 'node:path';
import { loadActor } from './modules/access/index.js';
import { authenticate, getSessionUser } from './modules/accounts/index.js';

import { unreadNotificationCount } from './modules/notifications/index.js';
import { actorLocals, configurePassport, enforceAbsoluteTimeout } from './web/auth.js';
import { csrfLocals, csrfProtection } from './web/csrf.js';
import { afterErrorHandler, errorHandler, notFoundHandler } from './web/error-handler.js';
import { healthRoutes } from './web/health.js';
import { openApiRoutes } from './web/openapi.js';
import { viewLocals } from './web/locals.js';
import { requestLogger } from './web/request-logger.js';
import { securityHeaders } from './web/security.js';
import { sessions } from './web/session.js';
import { useViews } from './web/views.js';
import type { AppDeps, AppInput } from './web/deps.js';
import { createEventBus } from './platform/events.js';
import { MODULES } from './modules.js';

export type { AppDeps, AppInput };

/** The Express app. No listening and no I/O here: server.ts and the tests do that. */
export function buildApp(input: AppInput): Express {
  const auth = configurePassport({
    authenticate: (email, password) => authenticate(input.db, email, password),
    findUser: (id) => getSessionUser(input.db, id),
  });
  const events = createEventBus(
    MODULES.map((module) => module.events?.(input) ?? {}),
    input.log,
  );
  const deps: AppDeps = { ...input, events, auth };
  const routesOf = (part: 'apiRoutes' | 'routes' | 'routesWithoutSession') =>
    MODULES.flatMap((module) => module[part]?.(deps) ?? []);

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple'); // flat values and arrays only, never nested objects
  useViews(app, { cache: deps.config.isProduction });

  // Behind a proxy every request comes from the proxy's address: without this, all
  // clients would share one per-address rate limit (and one address in the logs).
  if (deps.config.trustProxy > 0) app.set('trust proxy', deps.config.trustProxy);
  app.use(requestLogger(deps.log));
  app.use(securityHeaders({ production: deps.config.isProduction, mapTileOrigin: deps.config.map?.tileOrigin }));
  app.use(compression());
  for (const router of routesOf('apiRoutes')) app.use(router);
  app.use(
    express.static(path.resolve(import.meta.dirname, '..', 'public'), {
      maxAge: deps.config.isProduction ? '1d' : 0,
      index: false,
    }),
  );
  app.use(healthRoutes(deps));
  app.use(viewLocals(deps.i18n, deps.reference));

  // Everything below may read or change a session.
  // 200 kB: a 10 000-character description in Swedish is about 60 kB when form-encoded.
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 300 }));
  for (const router of routesOf('routesWithoutSession')) app.use(router); // signed links: before sessions and CSRF
  app.use(sessions({ store: deps.sessionStore, secret: deps.sessionSecret, production: deps.config.isProduction }));
  app.use(auth.initialize());
  app.use(auth.session());
  app.use(enforceAbsoluteTimeout);
  app.use(csrfProtection);
  app.use(csrfLocals);
  app.use(
    actorLocals({
      actorOf: (user) => loadActor(deps.db, user),
      unreadNotifications: (userId) => unreadNotificationCount(deps.db, userId),
    }),
  );
  for (const router of routesOf('routes')) app.use(router);
  app.use(openApiRoutes(deps, MODULES));
  app.use(notFoundHandler);
  app.use(errorHandler);
  app.use(afterErrorHandler);
  return app;
}
