import { Router } from 'express';
import type { FormError } from '../../platform/errors.js';
import type { AppDeps } from '../../web/deps.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { doneParam } from '../../web/params.js';
import { assignmentPath } from '../assignments/index.js';
import {
  getInvitePage,
  invitePath,
  invitePerson,
  listReceivedInvites,
  MEMBER_INVITES_PER_HOUR,
  ORGANISATION_INVITES_PER_DAY,
  type InviteForm,
  type InvitePage,
} from './invite-service.js';

// Invitations to apply: the organisation member's form from a person's card (/kompetens/person/:publicId/bjud-in)
// and the resident's list of invitations (/konto/kompetens/inbjudningar). Rights and limits in invite-service.ts.

const DONE = new Set(['sent']);

const formView = (page: InvitePage, form: InviteForm, errors: Record<string, string>, done?: string) => ({
  ...page,
  form,
  errors,
  done,
  action: invitePath(page.publicId),
  limits: { perDay: ORGANISATION_INVITES_PER_DAY, perHour: MEMBER_INVITES_PER_HOUR },
});

export function inviteRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/kompetens/person/:publicId/bjud-in', noStore, async (req, res) => {
    const page = await getInvitePage(deps.db, req.actor, req.params.publicId);
    res.render('skills/invite-form', formView(page, { assignment: '' }, {}, doneParam(req, DONE)));
  });

  router.post('/kompetens/person/:publicId/bjud-in', noStore, async (req, res) => {
    const again = async (error: FormError<InviteForm>) => ({
      view: 'skills/invite-form',
      locals: formView(await getInvitePage(deps.db, req.actor, req.params.publicId), error.form, error.fields),
    });
    await orFormAgain(res, again, async () => {
      await invitePerson(deps.db, req.actor, req.params.publicId, formBody(req));
      res.redirect(303, `${invitePath(String(req.params.publicId))}?done=sent`);
    });
  });

  router.get('/konto/kompetens/inbjudningar', noStore, async (req, res) => {
    const invites = await listReceivedInvites(deps.db, req.actor);
    res.render('skills/invite-list', {
      invites: invites.map((invite) => ({ ...invite, url: assignmentPath({ id: invite.assignmentId, title: invite.title }) })),
    });
  });

  return router;
}
