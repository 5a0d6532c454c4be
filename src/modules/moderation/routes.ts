import { Router, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { AppDeps } from '../../web/deps.js';
import { notFound } from '../../platform/errors.js';
import { assignmentPath, parseAssignmentRef } from '../assignments/index.js';
import { sharedRateLimitOptions } from '../../web/rate-limit-store.js';
import {
  dismissReport,
  getModerationQueue,
  getReportTarget,
  hideAssignment,
  ModerationFormError,
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

const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

/** An id in a path: digits only, else NaN (the service answers 404). */
const idParam = (value: unknown): number => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN);

/** The assignment id of /uppdrag/:ref/…, or 404. */
const refParam = (req: Request): number => {
  const id = parseAssignmentRef(req.params.ref as string);
  if (id === undefined) throw notFound();
  return id;
};

const bodyOf = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

export function moderationRoutes(deps: AppDeps): Router {
  const router = Router();

  const renderReportForm = async (
    req: Request,
    res: Response,
    status: number,
    form: ReportForm,
    errors: Record<string, string>,
  ) => {
    const assignment = await getReportTarget(deps.db, req.actor, refParam(req));
    res.status(status).render('moderation/report', {
      assignment,
      assignmentUrl: assignmentPath(assignment),
      action: `${assignmentPath(assignment)}/rapportera`,
      reasons: REPORT_REASONS,
      detailsMax: REPORT_DETAILS_MAX,
      form,
      errors,
    });
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
      noStore(res);
      const body = bodyOf(req);
      const form = {
        reason: typeof body.reason === 'string' ? body.reason : '',
        details: typeof body.details === 'string' ? body.details : '',
      };
      renderReportForm(req, res, 429, form, { form: 'moderation.errors.tooManyReports' }).catch(next);
    },
  });

  router.get('/uppdrag/:ref/rapportera', async (req, res) => {
    noStore(res);
    await renderReportForm(req, res, 200, { reason: '', details: '' }, {});
  });

  router.post('/uppdrag/:ref/rapportera', reportLimit, async (req, res) => {
    noStore(res);
    const id = refParam(req);
    let outcome;
    try {
      outcome = await reportAssignment(deps.db, req.actor, id, bodyOf(req));
    } catch (error) {
      if (!(error instanceof ModerationFormError)) throw error;
      await renderReportForm(req, res, 400, error.form as ReportForm, error.fields);
      return;
    }
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

  router.get('/uppdrag/:ref/rapportera/tack', async (req, res) => {
    noStore(res);
    const assignment = await getReportTarget(deps.db, req.actor, refParam(req));
    res.render('moderation/report-thanks', { assignment, assignmentUrl: assignmentPath(assignment), already: false });
  });

  // --- the admin queue -------------------------------------------------------

  /** The queue; after a refused form, with its messages and text (keyed "<form id>-<field>"). */
  const renderQueue = async (
    req: Request,
    res: Response,
    status = 200,
    formId?: string,
    error?: ModerationFormError<Record<string, string>>,
  ) => {
    const prefix = (record: Record<string, string>) =>
      Object.fromEntries(Object.entries(record).map(([field, value]) => [`${formId}-${field}`, value]));
    res.status(status).render('moderation/queue', {
      queue: await getModerationQueue(deps.db, req.actor),
      errors: error ? prefix(error.fields) : {},
      values: error ? prefix(error.form) : {},
      done: typeof req.query.done === 'string' && QUEUE_DONE.has(req.query.done) ? req.query.done : undefined,
    });
  };

  router.get('/admin/moderering', async (req, res) => {
    noStore(res);
    await renderQueue(req, res);
  });

  /**
   * Runs a moderator's form: back to the queue when done, the queue with the
   * form's messages (400) when its text is missing or too long.
   */
  const moderatorAction =
    (formId: (req: Request) => string, action: (req: Request) => Promise<string>) => async (req: Request, res: Response) => {
      noStore(res);
      let done;
      try {
        done = await action(req);
      } catch (error) {
        if (!(error instanceof ModerationFormError)) throw error;
        await renderQueue(req, res, 400, formId(req), error as ModerationFormError<Record<string, string>>);
        return;
      }
      res.redirect(303, `/admin/moderering?done=${done}`);
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
    moderatorAction(
      (req) => `hide-${idParam(req.params.assignmentId)}`,
      async (req) => {
        const ids = await hideAssignment(deps.db, req.actor, idParam(req.params.assignmentId), bodyOf(req));
        await dropFromSearchNow(ids);
        return 'hidden';
      },
    ),
  );

  router.post('/admin/uppdrag/:assignmentId/aterstall', async (req, res) => {
    noStore(res);
    await restoreAssignment(deps.db, req.actor, idParam(req.params.assignmentId));
    res.redirect(303, '/admin/moderering?done=restored');
  });

  router.post('/admin/rapporter/:reportId/avfarda', async (req, res) => {
    noStore(res);
    await dismissReport(deps.db, req.actor, idParam(req.params.reportId));
    res.redirect(303, '/admin/moderering?done=dismissed');
  });

  router.post(
    '/admin/organisationer/:slug/varna',
    moderatorAction(
      (req) => `warn-${req.params.slug as string}`,
      async (req) => {
        await warnOrganisation(deps.db, req.actor, req.params.slug as string, bodyOf(req));
        return 'warned';
      },
    ),
  );

  router.post(
    '/admin/organisationer/:slug/stang-av',
    moderatorAction(
      (req) => `suspend-${req.params.slug as string}`,
      async (req) => {
        const ids = await suspendOrganisation(deps.db, req.actor, req.params.slug as string, bodyOf(req));
        await dropFromSearchNow(ids);
        return 'suspended';
      },
    ),
  );

  router.post('/admin/organisationer/:slug/oppna', async (req, res) => {
    noStore(res);
    await reinstateOrganisation(deps.db, req.actor, req.params.slug as string);
    res.redirect(303, '/admin/moderering?done=reinstated');
  });

  return router;
}
