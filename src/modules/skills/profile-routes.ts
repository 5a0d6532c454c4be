import { Router, type Request } from 'express';
import type { AppDeps } from '../../web/deps.js';
import type { FormError } from '../../platform/errors.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { doneParam, idParam } from '../../web/params.js';
import {
  addOffer,
  editOffer,
  EMPTY_OFFER,
  getCompetencePage,
  getOwnOffer,
  getPersonCard,
  offerForm,
  PROFILE_LIMITS,
  removeOffer,
  saveCompetenceProfile,
  setConfirmationVisibility,
  type CompetenceForm,
  type OfferForm,
} from './profile-service.js';
import { MAX_OFFERS } from './profile-queries.js';

// The resident's competence profile (/konto/kompetens), their offers and confirmations, and the person page
// (/kompetens/person/:publicId). Rights are checked in the service.

const DONE = new Set(['saved', 'offerAdded', 'offerSaved', 'offerRemoved', 'confirmationHidden', 'confirmationShown']);

export function profileCompetenceRoutes(deps: AppDeps): Router {
  const router = Router();

  const page = async (req: Request, errors: Record<string, string>, form?: CompetenceForm) => ({
    ...(await getCompetencePage(deps.db, req.actor, form)),
    errors,
    done: Object.keys(errors).length ? undefined : doneParam(req, DONE),
    limits: PROFILE_LIMITS,
    maxOffers: MAX_OFFERS,
  });

  router.get('/konto/kompetens', noStore, async (req, res) => {
    res.render('skills/profile-edit', await page(req, {}));
  });

  router.post('/konto/kompetens', noStore, async (req, res) => {
    const again = async (error: FormError<CompetenceForm>) => ({
      view: 'skills/profile-edit',
      locals: await page(req, error.fields, error.form),
    });
    await orFormAgain(res, again, async () => {
      await saveCompetenceProfile(deps.db, req.actor, formBody(req));
      res.redirect(303, '/konto/kompetens?done=saved');
    });
  });

  const offerPage = (action: string, form: OfferForm, errors: Record<string, string>, editing: boolean) => ({
    action,
    form,
    errors,
    editing,
    maxOffers: MAX_OFFERS,
  });

  router.get('/konto/kompetens/erbjudanden/ny', noStore, async (req, res) => {
    // The login first (a visitor goes to the login page); the page itself needs nothing else.
    await getCompetencePage(deps.db, req.actor);
    res.render('skills/profile-offer', offerPage('/konto/kompetens/erbjudanden/ny', EMPTY_OFFER, {}, false));
  });

  router.post('/konto/kompetens/erbjudanden/ny', noStore, async (req, res) => {
    const again = (error: FormError<OfferForm>) => ({
      view: 'skills/profile-offer',
      locals: offerPage('/konto/kompetens/erbjudanden/ny', error.form, error.fields, false),
    });
    await orFormAgain(res, again, async () => {
      await addOffer(deps.db, req.actor, formBody(req));
      res.redirect(303, '/konto/kompetens?done=offerAdded#offers-heading');
    });
  });

  router.get('/konto/kompetens/erbjudanden/:offerId', noStore, async (req, res) => {
    const offer = await getOwnOffer(deps.db, req.actor, idParam(req, 'offerId'));
    res.render('skills/profile-offer', offerPage(`/konto/kompetens/erbjudanden/${offer.id}`, offerForm(offer), {}, true));
  });

  router.post('/konto/kompetens/erbjudanden/:offerId', noStore, async (req, res) => {
    const offerId = idParam(req, 'offerId');
    const again = (error: FormError<OfferForm>) => ({
      view: 'skills/profile-offer',
      locals: offerPage(`/konto/kompetens/erbjudanden/${offerId}`, error.form, error.fields, true),
    });
    await orFormAgain(res, again, async () => {
      await editOffer(deps.db, req.actor, offerId, formBody(req));
      res.redirect(303, '/konto/kompetens?done=offerSaved#offers-heading');
    });
  });

  router.get('/konto/kompetens/erbjudanden/:offerId/ta-bort', noStore, async (req, res) => {
    const offer = await getOwnOffer(deps.db, req.actor, idParam(req, 'offerId'));
    res.render('skills/profile-confirm-remove-offer', {
      title: offer.title,
      action: `/konto/kompetens/erbjudanden/${offer.id}/ta-bort`,
      backUrl: '/konto/kompetens#offers-heading',
    });
  });

  router.post('/konto/kompetens/erbjudanden/:offerId/ta-bort', noStore, async (req, res) => {
    await removeOffer(deps.db, req.actor, idParam(req, 'offerId'));
    res.redirect(303, '/konto/kompetens?done=offerRemoved#offers-heading');
  });

  router.post('/konto/kompetens/bekraftelser/:confirmationId', noStore, async (req, res) => {
    const hidden = await setConfirmationVisibility(deps.db, req.actor, idParam(req, 'confirmationId'), formBody(req).hidden);
    res.redirect(303, `/konto/kompetens?done=${hidden ? 'confirmationHidden' : 'confirmationShown'}#confirmations-heading`);
  });

  router.get('/kompetens/person/:publicId', noStore, async (req, res) => {
    const person = await getPersonCard(deps.db, req.actor, String(req.params.publicId));
    res.render('skills/person', { person });
  });

  return router;
}
