import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import { assignmentPath, excerpt, getPublicAssignment, parseAssignmentRef, PUBLIC_STATUSES } from '../assignments/index.js';
import { feedbackAboutResident, feedbackPath } from '../feedback/index.js';
import { unreadMessageCounts } from './messages.js';
import { emptyApplyForm, type ApplyForm, type DeclineForm } from './schemas.js';
import {
  acceptApplication,
  ApplyFormError,
  applicantListPath,
  applicationPath,
  applyToAssignment,
  DeclineFormError,
  declineApplication,
  getApplicantCv,
  getApplicationPage,
  listApplicants,
  listOwnApplications,
  toggleShortlist,
  withdrawApplication,
} from './service.js';
import { sendStoredFile } from '../../web/files.js';

// Applying, the application page, the organisation's applicant list and
// decisions, and "Mina ansökningar". Rights and states are decided in
// service.ts; refusals the user should read (a full assignment, a second
// application) are shown on the page they came from, not as a bare error.

const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

/** An id in a path: digits only, else NaN (the service answers 404 after deciding the right). */
const idParam = (value: unknown): number => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN);

const DONE = new Set(['sent', 'withdrawn', 'shortlisted', 'submitted', 'accepted', 'declined']);
const doneOf = (req: Request) => (typeof req.query.done === 'string' && DONE.has(req.query.done) ? req.query.done : undefined);

/** A refusal with a message of its own for the reader (see service.ts). */
const readableRefusal = (error: unknown): error is AppError =>
  error instanceof AppError && error.message.startsWith('applications.errors.');

/** Where a decision was taken: the applicant list, or the application's own page. */
const fromList = (req: Request) => (req.body as Record<string, unknown> | undefined)?.from === 'list';

