import { Router } from 'express';
import type { FormError } from '../../platform/errors.js';
import type { AppDeps } from '../../web/deps.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { doneParam, idParam } from '../../web/params.js';
import { confirmPath, confirmSkills, getConfirmPage, type ConfirmForm, type ConfirmPage } from './confirm-service.js';

// Confirming skills after completed work (/kompetens/bekrafta/:assignmentId): the organisation's members tick the
// skills each rated worker used. Rights and states are decided in confirm-service.ts.

const DONE = new Set(['confirmed', 'already']);

const view = (page: ConfirmPage, form: ConfirmForm, errors: Record<string, string>, done?: string) => ({
  ...page,
  form,
  errors,
  done,
  action: confirmPath(page.assignment.id),
});

export function confirmRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/kompetens/bekrafta/:assignmentId', noStore, async (req, res) => {
    const page = await getConfirmPage(deps.db, req.actor, idParam(req, 'assignmentId'));
    res.render('skills/confirm-form', view(page, { chosen: [] }, {}, doneParam(req, DONE)));
  });

  router.post('/kompetens/bekrafta/:assignmentId', noStore, async (req, res) => {
    const id = idParam(req, 'assignmentId');
    const again = async (error: FormError<ConfirmForm>) => ({
      view: 'skills/confirm-form',
      locals: view(await getConfirmPage(deps.db, req.actor, id), error.form, error.fields),
    });
    await orFormAgain(res, again, async () => {
      const { confirmed } = await confirmSkills(deps.db, req.actor, id, formBody(req));
      res.redirect(303, `${confirmPath(id)}?done=${confirmed > 0 ? 'confirmed' : 'already'}`);
    });
  });

  return router;
}
