import type { OpenApiPart } from '../../web/module.js';
import { MAX_ESTIMATE_AMOUNT_ORE, type EstimateParameter } from './calculator-service.js';

// GET /api/v1/salary-estimate in the OpenAPI document (web/openapi.ts merges it with the other modules' parts).
// PRODUCT.md's contract is the source; test/billing/calculator.test.ts checks the parameters against the ones read.

const kronor = (defaultValue?: string) => ({
  type: 'string',
  pattern: '^\\d{1,11}(\\.\\d{1,2})?$',
  description: `Kronor, with öre after a dot (\`1234.50\`); at most ${MAX_ESTIMATE_AMOUNT_ORE / 100} kr.`,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
  examples: ['40000'],
});
const date = { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const percent = { type: 'string', pattern: '^\\d{1,3}(\\.\\d{1,2})?$', examples: ['30', '22.5'] };
const ore = (description: string) => ({ type: 'integer', minimum: 0, description: `${description} In öre.` });

const PARAMETERS: Array<{ name: EstimateParameter; required?: true; description: string; schema: object }> = [
  { name: 'invoiceExclVat', required: true, description: 'The invoice amount excl. VAT.', schema: kronor() },
  { name: 'expenses', description: 'Expenses paid back with the salary.', schema: kronor('0') },
  {
    name: 'birthDate',
    required: true,
    description: 'The worker’s date of birth: employer contributions depend on the age when the payout year began.',
    schema: date,
  },
  {
    name: 'taxPercent',
    description: 'The withholding in percent; default the side-income rate on the payout date (30 %).',
    schema: percent,
  },
  { name: 'payoutDate', description: 'The payout date; default today in Sweden. Rates valid on it apply.', schema: date },
  {
    name: 'paidEarlierThisMonth',
    description: 'Gross pay from the operator to the person earlier in the payout’s month (counts towards a monthly cap).',
    schema: kronor('0'),
  },
  {
    name: 'paidEarlierThisYear',
    description: 'Gross pay from the operator to the person earlier in the payout’s year (the contribution threshold).',
    schema: kronor('0'),
  },
  { name: 'feePercent', description: 'The service fee in percent; default the operator’s on the payout date.', schema: percent },
];

export const calculatorOpenApi: OpenApiPart = {
  paths: {
    '/api/v1/salary-estimate': {
      get: {
        operationId: 'estimateSalary',
        summary: 'Estimate the salary of an invoice through the simplified-enterprise account',
        description:
          'The calculation the salary itself uses: fee, employer contributions by age (whole kronor, öre dropped), ' +
          'gross salary incl. 12 % vacation pay, tax (whole kronor, öre dropped), net. ' +
          'feeOre + contributionsOre + grossOre + expensesOre + roundingOre = invoiceExclVatOre exactly.',
        parameters: PARAMETERS.map(({ required, ...parameter }) => ({ in: 'query', required: required ?? false, ...parameter })),
        responses: {
          '200': {
            description: 'The calculation, every amount in integer öre.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/SalaryEstimate' } } },
          },
          '400': {
            description: 'A parameter is missing or invalid; `error.parameter` names it.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        },
      },
    },
  },
  schemas: {
    SalaryEstimate: {
      type: 'object',
      required: [
        'invoiceExclVatOre',
        'feeOre',
        'contributionsOre',
        'contributionLines',
        'grossOre',
        'vacationPayOre',
        'taxOre',
        'expensesOre',
        'netOre',
        'roundingOre',
      ],
      properties: {
        invoiceExclVatOre: ore('The invoice amount excl. VAT.'),
        feeOre: ore('The service fee, rounded half up to the öre.'),
        contributionsOre: ore('Employer contributions: the sum of the lines.'),
        contributionLines: { type: 'array', items: { $ref: '#/components/schemas/ContributionLine' } },
        grossOre: ore('Gross salary including vacation pay.'),
        vacationPayOre: ore('The vacation-pay part of the gross salary (gross × 12/112).'),
        taxOre: ore('Withheld tax, whole kronor.'),
        expensesOre: ore('Expenses paid back.'),
        netOre: ore('Paid out: gross − tax + expenses.'),
        roundingOre: ore('What is left of the invoice after the rest, booked on a rounding line.'),
      },
    },
    ContributionLine: {
      type: 'object',
      required: ['ratePercent', 'baseOre', 'amountOre'],
      properties: {
        ratePercent: { type: 'string', examples: ['31.42'] },
        baseOre: ore('The pay the rate applies to.'),
        amountOre: ore('The contribution, whole kronor (öre dropped).'),
        earlierPayouts: {
          type: 'boolean',
          const: true,
          description:
            'Only on the line for the year’s earlier pay, which bore no contributions while the year’s pay was under ' +
            'the threshold (1 000 kr in 2026); this payout reaches it and bears them.',
        },
      },
    },
  },
};
