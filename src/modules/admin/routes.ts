import { Router } from 'express';
import type { AppDeps } from '../../web/deps.js';
import type { AppError } from '../../platform/errors.js';
import { formText } from '../../platform/validation.js';
import { noStore } from '../../web/cache.js';
import { doneParam } from '../../web/params.js';
import { formBody, orFormAgain, refusedWith } from '../../web/forms.js';
import type { Actor } from '../access/index.js';
import {
  appointOfficer,
  appointPayrollStaff,
  getOverview,
  listOfficers,
  listPayrollStaff,
  removeOfficer,
  removePayrollStaff,
} from './service.js';

/** What review's actions report back on the overview (texts in postings.done). */
const OVERVIEW_DONE = new Set(['published', 'refused']);

// Platform-admin pages. Rights are checked in the service; for anyone but a
// platform admin these pages do not exist (404).
export function adminRoutes(deps: AppDeps): Router {
  const router = Router();
  // Every /admin path, also those of other modules' routers mounted later (moderation) and the 404s.
  router.use('/admin', noStore);

  router.get('/admin', async (req, res) => {
    res.render('admin/overview', { overview: await getOverview(deps.db, req.actor), done: doneParam(req, OVERVIEW_DONE) });
  });

  const officersPage = async (actor: Actor, form: Record<string, string>, errors: Record<string, string>) => ({
    officers: await listOfficers(deps.db, actor),
    municipalities: deps.reference.municipalities,
    form,
    errors,
  });

  router.get('/admin/handlaggare', async (req, res) => {
    res.render('admin/officers', await officersPage(req.actor, { email: '', municipality: '' }, {}));
  });

  router.post('/admin/handlaggare', async (req, res) => {
    const body = formBody(req);
    const again = async (error: AppError) => {
      const form = { email: formText(body.email, 254), municipality: formText(body.municipality, 4) };
      return { view: 'admin/officers', locals: await officersPage(req.actor, form, error.fields) };
    };
    await orFormAgain(res, refusedWith(400), again, async () => {
      await appointOfficer(deps.db, req.actor, body, deps.reference);
      res.redirect(303, '/admin/handlaggare');
    });
  });

  router.post('/admin/handlaggare/ta-bort', async (req, res) => {
    const body = formBody(req);
    await removeOfficer(deps.db, req.actor, { userId: body.userId, municipality: body.municipality });
    res.redirect(303, '/admin/handlaggare');
  });

  const payrollStaffPage = async (actor: Actor, form: Record<string, string>, errors: Record<string, string>) => ({
    staff: await listPayrollStaff(deps.db, actor),
    form,
    errors,
  });

  router.get('/admin/lon', async (req, res) => {
    res.render('admin/payroll-staff', await payrollStaffPage(req.actor, { email: '' }, {}));
  });

  router.post('/admin/lon', async (req, res) => {
    const body = formBody(req);
    const again = async (error: AppError) => ({
      view: 'admin/payroll-staff',
      locals: await payrollStaffPage(req.actor, { email: formText(body.email, 254) }, error.fields),
    });
    await orFormAgain(res, refusedWith(400), again, async () => {
      await appointPayrollStaff(deps.db, req.actor, body);
      res.redirect(303, '/admin/lon');
    });
  });

  router.post('/admin/lon/ta-bort', async (req, res) => {
    await removePayrollStaff(deps.db, req.actor, { userId: formBody(req).userId });
    res.redirect(303, '/admin/lon');
  });

  return router;
}
