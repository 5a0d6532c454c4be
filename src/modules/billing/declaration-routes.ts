import { Router } from 'express';
import { badRequest } from '../../platform/errors.js';
import { noStore } from '../../web/cache.js';
import type { AppDeps } from '../../web/deps.js';
import { sendDownload } from '../../web/downloads.js';
import {
  checkDeclarationMonth,
  DECLARATION_FILE_PATH,
  DECLARATION_PATH,
  getDeclarationFile,
  getDeclarationPreview,
} from './declaration-service.js';
import { requirePayroll } from './payments-service.js';

// The monthly employer declaration for payroll staff (for everyone else the place does not exist: 404): the
// preview with masked numbers, and the XML file with full ones. The file is never cached and never logged.

export function declarationRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get(DECLARATION_PATH, noStore, async (req, res) => {
    requirePayroll(req.actor);
    const month = checkDeclarationMonth(req.query.month);
    if (!month.ok) {
      res.status(400).render('billing/declaration', { month: month.typed, errors: { month: month.message } });
      return;
    }
    const preview = await getDeclarationPreview(deps.db, req.actor, month.month);
    res.render('billing/declaration', {
      month: month.month,
      errors: {},
      preview,
      filePath: `${DECLARATION_FILE_PATH}?month=${month.month}`,
    });
  });

  router.get(DECLARATION_FILE_PATH, noStore, async (req, res) => {
    requirePayroll(req.actor);
    const month = checkDeclarationMonth(req.query.month);
    if (!month.ok) throw badRequest(month.message);
    const file = await getDeclarationFile(deps.db, deps.dataKeys, req.actor, month.month);
    await sendDownload(res, { filename: file.filename, contentType: 'application/xml; charset=utf-8', body: file.body });
  });

  return router;
}
