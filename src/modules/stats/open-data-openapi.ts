import type { OpenApiPart } from '../../web/module.js';
import {
  FIGURE_UNITS,
  LICENCE,
  OPEN_DATA_API_PATH,
  OPEN_DATA_FIGURES,
  OPEN_DATA_PARAMETERS,
  type OpenDataFigure,
} from './open-data-routes.js';
import { DEFAULT_PRESET, MAX_CUSTOM_YEARS, PERIOD_PRESETS } from './period.js';

// GET /api/v1/statistics in the OpenAPI document (web/openapi.ts merges it with the other modules' parts). The
// parameters and figures come from open-data-routes.ts, so the description cannot drift from what the API reads
// and answers (test/stats/open-data-page.test.ts checks both).

const date = { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };

const PARAMETERS: Array<{ name: (typeof OPEN_DATA_PARAMETERS)[number]; description: string; schema: object }> = [
  {
    name: 'period',
    description:
      'This `month`, the `last30` days, this `quarter`, this `year` (each up to today, Swedish time) or a `custom` ' +
      'range given by `from` and `to`. Without it: `custom` when `from` or `to` is given, else `quarter`.',
    schema: { type: 'string', enum: [...PERIOD_PRESETS], default: DEFAULT_PRESET },
  },
  {
    name: 'from',
    description: `The first day of a custom period; at most ${MAX_CUSTOM_YEARS} years before \`to\`.`,
    schema: date,
  },
  { name: 'to', description: 'The last day of a custom period; today at the latest, not before `from`.', schema: date },
  {
    name: 'county',
    description: 'Only this county’s municipalities: the county code, 2 digits.',
    schema: { type: 'string', pattern: '^\\d{2}$' },
  },
  {
    name: 'municipality',
    description: 'Only this municipality: its code, 4 digits.',
    schema: { type: 'string', pattern: '^\\d{4}$', examples: ['2481'] },
  },
];

const FIGURE_DESCRIPTIONS: Record<OpenDataFigure, string> = {
  posted: 'Assignments published in the period.',
  placesPosted: 'People the published assignments sought in all.',
  placesFilled: 'Accepted applications to the assignments published in the period.',
  workTrainingPosted: 'Published assignments suitable for work training (ASF).',
  paidGrossOre:
    'Gross pay incl. vacation pay paid out in the period through simplified enterprise, in integer öre; rests on the people paid.',
  workersPaid: 'People paid in the period through simplified enterprise.',
};

const cellRef = (figure: OpenDataFigure) => ({
  $ref: '#/components/schemas/StatisticsCell',
  description: FIGURE_DESCRIPTIONS[figure],
});

export const openDataOpenApi: OpenApiPart = {
  paths: {
    [OPEN_DATA_API_PATH]: {
      get: {
        operationId: 'openStatistics',
        summary: 'Open statistics per municipality and category',
        description:
          'The aggregates municipality officers see, per municipality and category for a period, without villages. ' +
          'A figure resting on fewer than 5 people or assignments is hidden (`status: "small"`), and so is a second ' +
          'one where it could otherwise be worked out from a total (`status: "secondary"`); hidden figures have ' +
          '`value: null`. Licence CC0 1.0. `definitions` follow the language asked for (`Accept-Language` or ' +
          '`lang=en`; Swedish by default). The same table as CSV for Swedish Excel: `/statistik/data.csv`.',
        parameters: PARAMETERS.map((parameter) => ({ in: 'query', required: false, ...parameter })),
        responses: {
          '200': {
            description: 'The figures of the period, one row per municipality and category.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/OpenStatistics' } } },
          },
          '400': {
            description: 'A parameter is invalid; `error.parameter` names it.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        },
      },
    },
  },
  schemas: {
    OpenStatistics: {
      type: 'object',
      required: ['period', 'licence', 'definitions', 'rows'],
      properties: {
        period: {
          type: 'object',
          required: ['from', 'to', 'preset'],
          properties: { from: date, to: date, preset: { type: 'string', enum: [...PERIOD_PRESETS] } },
        },
        licence: { type: 'string', const: LICENCE, description: 'SPDX identifier: public domain dedication.' },
        definitions: {
          type: 'object',
          required: [...OPEN_DATA_FIGURES],
          properties: Object.fromEntries(
            OPEN_DATA_FIGURES.map((figure) => [figure, { $ref: '#/components/schemas/StatisticsDefinition' }]),
          ),
        },
        rows: { type: 'array', items: { $ref: '#/components/schemas/StatisticsRow' } },
      },
    },
    StatisticsDefinition: {
      type: 'object',
      required: ['label', 'description', 'unit'],
      properties: {
        label: { type: 'string' },
        description: { type: 'string' },
        unit: { type: 'string', enum: [...new Set(Object.values(FIGURE_UNITS))], description: '`ore`: integer öre (1/100 SEK).' },
      },
    },
    StatisticsRow: {
      type: 'object',
      required: ['municipality', 'category', ...OPEN_DATA_FIGURES],
      properties: {
        municipality: {
          type: 'object',
          required: ['code', 'name', 'countyCode'],
          properties: { code: { type: 'string' }, name: { type: 'string' }, countyCode: { type: 'string' } },
        },
        category: {
          type: 'object',
          required: ['slug', 'name'],
          properties: { slug: { type: 'string' }, name: { type: 'string' } },
        },
        ...Object.fromEntries(OPEN_DATA_FIGURES.map((figure) => [figure, cellRef(figure)])),
      },
    },
    StatisticsCell: {
      oneOf: [
        {
          type: 'object',
          required: ['value', 'status'],
          properties: { value: { type: 'integer', minimum: 0 }, status: { const: 'shown' } },
        },
        {
          type: 'object',
          required: ['value', 'status'],
          properties: {
            value: { type: 'null' },
            status: {
              enum: ['small', 'secondary'],
              description:
                '`small`: rests on 1–4 people or assignments; `secondary`: hidden so that a hidden one cannot be subtracted out.',
            },
          },
        },
      ],
    },
  },
};
