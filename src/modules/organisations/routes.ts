import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { AppError } from '../../platform/errors.js';
import { formText } from '../../platform/validation.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { doneParam, idParam } from '../../web/params.js';
import { isUploadError, uploadReceiver } from '../../web/uploads.js';
import { authorize, can } from '../access/index.js';
import { excerpt, summaryCard } from '../assignments/index.js';
import { feedbackAboutOrganisation } from '../feedback/index.js';
import { formatOrganisationNumber } from './organisation-number.js';
import { FORM_FIELDS, MEMBER_ROLES, normaliseWebsite, ORGANISATION_TYPES, type OrganisationForm } from './schemas.js';
import {
  acceptInvite,
  changeMemberRole,
  createOrganisation,
  getInvite,
  getInviteRevocationToConfirm,
  getMemberRemovalToConfirm,
  getMembersPage,
  getOrganisationForEdit,
  getOrganisationLogo,
  getOrganisationPage,
  inviteMember,
  listMyOrganisations,
  removeMember,
  removeOrganisationLogo,
  revokeInvite,
  setOrganisationLogo,
  updateOrganisation,
  verifyOrganisation,
  type Organisation,
} from './service.js';
import { sendStoredFile } from '../../web/files.js';

declare module 'express-session' {
  interface SessionData {
    /**
     * The organisation this session just created: its page says so once. Not an address parameter: a link with
     * one would show the notice to anyone who opens it, also long after (issue 14).
     */
    organisationCreated?: string;
  }
}

// Status messages after a redirect (?done=…): only these values are shown. The organisation page's go to its
// members (and platform admins) only; the members and edit pages are theirs anyway.
const ORGANISATION_DONE = new Set(['saved', 'savedUnverified', 'verified', 'joined', 'alreadyMember']);
const MEMBERS_DONE = new Set(['invited', 'revoked', 'role', 'removed']);
const EDIT_DONE = new Set(['logoSaved', 'logoRemoved']);

/** PNG, JPEG or WebP up to 2 MB, decided by the bytes; stored re-encoded as WebP. */
const receiveLogo = uploadReceiver({
  field: 'logo',
  maxBytes: 2 * 1024 * 1024,
  types: ['image/png', 'image/jpeg', 'image/webp'],
  messages: { tooLarge: 'logo.errors.tooLarge', type: 'logo.errors.type' },
});

/** "logos/abc.webp" → "abc": changes with every new logo, so it makes a cache-busting ?v=. */
const logoVersion = (key: string | null) => (key ? key.slice(key.lastIndexOf('/') + 1, key.lastIndexOf('.')) : undefined);

/** An error the form shows beside its fields (bad input, a taken number, the last admin). */
const isFieldRefusal = (error: unknown): error is AppError =>
  error instanceof AppError && (error.status === 400 || error.status === 409) && Object.keys(error.fields).length > 0;

const isLogoRefusal = (error: unknown): error is AppError => isUploadError(error, 'logo');

const formFromBody = (body: Record<string, unknown>): OrganisationForm =>
  Object.fromEntries(
    FORM_FIELDS.map((field) => [field, formText(body[field], field === 'description' ? 6000 : 500)]),
  ) as OrganisationForm;

const formFromOrganisation = (organisation: Organisation): OrganisationForm => ({
  name: organisation.name,
  type: organisation.type,
  organisationNumber: formatOrganisationNumber(organisation.organisationNumber ?? ''),
  municipality: organisation.municipalityCode,
  address: organisation.address,
  billingEmail: organisation.billingEmail ?? '',
  description: organisation.description,
  website: organisation.website ?? '',
});

const organisationPath = (slug: string) => `/organisationer/${slug}`;

