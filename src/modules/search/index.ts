export { searchApiRoutes } from './api-routes.js';
export { searchPageRoutes } from './page-routes.js';
export { findVillage } from './villages.js';
export {
  checkAssignmentIndex,
  indexDiffers,
  pruneSearchTasks,
  reindexAssignments,
  SEARCH_CRONTAB,
  searchTasks,
  syncAssignment,
  syncAssignmentIndex,
  type IndexCheck,
  type SearchSyncDeps,
} from './sync.js';
export { assignmentIndexName } from './assignment-index.js';
export { watchSearchRecovery } from './recovery.js';
export { parseSearchParams, SEARCH_PARAMETERS, type SearchParams } from './params.js';
export { SEARCH_TIMEOUT_MS, searchAssignments } from './service.js';
export { HIGHLIGHT_END, HIGHLIGHT_START, type EngineName, type SearchHit, type SearchResult } from './result.js';
