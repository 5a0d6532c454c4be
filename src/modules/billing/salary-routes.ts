import { Router, type Request, type Response } from 'express';
import type { FormError } from '../../platform/errors.js';
import { formatMoney, type Ore } from '../../platform/money.js';
import { noStore } from '../../web/cache.js';
import type { AppDeps } from '../../web/deps.js';
import { sendDownload } from '../../web/downloads.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { doneParam } from '../../web/params.js';
import { invoiceLabel } from './payments-service.js';
import {
  emptyPayoutForm,
  getPayoutList,
  getPayoutToConfirm,
  markSalariesPaidByPayroll,
  payoutListCsv,
  type PayoutForm,
} from './salary-service.js';

// Payroll's payout list (/lon/loner): the salaries not yet paid, with the bank account each goes to, a CSV of the
// list, and the form that marks the chosen ones paid on a day. Only payroll staff: 404 for everyone else.

const DONE = new Set(['paid']);

export function salaryRoutes(deps: AppDeps): Router {
  const router = Router();

  const page = async (req: Request, res: Response, state: { form?: PayoutForm; errors?: Record<string, string> } = {}) => {
    const list = await getPayoutList(deps.db, req.actor);
    const lang = res.locals.lang as string;
    return {
      view: 'billing/salary-payouts',
      locals: {
        list,
        done: doneParam(req, DONE),
        count: typeof req.query.count === 'string' && /^\d{1,4}$/.test(req.query.count) ? Number(req.query.count) : 0,
        form: state.form ?? emptyPayoutForm(),
        errors: state.errors ?? {},
        money: (amount: Ore) => formatMoney(amount, lang),
        invoiceLabel,
      },
    };
  };

  router.get('/lon/loner', noStore, async (req, res) => {
    const { view, locals } = await page(req, res);
    res.render(view, locals);
  });

  router.get('/lon/loner/csv', async (req, res) => {
    const t = deps.i18n.getFixedT(res.locals.lang as string);
    await sendDownload(res, await payoutListCsv(deps.db, req.actor, t));
  });

  router.post('/lon/loner/utbetalda', noStore, async (req, res) => {
    const body = formBody(req);
    const again = (error: FormError<PayoutForm>) => page(req, res, { form: error.form, errors: error.fields });
    await orFormAgain(res, again, async () => {
      // The form's button asks first; the confirmation page's button posts the same choice with confirmed=ja.
      if (body.confirmed !== 'ja') {
        const lang = res.locals.lang as string;
        const confirmation = await getPayoutToConfirm(deps.db, req.actor, body);
        res.render('billing/salary-payout-confirm', {
          ...confirmation,
          money: (amount: Ore) => formatMoney(amount, lang),
          invoiceLabel,
        });
        return;
      }
      const count = await markSalariesPaidByPayroll(deps.db, req.actor, body);
      res.redirect(303, `/lon/loner?done=paid&count=${count}`);
    });
  });

  return router;
}
