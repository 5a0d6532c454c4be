import { Router } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { AppError } from '../../platform/errors.js';
import { logOut } from '../../web/auth.js';
import { authorize, VISITOR } from '../access/index.js';
import { deleteMyAccount, exportMyData } from './service.js';

export function myDataRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/konto/mina-uppgifter', (req, res) => {
    res.set('Cache-Control', 'no-store');
    authorize(req.actor, 'account.view');
    res.render('my-data/index', { errors: {} });
  });

  // A download, not a state change: GET is right.
  router.get('/konto/mina-uppgifter.json', async (req, res) => {
    const data = await exportMyData(deps.db, req.actor);
    res.set('Cache-Control', 'no-store');
    res.attachment('mina-uppgifter.json');
    res.type('application/json').send(JSON.stringify(data, null, 2));
  });

  router.post('/konto/ta-bort', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await deleteMyAccount(deps.db, deps.storage, req.actor, (req.body as Record<string, unknown> | undefined)?.password);
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 400 && error.status !== 409)) throw error;
      res.status(error.status).render('my-data/index', { errors: error.fields });
      return;
    }
    req.log.info({ event: 'account_deleted' }, 'Account deleted');
    await logOut(req);
    // The page below is rendered for a visitor now.
    res.locals.user = undefined;
    res.locals.actor = VISITOR;
    res.render('my-data/deleted', {});
  });

  return router;
}
