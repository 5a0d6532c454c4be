import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { AppError, FormError } from '../../platform/errors.js';
import { noStore } from '../../web/cache.js';
import { formBody, formErrorOr, orFormAgain } from '../../web/forms.js';
import { doneParam, idParam } from '../../web/params.js';
import { assignmentPath, excerpt, getPublicAssignment, assignmentRefParam, PUBLIC_STATUSES } from '../assignments/index.js';
import { selectApplicationBilling, type ApplicationBilling } from '../billing/index.js';
import { feedbackAboutResident, feedbackPath } from '../feedback/index.js';
import { unreadMessageCounts } from './messages.js';
import { emptyApplyForm, type DeclineForm } from './schemas.js';
import {
  acceptApplication,
  applicantListPath,
  applicationPath,
  applyToAssignment,
  canBeWithdrawn,
  declineApplication,
  getApplicantCv,
  getApplicationPage,
  getWithdrawalToConfirm,
  listApplicants,
  listOwnApplications,
  toggleShortlist,
  withdrawApplication,
} from './service.js';
import { sendStoredFile } from '../../web/files.js';

// Applying, the application page, the organisation's applicant list and
// decisions, and "Mina intresseanmälningar". Rights and states are decided in
// service.ts; refusals the user should read (a full assignment, a second
// application) are shown on the page they came from, not as a bare error.

const DONE = new Set(['sent', 'withdrawn', 'shortlisted', 'submitted', 'accepted', 'declined']);

/** A refusal with a message of its own for the reader (see service.ts). */
const readableRefusal = (error: unknown): error is AppError =>
  error instanceof AppError && error.message.startsWith('applications.errors.');

type TimelineStepKey = 'sent' | 'shortlisted' | 'accepted' | 'declined' | 'withdrawn' | 'completed' | 'billed' | 'paid';
interface TimelineStep {
  key: TimelineStepKey;
  state: 'done' | 'current' | 'upcoming' | 'skipped';
  date?: Date | string;
}

/**
 * Where the application stands: sent → shortlisted → accepted → completed → billed (the basis approved, the invoice
 * issued) → paid (the salary paid out). The latest step reached is the current one (the view says what happens
 * next there). The applicant is not told about the shortlist (applicantStatus in the locale files), so their
 * timeline leaves that step out; volunteer work is never billed or paid.
 */
function applicationTimeline(
  { application, assignment, isMember }: Awaited<ReturnType<typeof getApplicationPage>>,
  billing: ApplicationBilling | undefined,
): TimelineStep[] {
  const ended = application.status === 'declined' || application.status === 'withdrawn';
  const accepted = application.status === 'accepted';
  const completed = accepted && assignment.status === 'completed';
  const billed = completed && billing?.basisStatus === 'approved';
  const paid = billed && Boolean(billing?.salaryPaidOn);
  const reached: Array<[TimelineStepKey, boolean, (Date | string | null | undefined)?]> = [
    ['sent', true, application.createdAt],
    ...(isMember ? [['shortlisted', application.status === 'shortlisted' || accepted] as [TimelineStepKey, boolean]] : []),
    ...(ended
      ? [[application.status, true, application.decidedAt ?? application.updatedAt] as [TimelineStepKey, boolean, Date]]
      : []),
    ['accepted', accepted, application.decidedAt],
    ['completed', completed, billing?.completedAt],
    ...(billing?.volunteer
      ? []
      : ([
          ['billed', billed, billing?.invoiceDate ?? billing?.basisApprovedAt],
          ['paid', paid, billing?.salaryPaidOn],
        ] as Array<[TimelineStepKey, boolean, string | Date | null | undefined]>)),
  ];
  const current = reached.map(([, done]) => done).lastIndexOf(true);
  return reached.map(([key, done, date], index) => ({
    key,
    state: index === current ? 'current' : done ? 'done' : ended ? 'skipped' : 'upcoming',
    ...(done && date ? { date } : {}),
  }));
}

