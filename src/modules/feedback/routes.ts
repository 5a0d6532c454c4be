import { Router } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { FormError, type AppError } from '../../platform/errors.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { idParam } from '../../web/params.js';
import { emptyFeedbackForm, MAX_COMMENT_LENGTH, RATINGS, type FeedbackForm } from './form.js';
import { feedbackPath, getFeedbackPage, giveFeedback, isFeedbackConflict, type FeedbackPage } from './service.js';

// Feedback after completed work: one form per application, adapted to who
// asks (the applicant rates the organisation, its members the applicant).
// Rights and states are decided in service.ts.

/** A refused form, or feedback already given (the page then shows what was given, so the user sees why). */
const isFeedbackRefusal = (error: unknown): error is AppError =>
  error instanceof FormError || (isFeedbackConflict(error) && error.message === 'feedback.errors.alreadyGiven');

function formView(
  page: FeedbackPage,
  form: FeedbackForm,
  errors: Record<string, string>,
  extra: { saved?: boolean; alreadyGiven?: boolean } = {},
) {
  return {
    ...page,
    form,
    errors,
    ratings: RATINGS,
    maxCommentLength: MAX_COMMENT_LENGTH,
    action: feedbackPath(page.subject.applicationId),
    saved: extra.saved ?? false,
    alreadyGiven: extra.alreadyGiven ?? false,
  };
}

export function feedbackRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/ansokningar/:applicationId/omdome', noStore, async (req, res) => {
    const page = await getFeedbackPage(deps.db, req.actor, idParam(req, 'applicationId'));
    res.render('feedback/form', formView(page, emptyFeedbackForm(), {}, { saved: req.query.done === 'saved' }));
  });

  router.post('/ansokningar/:applicationId/omdome', noStore, async (req, res) => {
    const id = idParam(req, 'applicationId');
    const again = async (error: AppError) => {
      const page = await getFeedbackPage(deps.db, req.actor, id);
      return {
        view: 'feedback/form',
        locals:
          error instanceof FormError
            ? formView(page, error.form, error.fields)
            : formView(page, emptyFeedbackForm(), {}, { alreadyGiven: true }),
      };
    };
    await orFormAgain(res, isFeedbackRefusal, again, async () => {
      await giveFeedback(deps.db, req.actor, id, formBody(req));
      res.redirect(303, `${feedbackPath(id)}?done=saved`);
    });
  });

  return router;
}
