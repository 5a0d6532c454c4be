import type { ModuleDescription } from '../../web/module.js';
import { organisationRoutes } from './routes.js';

export const organisationsModule: ModuleDescription = {
  name: 'organisations',
  routes: (deps) => [organisationRoutes(deps)],
};
