import { Router } from 'express';
import type { Db } from '../platform/db.js';
import { noStore } from './cache.js';

// The demo logins (seeds/demo-logins.ts), for a newcomer who wants to try each
// role: written only by the demo seed outside production, so an external
// database or a test database has none and the page says why. Like /dev/mail,
// the router does not look at the environment; app.ts mounts it only outside
// production.

export interface DemoLoginRow {
  role: string;
  email: string;
  password: string;
  /** Changed since the seed made it: the listed password no longer works. */
  passwordChanged: boolean;
}

export async function listDemoLogins(db: Db): Promise<DemoLoginRow[]> {
  // The e-mail comes from users, so a changed address shows as it is now.
  const rows = await db('demo_logins as dl')
    .join('users as u', 'u.id', 'dl.user_id')
    .orderBy('dl.id')
    .select<Array<{ role: string; email: string; password: string; password_changed: boolean }>>(
      'dl.role',
      'u.email',
      'dl.password',
      db.raw('u.password_changed_at IS DISTINCT FROM dl.created_at AS password_changed'),
    );
  return rows.map((row) => ({ role: row.role, email: row.email, password: row.password, passwordChanged: row.password_changed }));
}

export function devAccountRoutes(deps: { db: Db }): Router {
  const router = Router();

  // no-store: passwords
  router.get('/dev/konton', noStore, async (_req, res) => {
    res.render('dev/accounts', { logins: await listDemoLogins(deps.db) });
  });

  return router;
}
