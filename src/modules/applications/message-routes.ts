import { Router } from 'express';
import type { AppDeps } from '../../web/deps.js';
import type { FormError } from '../../platform/errors.js';
import { noStore } from '../../web/cache.js';
import { orFormAgain } from '../../web/forms.js';
import { idParam, idSchema } from '../../web/params.js';
import { dateTimeFormatter } from '../notifications/index.js';
import { getThread, MESSAGE_MAX_LENGTH, postMessage, threadPath, type Thread } from './messages.js';

// The thread of an application: read it (which marks it read) and write in it.
// Who may, and in which states, is decided in service.ts.

export function messageRoutes(deps: AppDeps): Router {
  const router = Router();

  const threadView = (thread: Thread, form: { body: string }, errors: Record<string, string>, sent = false) => ({
    thread,
    form,
    errors,
    sent,
    maxLength: MESSAGE_MAX_LENGTH,
    action: threadPath(thread.application.id),
  });

  router.get('/ansokningar/:applicationId/meddelanden', noStore, async (req, res) => {
    // `?fore=<message id>` pages back; anything else shows the newest messages.
    const before = idSchema.safeParse(req.query.fore).data;
    const thread = await getThread(deps.db, req.actor, idParam(req, 'applicationId'), before);
    res.locals.formatDateTime = dateTimeFormatter(res.locals.lang as string);
    res.render('messages/thread', threadView(thread, { body: '' }, {}, req.query.done === 'sent'));
  });

  router.post('/ansokningar/:applicationId/meddelanden', noStore, async (req, res) => {
    const id = idParam(req, 'applicationId');
    const again = async (error: FormError<{ body: string }>) => {
      const thread = await getThread(deps.db, req.actor, id);
      res.locals.formatDateTime = dateTimeFormatter(res.locals.lang as string);
      return { view: 'messages/thread', locals: threadView(thread, error.form, error.fields) };
    };
    await orFormAgain(res, again, async () => {
      const messageId = await postMessage(deps.db, req.actor, id, req.body);
      res.redirect(303, `${threadPath(id)}?done=sent#m${messageId}`);
    });
  });

  return router;
}
