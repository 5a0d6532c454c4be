import { Router } from 'express';
import type { AppDeps } from '../../web/deps.js';
import type { AppError } from '../../platform/errors.js';
import { logOut } from '../../web/auth.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain, refusedWith } from '../../web/forms.js';
import { authorize, VISITOR } from '../access/index.js';
import { deleteMyAccount, exportMyData } from './service.js';

export function myDataRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/konto/mina-uppgifter', noStore, (req, res) => {
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

  router.post('/konto/ta-bort', noStore, async (req, res) => {
    const again = (error: AppError) => ({ view: 'my-data/index', locals: { errors: error.fields } });
    await orFormAgain(res, refusedWith(400, 409), again, async () => {
      await deleteMyAccount(deps.db, deps.storage, req.actor, formBody(req).password);
      req.log.info({ event: 'account_deleted' }, 'Account deleted');
      await logOut(req);
      // The page below is rendered for a visitor now.
      res.locals.user = undefined;
      res.locals.actor = VISITOR;
      res.render('my-data/deleted', {});
    });
  });

  return router;
}
