import { Router, type Request } from 'express';
import { formatBankAccount } from '../../platform/bank-account.js';
import type { FormError } from '../../platform/errors.js';
import type { AppDeps } from '../../web/deps.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { doneParam } from '../../web/params.js';
import {
  activateEnterpriseAccount,
  bankFormOf,
  changeBankAccount,
  changeTax,
  emptyActivationForm,
  getEnterpriseAccountPage,
  percentText,
  revealOwnPersonalNumber,
  TAX_MODES,
  taxFormOf,
  type ActivationForm,
  type BankForm,
  type TaxForm,
} from './account-service.js';

// The worker's simplified-enterprise account (/konto/egenanstallning): activation once, then the account with the
// personnummer masked, the bank account and tax to change, and a button that shows the full number on the page
// itself (a POST: the number is never in a URL, and each view is logged in personal_data_views).

const PATH = '/konto/egenanstallning';
const DONE = new Set(['activated', 'bankChanged', 'taxChanged']);

interface Forms {
  activationForm?: ActivationForm;
  bankForm?: BankForm;
  taxForm?: TaxForm;
  errors?: Record<string, string>;
  revealedPersonalNumber?: string;
  done?: string;
}

export function enterpriseAccountRoutes(deps: AppDeps): Router {
  const router = Router();

  const pageLocals = async (req: Request, forms: Forms = {}) => {
    const page = await getEnterpriseAccountPage(deps.db, req.actor);
    return {
      ...page,
      taxModes: TAX_MODES,
      percentText,
      formatBankAccount,
      activationForm: forms.activationForm ?? emptyActivationForm(),
      bankForm: forms.bankForm ?? (page.account && bankFormOf(page.account)),
      taxForm: forms.taxForm ?? (page.account && taxFormOf(page.account)),
      errors: forms.errors ?? {},
      revealedPersonalNumber: forms.revealedPersonalNumber,
      done: forms.done,
    };
  };

  const again =
    <F>(req: Request, formName: keyof Forms) =>
    async (error: FormError<F>) => ({
      view: 'billing/account',
      locals: await pageLocals(req, { [formName]: error.form, errors: error.fields }),
    });

  router.get(PATH, noStore, async (req, res) => {
    res.render('billing/account', await pageLocals(req, { done: doneParam(req, DONE) }));
  });

  router.post(PATH, noStore, async (req, res) => {
    await orFormAgain(res, again<ActivationForm>(req, 'activationForm'), async () => {
      await activateEnterpriseAccount(deps.db, deps.dataKeys, req.actor, formBody(req));
      res.redirect(303, `${PATH}?done=activated`);
    });
  });

  router.post(`${PATH}/bankkonto`, noStore, async (req, res) => {
    await orFormAgain(res, again<BankForm>(req, 'bankForm'), async () => {
      await changeBankAccount(deps.db, req.actor, formBody(req));
      res.redirect(303, `${PATH}?done=bankChanged`);
    });
  });

  router.post(`${PATH}/skatt`, noStore, async (req, res) => {
    await orFormAgain(res, again<TaxForm>(req, 'taxForm'), async () => {
      await changeTax(deps.db, req.actor, formBody(req));
      res.redirect(303, `${PATH}?done=taxChanged`);
    });
  });

  // Answered with the page itself, never a redirect: the number stays out of URLs and browser history.
  router.post(`${PATH}/visa-personnummer`, noStore, async (req, res) => {
    const revealedPersonalNumber = await revealOwnPersonalNumber(deps.db, deps.dataKeys, req.actor);
    res.render('billing/account', await pageLocals(req, { revealedPersonalNumber }));
  });

  return router;
}
