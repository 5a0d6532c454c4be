import type { ModuleDescription } from '../../web/module.js';
import { organisationRoutes } from './routes.js';
import { wayInRoutes } from './way-in-routes.js';
export { countUnverifiedOrganisations } from './queries.js';

export const organisationsModule: ModuleDescription = {
  name: 'organisations',
  routes: (deps) => [organisationRoutes(deps), wayInRoutes(deps)],
};
