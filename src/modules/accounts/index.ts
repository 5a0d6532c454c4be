import type { ModuleDescription } from '../../web/module.js';
import { accountRoutes } from './routes.js';
export { authenticate, createAdmin, getSessionUser } from './service.js';
export { hashPassword } from './passwords.js';

export const accountsModule: ModuleDescription = {
  name: 'accounts',
  routes: (deps) => [accountRoutes(deps)],
};
