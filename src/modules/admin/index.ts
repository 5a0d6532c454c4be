import type { ModuleDescription } from '../../web/module.js';
import { adminRoutes } from './routes.js';
export { appointOfficer, appointPayrollStaff } from './service.js';

export const adminModule: ModuleDescription = {
  name: 'admin',
  routes: (deps) => [adminRoutes(deps)],
};
