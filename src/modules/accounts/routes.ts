import { Router, type Request, type RequestHandler, type Response } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import type { AppDeps } from '../../web/deps.js';
import type { AppError } from '../../platform/errors.js';
import { formText, hasForbiddenCharacters } from '../../platform/validation.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain, refusedWith } from '../../web/forms.js';
import { authorize } from '../access/index.js';
import { recommendedAssignments } from '../saved-searches/index.js';
import { getDashboard } from './dashboard.js';
import { authenticateLocal, logIn, logOut } from '../../web/auth.js';
import { renewCsrfToken } from '../../web/csrf.js';
import { sessionCookieName } from '../../web/session.js';
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

/**
 * A limit of the account pages, counted in PostgreSQL (web/rate-limit-store.ts)
 * under `name`: one allowance across every app process, kept across restarts.
 * The window is short (WINDOW_MS unless given) so an attacker cannot lock a
 * victim out for long.
 */
const accountLimit = (deps: AppDeps, name: string, options: Partial<Options>) =>
  rateLimit({ ...sharedRateLimitOptions(deps, name), windowMs: WINDOW_MS, legacyHeaders: false, ...options });

/** A same-site path to go back to after login; anything else (other hosts, //evil, schemes) → home. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 500 && !hasForbiddenCharacters(value)
    ? value
    : '/';
}

declare module 'express-session' {
  interface SessionData {
    /** Where a person who signed up from a guide (/lagg-ut-uppdrag) continues after the first login. */
    signUpReturnPath?: string;
  }
}

/**
 * Sign-up → the mail's link → login is one journey in one browser: a same-site `next` given to sign-up is kept in
 * the session and used by the login that follows (only a same-site path: safeReturnPath; never an open redirect).
 */
function rememberSignUpReturn(req: Request, value: unknown): void {
  const path = safeReturnPath(value);
  if (path !== '/') req.session.signUpReturnPath = path;
}

/** The service refuses the input of these forms with a 400 and its field messages. */
const refusedInput = refusedWith(400);

/**
 * The page a mailed link opens: a button that posts the token, so a GET changes
 * nothing and mail scanners that follow links cannot use the token up. A token
 * that can no longer be used gets the page without the button, as a 400.
 */
const mailedLinkPage =
  (view: string, isUsable: (token: string) => Promise<boolean>, locals: object): RequestHandler =>
  async (req, res) => {
    const token = formText(req.query.token, 100);
    const usable = await isUsable(token);
    res.status(usable ? 200 : 400).render(view, { token, usable, ...locals });
  };

