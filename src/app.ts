import compression from 'compression';
import express, { type Express } from 'express';
import path from 'node:path';
import { loadActor } from './modules/access/index.js';
import { accountRoutes, authenticate, getSessionUser } from './modules/accounts/index.js';
import { adminRoutes } from './modules/admin/index.js';
import { applicationRoutes, assignmentPageRoutes, messageRoutes } from './modules/applications/index.js';
import { assignmentRoutes } from './modules/assignments/index.js';
import { postingRoutes } from './modules/posting/index.js';
import { feedbackRoutes } from './modules/feedback/index.js';

import { moderationRoutes } from './modules/moderation/index.js';
import { myDataRoutes } from './modules/my-data/index.js';
import { notificationRoutes, unreadNotificationCount } from './modules/notifications/index.js';
import { organisationRoutes } from './modules/organisations/index.js';
import { profileRoutes } from './modules/profiles/index.js';
import { oneClickUnsubscribeRoutes, savedSearchRoutes } from './modules/saved-searches/index.js';
import { searchApiRoutes, searchPageRoutes } from './modules/search/index.js';
import { actorLocals, configurePassport, enforceAbsoluteTimeout } from './web/auth.js';
import { csrfLocals, csrfProtection } from './web/csrf.js';
import { devMailRoutes } from './web/dev-mail.js';
import { devAccountRoutes } from './web/dev-accounts.js';
import { afterErrorHandler, errorHandler, notFoundHandler } from './web/error-handler.js';
import { healthRoutes } from './web/health.js';
import { viewLocals } from './web/locals.js';
import { requestLogger } from './web/request-logger.js';
import { securityHeaders } from './web/security.js';
import { sessions } from './web/session.js';
import { useViews } from './web/views.js';
import type { AppDeps } from './web/deps.js';

export type { AppDeps };

/** The Express app. No listening and no I/O here: server.ts and the tests do that. */
export function buildApp(deps: AppDeps): Express {
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
  app.use(oneClickUnsubscribeRoutes(deps)); // signed link, no session: before sessions and CSRF (see there)
  app.use(sessions({ store: deps.sessionStore, secret: deps.sessionSecret, production: deps.config.isProduction }));
  const auth = configurePassport({
    authenticate: (email, password) => authenticate(deps.db, email, password),
    findUser: (id) => getSessionUser(deps.db, id),
  });
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
  app.use(searchApiRoutes(deps));
  app.use(searchPageRoutes(deps));
  app.use(accountRoutes(deps, auth));
  app.use(postingRoutes(deps));
  app.use(organisationRoutes(deps));
  app.use(adminRoutes(deps));
  app.use(myDataRoutes(deps));
  app.use(profileRoutes(deps));
  // Mails are only stored without SMTP_URL; this page shows them. Never in production.
  if (!deps.config.isProduction) app.use(devMailRoutes(deps));
  if (!deps.config.isProduction) app.use(devAccountRoutes(deps)); // demo logins' passwords: never in production
  app.use(feedbackRoutes(deps));
  app.use(messageRoutes(deps));
  app.use(notificationRoutes(deps));
  app.use(moderationRoutes(deps));
  app.use(applicationRoutes(deps));
  app.use(savedSearchRoutes(deps));
  app.use(assignmentPageRoutes(deps));
  app.use(assignmentRoutes(deps));
  app.use(notFoundHandler);
  app.use(errorHandler);
  app.use(afterErrorHandler);
  return app;
}
