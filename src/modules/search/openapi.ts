import type { OpenApiPart } from '../../web/module.js';
import { COMPENSATION_TYPES } from '../assignments/index.js';
import { DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, MAX_QUERY_LENGTH, MAX_VALUES, SEARCH_PARAMETERS, SORTS } from './params.js';

// The search's part of the OpenAPI description served at /api/v1/openapi.json
// (web/openapi.ts merges the modules' parts). Limits come from params.ts, so the description cannot
// drift from what the API accepts (test/search/api.test.ts checks the parameter list).

type Parameter = { name: (typeof SEARCH_PARAMETERS)[number]; description: string; schema: object; explode?: boolean };

const repeatable = (items: object) => ({ type: 'array', items, maxItems: MAX_VALUES });

const PARAMETERS: Parameter[] = [
  { name: 'q', description: 'Free text; typo tolerant, Swedish.', schema: { type: 'string', maxLength: MAX_QUERY_LENGTH } },
  {
    name: 'category',
    description: 'Category slug (repeatable: any of them).',
    schema: repeatable({ type: 'string', pattern: '^[a-z0-9-]+$' }),
    explode: true,
  },
  {
    name: 'municipality',
    description: 'Municipality code, 4 digits (repeatable: any of them).',
    schema: repeatable({ type: 'string', pattern: '^\\d{4}$' }),
    explode: true,
  },
  { name: 'locality', description: 'Locality (village) slug, e.g. `rusksele-lycksele`.', schema: { type: 'string' } },
  {
    name: 'compensation',
    description: 'Compensation type (repeatable: any of them).',
    schema: repeatable({ type: 'string', enum: [...COMPENSATION_TYPES] }),
    explode: true,
  },
  { name: 'workTraining', description: '`true`: only assignments suitable for work training.', schema: { type: 'boolean' } },
  {
    name: 'near',
    description: 'A point `LAT,LNG` in decimal degrees (WGS 84); gives `distanceKm` on each hit.',
    schema: {
      type: 'string',
      pattern: '^-?\\d{1,2}(\\.\\d{1,10})?,\\s*-?\\d{1,3}(\\.\\d{1,10})?$',
      examples: ['64.5936,18.6703'],
    },
  },
  {
    name: 'radiusKm',
    description: 'Only assignments within this many kilometres of `near` (needs `near`).',
    schema: { type: 'number', exclusiveMinimum: 0, maximum: 1000 },
  },
  {
    name: 'sort',
    description: '`relevance` (newest first without `q`), `newest`, `pay`, `distance` (needs `near`) or `deadline`.',
    schema: { type: 'string', enum: [...SORTS], default: 'relevance' },
  },
  { name: 'page', description: 'Page number.', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 } },
  {
    name: 'perPage',
    description: 'Hits per page.',
    schema: { type: 'integer', minimum: 1, maximum: MAX_PER_PAGE, default: DEFAULT_PER_PAGE },
  },
];

const counts = { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } };

export const searchOpenApi: OpenApiPart = {
  paths: {
    '/api/v1/assignments': {
      get: {
        operationId: 'searchAssignments',
        summary: 'Search open assignments',
        parameters: PARAMETERS.map(({ explode, ...parameter }) => ({
          in: 'query',
          required: false,
          ...parameter,
          ...(explode ? { style: 'form', explode: true } : {}),
        })),
        responses: {
          '200': {
            description: 'The matching assignments, one page of them, with facet counts.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/SearchResult' } } },
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
    SearchResult: {
      type: 'object',
      required: ['hits', 'totalHits', 'page', 'totalPages', 'facets', 'engine'],
      properties: {
        hits: { type: 'array', items: { $ref: '#/components/schemas/Hit' } },
        totalHits: { type: 'integer', minimum: 0 },
        page: { type: 'integer', minimum: 1 },
        totalPages: { type: 'integer', minimum: 0 },
        facets: {
          type: 'object',
          description: 'Counts per value. A facet with a selection counts as if only its own selection were removed.',
          required: ['category', 'municipality', 'locality', 'compensation', 'workTraining'],
          properties: {
            category: counts,
            municipality: counts,
            locality: counts,
            compensation: counts,
            workTraining: counts,
          },
        },
        engine: { type: 'string', enum: ['meilisearch', 'postgres'] },
      },
    },
    Hit: {
      type: 'object',
      required: ['id', 'title', 'url', 'category', 'municipality', 'locality', 'compensation', 'publishedAt', 'applyBy'],
      properties: {
        id: { type: 'integer' },
        title: { type: 'string' },
        url: { type: 'string', format: 'uri' },
        category: { type: 'string', description: 'Category slug.' },
        municipality: {
          type: 'object',
          required: ['code', 'name'],
          properties: { code: { type: 'string' }, name: { type: 'string' } },
        },
        locality: {
          oneOf: [
            { type: 'null' },
            {
              type: 'object',
              required: ['slug', 'name'],
              properties: { slug: { type: 'string' }, name: { type: 'string' } },
            },
          ],
        },
        compensation: {
          type: 'object',
          required: ['type', 'amountSek'],
          properties: {
            type: { type: 'string', enum: [...COMPENSATION_TYPES] },
            amountSek: { type: ['integer', 'null'], description: 'SEK; per hour for `hourly`, in total for `fixed`.' },
          },
        },
        organisation: { type: 'string' },
        excerpt: { type: 'string' },
        publishedAt: { type: 'string', format: 'date-time' },
        applyBy: { type: ['string', 'null'], format: 'date', description: 'The last day to apply.' },
        workTraining: { type: 'boolean' },
        location: {
          type: 'object',
          properties: { lat: { type: 'number' }, lng: { type: 'number' } },
        },
        distanceKm: { type: 'number', description: 'From `near`, to 0.1 km; only when `near` is given.' },
        highlight: {
          type: 'object',
          description: 'Title and excerpt with matches between U+E000 and U+E001 (plain text, never HTML); only with `q`.',
          properties: { title: { type: 'string' }, excerpt: { type: 'string' } },
        },
      },
    },
  },
};
