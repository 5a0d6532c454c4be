import type { ModuleDescription } from '../../web/module.js';
import { assignmentChangedJob } from '../assignments/index.js';
import { searchApiRoutes, searchFeedRoutes } from './api-routes.js';
import { searchOpenApi } from './openapi.js';
import { searchPageRoutes } from './page-routes.js';
import { removeFromIndexNow, SEARCH_CRONTAB, searchTasks } from './sync.js';
export { findVillage } from './villages.js';
export { checkAssignmentIndex, indexDiffers, reindexAssignments, syncAssignmentIndex, type IndexCheck } from './sync.js';
export { assignmentIndexName, documentFingerprint, settingsMatch } from './assignment-index.js';
// For bench:search's measurement of a small second index (the fresh-search candidate it rejected).
export { ASSIGNMENT_INDEX_SETTINGS, loadAssignmentDocuments, type AssignmentDocument } from './assignment-index.js';
// Pieces the people index (skills module, /kompetens) shares with the assignments' search.
export { quoteFilterValue } from './meilisearch-engine.js';
export { foldDiacritics, SWEDISH_STOP_WORDS } from './swedish.js';
export { SEARCH_TIMEOUT_MS } from './service.js';
export { distanceKm, type EngineName } from './result.js';
export { watchSearchRecovery } from './recovery.js';
export { parseSearchParams, SEARCH_PARAMETERS, type SearchParams } from './params.js';
export { searchAssignments } from './service.js';

export const searchModule: ModuleDescription = {
  name: 'search',
  apiRoutes: (deps) => [searchApiRoutes(deps)],
  routes: (deps) => [searchFeedRoutes(deps), searchPageRoutes(deps)],
  tasks: ({ db, search, config, log }) => searchTasks({ db, search, indexPrefix: config.meili.indexPrefix, log }),
  crontab: [SEARCH_CRONTAB],
  searchTasks: [assignmentChangedJob.name],
  events: (deps) => ({ 'assignments.withdrawn': ({ ids }) => removeFromIndexNow(deps, ids) }),
  openApi: searchOpenApi,
};
export { buildIndexAndSwap, isIndexNotFound, settleTask } from './index-building.js';
