export { myDataRoutes } from './routes.js';
export { deleteMyAccount, exportMyData } from './service.js';
export { USER_REFERENCES } from './user-data.js';
