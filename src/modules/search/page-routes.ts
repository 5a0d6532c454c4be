import { Router, type Request } from 'express';
import type { AppDeps } from '../../app.js';
import { AppError } from '../../platform/errors.js';
import { urlWithQuery } from '../../web/query-string.js';
import { assignmentPath, listOpenAssignments, summaryCard, type AssignmentCard } from '../assignments/index.js';
import { parseSearchParams, SORTS } from './params.js';
import { searchAssignments, type SearchHit } from './service.js';

// The search page, GET /uppdrag: an ordinary GET form whose every state is in the URL.

export function searchPageRoutes(deps: AppDeps): Router {
  const router = Router();
  const options = { publicUrl: deps.config.publicUrl, reference: deps.reference };

  router.get('/uppdrag', async (req, res) => {
    const parsed = parseSearchParams(req.query as Record<string, unknown>, deps.reference);
    const page = {
      form: formValues(req),
      errors: {} as Record<string, string>,
      sorts: SORTS,
      categories: deps.reference.categories,
      municipalities: deps.reference.municipalities,
      result: undefined as { totalHits: number } | undefined,
      fallback: undefined as { total: number } | undefined,
      cards: [] as AssignmentCard[],
      pagination: { page: 1, totalPages: 0 } as Pagination,
    };
    if (!parsed.ok) {
      res.status(400).render('search/index', { ...page, errors: parsed.errors });
      return;
    }
    try {
      const result = await searchAssignments(deps.search, deps.config.meili.indexPrefix, parsed.params, options);
      res.render('search/index', {
        ...page,
        result,
        cards: result.hits.map(hitCard),
        pagination: pagination(req, result.page, result.totalPages),
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'unavailable') throw error;
      // Search engine down: still show what is open, newest first, and say so.
      req.log.warn({ err: error.cause }, 'Search unavailable; listing from the database');
      const { page: current, perPage } = parsed.params;
      const { assignments, total } = await listOpenAssignments(deps.db, { page: current, perPage });
      res.render('search/index', {
        ...page,
        fallback: { total },
        cards: assignments.map(summaryCard),
        pagination: pagination(req, current, Math.ceil(total / perPage)),
      });
    }
  });

  return router;
}

interface Pagination {
  page: number;
  totalPages: number;
  previousUrl?: string;
  nextUrl?: string;
}

function pagination(req: Request, page: number, totalPages: number): Pagination {
  const urlFor = (target: number) => urlWithQuery('/uppdrag', req.query, { page: target > 1 ? String(target) : undefined });
  return {
    page,
    totalPages,
    previousUrl: page > 1 ? urlFor(page - 1) : undefined,
    nextUrl: page < totalPages ? urlFor(page + 1) : undefined,
  };
}

function hitCard(hit: SearchHit): AssignmentCard {
  return {
    url: assignmentPath(hit),
    title: hit.title,
    organisation: hit.organisation,
    categorySlug: hit.category,
    municipalityName: hit.municipality.name,
    localityName: hit.locality?.name ?? null,
    compensationType: hit.compensation.type,
    amountSek: hit.compensation.amountSek,
    applyBy: hit.applyBy,
    excerpt: hit.excerpt,
    workTraining: hit.workTraining,
  };
}

/** What the user typed, echoed back into the form as given (EJS escapes it). */
function formValues(req: Request): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of ['q', 'category', 'municipality', 'sort'] as const) {
    const value = req.query[name];
    values[name] = typeof value === 'string' ? value.slice(0, 500) : '';
  }
  return values;
}
