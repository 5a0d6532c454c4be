import { Router, type Request } from 'express';
import type { AppDeps } from '../../web/deps.js';
import type { AppError } from '../../platform/errors.js';
import { formText } from '../../platform/validation.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain, refusedWith } from '../../web/forms.js';
import { doneParam } from '../../web/params.js';
import { isUploadError, uploadReceiver } from '../../web/uploads.js';
import { feedbackAboutResident } from '../feedback/index.js';
import {
  getCompetenceSummary,
  getOwnCv,
  getProfile,
  localityChoices,
  removeCv,
  saveCv,
  saveProfile,
  type Profile,
} from './service.js';
import { sendStoredFile } from '../../web/files.js';

/** A PDF up to 5 MB, decided by the bytes. */
const receiveCv = uploadReceiver({
  field: 'cv',
  maxBytes: 5 * 1024 * 1024,
  types: ['application/pdf'],
  messages: { tooLarge: 'cv.errors.tooLarge', type: 'cv.errors.type' },
});

const CV_DONE = new Set(['cvSaved', 'cvRemoved']);

const isCvRefusal = (error: unknown): error is AppError => isUploadError(error, 'cv');

export function profileRoutes(deps: AppDeps): Router {
  const router = Router();

  const render = async (req: Request, profile: Profile, errors: Record<string, string>, saved = false) => ({
    profile,
    errors,
    saved,
    cvDone: doneParam(req, CV_DONE),
    categories: deps.reference.categories,
    localities: await localityChoices(deps.db, req.actor, deps.reference, profile.localities),
    competence: await getCompetenceSummary(deps.db, req.actor),
    // Shown only after the login was checked (getProfile or saveProfile ran first).
    residentFeedback: await feedbackAboutResident(deps.db, req.actor.userId!),
  });

  router.get('/konto/profil', noStore, async (req, res) => {
    const profile = await getProfile(deps.db, req.actor);
    res.render('profiles/edit', await render(req, profile, {}, req.query.sparad === '1'));
  });

  router.post('/konto/profil', noStore, async (req, res) => {
    const body = formBody(req);
    const again = async (error: AppError) => {
      const { cv } = await getProfile(deps.db, req.actor);
      return { view: 'profiles/edit', locals: await render(req, { ...echo(body), cv }, error.fields) };
    };
    await orFormAgain(res, refusedWith(400), again, async () => {
      await saveProfile(deps.db, req.actor, body, deps.reference);
      res.redirect(303, '/konto/profil?sparad=1');
    });
  });

  // Multipart: the CSRF token comes in the query string (web/csrf.ts); the
  // login is checked before the body is read.
  router.post('/konto/profil/cv', noStore, async (req, res) => {
    const profile = await getProfile(deps.db, req.actor);
    const again = async (error: AppError) => ({ view: 'profiles/edit', locals: await render(req, profile, error.fields) });
    await orFormAgain(res, isCvRefusal, again, async () => {
      const file = await receiveCv(req, res);
      await saveCv(deps.db, deps.storage, req.actor, file.bytes);
      res.redirect(303, '/konto/profil?done=cvSaved');
    });
  });

  router.get('/konto/profil/cv/ta-bort', noStore, async (req, res) => {
    const profile = await getProfile(deps.db, req.actor);
    // Nothing to remove: back to the profile, which says there is no CV.
    if (!profile.cv) return res.redirect(303, '/konto/profil');
    res.render('profiles/confirm-remove-cv', { action: '/konto/profil/cv/ta-bort', backUrl: '/konto/profil#cv-heading' });
  });

  router.post('/konto/profil/cv/ta-bort', noStore, async (req, res) => {
    await removeCv(deps.db, deps.storage, req.actor);
    res.redirect(303, '/konto/profil?done=cvRemoved');
  });

  // The owner's own CV, as a download under a fixed name.
  router.get('/konto/profil/cv', async (req, res) => {
    const cv = await getOwnCv(deps.db, deps.storage, req.actor);
    sendStoredFile(res, cv, { filename: 'cv.pdf', download: true, cacheControl: 'no-store' });
  });

  return router;
}

/** The submitted form as a profile again, so nothing typed is lost. */
function echo(body: Record<string, unknown>): Profile {
  const strings = (value: unknown) =>
    (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string').slice(0, 200);
  return {
    bio: formText(body.bio, 5000),
    availability: formText(body.availability, 500),
    drivingLicence: body.drivingLicence === 'on',
    categories: strings(body.categories),
    localities: strings(body.localities),
    cv: null, // the caller puts the stored CV back
  };
}
