import { Router, type Request, type Response } from 'express';
import { AppError, FormError } from '../../platform/errors.js';
import { formatMoney, type Ore } from '../../platform/money.js';
import { todayInStockholm } from '../../platform/calendar.js';
import type { AppDeps } from '../../web/deps.js';
import { orFormAgain } from '../../web/forms.js';
import { basisPointsToPercent, type SalaryCalculation } from './calculation.js';
import {
  calculatorDefaults,
  estimateForm,
  estimateSalary,
  type EstimateForm,
  type EstimateParameter,
  type SalaryEstimate,
} from './calculator-service.js';

// The public salary estimate: GET /api/v1/salary-estimate (PRODUCT.md's contract, described in
// calculator-openapi.ts) and the calculator page "Vad får jag ut?" at /egenanstallning/rakna, a GET form that
// works without JavaScript. Both answer anyone: they read only the public rates.

export const CALCULATOR_PATH = '/egenanstallning/rakna';

/** The page asks for these; the others (earlier pay, another fee) are the API's. */
const PAGE_FIELDS: readonly EstimateParameter[] = ['invoiceExclVat', 'expenses', 'birthDate', 'taxPercent', 'payoutDate'];

/** The contract's answer, its keys in the contract's order. */
function apiAnswer(calculation: SalaryCalculation) {
  return {
    invoiceExclVatOre: calculation.invoiceExclVatOre,
    feeOre: calculation.feeOre,
    contributionsOre: calculation.contributionsOre,
    contributionLines: calculation.contributionLines,
    grossOre: calculation.grossOre,
    vacationPayOre: calculation.vacationPayOre,
    taxOre: calculation.taxOre,
    expensesOre: calculation.expensesOre,
    netOre: calculation.netOre,
    roundingOre: calculation.roundingOre,
  };
}

/** '31.42' → "31,42 %" in Swedish, "31.42 %" in English; '30.00' → "30 %". Text, never a float. */
function percentText(ratePercent: string, lang: string): string {
  const trimmed = ratePercent.replace(/\.?0+$/, '');
  return `${lang === 'en' ? trimmed : trimmed.replace('.', ',')}\u00a0%`;
}

export function calculatorRoutes(deps: AppDeps): Router {
  const router = Router();
  const english = deps.i18n.getFixedT('en');

  router.get('/api/v1/salary-estimate', async (req, res) => {
    // Open data like the search API: any site may ask from a browser, never with credentials.
    res.set('Access-Control-Allow-Origin', '*');
    let estimate: SalaryEstimate;
    try {
      estimate = await estimateSalary(deps.db, req.query as Record<string, unknown>, { acceptBirthYear: false });
    } catch (error) {
      if (!(error instanceof FormError)) throw error;
      const fields = Object.fromEntries(Object.entries(error.fields).map(([name, key]) => [name, english(key)]));
      throw new AppError('bad_request', `Invalid parameter: ${Object.keys(fields)[0]}`, fields);
    }
    res.set('Cache-Control', 'public, max-age=300');
    res.json(apiAnswer(estimate.calculation));
  });

  const pageLocals = async (req: Request, res: Response, form: EstimateForm, errors: Record<string, string>) => {
    const lang = res.locals.lang as string;
    const defaults = await calculatorDefaults(deps.db, todayInStockholm());
    return {
      form,
      errors,
      result: undefined as SalaryEstimate | undefined,
      action: CALCULATOR_PATH,
      // A GET form sends only its fields: the language chosen by ?lang= goes along as one.
      langField: typeof req.query.lang === 'string' && ['sv', 'en'].includes(req.query.lang) ? req.query.lang : undefined,
      defaultTaxPercent: percentText(basisPointsToPercent(defaults?.taxSideIncomeBp ?? 3000), lang),
      money: (amount: Ore) => formatMoney(amount, lang),
      percent: (ratePercent: string) => percentText(ratePercent, lang),
      percentOfBp: (bp: number) => percentText(basisPointsToPercent(bp), lang),
    };
  };

  router.get(CALCULATOR_PATH, async (req, res) => {
    const query = Object.fromEntries(PAGE_FIELDS.map((name) => [name, req.query[name]]));
    const { form } = estimateForm(query);
    const asked = PAGE_FIELDS.some((name) => req.query[name] !== undefined);
    const locals = await pageLocals(req, res, form, {});
    if (!asked) {
      res.render('billing/calculator', locals);
      return;
    }
    await orFormAgain<EstimateForm>(
      res,
      (error) => ({ view: 'billing/calculator', locals: { ...locals, form: error.form, errors: error.fields } }),
      async () => {
        const result = await estimateSalary(deps.db, query, { acceptBirthYear: true });
        res.render('billing/calculator', { ...locals, result });
      },
    );
  });

  return router;
}
