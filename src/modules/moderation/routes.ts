import { Router, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { AppDeps } from '../../web/deps.js';
import type { FormError } from '../../platform/errors.js';
import { formText } from '../../platform/validation.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { doneParam, idParam } from '../../web/params.js';
import { assignmentPath, assignmentRefParam } from '../assignments/index.js';
import { sharedRateLimitOptions } from '../../web/rate-limit-store.js';
import {
  dismissReport,
  getModerationQueue,
  getReportTarget,
  hideAssignment,
  reinstateOrganisation,
  REPORT_DETAILS_MAX,
  REPORT_REASONS,
  reportAssignment,
  restoreAssignment,
  suspendOrganisation,
  warnOrganisation,
  type ReportForm,
} from './service.js';

// "Rapportera" on every public assignment (anyone, rate limited per address)
// and the platform admins' moderation queue (404 for everyone else; rights
// and states are decided in service.ts).

/** Stored reports one address may send per hour: enough for honest use, too few to flood the queue. */
const REPORTS_PER_HOUR = 10;

const QUEUE_DONE = new Set(['hidden', 'restored', 'dismissed', 'warned', 'suspended', 'reinstated']);

export function moderationRoutes(deps: AppDeps): Router {
  const router = Router();

  const reportFormView = async (req: Request, form: ReportForm, errors: Record<string, string>) => {
    const assignment = await getReportTarget(deps.db, req.actor, assignmentRefParam(req));
    return {
      assignment,
      assignmentUrl: assignmentPath(assignment),
      action: `${assignmentPath(assignment)}/rapportera`,
      reasons: REPORT_REASONS,
      detailsMax: REPORT_DETAILS_MAX,
      form,
      errors,
    };
  };

  // Per client address, counted in PostgreSQL like the account limits.
  // Only stored reports count: a refused form or an "already reported" answer
  // stores nothing. The counter holds a keyed hash of the address, never the
  // address itself, and is deleted after its window.
  const reportLimit = rateLimit({
    ...sharedRateLimitOptions(deps, 'report-address'),
    windowMs: 60 * 60 * 1000,
    limit: REPORTS_PER_HOUR,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.locals.reportStored !== true,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res, next) => {
      const body = formBody(req);
      const form = { reason: formText(body.reason), details: formText(body.details) };
      reportFormView(req, form, { form: 'moderation.errors.tooManyReports' })
        .then((view) => res.status(429).render('moderation/report', view))
        .catch(next);
    },
  });

  router.get('/uppdrag/:ref/rapportera', noStore, async (req, res) => {
    res.render('moderation/report', await reportFormView(req, { reason: '', details: '' }, {}));
  });

  router.post('/uppdrag/:ref/rapportera', noStore, reportLimit, async (req, res) => {
    const id = assignmentRefParam(req);
    const again = async (error: FormError<ReportForm>) => ({
      view: 'moderation/report',
      locals: await reportFormView(req, error.form, error.fields),
    });
    await orFormAgain(res, again, async () => {
      const outcome = await reportAssignment(deps.db, req.actor, id, formBody(req));
      if (outcome.result === 'alreadyReported') {
        res.render('moderation/report-thanks', {
          assignment: outcome.assignment,
          assignmentUrl: assignmentPath(outcome.assignment),
          already: true,
        });
        return;
      }
      res.locals.reportStored = true;
      res.redirect(303, `${assignmentPath(outcome.assignment)}/rapportera/tack`);
    });
  });

  router.get('/uppdrag/:ref/rapportera/tack', noStore, async (req, res) => {
    const assignment = await getReportTarget(deps.db, req.actor, assignmentRefParam(req));
    res.render('moderation/report-thanks', { assignment, assignmentUrl: assignmentPath(assignment), already: false });
  });

  // --- the admin queue -------------------------------------------------------

  /** The queue; after a refused form, with its messages and text (keyed "<form id>-<field>"). */
  const queueView = async (req: Request, formId?: string, error?: FormError<Record<string, string>>) => {
    const prefix = (record: Record<string, string>) =>
      Object.fromEntries(Object.entries(record).map(([field, value]) => [`${formId}-${field}`, value]));
    return {
      queue: await getModerationQueue(deps.db, req.actor),
      errors: error ? prefix(error.fields) : {},
      values: error ? prefix(error.form) : {},
      done: doneParam(req, QUEUE_DONE),
    };
  };

  router.get('/admin/moderering', noStore, async (req, res) => {
    res.render('moderation/queue', await queueView(req));
  });

  /**
   * Runs a moderator's form: back to the queue when done, the queue with the
   * form's messages (400) when its text is missing or too long.
   */
  const moderatorAction =
    (formId: (req: Request) => string, action: (req: Request) => Promise<string>) => async (req: Request, res: Response) => {
      const again = async (error: FormError<Record<string, string>>) => ({
        view: 'moderation/queue',
        locals: await queueView(req, formId(req), error),
      });
      await orFormAgain(res, again, async () => res.redirect(303, `/admin/moderering?done=${await action(req)}`));
    };

  /**
   * Hidden and suspended must leave search at once: the index job is enqueued
   * in the transaction (the guarantee), and right after the commit the
   * "assignments.withdrawn" event lets search remove the documents directly,
   * so search does not wait for the worker to pick the job up. With an idle
   * worker that saves little (LISTEN/NOTIFY starts the job within
   * milliseconds; Meilisearch's own task dominates, and both paths wait for
   * it), but it keeps the removal independent of a busy queue (a reindex, a
   * mail backlog) or a worker in another process (RUN_WORKER=false).
   */
  const dropFromSearchNow = (ids: number[]) => deps.events.emit('assignments.withdrawn', { ids });

  router.post(
    '/admin/uppdrag/:assignmentId/dolj',
    noStore,
    moderatorAction(
      (req) => `hide-${idParam(req, 'assignmentId')}`,
      async (req) => {
        const ids = await hideAssignment(deps.db, req.actor, idParam(req, 'assignmentId'), formBody(req));
        await dropFromSearchNow(ids);
        return 'hidden';
      },
    ),
  );

  router.post('/admin/uppdrag/:assignmentId/aterstall', noStore, async (req, res) => {
    await restoreAssignment(deps.db, req.actor, idParam(req, 'assignmentId'));
    res.redirect(303, '/admin/moderering?done=restored');
  });

  router.post('/admin/rapporter/:reportId/avfarda', noStore, async (req, res) => {
    await dismissReport(deps.db, req.actor, idParam(req, 'reportId'));
    res.redirect(303, '/admin/moderering?done=dismissed');
  });

  router.post(
    '/admin/organisationer/:slug/varna',
    noStore,
    moderatorAction(
      (req) => `warn-${req.params.slug as string}`,
      async (req) => {
        await warnOrganisation(deps.db, req.actor, req.params.slug as string, formBody(req));
        return 'warned';
      },
    ),
  );

  router.post(
    '/admin/organisationer/:slug/stang-av',
    noStore,
    moderatorAction(
      (req) => `suspend-${req.params.slug as string}`,
      async (req) => {
        const ids = await suspendOrganisation(deps.db, req.actor, req.params.slug as string, formBody(req));
        await dropFromSearchNow(ids);
        return 'suspended';
      },
    ),
  );

  router.post('/admin/organisationer/:slug/oppna', noStore, async (req, res) => {
    await reinstateOrganisation(deps.db, req.actor, req.params.slug);
    res.redirect(303, '/admin/moderering?done=reinstated');
  });

  return router;
}