export function organisationRoutes(deps: AppDeps): Router {
  const router = Router();

  const formView = (
    req: Request,
    organisation: Organisation | undefined,
    form: OrganisationForm,
    errors: Record<string, string>,
    done?: string,
  ) => ({
    organisation,
    done,
    logoVersion: logoVersion(organisation?.logoKey ?? null),
    action: organisation ? `${organisationPath(organisation.slug)}/redigera` : '/organisationer/ny',
    form,
    errors,
    types: ORGANISATION_TYPES,
    municipalities: deps.reference.municipalities,
    // An organisation admin's change of name or number asks for a new verification.
    unverifyWarning: organisation?.verifiedAt != null && !req.actor.isAdmin,
  });

  /** A logged-in user without a verified e-mail gets told what to do instead of a bare 403. */
  const verifyEmailFirst = (req: Request, res: Response): boolean => {
    if (req.actor.userId === undefined || can(req.actor, 'organisation.create') || req.actor.emailVerified) return false;
    res.status(403).render('organisations/verify-email-first', {});
    return true;
  };

  // --- create -------------------------------------------------------------

  router.get('/organisationer/ny', noStore, (req, res) => {
    if (verifyEmailFirst(req, res)) return;
    authorize(req.actor, 'organisation.create');
    res.render('organisations/form', formView(req, undefined, formFromBody({ type: '' }), {}));
  });

  router.post('/organisationer/ny', noStore, async (req, res) => {
    if (verifyEmailFirst(req, res)) return;
    const body = formBody(req);
    const again = (error: AppError) => ({
      view: 'organisations/form',
      locals: formView(req, undefined, formFromBody(body), error.fields),
    });
    // "Change the details" on the namesake warning: back to the form as typed, nothing stored.
    if (body.edit === 'yes') {
      authorize(req.actor, 'organisation.create');
      res.render('organisations/form', formView(req, undefined, formFromBody(body), {}));
      return;
    }
    await orFormAgain(res, isFieldRefusal, again, async () => {
      const outcome = await createOrganisation(deps.db, req.actor, body, deps.reference, {
        namesakesConfirmed: body.confirmNamesakes === 'yes',
      });
      if ('namesakes' in outcome) {
        res.render('organisations/confirm-namesake', { form: formFromBody(body), fields: FORM_FIELDS, ...outcome });
        return;
      }
      req.session.organisationCreated = outcome.slug;
      res.redirect(303, organisationPath(outcome.slug));
    });
  });

  // --- my organisations ---------------------------------------------------

  router.get('/konto/organisationer', noStore, async (req, res) => {
    const organisations = await listMyOrganisations(deps.db, req.actor);
    res.render('organisations/mine', { organisations, canCreate: can(req.actor, 'organisation.create') });
  });

  // --- invites ------------------------------------------------------------

  // The link in the mail opens a page with a button; only the POST uses the
  // token, so mail scanners that follow links cannot use it up.
  router.get('/inbjudan', noStore, async (req, res) => {
    const token = formText(req.query.token, 100);
    const view = await getInvite(deps.db, req.actor, token);
    res.status(view.invite ? 200 : 400).render('organisations/invite', {
      ...view,
      token,
      canJoin: can(req.actor, 'organisation.join'),
      next: `/inbjudan?token=${encodeURIComponent(token)}`,
    });
  });

  router.post('/inbjudan', noStore, async (req, res) => {
    const token = formText(req.body?.token, 100);
    // Whatever refused the invite, the answer is the page without it, as a 400.
    const again = () => ({
      view: 'organisations/invite',
      locals: { invite: undefined, alreadyMember: false, token: '', canJoin: can(req.actor, 'organisation.join'), next: '/' },
      status: 400,
    });
    await orFormAgain(res, isFieldRefusal, again, async () => {
      const { slug, joined } = await acceptInvite(deps.db, req.actor, token);
      res.redirect(303, `${organisationPath(slug)}?done=${joined ? 'joined' : 'alreadyMember'}`);
    });
  });

  // --- one organisation ---------------------------------------------------

  router.get('/organisationer/:slug', async (req, res) => {
    const view = await getOrganisationPage(deps.db, req.actor, req.params.slug);
    const { organisation } = view;
    const justCreated = req.session.organisationCreated === organisation.slug;
    if (justCreated) delete req.session.organisationCreated;
    // Personal links (edit, members, verify) appear for some visitors: no shared caches.
    res.set('Cache-Control', 'private, no-cache');
    res.render('organisations/show', {
      ...view,
      cards: view.assignments.map(summaryCard),
      // Checked again on the way out: only http(s) addresses ever become links.
      websiteUrl: organisation.website ? normaliseWebsite(organisation.website) : undefined,
      done: justCreated ? 'created' : view.canViewMembers ? doneParam(req, ORGANISATION_DONE) : undefined,
      canonicalUrl: deps.config.publicUrl + organisationPath(organisation.slug),
      logoVersion: logoVersion(organisation.logoKey),
      // A suspended organisation's own texts are not shown, not even in the page's head.
      metaDescription: organisation.suspendedAt ? undefined : excerpt(organisation.description),
      organisationFeedback: await feedbackAboutOrganisation(deps.db, organisation.id),
    });
  });

  router.get('/organisationer/:slug/redigera', noStore, async (req, res) => {
    const organisation = await getOrganisationForEdit(deps.db, req.actor, req.params.slug);
    const done = doneParam(req, EDIT_DONE);
    res.render('organisations/form', formView(req, organisation, formFromOrganisation(organisation), {}, done));
  });

  router.post('/organisationer/:slug/redigera', noStore, async (req, res) => {
    const body = formBody(req);
    const again = async (error: AppError) => {
      const organisation = await getOrganisationForEdit(deps.db, req.actor, req.params.slug);
      return { view: 'organisations/form', locals: formView(req, organisation, formFromBody(body), error.fields) };
    };
    await orFormAgain(res, isFieldRefusal, again, async () => {
      const { slug, unverified } = await updateOrganisation(deps.db, req.actor, req.params.slug, body, deps.reference);
      res.redirect(303, `${organisationPath(slug)}?done=${unverified ? 'savedUnverified' : 'saved'}`);
    });
  });

  // --- logo ---------------------------------------------------------------

  router.get('/organisationer/:slug/logo', async (req, res) => {
    const logo = await getOrganisationLogo(deps.db, deps.storage, req.actor, req.params.slug);
    sendStoredFile(res, logo, {
      filename: 'logo.webp',
      download: false,
      // Public, like the page; pages link it with ?v=<key> so a new logo shows at once.
      cacheControl: !logo.isPublic
        ? 'private, no-store'
        : logoVersion(logo.key) === req.query.v
          ? 'public, max-age=604800, immutable'
          : 'public, max-age=300',
    });
  });

  // Multipart: the CSRF token comes in the query string (web/csrf.ts). The
  // right is checked before the body is read, so refused users upload nothing.
  router.post('/organisationer/:slug/logo', noStore, async (req, res) => {
    const organisation = await getOrganisationForEdit(deps.db, req.actor, req.params.slug);
    const again = (error: AppError) => ({
      view: 'organisations/form',
      locals: formView(req, organisation, formFromOrganisation(organisation), error.fields),
    });
    await orFormAgain(res, isLogoRefusal, again, async () => {
      const file = await receiveLogo(req, res);
      await setOrganisationLogo(deps.db, deps.storage, req.actor, organisation.slug, file.bytes);
      res.redirect(303, `${organisationPath(organisation.slug)}/redigera?done=logoSaved`);
    });
  });

  router.post('/organisationer/:slug/logo/ta-bort', noStore, async (req, res) => {
    const { slug } = await removeOrganisationLogo(deps.db, deps.storage, req.actor, req.params.slug);
    res.redirect(303, `${organisationPath(slug)}/redigera?done=logoRemoved`);
  });

  router.post('/organisationer/:slug/verifiera', async (req, res) => {
    const { slug } = await verifyOrganisation(deps.db, req.actor, req.params.slug);
    // Back to where the button was: the admin pages, or the organisation's page.
    const next = formText(req.body?.next, 200);
    res.redirect(303, /^\/admin(\/[a-z0-9-]+)*$/.test(next) ? next : `${organisationPath(slug)}?done=verified`);
  });

  // --- members ------------------------------------------------------------

  const membersView = async (
    req: Request,
    slug: string,
    inviteForm: { email: string; role: string },
    errors: Record<string, string>,
  ) => ({
    ...(await getMembersPage(deps.db, req.actor, slug)),
    roles: MEMBER_ROLES,
    inviteForm,
    errors,
    done: doneParam(req, MEMBERS_DONE),
    currentUserId: req.actor.userId,
  });

  const membersPath = (slug: string) => `${organisationPath(slug)}/medlemmar`;

  router.get('/organisationer/:slug/medlemmar', noStore, async (req, res) => {
    res.render('organisations/members', await membersView(req, req.params.slug, { email: '', role: 'member' }, {}));
  });

  router.post('/organisationer/:slug/medlemmar/bjud-in', noStore, async (req, res) => {
    const body = formBody(req);
    const again = async (error: AppError) => {
      const form = { email: formText(body.email, 254), role: formText(body.role, 20) };
      return { view: 'organisations/members', locals: await membersView(req, req.params.slug, form, error.fields) };
    };
    await orFormAgain(res, isFieldRefusal, again, async () => {
      await inviteMember(deps.db, req.actor, req.params.slug, body, {
        publicUrl: deps.config.publicUrl,
        language: res.locals.lang,
        inviterName: req.user?.name,
      });
      res.redirect(303, `${membersPath(req.params.slug)}?done=invited`);
    });
  });

  router.get('/organisationer/:slug/medlemmar/inbjudningar/:inviteId/aterkalla', noStore, async (req, res) => {
    const revocation = await getInviteRevocationToConfirm(deps.db, req.actor, req.params.slug, idParam(req, 'inviteId'));
    const backUrl = membersPath(revocation.organisation.slug);
    res.render('organisations/confirm-revoke-invite', {
      ...revocation,
      backUrl,
      action: `${backUrl}/inbjudningar/${revocation.invite.id}/aterkalla`,
    });
  });

  router.post('/organisationer/:slug/medlemmar/inbjudningar/:inviteId/aterkalla', async (req, res) => {
    await revokeInvite(deps.db, req.actor, req.params.slug, idParam(req, 'inviteId'));
    res.redirect(303, `${membersPath(req.params.slug)}?done=revoked`);
  });

  const membershipChange =
    (apply: (req: Request, userId: number) => Promise<{ slug: string; leftOrganisation: boolean }>, doneKey: string) =>
    async (req: Request, res: Response) => {
      const again = async (error: AppError) => {
        const view = await membersView(req, req.params.slug as string, { email: '', role: 'member' }, error.fields);
        return { view: 'organisations/members', locals: view };
      };
      await orFormAgain(res, isFieldRefusal, again, async () => {
        const result = await apply(req, idParam(req, 'userId'));
        // Someone who removed themselves can no longer see the members.
        res.redirect(
          303,
          result.leftOrganisation ? organisationPath(result.slug) : `${membersPath(result.slug)}?done=${doneKey}`,
        );
      });
    };

  router.post(
    '/organisationer/:slug/medlemmar/:userId/roll',
    noStore,
    membershipChange(
      (req, userId) => changeMemberRole(deps.db, req.actor, req.params.slug as string, userId, req.body?.role),
      'role',
    ),
  );

  router.get('/organisationer/:slug/medlemmar/:userId/ta-bort', noStore, async (req, res) => {
    const removal = await getMemberRemovalToConfirm(deps.db, req.actor, req.params.slug, idParam(req, 'userId'));
    const backUrl = membersPath(removal.organisation.slug);
    res.render('organisations/confirm-remove-member', {
      ...removal,
      backUrl,
      action: `${backUrl}/${removal.member.userId}/ta-bort`,
    });
  });

  router.post(
    '/organisationer/:slug/medlemmar/:userId/ta-bort',
    noStore,
    membershipChange((req, userId) => removeMember(deps.db, req.actor, req.params.slug as string, userId), 'removed'),
  );

  return router;
}
