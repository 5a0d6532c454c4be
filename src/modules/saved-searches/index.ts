export { oneClickUnsubscribeRoutes, savedSearchRoutes } from './routes.js';
export {
  DAILY_ALERTS_TASK,
  SAVED_SEARCH_CRONTAB,
  savedSearchTasks,
  sendDailyAlerts,
  sendInstantAlerts,
  type AlertDeps,
  type AlertTaskDeps,
} from './alerts.js';
export { recommendedAssignments, RECOMMENDED_MAX, type Recommendations } from './recommended.js';
export { unsubscribeToken } from './tokens.js';
