import type { ModuleDescription } from '../../web/module.js';
import { profileRoutes } from './routes.js';

export const profilesModule: ModuleDescription = {
  name: 'profiles',
  routes: (deps) => [profileRoutes(deps)],
};
