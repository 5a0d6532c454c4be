import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { notFound } from '../../platform/errors.js';
import { getApplyBox } from '../applications/index.js';
import { getAttachmentFile, listAttachments } from './attachments.js';
import { getPublicAssignment, listOpenAssignments } from './service.js';
import { textBlocks } from '../../web/text-blocks.js';
import { jobPostingJsonLd } from './structured-data.js';
import { assignmentPath, excerpt, parseAssignmentRef, summaryCard } from './view-model.js';
import { sendStoredFile } from '../../web/files.js';

export function assignmentRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const { assignments, total } = await listOpenAssignments(deps.db, { page: 1, perPage: 6 });
    res.render('home', { cards: assignments.map(summaryCard), total });
  });

  router.get('/uppdrag/:ref', async (req, res) => {
    const id = parseAssignmentRef(req.params.ref);
    if (id === undefined) throw notFound();
    const assignment = await getPublicAssignment(deps.db, id);
    const canonical = assignmentPath(assignment);
    if (req.path !== canonical) {
      // Old or missing slug (the title changed, or a bare id was shared): one canonical URL.
      const query = req.originalUrl.indexOf('?');
      res.redirect(301, canonical + (query >= 0 ? req.originalUrl.slice(query) : ''));
      return;
    }
    const firstParagraph = textBlocks(assignment.description).find((block) => block.type === 'paragraph');
    res.render('assignments/detail', {
      assignment,
      attachments: await listAttachments(deps.db, assignment.id),
      attachmentBase: `${canonical}/bilagor`,
      applyBox: await getApplyBox(deps.db, req.actor, assignment),
      canonicalUrl: deps.config.publicUrl + canonical,
      jsonLd: jobPostingJsonLd(assignment, deps.config.publicUrl + canonical),
      metaDescription: excerpt(firstParagraph?.type === 'paragraph' ? firstParagraph.lines.join(' ') : assignment.description),
    });
  });

  // Attachments: public with a public assignment, else only to the members of
  // its organisation (404 to everyone else). Files, never documents.
  const serveAttachment = (variant: 'full' | 'thumbnail') => async (req: Request, res: Response) => {
    const id = parseAssignmentRef(req.params.ref as string);
    const attachmentId =
      typeof req.params.attachmentId === 'string' && /^\d{1,15}$/.test(req.params.attachmentId)
        ? Number(req.params.attachmentId)
        : NaN;
    if (id === undefined) throw notFound();
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
