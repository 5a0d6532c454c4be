import { Router } from 'express';
import type { AppDeps } from '../../app.js';
import { notFound } from '../../platform/errors.js';
import { getPublicAssignment, listOpenAssignments } from './service.js';
import { textBlocks } from '../../web/text-blocks.js';
import { jobPostingJsonLd } from './structured-data.js';
import { assignmentPath, excerpt, parseAssignmentRef, summaryCard } from './view-model.js';

export function assignmentRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const { assignments, total } = await listOpenAssignments(deps.db, { page: 1, perPage: 6 });
    res.render('home', { cards: assignments.map(summaryCard), total });
  });

  router.get('/uppdrag/:ref', async (req, res) => {
    const id = parseAssignmentRef(req.params.ref);
    if (id === undefined) throw notFound();
    const assignment = await getPublicAssignment(deps.db, id);
    const canonical = assignmentPath(assignment);
    if (req.path !== canonical) {
      // Old or missing slug (the title changed, or a bare id was shared): one canonical URL.
      const query = req.originalUrl.indexOf('?');
      res.redirect(301, canonical + (query >= 0 ? req.originalUrl.slice(query) : ''));
      return;
    }
    const firstParagraph = textBlocks(assignment.description).find((block) => block.type === 'paragraph');
    res.render('assignments/detail', {
      assignment,
      canonicalUrl: deps.config.publicUrl + canonical,
      jsonLd: jobPostingJsonLd(assignment, deps.config.publicUrl + canonical),
      metaDescription: excerpt(firstParagraph?.type === 'paragraph' ? firstParagraph.lines.join(' ') : assignment.description),
    });
  });

  return router;
}
