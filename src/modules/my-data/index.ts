import type { ModuleDescription } from '../../web/module.js';
import { myDataRoutes } from './routes.js';

export const myDataModule: ModuleDescription = {
  name: 'my-data',
  routes: (deps) => [myDataRoutes(deps)],
};
