import { Router } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { emptyFeedbackForm, MAX_COMMENT_LENGTH, RATINGS, type FeedbackForm } from './form.js';
import {
  FeedbackFormError,
  feedbackPath,
  getFeedbackPage,
  giveFeedback,
  isFeedbackConflict,
  type FeedbackPage,
} from './service.js';

// Feedback after completed work: one form per application, adapted to who
// asks (the applicant rates the organisation, its members the applicant).
// Rights and states are decided in service.ts.

/** An id in a path: digits only, else NaN (the service answers 404). */
const idParam = (value: unknown): number => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN);

export function feedbackRoutes(deps: AppDeps): Router {
  const router = Router();

  const formView = (
    page: FeedbackPage,
    form: FeedbackForm,
    errors: Record<string, string>,
    extra: { saved?: boolean; alreadyGiven?: boolean } = {},
  ) => ({
    ...page,
    form,
    errors,
    ratings: RATINGS,
    maxCommentLength: MAX_COMMENT_LENGTH,
    action: feedbackPath(page.subject.applicationId),
    saved: extra.saved ?? false,
    alreadyGiven: extra.alreadyGiven ?? false,
  });

  router.get('/ansokningar/:applicationId/omdome', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const page = await getFeedbackPage(deps.db, req.actor, idParam(req.params.applicationId));
    res.render('feedback/form', formView(page, emptyFeedbackForm(), {}, { saved: req.query.done === 'saved' }));
  });

  router.post('/ansokningar/:applicationId/omdome', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const id = idParam(req.params.applicationId);
    try {
      await giveFeedback(deps.db, req.actor, id, (req.body ?? {}) as Record<string, unknown>);
    } catch (error) {
      if (error instanceof FeedbackFormError) {
        const page = await getFeedbackPage(deps.db, req.actor, id);
        res.status(400).render('feedback/form', formView(page, error.form, error.fields));
        return;
      }
      if (isFeedbackConflict(error) && error.message === 'feedback.errors.alreadyGiven') {
        // Show what was given, so the user sees why.
        const page = await getFeedbackPage(deps.db, req.actor, id);
        res.status(409).render('feedback/form', formView(page, emptyFeedbackForm(), {}, { alreadyGiven: true }));
        return;
      }
      throw error;
    }
    res.redirect(303, `${feedbackPath(id)}?done=saved`);
  });

  return router;
}
