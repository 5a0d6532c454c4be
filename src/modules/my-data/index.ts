import type { ModuleDescription } from '../../web/module.js';
import { myDataRoutes } from './routes.js';
export { myDataRoutes } from './routes.js';
export { deleteMyAccount, exportMyData } from './service.js';
export { USER_REFERENCES } from './user-data.js';

export const myDataModule: ModuleDescription = {
  name: 'my-data',
  routes: (deps) => [myDataRoutes(deps)],
};
