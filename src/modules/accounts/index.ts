import type { ModuleDescription } from '../../web/module.js';
import { accountRoutes } from './routes.js';
export { authenticate, canVerifyEmail, createAdmin, getSessionUser, signUp, verifyEmail, type SessionUser } from './service.js';
export { accountRoutes } from './routes.js';
export { hashPassword } from './passwords.js';

export const accountsModule: ModuleDescription = {
  name: 'accounts',
  routes: (deps) => [accountRoutes(deps)],
};
