import { Router } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { noStore } from '../../web/cache.js';
import { postingStart } from './way-in-service.js';

/** The associations' way in: linked from the header and the home page. */
const WAY_IN_PATH = '/lagg-ut-uppdrag';

export function wayInRoutes(deps: AppDeps): Router {
  const router = Router();

  // What it shows depends on the session (visitor, member of none, one or several organisations).
  router.get(WAY_IN_PATH, noStore, async (req, res) => {
    const start = await postingStart(deps.db, req.actor);
    if (start.step === 'assignment') {
      res.redirect(`/organisationer/${start.slug}/uppdrag/nytt`);
      return;
    }
    // Both come back here: log-in at once, sign-up after the e-mail is confirmed and the first log-in (accounts routes).
    const back = `next=${encodeURIComponent(WAY_IN_PATH)}`;
    res.render('organisations/way-in', { start, logInUrl: `/logga-in?${back}`, signUpUrl: `/registrera?${back}` });
  });

  return router;
}
