import { Router } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { AppError } from '../../platform/errors.js';
import { noStore } from '../../web/cache.js';
import { orFormAgain } from '../../web/forms.js';
import { idParam } from '../../web/params.js';
import { NOTIFICATION_TYPES } from './notify.js';
import { getEmailPreferences, listNotifications, markAllRead, openNotification, saveEmailPreferences } from './service.js';
import { dateTimeFormatter, notificationText } from './texts.js';

// The person's notifications (/konto/notiser): the list, "open" (marks one
// read and goes to what it is about), "mark all read", and the e-mail choices.
// The list's items are buttons in small forms, so reading a notice is a POST
// and works without JavaScript; merely looking at the list changes nothing.

const pageParam = (value: unknown): number =>
  typeof value === 'string' && /^\d{1,6}$/.test(value) ? Math.max(1, Number(value)) : 1;

/** A refused choice of e-mails (an unknown notification type), shown on the settings page. */
const isEmailChoiceRefusal = (error: unknown): error is AppError => error instanceof AppError && 'email' in error.fields;

export function notificationRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/konto/notiser', noStore, async (req, res) => {
    // `page` is the layout's own local (its title and the like): the number travels as currentPage.
    const { page: currentPage, ...list } = await listNotifications(deps.db, req.actor, pageParam(req.query.page));
    const t = res.locals.t as Parameters<typeof notificationText>[0];
    res.render('notifications/list', {
      ...list,
      currentPage,
      items: list.items.map((item) => ({ ...item, text: notificationText(t, item.type, item.params) })),
      formatDateTime: dateTimeFormatter(res.locals.lang as string),
      done: req.query.done === 'allRead' ? 'allRead' : undefined,
    });
  });

  router.post('/konto/notiser/lasta', noStore, async (req, res) => {
    await markAllRead(deps.db, req.actor);
    res.redirect(303, '/konto/notiser?done=allRead');
  });

  router.post('/konto/notiser/:notificationId/oppna', noStore, async (req, res) => {
    res.redirect(303, await openNotification(deps.db, req.actor, idParam(req, 'notificationId')));
  });

  router.get('/konto/notiser/installningar', noStore, async (req, res) => {
    const email = await getEmailPreferences(deps.db, req.actor);
    res.render('notifications/settings', { types: NOTIFICATION_TYPES, email, errors: {}, saved: req.query.done === 'saved' });
  });

  router.post('/konto/notiser/installningar', noStore, async (req, res) => {
    const again = async (error: AppError) => {
      const email = await getEmailPreferences(deps.db, req.actor);
      const locals = { types: NOTIFICATION_TYPES, email, errors: error.fields, saved: false };
      return { view: 'notifications/settings', locals, status: 400 };
    };
    await orFormAgain(res, isEmailChoiceRefusal, again, async () => {
      await saveEmailPreferences(deps.db, req.actor, req.body);
      res.redirect(303, '/konto/notiser/installningar?done=saved');
    });
  });

  return router;
}
