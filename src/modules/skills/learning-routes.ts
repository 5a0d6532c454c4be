import { Router, type Response } from 'express';
import type { FormError } from '../../platform/errors.js';
import type { AppDeps } from '../../web/deps.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { doneParam } from '../../web/params.js';
import {
  contactMatch,
  getLearningPage,
  LEARNING_PATH,
  MAX_MESSAGE_LENGTH,
  type ContactForm,
  type LearningPage,
} from './learning-service.js';

// Learn from each other (/konto/lara-av-varandra): the resident's matches and the messages sent to them; a message
// to a match is posted to /konto/lara-av-varandra/kontakt. Rights, matching and limits in learning-service.ts.

const DONE = new Set(['sent']);

const view = (page: LearningPage, form: ContactForm | undefined, errors: Record<string, string>, done?: string) => ({
  ...page,
  form,
  errors,
  done,
  maxMessageLength: MAX_MESSAGE_LENGTH,
});

export function learningRoutes(deps: AppDeps): Router {
  const router = Router();

  const render = async (res: Response, actor: Parameters<typeof getLearningPage>[1], done?: string) =>
    res.render('skills/learning-matches', view(await getLearningPage(deps.db, actor), undefined, {}, done));

  router.get(LEARNING_PATH, noStore, async (req, res) => {
    await render(res, req.actor, doneParam(req, DONE));
  });

  router.post(`${LEARNING_PATH}/kontakt`, noStore, async (req, res) => {
    const again = async (error: FormError<ContactForm>) => ({
      view: 'skills/learning-matches',
      locals: view(await getLearningPage(deps.db, req.actor), error.form, error.fields),
    });
    await orFormAgain(res, again, async () => {
      await contactMatch(deps.db, req.actor, formBody(req));
      res.redirect(303, `${LEARNING_PATH}?done=sent`);
    });
  });

  return router;
}
