import { Router } from 'express';
import { isDatabaseUp, type Db } from '../platform/db.js';
import { isSearchUp, type Meilisearch } from '../platform/meilisearch.js';
import { noStore } from './cache.js';

/** GET /healthz per PRODUCT.md: 503 when the database is down; search "degraded" keeps 200. */
export function healthRoutes(deps: { db: Db; search?: Meilisearch }): Router {
  const router = Router();
  router.get('/healthz', noStore, async (_req, res) => {
    const [db, search] = await Promise.all([isDatabaseUp(deps.db), isSearchUp(deps.search)]);
    res.status(db ? 200 : 503).json({
      status: db ? 'ok' : 'error',
      db: db ? 'ok' : 'down',
      search: search ? 'ok' : 'degraded',
    });
  });
  return router;
}
