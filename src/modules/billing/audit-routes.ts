import { Router, type Request, type Response } from 'express';
import { formatDateTime } from '../../platform/calendar.js';
import { noStore } from '../../web/cache.js';
import type { AppDeps } from '../../web/deps.js';
import { AUDIT_KINDS, AUDIT_LIST_LIMIT, auditKindFrom, listAuditLog } from './audit.js';

// The audit log (issue 12 item 7) for payroll staff (/lon/logg) and platform admins (/admin/logg): the newest
// events, filtered by kind in the address (a GET form, so it works without JavaScript). 404 for everyone else.

export function auditRoutes(deps: AppDeps): Router {
  const router = Router();

  const show = (audience: 'payroll' | 'admin', path: string) => async (req: Request, res: Response) => {
    const raw = req.query.typ;
    const typed = typeof raw === 'string' ? raw.slice(0, 60) : '';
    const kind = auditKindFrom(typed);
    const refused = (raw !== undefined && typeof raw !== 'string') || (typed !== '' && kind === undefined);
    // Authorised before a refused filter is answered: the 400 must not tell an outsider the page exists.
    const rows = await listAuditLog(deps.db, req.actor, audience, refused ? undefined : kind);
    const lang = res.locals.lang as string;
    res.status(refused ? 400 : 200).render('billing/audit-log', {
      path,
      rows: refused ? [] : rows,
      kinds: AUDIT_KINDS,
      typed,
      errors: refused ? { typ: 'auditLog.errors.kind' } : {},
      limit: AUDIT_LIST_LIMIT,
      when: (at: Date) => formatDateTime(at, lang, 'exactDateTime'),
    });
  };

  router.get('/lon/logg', noStore, show('payroll', '/lon/logg'));
  router.get('/admin/logg', noStore, show('admin', '/admin/logg'));

  return router;
}
