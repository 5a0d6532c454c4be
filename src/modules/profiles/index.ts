import type { ModuleDescription } from '../../web/module.js';
import { profileRoutes } from './routes.js';
export { profileRoutes } from './routes.js';
export { getOwnCv, getProfile, removeCv, saveCv, saveProfile, type Profile } from './service.js';

export const profilesModule: ModuleDescription = {
  name: 'profiles',
  routes: (deps) => [profileRoutes(deps)],
};
