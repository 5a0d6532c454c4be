export { searchRoutes } from './routes.js';
export { searchTasks, syncAssignment, syncAssignmentIndex, type SearchSyncDeps } from './sync.js';
export { assignmentIndexName } from './assignment-index.js';
