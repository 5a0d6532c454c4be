import { Router, type Response } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { dateTimeFormatter } from '../notifications/index.js';
import { getThread, MESSAGE_MAX_LENGTH, MessageFormError, postMessage, threadPath, type Thread } from './messages.js';

// The thread of an application: read it (which marks it read) and write in it.
// Who may, and in which states, is decided in service.ts.

const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

/** An id in a path: digits only, else NaN (the service answers 404 after deciding the right). */
const idParam = (value: unknown): number => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN);

/** `?fore=<message id>` pages back; anything else shows the newest messages. */
const beforeParam = (value: unknown): number | undefined =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : undefined;

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

  router.get('/ansokningar/:applicationId/meddelanden', async (req, res) => {
    noStore(res);
    const id = idParam(req.params.applicationId);
    const thread = await getThread(deps.db, req.actor, id, beforeParam(req.query.fore));
    res.locals.formatDateTime = dateTimeFormatter(res.locals.lang as string);
    res.render('messages/thread', threadView(thread, { body: '' }, {}, req.query.done === 'sent'));
  });

  router.post('/ansokningar/:applicationId/meddelanden', async (req, res) => {
    noStore(res);
    const id = idParam(req.params.applicationId);
    try {
      const messageId = await postMessage(deps.db, req.actor, id, req.body);
      res.redirect(303, `${threadPath(id)}?done=sent#m${messageId}`);
    } catch (error) {
      if (!(error instanceof MessageFormError)) throw error;
      const thread = await getThread(deps.db, req.actor, id);
      res.locals.formatDateTime = dateTimeFormatter(res.locals.lang as string);
      res.status(error.status).render('messages/thread', threadView(thread, { body: error.body }, error.fields));
    }
  });

  return router;
}
