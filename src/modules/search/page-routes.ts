import { Router } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { searchPageView } from './page-view-model.js';
import { searchPage, type SearchPageDeps } from './search-page.js';

// The search page, GET /uppdrag: an ordinary GET form whose every state is in
// the URL. With htmx the same route answers a request carrying HX-Request with
// only the region below the search field (views/search/region.ejs), so one
// template serves both the full page and the live update.

export function searchPageRoutes(deps: AppDeps): Router {
  const router = Router();
  const pageDeps: SearchPageDeps = {
    client: deps.search,
    indexPrefix: deps.config.meili.indexPrefix,
    db: deps.db,
    log: deps.log,
    publicUrl: deps.config.publicUrl,
    reference: deps.reference,
  };

  router.get('/uppdrag', async (req, res) => {
    // The live update asks for the results region only; the history restore (back button) needs the whole page.
    res.vary('HX-Request');
    const partial = req.get('HX-Request') === 'true' && req.get('HX-History-Restore-Request') !== 'true';
    const page = await searchPage(pageDeps, req.query);
    const view = searchPageView(page, req.query, {
      reference: deps.reference,
      map: deps.config.map,
      t: res.locals.t as (key: string) => string,
      categoryName: res.locals.categoryName as (slug: string) => string,
    });
    if (!page.result) res.status(400);
    res.render(partial ? 'search/region' : 'search/index', { layout: partial ? false : undefined, ...view });
  });

  return router;
}
