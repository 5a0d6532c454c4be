import { Router } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { assignmentRefParam, getAssignmentPage } from '../assignments/index.js';
import { getApplyBox } from './service.js';

// The public page of an assignment, composed here rather than in the assignments module: it carries the apply
// box, and applications sits above assignments (assignments knows nothing of applications).

export function assignmentPageRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/uppdrag/:ref', async (req, res) => {
    const id = assignmentRefParam(req);
    const { canonicalPath, ...page } = await getAssignmentPage(deps.db, deps.config.publicUrl, id);
    if (req.path !== canonicalPath) {
      // Old or missing slug (the title changed, or a bare id was shared): one canonical URL.
      const query = req.originalUrl.indexOf('?');
      res.redirect(301, canonicalPath + (query >= 0 ? req.originalUrl.slice(query) : ''));
      return;
    }
    res.render('assignments/detail', { ...page, applyBox: await getApplyBox(deps.db, req.actor, page.assignment) });
  });

  return router;
}
