import { Router, type Request, type RequestHandler, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { AppDeps } from '../../web/deps.js';
import { AppError } from '../../platform/errors.js';
import { formText, hasForbiddenCharacters } from '../../platform/validation.js';
import { authorize } from '../access/index.js';
import { recommendedAssignments } from '../saved-searches/index.js';
import { authenticateLocal, logIn, logOut } from '../../web/auth.js';
import { renewCsrfToken } from '../../web/csrf.js';
import { sharedRateLimitOptions } from '../../web/rate-limit-store.js';
import {
  canConfirmEmailChange,
  canResetPassword,
  canVerifyEmail,
  changePassword,
  confirmEmailChange,
  getAccount,
  requestEmailChange,
  requestPasswordReset,
  resetPassword,
  signUp,
  verifyEmail,
} from './service.js';

const WINDOW_MS = 15 * 60 * 1000;

/** A same-site path to go back to after login; anything else (other hosts, //evil, schemes) → home. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 500 && !hasForbiddenCharacters(value)
    ? value
    : '/';
}

function noStore(res: Response) {
  res.set('Cache-Control', 'no-store');
}

const text = (value: unknown, max = 500) => formText(value, max);

export function accountRoutes(deps: AppDeps): Router {
  const router = Router();

  // Failed logins are limited per client address and per account; successful
  // ones do not count. The window is short so an attacker cannot lock a
  // victim out for long. Counters live in PostgreSQL (web/rate-limit-store.ts):
  // one allowance across every app process, kept across restarts.
  const loginFailed = (_req: Request, res: Response) => res.locals.loginSucceeded === true;
  const tooMany: RequestHandler = (req, res) => {
    noStore(res);
    res.status(429).render('accounts/log-in', {
      form: { email: text(req.body?.email, 254), next: text(req.body?.next) },
      errors: { form: 'accounts.errors.tooManyAttempts' },
    });
  };
  const loginPerAddress = rateLimit({
    ...sharedRateLimitOptions(deps, 'login-address'),
    windowMs: WINDOW_MS,
    limit: 30,
    skipSuccessfulRequests: true,
    requestWasSuccessful: loginFailed,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: tooMany,
  });
  const loginPerAccount = rateLimit({
    ...sharedRateLimitOptions(deps, 'login-account'),
    windowMs: WINDOW_MS,
    limit: 10,
    skipSuccessfulRequests: true,
    requestWasSuccessful: loginFailed,
    keyGenerator: (req) => `account:${text(req.body?.email, 254).trim().toLowerCase()}`,
    standardHeaders: false,
    legacyHeaders: false,
    handler: tooMany,
  });
  const signUpLimit = rateLimit({
    ...sharedRateLimitOptions(deps, 'sign-up-address'),
    windowMs: 60 * 60 * 1000,
    limit: 20,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res) => {
      noStore(res);
      res.status(429).render('accounts/sign-up', signUpView(deps, req.body, { form: 'accounts.errors.tooManyAttempts' }));
    },
  });

  router.get('/registrera', (_req, res) => {
    noStore(res);
    res.render('accounts/sign-up', signUpView(deps, {}, {}));
  });

  router.post('/registrera', signUpLimit, async (req, res) => {
    noStore(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await signUp(
        deps.db,
        {
          email: body.email as string,
          name: body.name as string,
          password: body.password as string,
          homeMunicipality: body.homeMunicipality as string,
          homeLocality: body.homeLocality as string,
        },
        { reference: deps.reference, publicUrl: deps.config.publicUrl, language: res.locals.lang },
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      res.status(400).render('accounts/sign-up', signUpView(deps, body, error.fields));
      return;
    }
    // The same page whether the address was new or already registered.
    res.render('accounts/check-mail', {});
  });

  router.get('/logga-in', (req, res) => {
    noStore(res);
    res.render('accounts/log-in', { form: { email: '', next: safeReturnPath(req.query.next) }, errors: {} });
  });

  router.post('/logga-in', loginPerAddress, loginPerAccount, async (req, res) => {
    noStore(res);
    const next = safeReturnPath(req.body?.next);
    const user = await authenticateLocal(deps.auth, req);
    if (!user) {
      req.log.info({ event: 'login_failed' }, 'Login failed');
      res.status(401).render('accounts/log-in', {
        form: { email: text(req.body?.email, 254), next },
        errors: { form: 'accounts.errors.loginFailed' },
      });
      return;
    }
    await logIn(req, user); // regenerates the session: no fixation
    req.session.authenticatedAt = Date.now();
    renewCsrfToken(req);
    res.locals.loginSucceeded = true;
    req.log.info({ event: 'login', userId: user.id }, 'Login');
    // Stored before the redirect: express-session sends the headers before its own save finishes, and a browser
    // that follows the 303 sooner gets a page without the session (logged out; the next form then replaces the cookie).
    await new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
    res.redirect(303, next);
  });

  router.post('/logga-ut', async (req, res) => {
    if (req.user) req.log.info({ event: 'logout', userId: req.user.id }, 'Logout');
    await logOut(req);
    res.clearCookie(deps.config.isProduction ? '__Host-ub.sid' : 'ub.sid', { path: '/' });
    res.redirect(303, '/');
  });

  // The link in the mail opens a page with a button; only the POST uses the
  // token, so no state changes on GET and mail scanners cannot use it up.
  router.get('/verifiera-epost', async (req, res) => {
    noStore(res);
    const token = text(req.query.token, 100);
    const usable = await canVerifyEmail(deps.db, token);
    res.status(usable ? 200 : 400).render('accounts/verify-email', { token, usable, verified: false });
  });

  router.post('/verifiera-epost', async (req, res) => {
    noStore(res);
    try {
      await verifyEmail(deps.db, text(req.body?.token, 100));
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      res.status(400).render('accounts/verify-email', { token: '', usable: false, verified: false });
      return;
    }
    res.render('accounts/verify-email', { token: '', usable: false, verified: true });
  });

  router.get('/konto', async (req, res) => {
    noStore(res);
    authorize(req.actor, 'account.view');
    res.render('accounts/account', { recommended: await recommendedAssignments(deps.db, req.actor) });
  });

  router.use(securityRoutes(deps));

  return router;
}

/** Answers a form post with the form again when the service refused the input (400), keeping what was typed. */
async function orFormAgain(action: () => Promise<void>, again: (error: AppError) => void | Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 400) throw error;
    await again(error);
  }
}

