export { profileRoutes } from './routes.js';
export { getProfile, saveProfile, type Profile } from './service.js';
