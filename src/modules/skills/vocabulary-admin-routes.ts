import { Router, type Request } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { FormError } from '../../platform/errors.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { doneParam } from '../../web/params.js';
import { listVocabulary, mergeSkills, previewMerge, type MergeForm } from './vocabulary-admin-service.js';

// The skill vocabulary for platform admins: /admin/kompetens lists it; merging goes through a form
// (GET /admin/kompetens/sammanfoga), a confirmation step (the same address with both skills chosen) and the POST.

const DONE = new Set(['merged']);

export function vocabularyAdminRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/admin/kompetens', noStore, async (req, res) => {
    res.render('skills/vocabulary-admin', { vocabulary: await listVocabulary(deps.db, req.actor), done: doneParam(req, DONE) });
  });

  const mergeFormPage = async (req: Request, form: MergeForm, errors: Record<string, string>) => ({
    view: 'skills/vocabulary-merge',
    locals: { vocabulary: await listVocabulary(deps.db, req.actor), form, errors },
  });

  router.get('/admin/kompetens/sammanfoga', noStore, async (req, res) => {
    const query = { from: req.query.from, into: req.query.into };
    const chosen = (value: unknown) => typeof value === 'string' && value !== '';
    if (!chosen(query.from) || !chosen(query.into)) {
      // Only the form (a tag chosen from the list, or nothing yet).
      const form = { from: typeof query.from === 'string' ? query.from.slice(0, 12) : '', into: '' };
      const { view, locals } = await mergeFormPage(req, form, {});
      return res.render(view, locals);
    }
    await orFormAgain(
      res,
      (error: FormError<MergeForm>) => mergeFormPage(req, error.form, error.fields),
      async () => {
        const preview = await previewMerge(deps.db, req.actor, query);
        res.render('skills/vocabulary-confirm-merge', {
          ...preview,
          action: '/admin/kompetens/sammanfoga',
          hidden: { from: String(preview.from.id), into: String(preview.into.id) },
          backUrl: '/admin/kompetens',
        });
      },
    );
  });

  router.post('/admin/kompetens/sammanfoga', noStore, async (req, res) => {
    await orFormAgain(
      res,
      (error: FormError<MergeForm>) => mergeFormPage(req, error.form, error.fields),
      async () => {
        await mergeSkills(deps.db, req.actor, formBody(req));
        res.redirect(303, '/admin/kompetens?done=merged');
      },
    );
  });

  return router;
}
