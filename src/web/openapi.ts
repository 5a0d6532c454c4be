import { Router } from 'express';
import type { AppDeps } from './deps.js';
import type { ModuleDescription } from './module.js';

// The OpenAPI 3.1 description of the public JSON API, served at /api/v1/openapi.json: the frame and the error
// shape every API answer shares (error-handler.ts writes it) are here, and each module contributes its own paths
// and schemas (ModuleDescription.openApi), so no module has to know the others' API.

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', examples: ['bad_request'] },
        message: { type: 'string' },
        parameter: { type: 'string', description: 'The first invalid parameter.' },
        fields: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: 'A message per invalid parameter.',
        },
        requestId: { type: 'string' },
      },
    },
  },
};

/** The merged document. Two modules describing the same path or schema is a programming error. */
export function openApiDocument(publicUrl: string, modules: readonly ModuleDescription[]): object {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = { Error: ERROR_SCHEMA };
  const add = (target: Record<string, unknown>, entries: Record<string, unknown>, what: string) => {
    for (const [name, value] of Object.entries(entries)) {
      if (name in target) throw new Error(`The OpenAPI ${what} ${name} is described twice`);
      target[name] = value;
    }
  };
  for (const module of modules) {
    if (!module.openApi) continue;
    add(paths, module.openApi.paths, 'path');
    add(schemas, module.openApi.schemas ?? {}, 'schema');
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Uppdragsbanken API',
      version: '1.0.0',
      description:
        'Search the open assignments (uppdrag) of Uppdragsbanken and estimate the salary an invoice gives through ' +
        'the simplified-enterprise account. Read-only, no authentication, CORS open for GET. ' +
        'When the search engine is unavailable the same search is answered from the database (`engine: "postgres"`).',
    },
    servers: [{ url: publicUrl }],
    paths,
    components: { schemas },
  };
}

export function openApiRoutes(deps: AppDeps, modules: readonly ModuleDescription[]): Router {
  const router = Router();
  const document = openApiDocument(deps.config.publicUrl, modules);
  router.get('/api/v1/openapi.json', (_req, res) => {
    // Open data like the API it describes: any site may read it from a browser (never with credentials).
    res.set({ 'Cache-Control': 'public, max-age=3600', 'Access-Control-Allow-Origin': '*' });
    res.json(document);
  });
  return router;
}
