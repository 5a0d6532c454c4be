import type { ModuleDescription } from '../../web/module.js';
import { openDataOpenApi } from './open-data-openapi.js';
import { openDataRoutes } from './open-data-routes.js';
import { dashboardRoutes } from './routes.js';

// Statistics (issue 13, PRODUCT.md "Statistics for municipality officers"): the officer's dashboard of local
// labour demand for the municipalities in their scope, and the same suppressed aggregates as open data for
// everyone. Read-only: it reads assignments, applications, profiles and payroll's salaries, and its code writes
// nothing; the one table of its own, statistics_acceptances, is kept by database triggers (its migration says how).
// Every figure passes suppression.ts before any view, export or API sees it.

export const statsModule: ModuleDescription = {
  name: 'stats',
  routes: (deps) => [openDataRoutes(deps), dashboardRoutes(deps)],
  openApi: openDataOpenApi,
};
