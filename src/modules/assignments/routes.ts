import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { idParam } from '../../web/params.js';
import { getAttachmentFile } from './attachments.js';
import { listOpenAssignments } from './service.js';
import { assignmentRefParam, summaryCard } from './view-model.js';
import { sendStoredFile } from '../../web/files.js';

// The home page and the assignments' files. The assignment's own page is composed by the applications
// module (applications/assignment-page.ts), which sits above this one: the page carries the apply box.

export function assignmentRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const { assignments, total } = await listOpenAssignments(deps.db, { page: 1, perPage: 6 });
    res.render('home', { cards: assignments.map(summaryCard), total });
  });

  // Attachments: public with a public assignment, else only to the members of
  // its organisation (404 to everyone else). Files, never documents.
  const serveAttachment = (variant: 'full' | 'thumbnail') => async (req: Request, res: Response) => {
    const id = assignmentRefParam(req);
    const attachmentId = idParam(req, 'attachmentId');
    const file = await getAttachmentFile(deps.db, deps.storage, req.actor, id, attachmentId, variant);
    const pdf = file.contentType === 'application/pdf';
    sendStoredFile(res, file, {
      filename: pdf ? `bilaga-${file.position}.pdf` : `bild-${file.position}.webp`,
      download: pdf,
      cacheControl: file.isPublic ? 'public, max-age=300' : 'private, no-store',
    });
  };
  router.get('/uppdrag/:ref/bilagor/:attachmentId', serveAttachment('full'));
  router.get('/uppdrag/:ref/bilagor/:attachmentId/miniatyr', serveAttachment('thumbnail'));

  return router;
}
