import { Router } from 'express';
import type { AppDeps } from '../../app.js';
import { AppError } from '../../platform/errors.js';
import { parseSearchParams } from './params.js';
import { searchAssignments } from './service.js';

// The search as JSON: GET /api/v1/assignments, the contract in PRODUCT.md.

export function searchApiRoutes(deps: AppDeps): Router {
  const router = Router();
  const options = { publicUrl: deps.config.publicUrl, reference: deps.reference };

  router.get('/api/v1/assignments', async (req, res) => {
    const parsed = parseSearchParams(req.query as Record<string, unknown>, deps.reference);
    if (!parsed.ok) {
      const [parameter] = Object.keys(parsed.errors);
      throw new AppError('bad_request', `Invalid parameter: ${parameter}`, parsed.errors);
    }
    let result;
    try {
      result = await searchAssignments(deps.search, deps.config.meili.indexPrefix, parsed.params, options);
    } catch (error) {
      if (error instanceof AppError && error.code === 'unavailable') req.log.warn({ err: error.cause }, 'Search unavailable');
      throw error;
    }
    res.set('Cache-Control', 'public, max-age=30');
    res.json(result);
  });

  return router;
}
