export { authenticate, canVerifyEmail, createAdmin, getSessionUser, signUp, verifyEmail, type SessionUser } from './service.js';
export { accountRoutes } from './routes.js';