/** Password reset, password change and e-mail change. */
function securityRoutes(deps: AppDeps): Router {
  const router = Router();
  const cookieName = deps.config.isProduction ? '__Host-ub.sid' : 'ub.sid';

  // Reset requests are limited per client address and per e-mail address, all
  // of them (successful or not): each one sends a mail, and the per-address
  // limit stops flooding someone's inbox. Short windows, as for logins.
  const tooManyResets: RequestHandler = (req, res) => {
    noStore(res);
    res.status(429).render('accounts/forgot-password', {
      form: { email: text(req.body?.email, 254) },
      errors: { form: 'accounts.errors.tooManyAttempts' },
      sent: false,
    });
  };
  const resetPerAddress = rateLimit({
    ...sharedRateLimitOptions(deps, 'reset-address'),
    windowMs: WINDOW_MS,
    limit: 20,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: tooManyResets,
  });
  const resetPerEmail = rateLimit({
    ...sharedRateLimitOptions(deps, 'reset-email'),
    windowMs: WINDOW_MS,
    limit: 5,
    keyGenerator: (req) => `reset:${text(req.body?.email, 254).trim().toLowerCase()}`,
    standardHeaders: false,
    legacyHeaders: false,
    handler: tooManyResets,
  });

  // A stolen session must not be a way to guess the password: wrong current
  // passwords on the account pages are limited per user, each page counting
  // on its own (current-password-change-password, …-change-email).
  const currentPasswordChecks = (view: string) =>
    rateLimit({
      ...sharedRateLimitOptions(deps, view.replace('accounts/', 'current-password-')),
      windowMs: WINDOW_MS,
      limit: 10,
      skip: (req) => !req.user,
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.locals.passwordAccepted === true,
      keyGenerator: (req) => `user:${req.user?.id ?? ''}`,
      standardHeaders: false,
      legacyHeaders: false,
      handler: (req, res) => {
        noStore(res);
        res.status(429).render(view, {
          form: { email: text(req.body?.email, 254) },
          errors: { form: 'accounts.errors.tooManyAttempts' },
          done: false,
          account: { email: req.user?.email ?? '', pendingEmail: null },
        });
      },
    });

  router.get('/glomt-losenord', (_req, res) => {
    noStore(res);
    res.render('accounts/forgot-password', { form: { email: '' }, errors: {}, sent: false });
  });

  router.post('/glomt-losenord', resetPerAddress, resetPerEmail, async (req, res) => {
    noStore(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    await orFormAgain(
      async () => {
        await requestPasswordReset(
          deps.db,
          { email: body.email },
          { publicUrl: deps.config.publicUrl, language: res.locals.lang },
        );
        // One page whether or not the address has an account.
        res.render('accounts/forgot-password', { form: { email: '' }, errors: {}, sent: true });
      },
      (error) =>
        res.status(400).render('accounts/forgot-password', {
          form: { email: text(body.email, 254) },
          errors: error.fields,
          sent: false,
        }),
    );
  });

  // The link in the mail opens the form; only the POST uses the token.
  router.get('/aterstall-losenord', async (req, res) => {
    noStore(res);
    const token = text(req.query.token, 100);
    const usable = await canResetPassword(deps.db, token);
    res.status(usable ? 200 : 400).render('accounts/reset-password', { token, usable, done: false, errors: {} });
  });

  router.post('/aterstall-losenord', async (req, res) => {
    noStore(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const token = text(body.token, 100);
    await orFormAgain(
      async () => {
        const { userId } = await resetPassword(deps.db, { token, password: body.password });
        // Every session of the user is gone from the store; this one must not be saved back.
        if (req.user?.id === userId) {
          await logOut(req);
          res.clearCookie(cookieName, { path: '/' });
          res.locals.user = undefined;
        }
        req.log.info({ event: 'password_reset', userId }, 'Password reset');
        res.render('accounts/reset-password', { token: '', usable: false, done: true, errors: {} });
      },
      (error) => {
        const usable = !error.fields.token;
        res
          .status(400)
          .render('accounts/reset-password', { token: usable ? token : '', usable, done: false, errors: error.fields });
      },
    );
  });

  router.get('/konto/losenord', (req, res) => {
    noStore(res);
    authorize(req.actor, 'account.view');
    res.render('accounts/change-password', { errors: {}, done: false });
  });

  router.post('/konto/losenord', currentPasswordChecks('accounts/change-password'), async (req, res) => {
    noStore(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    await orFormAgain(
      async () => {
        await changePassword(
          deps.db,
          req.actor,
          { currentPassword: body.currentPassword, newPassword: body.newPassword },
          { keepSessionId: req.sessionID },
        );
        res.locals.passwordAccepted = true;
        // Still logged in here, under a new session id and CSRF token.
        const authenticatedAt = req.session.authenticatedAt;
        await logIn(req, req.user!);
        req.session.authenticatedAt = authenticatedAt;
        renewCsrfToken(req);
        req.log.info({ event: 'password_changed', userId: req.user!.id }, 'Password changed');
        res.render('accounts/change-password', { errors: {}, done: true });
      },
      (error) => {
        if (!error.fields.currentPassword) res.locals.passwordAccepted = true;
        res.status(400).render('accounts/change-password', { errors: error.fields, done: false });
      },
    );
  });

  router.get('/konto/epost', async (req, res) => {
    noStore(res);
    const account = await getAccount(deps.db, req.actor);
    res.render('accounts/change-email', { account, form: { email: '' }, errors: {}, done: false });
  });

  router.post('/konto/epost', currentPasswordChecks('accounts/change-email'), async (req, res) => {
    noStore(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    await orFormAgain(
      async () => {
        const { email } = await requestEmailChange(
          deps.db,
          req.actor,
          { email: body.email, password: body.password },
          { publicUrl: deps.config.publicUrl, language: res.locals.lang },
        );
        res.locals.passwordAccepted = true;
        req.log.info({ event: 'email_change_requested', userId: req.user!.id }, 'E-mail change requested');
        res.render('accounts/change-email', { account: undefined, form: { email }, errors: {}, done: true });
      },
      async (error) => {
        if (!error.fields.password) res.locals.passwordAccepted = true;
        const account = await getAccount(deps.db, req.actor);
        res.status(400).render('accounts/change-email', {
          account,
          form: { email: text(body.email, 254) },
          errors: error.fields,
          done: false,
        });
      },
    );
  });

  // As with verification: the mailed link opens a page with a button, the POST uses the token.
  router.get('/bekrafta-ny-epost', async (req, res) => {
    noStore(res);
    const token = text(req.query.token, 100);
    const usable = await canConfirmEmailChange(deps.db, token);
    res.status(usable ? 200 : 400).render('accounts/confirm-email', { token, usable, done: false, errors: {} });
  });

  router.post('/bekrafta-ny-epost', async (req, res) => {
    noStore(res);
    try {
      const { userId } = await confirmEmailChange(deps.db, text(req.body?.token, 100));
      req.log.info({ event: 'email_changed', userId }, 'E-mail changed');
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 400 && error.status !== 409)) throw error;
      res.status(error.status).render('accounts/confirm-email', { token: '', usable: false, done: false, errors: error.fields });
      return;
    }
    res.render('accounts/confirm-email', { token: '', usable: false, done: true, errors: {} });
  });

  return router;
}

function signUpView(deps: AppDeps, body: Record<string, unknown> | undefined, errors: Record<string, string>) {
  const input = body ?? {};
  return {
    form: {
      email: text(input.email, 254),
      name: text(input.name, 100),
      homeMunicipality: text(input.homeMunicipality, 4),
      homeLocality: text(input.homeLocality, 200),
    },
    errors,
    municipalities: deps.reference.municipalities,
  };
}
