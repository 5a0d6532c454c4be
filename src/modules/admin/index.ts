export { adminRoutes } from './routes.js';
export { appointOfficer, getOverview, listOfficers, removeOfficer } from './service.js';
