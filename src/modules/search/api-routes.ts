import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { AppError } from '../../platform/errors.js';
import { urlWithQuery } from '../../web/query-string.js';
import { atomFeed, FEED_SIZE } from './feed.js';
import { parseSearchParams, type SearchParams } from './params.js';
import { searchAssignments } from './service.js';

// The search for machines: GET /api/v1/assignments (the contract in PRODUCT.md; its OpenAPI
// description is openapi.ts, served by web/openapi.ts), and an Atom feed of any search at /uppdrag.atom.

/**
 * Open data: any site may read the API from a browser. GET only and never with
 * credentials (no Allow-Credentials), so a session cookie is of no use to it.
 */
const corsForReading: RequestHandler = (req, res, next) => {
  res.set('Access-Control-Allow-Origin', '*');
  if (req.method === 'OPTIONS') {
    res.set({
      'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
      'Access-Control-Allow-Headers': 'Accept, Accept-Language, Content-Type',
      'Access-Control-Max-Age': '86400',
      Allow: 'GET, HEAD, OPTIONS',
    });
    res.status(204).end();
    return;
  }
  next();
};

function searchFor(deps: AppDeps) {
  return (params: SearchParams) =>
    searchAssignments(deps.search, deps.config.meili.indexPrefix, params, {
      publicUrl: deps.config.publicUrl,
      reference: deps.reference,
      db: deps.db,
      log: deps.log,
    });
}

function parseFor(deps: AppDeps) {
  return (req: Request): SearchParams => {
    const parsed = parseSearchParams(req.query as Record<string, unknown>, deps.reference);
    if (!parsed.ok) {
      const [parameter] = Object.keys(parsed.errors);
      throw new AppError('bad_request', `Invalid parameter: ${parameter}`, parsed.errors);
    }
    return parsed.params;
  };
}

/**
 * The JSON API, mounted before static files, view helpers and sessions (app.ts): it needs none of them, and
 * each cost every search CPU time (issue 16: the API's overhead over Meilisearch). CORS for every /api/v1 path.
 */
export function searchApiRoutes(deps: AppDeps): Router {
  const router = Router();
  const search = searchFor(deps);
  const parse = parseFor(deps);

  router.use('/api/v1', corsForReading);

  router.get('/api/v1/assignments', async (req, res) => {
    const result = await search(parse(req));
    res.set('Cache-Control', 'public, max-age=30');
    res.json(result);
  });

  return router;
}

/** The Atom feed of any search, and the feed's link in the search page's head. */
export function searchFeedRoutes(deps: AppDeps): Router {
  const router = Router();
  const search = searchFor(deps);
  const parse = parseFor(deps);

  // The search page links the same search's feed in its head (views/search/index.ejs).
  router.use((req, res, next) => {
    if (req.method === 'GET' && req.path === '/uppdrag') {
      res.locals.searchFeedUrl = urlWithQuery('/uppdrag.atom', req.query, {
        page: undefined,
        perPage: undefined,
        sort: undefined,
      });
    }
    next();
  });

  router.get('/uppdrag.atom', async (req, res: Response) => {
    // The newest matches of the search, whatever page or order the page showed.
    const params = { ...parse(req), sort: 'newest' as const, page: 1, perPage: FEED_SIZE };
    const result = await search(params);
    const t = res.locals.t as (key: string, options?: Record<string, unknown>) => string;
    const feed = atomFeed(
      result,
      {
        title: params.q
          ? t('searchFeed.titleWithWords', { words: params.q, interpolation: { escapeValue: false } })
          : t('searchFeed.title'),
        selfUrl: deps.config.publicUrl + urlWithQuery('/uppdrag.atom', req.query, {}),
        pageUrl: deps.config.publicUrl + urlWithQuery('/uppdrag', req.query, {}),
        language: res.locals.lang as string,
      },
      deps.config.publicUrl,
    );
    // Open data like the API: a feed reader in a browser may fetch it from any site.
    res.set({ 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' });
    res.type('application/atom+xml; charset=utf-8').send(feed);
  });

  return router;
}