export function applicationRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/konto/ansokningar', async (req, res) => {
    noStore(res);
    const applications = await listOwnApplications(deps.db, req.actor);
    const unread = await unreadMessageCounts(
      deps.db,
      req.actor.userId!,
      applications.map((application) => application.id),
    );
    res.render('applications/mine', { applications, assignmentPath, unread, feedbackPath });
  });

  // --- applying ---------------------------------------------------------------

  router.post('/uppdrag/:ref/ansok', async (req, res) => {
    noStore(res);
    const id = parseAssignmentRef(req.params.ref);
    if (id === undefined) throw notFound();
    try {
      const { applicationId } = await applyToAssignment(deps.db, req.actor, id, (req.body ?? {}) as Record<string, unknown>);
      res.redirect(303, `${applicationPath(applicationId)}?done=sent`);
    } catch (error) {
      if (!(error instanceof ApplyFormError) && !readableRefusal(error)) throw error;
      const assignment = await getPublicAssignment(deps.db, id);
      const form: ApplyForm = error instanceof ApplyFormError ? error.form : emptyApplyForm();
      res.status(error.status).render('applications/apply', {
        assignment,
        assignmentUrl: assignmentPath(assignment),
        form,
        errors: error instanceof ApplyFormError ? error.fields : {},
        problem: error instanceof ApplyFormError ? undefined : error.message,
        ownApplicationUrl: error.fields.applicationId ? applicationPath(Number(error.fields.applicationId)) : undefined,
      });
    }
  });

  // --- one application --------------------------------------------------------

  const renderApplication = async (
    req: Request,
    res: Response,
    status: number,
    extra: { problem?: string; declineForm?: DeclineForm; declineErrors?: Record<string, string> } = {},
  ) => {
    const page = await getApplicationPage(deps.db, req.actor, idParam(req.params.applicationId));
    const publicAssignment = !page.assignment.hidden && (PUBLIC_STATUSES as readonly string[]).includes(page.assignment.status);
    const unread = await unreadMessageCounts(deps.db, req.actor.userId!, [page.application.id]);
    res.status(status).render('applications/show', {
      ...page,
      unreadMessages: unread.get(page.application.id) ?? 0,
      // What other organisations said about the applicant belongs to the profile: shown only with it.
      residentFeedback: page.profile ? await feedbackAboutResident(deps.db, page.application.applicantId) : undefined,
      feedbackUrl:
        page.application.status === 'accepted' && page.assignment.status === 'completed'
          ? feedbackPath(page.application.id)
          : undefined,
      assignmentUrl: publicAssignment ? assignmentPath(page.assignment) : undefined,
      applicantsUrl: applicantListPath(page.organisation.slug, page.assignment.id),
      done: doneOf(req),
      problem: extra.problem,
      declineForm: extra.declineForm ?? { declineMessage: '' },
      declineErrors: extra.declineErrors ?? {},
    });
  };

  router.get('/ansokningar/:applicationId', async (req, res) => {
    noStore(res);
    await renderApplication(req, res, 200);
  });

  // The applicant's CV, for the organisation's members while the application shares it.
  router.get('/ansokningar/:applicationId/cv', async (req, res) => {
    const cv = await getApplicantCv(deps.db, deps.storage, req.actor, idParam(req.params.applicationId));
    sendStoredFile(res, cv, { filename: 'cv.pdf', download: true, cacheControl: 'no-store' });
  });

  // --- decisions (order matters to test/access.test.ts: shortlist, accept, decline, withdraw) ---

  /** Runs a decision; afterwards back to the page it was taken on, or that page with the refusal. */
  const decision =
    (run: (req: Request) => Promise<{ organisationSlug: string; assignmentId: number; done: string }>) =>
    async (req: Request, res: Response) => {
      noStore(res);
      const id = idParam(req.params.applicationId);
      try {
        const { organisationSlug, assignmentId, done } = await run(req);
        res.redirect(
          303,
          fromList(req)
            ? `${applicantListPath(organisationSlug, assignmentId)}?done=${done}#ansokan-${id}`
            : `${applicationPath(id)}?done=${done}`,
        );
      } catch (error) {
        if (error instanceof DeclineFormError) {
          await renderApplication(req, res, 400, { declineForm: error.form, declineErrors: error.fields });
          return;
        }
        if (!readableRefusal(error)) throw error;
        if (fromList(req)) {
          const { application, organisation } = await getApplicationPage(deps.db, req.actor, id);
          await renderApplicantList(req, res, organisation.slug, application.assignmentId, error.status, error.message);
        } else {
          await renderApplication(req, res, error.status, { problem: error.message });
        }
      }
    };

  router.post(
    '/ansokningar/:applicationId/kortlista',
    decision(async (req) => {
      const { organisation, assignment, status } = await toggleShortlist(deps.db, req.actor, idParam(req.params.applicationId));
      return { organisationSlug: organisation.slug, assignmentId: assignment.id, done: status };
    }),
  );

  router.post(
    '/ansokningar/:applicationId/acceptera',
    decision(async (req) => {
      const { organisation, assignment } = await acceptApplication(deps.db, req.actor, idParam(req.params.applicationId));
      return { organisationSlug: organisation.slug, assignmentId: assignment.id, done: 'accepted' };
    }),
  );

  router.post(
    '/ansokningar/:applicationId/avboj',
    decision(async (req) => {
      const { organisation, assignment } = await declineApplication(
        deps.db,
        req.actor,
        idParam(req.params.applicationId),
        (req.body ?? {}) as Record<string, unknown>,
      );
      return { organisationSlug: organisation.slug, assignmentId: assignment.id, done: 'declined' };
    }),
  );

  router.post('/ansokningar/:applicationId/aterkalla', async (req, res) => {
    noStore(res);
    const id = idParam(req.params.applicationId);
    try {
      await withdrawApplication(deps.db, req.actor, id);
    } catch (error) {
      if (!readableRefusal(error)) throw error;
      await renderApplication(req, res, error.status, { problem: error.message });
      return;
    }
    res.redirect(303, `${applicationPath(id)}?done=withdrawn`);
  });

  // --- the organisation's applicant list -------------------------------------

  const renderApplicantList = async (
    req: Request,
    res: Response,
    slug: string,
    assignmentId: number,
    status: number,
    problem?: string,
  ) => {
    const list = await listApplicants(deps.db, req.actor, slug, assignmentId);
    const unread = await unreadMessageCounts(
      deps.db,
      req.actor.userId!,
      list.applications.map((application) => application.id),
    );
    res.status(status).render('applications/list', { ...list, done: doneOf(req), problem, excerpt, unread });
  };

  router.get('/organisationer/:slug/uppdrag/:assignmentId/ansokningar', async (req, res) => {
    noStore(res);
    await renderApplicantList(req, res, req.params.slug, idParam(req.params.assignmentId), 200);
  });

  return router;
}
