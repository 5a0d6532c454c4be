import { Router, type Response } from 'express';
import type { AppDeps } from '../../web/deps.js';
import type { FormError } from '../../platform/errors.js';
import type { TFunction } from '../../platform/i18n.js';
import { formText } from '../../platform/validation.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { doneParam, idParam } from '../../web/params.js';
import { FREQUENCIES } from './queries.js';
import {
  createSavedSearch,
  deleteSavedSearch,
  describeForm,
  getSavedSearchForEdit,
  listSavedSearches,
  MAX_NAME_LENGTH,
  MAX_SAVED_SEARCHES,
  newSavedSearchForm,
  unsubscribe,
  unsubscribeTarget,
  updateSavedSearch,
  type SavedSearchForm,
} from './service.js';

// Saved searches (/konto/bevakningar): save the search one is looking at, list,
// rename, change how often mail comes, delete. And the unsubscribe link of the
// alert mails (/bevakningar/avsluta), which works without a login: the GET only
// shows a button (mail scanners follow links), the POST turns the mails off.

const LIST_DONE = new Set(['saved', 'updated', 'deleted']);

const viewText = (res: Response) => ({ t: res.locals.t as TFunction, lang: res.locals.lang as string });

export function savedSearchRoutes(deps: AppDeps): Router {
  const router = Router();

  const formView = (res: Response, form: SavedSearchForm, errors: Record<string, string>, id?: number) => {
    const { t, lang } = viewText(res);
    return {
      form,
      errors,
      id,
      action: id === undefined ? '/konto/bevakningar/ny' : `/konto/bevakningar/${id}/redigera`,
      description: describeForm(form, deps.reference, t, lang),
      frequencies: FREQUENCIES,
      maxNameLength: MAX_NAME_LENGTH,
      maxSavedSearches: MAX_SAVED_SEARCHES,
    };
  };

  router.get('/konto/bevakningar', noStore, async (req, res) => {
    const { t, lang } = viewText(res);
    const savedSearches = await listSavedSearches(deps.db, req.actor, deps.reference, t, lang);
    const done = doneParam(req, LIST_DONE);
    res.render('saved-searches/list', { savedSearches, done, max: MAX_SAVED_SEARCHES, emailVerified: req.actor.emailVerified });
  });

  router.get('/konto/bevakningar/ny', noStore, (req, res) => {
    const { t, lang } = viewText(res);
    const { form } = newSavedSearchForm(req.actor, req.query as Record<string, unknown>, deps.reference, t, lang);
    res.render('saved-searches/form', formView(res, form, {}));
  });

  /** The form again after a refusal, with the search it is about (kept in a hidden field). */
  const formAgain = (res: Response, id?: number) => (error: FormError<SavedSearchForm>) => ({
    view: 'saved-searches/form',
    locals: formView(res, error.form, error.fields, id),
  });

  router.post('/konto/bevakningar/ny', noStore, async (req, res) => {
    await orFormAgain(res, formAgain(res), async () => {
      await createSavedSearch(deps.db, req.actor, formBody(req), deps.reference);
      res.redirect(303, '/konto/bevakningar?done=saved');
    });
  });

  router.get('/konto/bevakningar/:savedSearchId/redigera', noStore, async (req, res) => {
    const { id, form } = await getSavedSearchForEdit(deps.db, req.actor, idParam(req, 'savedSearchId'));
    res.render('saved-searches/form', formView(res, form, {}, id));
  });

  router.post('/konto/bevakningar/:savedSearchId/redigera', noStore, async (req, res) => {
    const id = idParam(req, 'savedSearchId');
    await orFormAgain(res, formAgain(res, id), async () => {
      await updateSavedSearch(deps.db, req.actor, id, formBody(req));
      res.redirect(303, '/konto/bevakningar?done=updated');
    });
  });

  router.get('/konto/bevakningar/:savedSearchId/ta-bort', noStore, async (req, res) => {
    const { id, form } = await getSavedSearchForEdit(deps.db, req.actor, idParam(req, 'savedSearchId'));
    res.render('saved-searches/confirm-delete', {
      name: form.name,
      action: `/konto/bevakningar/${id}/ta-bort`,
      backUrl: '/konto/bevakningar',
    });
  });

  router.post('/konto/bevakningar/:savedSearchId/ta-bort', noStore, async (req, res) => {
    await deleteSavedSearch(deps.db, req.actor, idParam(req, 'savedSearchId'));
    res.redirect(303, '/konto/bevakningar?done=deleted');
  });

  router.get('/bevakningar/avsluta', noStore, async (req, res) => {
    // The token is the whole secret of the link: keep it out of referrers.
    res.set('Referrer-Policy', 'no-referrer');
    const target = await unsubscribeTarget(deps.db, deps.sessionSecret, req.query.token);
    res.render('saved-searches/unsubscribe', {
      token: req.query.token,
      name: target.name,
      alreadyOff: target.alreadyOff,
      done: false,
    });
  });

  router.post('/bevakningar/avsluta', noStore, async (req, res) => {
    res.set('Referrer-Policy', 'no-referrer');
    const { name } = await unsubscribe(deps.db, deps.sessionSecret, formBody(req).token);
    res.render('saved-searches/unsubscribe', { token: undefined, name, alreadyOff: true, done: true });
  });

  return router;
}

/**
 * One-click unsubscribe (RFC 8058) for the List-Unsubscribe header of alert
 * mails: the mail program POSTs `List-Unsubscribe=One-Click` to the header's
 * address, with no session and so no CSRF token. Mounted before the session
 * and CSRF middleware: CSRF guards requests that a cookie authorises, and here
 * nothing does; the signed token in the address is the whole authority, and a
 * forger cannot make one. A GET of the address (a program without one-click
 * support opening it) goes to the page with the button.
 */
export function oneClickUnsubscribeRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/bevakningar/avsluta/ett-klick', (req, res) => {
    const token = formText(req.query.token);
    res.set('Referrer-Policy', 'no-referrer').redirect(303, `/bevakningar/avsluta?token=${encodeURIComponent(token)}`);
  });
  router.post('/bevakningar/avsluta/ett-klick', noStore, async (req, res) => {
    await unsubscribe(deps.db, deps.sessionSecret, req.query.token);
    res.type('text/plain').send('OK');
  });
  return router;
}
