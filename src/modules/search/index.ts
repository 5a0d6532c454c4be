export { searchApiRoutes } from './api-routes.js';
export { searchPageRoutes } from './page-routes.js';
export { searchTasks, syncAssignment, syncAssignmentIndex, type SearchSyncDeps } from './sync.js';
export { assignmentIndexName } from './assignment-index.js';
