import { Router } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { doneParam } from '../../web/params.js';
import type { FormError } from '../../platform/errors.js';
import { formatOrganisationsnummer } from '../../platform/identifiers.js';
import {
  addOperatorVersion,
  basisPointsAsPercent,
  formatBankgiro,
  getOperatorPage,
  listOperatorVersions,
  type OperatorForm,
  type OperatorVersionView,
} from './operator-service.js';

const DONE = new Set(['added']);

// The operator's settings for platform admins (a 404 for anyone else, decided in the service).
export function operatorRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use('/admin/operator', noStore);

  const page = (versions: OperatorVersionView[], form: OperatorForm, errors: Record<string, string>, done?: string) => ({
    versions,
    form,
    errors,
    done,
    formatOrganisationNumber: formatOrganisationsnummer,
    formatBankgiro,
    percentText: basisPointsAsPercent,
  });

  router.get('/admin/operator', async (req, res) => {
    const { versions, form } = await getOperatorPage(deps.db, req.actor);
    res.render('billing/operator-settings', page(versions, form, {}, doneParam(req, DONE)));
  });

  router.post('/admin/operator', async (req, res) => {
    const again = async (error: FormError<OperatorForm>) => ({
      view: 'billing/operator-settings',
      locals: page(await listOperatorVersions(deps.db, req.actor), error.form, error.fields),
    });
    await orFormAgain(res, again, async () => {
      await addOperatorVersion(deps.db, req.actor, formBody(req));
      res.redirect(303, '/admin/operator?done=added');
    });
  });

  return router;
}
