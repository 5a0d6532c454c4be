export { profileRoutes } from './routes.js';
export { getOwnCv, getProfile, removeCv, saveCv, saveProfile, type Profile } from './service.js';
