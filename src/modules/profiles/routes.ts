import { Router, type Request } from 'express';
import type { AppDeps } from '../../app.js';
import { AppError } from '../../platform/errors.js';
import { getProfile, localityChoices, saveProfile, type Profile } from './service.js';

export function profileRoutes(deps: AppDeps): Router {
  const router = Router();

  const render = async (req: Request, profile: Profile, errors: Record<string, string>, saved = false) => ({
    profile,
    errors,
    saved,
    categories: deps.reference.categories,
    localities: await localityChoices(deps.db, req.actor, deps.reference, profile.localities),
  });

  router.get('/konto/profil', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const profile = await getProfile(deps.db, req.actor);
    res.render('profiles/edit', await render(req, profile, {}, req.query.sparad === '1'));
  });

  router.post('/konto/profil', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await saveProfile(deps.db, req.actor, body, deps.reference);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      res.status(400).render('profiles/edit', await render(req, echo(body), error.fields));
      return;
    }
    res.redirect(303, '/konto/profil?sparad=1');
  });

  return router;
}

/** The submitted form as a profile again, so nothing typed is lost. */
function echo(body: Record<string, unknown>): Profile {
  const text = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : '');
  const strings = (value: unknown) =>
    (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string').slice(0, 200);
  return {
    bio: text(body.bio, 5000),
    skillTags: [text(body.skillTags, 2000)],
    availability: text(body.availability, 500),
    drivingLicence: body.drivingLicence === 'on',
    visibleToOrganisations: body.visibleToOrganisations === 'yes',
    categories: strings(body.categories),
    localities: strings(body.localities),
  };
}