/** Where a decision was taken: the applicant list, or the application's own page. */
const fromList = (req: Request) => formBody(req).from === 'list';

export function applicationRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/konto/ansokningar', noStore, async (req, res) => {
    const applications = await listOwnApplications(deps.db, req.actor);
    const unread = await unreadMessageCounts(
      deps.db,
      req.actor.userId!,
      applications.map((application) => application.id),
    );
    res.render('applications/mine', { applications, assignmentPath, unread, feedbackPath });
  });

  // --- applying ---------------------------------------------------------------

  router.post('/uppdrag/:ref/ansok', noStore, async (req, res) => {
    const id = assignmentRefParam(req);
    const again = async (error: AppError) => {
      const assignment = await getPublicAssignment(deps.db, id);
      const refusedForm = error instanceof FormError ? error : undefined;
      return {
        view: 'applications/apply',
        locals: {
          assignment,
          assignmentUrl: assignmentPath(assignment),
          form: refusedForm ? refusedForm.form : emptyApplyForm(),
          errors: refusedForm ? refusedForm.fields : {},
          problem: refusedForm ? undefined : error.message,
          ownApplicationUrl: error.fields.applicationId ? applicationPath(Number(error.fields.applicationId)) : undefined,
        },
      };
    };
    await orFormAgain(res, formErrorOr(readableRefusal), again, async () => {
      const { applicationId } = await applyToAssignment(deps.db, req.actor, id, formBody(req));
      res.redirect(303, `${applicationPath(applicationId)}?done=sent`);
    });
  });

  // --- one application --------------------------------------------------------

  const applicationView = async (
    req: Request,
    extra: { problem?: string; declineForm?: DeclineForm; declineErrors?: Record<string, string> } = {},
  ) => {
    const page = await getApplicationPage(deps.db, req.actor, idParam(req, 'applicationId'));
    const publicAssignment = !page.assignment.hidden && (PUBLIC_STATUSES as readonly string[]).includes(page.assignment.status);
    const unread = await unreadMessageCounts(deps.db, req.actor.userId!, [page.application.id]);
    const billing =
      page.application.status === 'accepted' ? await selectApplicationBilling(deps.db, page.application.id) : undefined;
    return {
      ...page,
      timeline: applicationTimeline(page, billing),
      billing,
      unreadMessages: unread.get(page.application.id) ?? 0,
      // What other organisations said about the applicant belongs to the profile: shown only with it.
      residentFeedback: page.profile ? await feedbackAboutResident(deps.db, page.application.applicantId) : undefined,
      feedbackUrl:
        page.application.status === 'accepted' && page.assignment.status === 'completed'
          ? feedbackPath(page.application.id)
          : undefined,
      assignmentUrl: publicAssignment ? assignmentPath(page.assignment) : undefined,
      applicantsUrl: applicantListPath(page.organisation.slug, page.assignment.id),
      canWithdraw: page.isApplicant && canBeWithdrawn(page),
      done: doneParam(req, DONE),
      problem: extra.problem,
      declineForm: extra.declineForm ?? { declineMessage: '' },
      declineErrors: extra.declineErrors ?? {},
    };
  };

  router.get('/ansokningar/:applicationId', noStore, async (req, res) => {
    res.render('applications/show', await applicationView(req));
  });

  // The applicant's CV, for the organisation's members while the application shares it.
  router.get('/ansokningar/:applicationId/cv', async (req, res) => {
    const cv = await getApplicantCv(deps.db, deps.storage, req.actor, idParam(req, 'applicationId'));
    sendStoredFile(res, cv, { filename: 'cv.pdf', download: true, cacheControl: 'no-store' });
  });

  // --- decisions (order matters to test/access/access.test.ts: shortlist, accept, decline, withdraw) ---

  /** Runs a decision; afterwards back to the page it was taken on, or that page with the refusal. */
  const decision =
    (run: (req: Request) => Promise<{ organisationSlug: string; assignmentId: number; done: string }>) =>
    async (req: Request, res: Response) => {
      const id = idParam(req, 'applicationId');
      const again = async (error: AppError) => {
        if (error instanceof FormError) {
          const locals = await applicationView(req, { declineForm: error.form, declineErrors: error.fields });
          return { view: 'applications/show', locals };
        }
        if (!fromList(req)) return { view: 'applications/show', locals: await applicationView(req, { problem: error.message }) };
        const { application, organisation } = await getApplicationPage(deps.db, req.actor, id);
        const locals = await applicantListView(req, organisation.slug, application.assignmentId, error.message);
        return { view: 'applications/list', locals };
      };
      await orFormAgain(res, formErrorOr(readableRefusal), again, async () => {
        const { organisationSlug, assignmentId, done } = await run(req);
        res.redirect(
          303,
          fromList(req)
            ? `${applicantListPath(organisationSlug, assignmentId)}?done=${done}#ansokan-${id}`
            : `${applicationPath(id)}?done=${done}`,
        );
      });
    };

  router.post(
    '/ansokningar/:applicationId/kortlista',
    noStore,
    decision(async (req) => {
      const { organisation, assignment, status } = await toggleShortlist(deps.db, req.actor, idParam(req, 'applicationId'));
      return { organisationSlug: organisation.slug, assignmentId: assignment.id, done: status };
    }),
  );

  router.post(
    '/ansokningar/:applicationId/acceptera',
    noStore,
    decision(async (req) => {
      const { organisation, assignment } = await acceptApplication(deps.db, req.actor, idParam(req, 'applicationId'));
      return { organisationSlug: organisation.slug, assignmentId: assignment.id, done: 'accepted' };
    }),
  );

  router.post(
    '/ansokningar/:applicationId/avboj',
    noStore,
    decision(async (req) => {
      const { organisation, assignment } = await declineApplication(
        deps.db,
        req.actor,
        idParam(req, 'applicationId'),
        formBody(req),
      );
      return { organisationSlug: organisation.slug, assignmentId: assignment.id, done: 'declined' };
    }),
  );

  router.get('/ansokningar/:applicationId/aterkalla', noStore, async (req, res) => {
    const { application, assignment, organisation } = await getWithdrawalToConfirm(
      deps.db,
      req.actor,
      idParam(req, 'applicationId'),
    );
    const backUrl = applicationPath(application.id);
    res.render('applications/confirm-withdraw', {
      application,
      assignment,
      organisation,
      backUrl,
      action: `${backUrl}/aterkalla`,
    });
  });

  router.post('/ansokningar/:applicationId/aterkalla', noStore, async (req, res) => {
    const id = idParam(req, 'applicationId');
    const again = async (error: AppError) => ({
      view: 'applications/show',
      locals: await applicationView(req, { problem: error.message }),
    });
    await orFormAgain(res, readableRefusal, again, async () => {
      await withdrawApplication(deps.db, req.actor, id);
      res.redirect(303, `${applicationPath(id)}?done=withdrawn`);
    });
  });

  // --- the organisation's applicant list -------------------------------------

  const applicantListView = async (req: Request, slug: string, assignmentId: number, problem?: string) => {
    const list = await listApplicants(deps.db, req.actor, slug, assignmentId);
    const unread = await unreadMessageCounts(
      deps.db,
      req.actor.userId!,
      list.applications.map((application) => application.id),
    );
    // ApplicantList does not say whether moderators hid the assignment; then this link answers 404.
    const publicAssignment = (PUBLIC_STATUSES as readonly string[]).includes(list.assignment.status);
    return {
      ...list,
      done: doneParam(req, DONE),
      problem,
      excerpt,
      unread,
      assignmentUrl: publicAssignment ? assignmentPath(list.assignment) : undefined,
    };
  };

  router.get('/organisationer/:slug/uppdrag/:assignmentId/ansokningar', noStore, async (req, res) => {
    res.render('applications/list', await applicantListView(req, req.params.slug, idParam(req, 'assignmentId')));
  });

  return router;
}
