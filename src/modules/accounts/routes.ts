import { Router, type Request, type RequestHandler, type Response } from 'express';
import type passport from 'passport';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { AppDeps } from '../../app.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../access/index.js';
import { authenticateLocal, logIn, logOut } from '../../web/auth.js';
import { renewCsrfToken } from '../../web/csrf.js';
import { canVerifyEmail, signUp, verifyEmail } from './service.js';

const WINDOW_MS = 15 * 60 * 1000;

/** A same-site path to go back to after login; anything else (other hosts, //evil, schemes) → home. */
export function safeReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && value.length <= 500 ? value : '/';
}

function noStore(res: Response) {
  res.set('Cache-Control', 'no-store');
}

const text = (value: unknown, max = 500) => (typeof value === 'string' ? value.slice(0, max) : '');

export function accountRoutes(deps: AppDeps, auth: passport.PassportStatic): Router {
  const router = Router();

  // Failed logins are limited per client address and per account; successful
  // ones do not count. The window is short so an attacker cannot lock a
  // victim out for long. (In memory: per process; a shared store comes with scaling out.)
  const loginFailed = (_req: Request, res: Response) => res.locals.loginSucceeded === true;
  const tooMany: RequestHandler = (req, res) => {
    noStore(res);
    res.status(429).render('accounts/log-in', {
      form: { email: text(req.body?.email, 254), next: text(req.body?.next) },
      errors: { form: 'accounts.errors.tooManyAttempts' },
    });
  };
  const loginPerAddress = rateLimit({
    windowMs: WINDOW_MS,
    limit: 30,
    skipSuccessfulRequests: true,
    requestWasSuccessful: loginFailed,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: tooMany,
  });
  const loginPerAccount = rateLimit({
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
    const user = await authenticateLocal(auth, req);
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

  router.get('/konto', (req, res) => {
    noStore(res);
    authorize(req.actor, 'account.view');
    res.render('accounts/account', {});
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
