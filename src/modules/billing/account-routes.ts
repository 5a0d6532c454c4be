import { Router } from 'express';
import type { AppDeps } from '../../web/deps.js';

// Placeholder while issue 11 is being built: no routes yet.
export function enterpriseAccountRoutes(_deps: AppDeps): Router {
  return Router();
}