export function accountRoutes(deps: AppDeps): Router {
  const router = Router();

  // Failed logins are limited per client address and per account; successful
  // ones do not count.
  const loginFailed = (_req: Request, res: Response) => res.locals.loginSucceeded === true;
  const tooMany: RequestHandler = (req, res) => {
    res.status(429).render('accounts/log-in', {
      form: { email: formText(req.body?.email, 254), next: formText(req.body?.next, 500) },
      errors: { form: 'accounts.errors.tooManyAttempts' },
    });
  };
  const loginPerAddress = accountLimit(deps, 'login-address', {
    limit: 30,
    skipSuccessfulRequests: true,
    requestWasSuccessful: loginFailed,
    standardHeaders: 'draft-8',
    handler: tooMany,
  });
  const loginPerAccount = accountLimit(deps, 'login-account', {
    limit: 10,
    skipSuccessfulRequests: true,
    requestWasSuccessful: loginFailed,
    keyGenerator: (req) => `account:${formText(req.body?.email, 254).trim().toLowerCase()}`,
    standardHeaders: false,
    handler: tooMany,
  });
  const signUpLimit = accountLimit(deps, 'sign-up-address', {
    windowMs: 60 * 60 * 1000,
    limit: 20,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    standardHeaders: 'draft-8',
    handler: (req, res) => {
      res.status(429).render('accounts/sign-up', signUpView(deps, req.body, { form: 'accounts.errors.tooManyAttempts' }));
    },
  });

  router.get('/registrera', noStore, (req, res) => {
    rememberSignUpReturn(req, req.query.next);
    res.render('accounts/sign-up', signUpView(deps, {}, {}));
  });

  router.post('/registrera', noStore, signUpLimit, async (req, res) => {
    const body = formBody(req);
    rememberSignUpReturn(req, body.next);
    const again = (error: AppError) => ({ view: 'accounts/sign-up', locals: signUpView(deps, body, error.fields) });
    await orFormAgain(res, refusedInput, again, async () => {
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
      // The same page whether the address was new or already registered.
      res.render('accounts/check-mail', {});
    });
  });

  router.get('/logga-in', noStore, (req, res) => {
    res.render('accounts/log-in', { form: { email: '', next: safeReturnPath(req.query.next) }, errors: {} });
  });

  router.post('/logga-in', noStore, loginPerAddress, loginPerAccount, async (req, res) => {
    const asked = safeReturnPath(req.body?.next);
    // Read before logIn regenerates the session; a return path the form names wins.
    const next = asked === '/' ? (req.session.signUpReturnPath ?? '/') : asked;
    const user = await authenticateLocal(deps.auth, req);
    if (!user) {
      req.log.info({ event: 'login_failed' }, 'Login failed');
      res.status(401).render('accounts/log-in', {
        form: { email: formText(req.body?.email, 254), next },
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
    res.clearCookie(sessionCookieName(deps.config.isProduction), { path: '/' });
    res.redirect(303, '/');
  });

  router.get(
    '/verifiera-epost',
    noStore,
    mailedLinkPage('accounts/verify-email', (token) => canVerifyEmail(deps.db, token), { verified: false }),
  );

  router.post('/verifiera-epost', noStore, async (req, res) => {
    const again = () => ({ view: 'accounts/verify-email', locals: { token: '', usable: false, verified: false } });
    await orFormAgain(res, refusedInput, again, async () => {
      await verifyEmail(deps.db, formText(req.body?.token, 100));
      res.render('accounts/verify-email', { token: '', usable: false, verified: true });
    });
  });

  router.get('/konto', noStore, async (req, res) => {
    const [dashboard, recommended] = await Promise.all([
      getDashboard(deps.db, req.actor),
      recommendedAssignments(deps.db, req.actor),
    ]);
    res.render('accounts/account', { dashboard, recommended });
  });

  router.use(securityRoutes(deps));

  return router;
}

/** Password reset, password change and e-mail change. */
function securityRoutes(deps: AppDeps): Router {
  const router = Router();
  const cookieName = sessionCookieName(deps.config.isProduction);

  // Reset requests are limited per client address and per e-mail address, all
  // of them (successful or not): each one sends a mail, and the per-address
  // limit stops flooding someone's inbox. Short windows, as for logins.
  const tooManyResets: RequestHandler = (req, res) => {
    res.status(429).render('accounts/forgot-password', {
      form: { email: formText(req.body?.email, 254) },
      errors: { form: 'accounts.errors.tooManyAttempts' },
      sent: false,
    });
  };
  const resetPerAddress = accountLimit(deps, 'reset-address', {
    limit: 20,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    standardHeaders: 'draft-8',
    handler: tooManyResets,
  });
  const resetPerEmail = accountLimit(deps, 'reset-email', {
    limit: 5,
    keyGenerator: (req) => `reset:${formText(req.body?.email, 254).trim().toLowerCase()}`,
    standardHeaders: false,
    handler: tooManyResets,
  });

  // A stolen session must not be a way to guess the password: wrong current
  // passwords on the account pages are limited per user, each page counting
  // on its own (current-password-change-password, …-change-email).
  const currentPasswordChecks = (view: string) =>
    accountLimit(deps, view.replace('accounts/', 'current-password-'), {
      limit: 10,
      skip: (req) => !req.user,
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.locals.passwordAccepted === true,
      keyGenerator: (req) => `user:${req.user?.id ?? ''}`,
      standardHeaders: false,
      handler: (req, res) => {
        res.status(429).render(view, {
          form: { email: formText(req.body?.email, 254) },
          errors: { form: 'accounts.errors.tooManyAttempts' },
          done: false,
          account: { email: req.user?.email ?? '', pendingEmail: null },
        });
      },
    });

  router.get('/glomt-losenord', noStore, (_req, res) => {
    res.render('accounts/forgot-password', { form: { email: '' }, errors: {}, sent: false });
  });

  router.post('/glomt-losenord', noStore, resetPerAddress, resetPerEmail, async (req, res) => {
    const body = formBody(req);
    const again = (error: AppError) => ({
      view: 'accounts/forgot-password',
      locals: { form: { email: formText(body.email, 254) }, errors: error.fields, sent: false },
    });
    await orFormAgain(res, refusedInput, again, async () => {
      await requestPasswordReset(deps.db, { email: body.email }, { publicUrl: deps.config.publicUrl, language: res.locals.lang });
      // One page whether or not the address has an account.
      res.render('accounts/forgot-password', { form: { email: '' }, errors: {}, sent: true });
    });
  });

  // The mailed link opens the form; only the POST uses the token.
  router.get(
    '/aterstall-losenord',
    noStore,
    mailedLinkPage('accounts/reset-password', (token) => canResetPassword(deps.db, token), { done: false, errors: {} }),
  );

  router.post('/aterstall-losenord', noStore, async (req, res) => {
    const body = formBody(req);
    const token = formText(body.token, 100);
    const again = (error: AppError) => {
      const usable = !error.fields.token;
      return {
        view: 'accounts/reset-password',
        locals: { token: usable ? token : '', usable, done: false, errors: error.fields },
      };
    };
    await orFormAgain(res, refusedInput, again, async () => {
      const { userId } = await resetPassword(deps.db, { token, password: body.password });
      // Every session of the user is gone from the store; this one must not be saved back.
      if (req.user?.id === userId) {
        await logOut(req);
        res.clearCookie(cookieName, { path: '/' });
        res.locals.user = undefined;
      }
      req.log.info({ event: 'password_reset', userId }, 'Password reset');
      res.render('accounts/reset-password', { token: '', usable: false, done: true, errors: {} });
    });
  });

  router.get('/konto/losenord', noStore, (req, res) => {
    authorize(req.actor, 'account.view');
    res.render('accounts/change-password', { errors: {}, done: false });
  });

  router.post('/konto/losenord', noStore, currentPasswordChecks('accounts/change-password'), async (req, res) => {
    const body = formBody(req);
    const again = (error: AppError) => {
      if (!error.fields.currentPassword) res.locals.passwordAccepted = true;
      return { view: 'accounts/change-password', locals: { errors: error.fields, done: false } };
    };
    await orFormAgain(res, refusedInput, again, async () => {
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
    });
  });

  router.get('/konto/epost', noStore, async (req, res) => {
    const account = await getAccount(deps.db, req.actor);
    res.render('accounts/change-email', { account, form: { email: '' }, errors: {}, done: false });
  });

  router.post('/konto/epost', noStore, currentPasswordChecks('accounts/change-email'), async (req, res) => {
    const body = formBody(req);
    const again = async (error: AppError) => {
      if (!error.fields.password) res.locals.passwordAccepted = true;
      const account = await getAccount(deps.db, req.actor);
      return {
        view: 'accounts/change-email',
        locals: { account, form: { email: formText(body.email, 254) }, errors: error.fields, done: false },
      };
    };
    await orFormAgain(res, refusedInput, again, async () => {
      const { email } = await requestEmailChange(
        deps.db,
        req.actor,
        { email: body.email, password: body.password },
        { publicUrl: deps.config.publicUrl, language: res.locals.lang },
      );
      res.locals.passwordAccepted = true;
      req.log.info({ event: 'email_change_requested', userId: req.user!.id }, 'E-mail change requested');
      res.render('accounts/change-email', { account: undefined, form: { email }, errors: {}, done: true });
    });
  });

  router.get(
    '/bekrafta-ny-epost',
    noStore,
    mailedLinkPage('accounts/confirm-email', (token) => canConfirmEmailChange(deps.db, token), { done: false, errors: {} }),
  );

  router.post('/bekrafta-ny-epost', noStore, async (req, res) => {
    const again = (error: AppError) => ({
      view: 'accounts/confirm-email',
      locals: { token: '', usable: false, done: false, errors: error.fields },
    });
    await orFormAgain(res, refusedWith(400, 409), again, async () => {
      const { userId } = await confirmEmailChange(deps.db, formText(req.body?.token, 100));
      req.log.info({ event: 'email_changed', userId }, 'E-mail changed');
      res.render('accounts/confirm-email', { token: '', usable: false, done: true, errors: {} });
    });
  });

  return router;
}

function signUpView(deps: AppDeps, body: Record<string, unknown> | undefined, errors: Record<string, string>) {
  const input = body ?? {};
  return {
    form: {
      email: formText(input.email, 254),
      name: formText(input.name, 100),
      homeMunicipality: formText(input.homeMunicipality, 4),
      homeLocality: formText(input.homeLocality, 200),
    },
    errors,
    municipalities: deps.reference.municipalities,
  };
}
