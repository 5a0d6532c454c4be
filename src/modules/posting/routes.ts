import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { AppError, type FormError } from '../../platform/errors.js';
import { noStore } from '../../web/cache.js';
import { formBody, orFormAgain } from '../../web/forms.js';
import { doneParam, idParam } from '../../web/params.js';
import { isUploadError, uploadReceiver } from '../../web/uploads.js';
import { acceptedApplicants } from '../feedback/index.js';
import {
  addAttachment,
  assignmentPath,
  ATTACHMENT_FIELD,
  COMPENSATION_TYPES,
  excerpt,
  getAttachmentTarget,
  listAttachments,
  MAX_ATTACHMENTS,
  PDF_MAX_BYTES,
  removeAttachment,
  selectAskedSkills,
} from '../assignments/index.js';
import type { Attachment } from '../assignments/index.js';
import { emptyPostingForm, type PostingForm } from './form.js';
import { mapPickerView } from './map-picker.js';
import {
  createPosting,
  deleteDraft,
  getOrganisationForNewPosting,
  getPostingForEdit,
  getPostingOrganisation,
  getAssignmentToReview,
  getPostingPreview,
  getTransitionToConfirm,
  listOrganisationAssignments,
  refuseAssignment,
  transitionAssignment,
  updatePosting,
  type PostingOrganisation,
  type RefusalForm,
  type Transition,
} from './service.js';

// Posting and the lifecycle, for an organisation's members; approval for
// platform admins. Rights and states are decided in service.ts.

const LIST_DONE = new Set(['saved', 'published', 'pending_review', 'cancelled', 'closed', 'completed', 'deleted']);

const base = (slug: string) => `/organisationer/${slug}/uppdrag`;

/** One file per request: images (re-encoded, at most 5 MB; checked in attachments.ts) or a PDF. */
const receiveAttachment = uploadReceiver({
  field: ATTACHMENT_FIELD,
  maxBytes: PDF_MAX_BYTES,
  types: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
  messages: { tooLarge: 'attachments.errors.tooLarge', type: 'attachments.errors.type' },
});

const EDIT_DONE = new Set(['attachmentSaved', 'attachmentRemoved']);

/** A file refused beside the attachment field: unreadable, too large, of a wrong type, or one too many. */
const isAttachmentRefusal = (error: unknown): error is AppError =>
  isUploadError(error, ATTACHMENT_FIELD) ||
  (error instanceof AppError && error.status === 409 && ATTACHMENT_FIELD in error.fields);

export function postingRoutes(deps: AppDeps): Router {
  const router = Router();

  const formView = (
    organisation: PostingOrganisation,
    form: PostingForm,
    errors: Record<string, string>,
    assignmentId?: number,
    attachments: Attachment[] = [],
    done?: string,
  ) => ({
    organisation,
    form,
    errors,
    attachments,
    maxAttachments: MAX_ATTACHMENTS,
    done,
    action:
      assignmentId === undefined ? `${base(organisation.slug)}/nytt` : `${base(organisation.slug)}/${assignmentId}/redigera`,
    assignmentId,
    categories: deps.reference.categories,
    municipalities: deps.reference.municipalities,
    compensationTypes: COMPENSATION_TYPES,
    map: mapPickerView(deps.config.map, deps.reference, form.municipality),
  });

  /** After saving: the preview when asked for, else the organisation's list. */
  const afterSave = (res: Response, slug: string, id: number, intent: unknown) =>
    res.redirect(303, intent === 'preview' ? `${base(slug)}/${id}/forhandsgranska` : `${base(slug)}?done=saved`);

  router.get('/organisationer/:slug/uppdrag', noStore, async (req, res) => {
    const view = await listOrganisationAssignments(deps.db, req.actor, req.params.slug);
    const done = doneParam(req, LIST_DONE);
    // Who did the work: completion needs someone accepted, feedback is given per person.
    const accepted = await acceptedApplicants(
      deps.db,
      view.groups.flatMap((group) => group.assignments.map((assignment) => assignment.id)),
    );
    res.render('postings/list', { ...view, done, accepted });
  });

  router.get('/organisationer/:slug/uppdrag/nytt', noStore, async (req, res) => {
    const organisation = await getOrganisationForNewPosting(deps.db, req.actor, req.params.slug);
    res.render('postings/form', formView(organisation, emptyPostingForm(organisation.municipalityCode), {}));
  });

  router.post('/organisationer/:slug/uppdrag/nytt', noStore, async (req, res) => {
    const body = formBody(req);
    const again = async (error: FormError<PostingForm>) => {
      const organisation = await getPostingOrganisation(deps.db, req.actor, req.params.slug);
      return { view: 'postings/form', locals: formView(organisation, error.form, error.fields) };
    };
    await orFormAgain(res, again, async () => {
      const id = await createPosting(deps.db, req.actor, req.params.slug, body, deps.reference);
      afterSave(res, req.params.slug, id, body.intent);
    });
  });

  router.get('/organisationer/:slug/uppdrag/:assignmentId/redigera', noStore, async (req, res) => {
    const id = idParam(req, 'assignmentId');
    const { organisation, form } = await getPostingForEdit(deps.db, req.actor, req.params.slug, id);
    const done = doneParam(req, EDIT_DONE);
    res.render('postings/form', formView(organisation, form, {}, id, await listAttachments(deps.db, id), done));
  });

  router.post('/organisationer/:slug/uppdrag/:assignmentId/redigera', noStore, async (req, res) => {
    const id = idParam(req, 'assignmentId');
    const body = formBody(req);
    const again = async (error: FormError<PostingForm>) => {
      const organisation = await getPostingOrganisation(deps.db, req.actor, req.params.slug);
      const attachments = await listAttachments(deps.db, id);
      return { view: 'postings/form', locals: formView(organisation, error.form, error.fields, id, attachments) };
    };
    await orFormAgain(res, again, async () => {
      await updatePosting(deps.db, req.actor, req.params.slug, id, body, deps.reference);
      afterSave(res, req.params.slug, id, body.intent);
    });
  });

  // --- attachments ----------------------------------------------------------

  // Multipart: the CSRF token comes in the query string (web/csrf.ts). The
  // right and the assignment's state are checked before the body is read.
  router.post('/organisationer/:slug/uppdrag/:assignmentId/bilagor', noStore, async (req, res) => {
    const slug = req.params.slug;
    const id = idParam(req, 'assignmentId');
    await getAttachmentTarget(deps.db, req.actor, slug, id);
    const again = async (error: AppError) => {
      const { organisation, form } = await getPostingForEdit(deps.db, req.actor, slug, id);
      const attachments = await listAttachments(deps.db, id);
      return { view: 'postings/form', locals: formView(organisation, form, error.fields, id, attachments) };
    };
    await orFormAgain(res, isAttachmentRefusal, again, async () => {
      const file = await receiveAttachment(req, res);
      await addAttachment(deps.db, deps.storage, req.actor, slug, id, file);
      res.redirect(303, `${base(slug)}/${id}/redigera?done=attachmentSaved#bilagor`);
    });
  });

  router.post('/organisationer/:slug/uppdrag/:assignmentId/bilagor/:attachmentId/ta-bort', noStore, async (req, res) => {
    const slug = req.params.slug;
    const id = idParam(req, 'assignmentId');
    await removeAttachment(deps.db, deps.storage, req.actor, slug, id, idParam(req, 'attachmentId'));
    res.redirect(303, `${base(slug)}/${id}/redigera?done=attachmentRemoved#bilagor`);
  });

  router.get('/organisationer/:slug/uppdrag/:assignmentId/forhandsgranska', noStore, async (req, res) => {
    const id = idParam(req, 'assignmentId');
    const { organisation, assignment } = await getPostingPreview(deps.db, req.actor, req.params.slug, id);
    res.render('postings/preview', {
      organisation,
      assignment,
      attachments: await listAttachments(deps.db, assignment.id),
      askedSkills: await selectAskedSkills(deps.db, assignment.id),
      attachmentBase: `${assignmentPath(assignment)}/bilagor`,
      preview: true,
      publicPath: assignmentPath(assignment),
      metaDescription: excerpt(assignment.description),
      canonicalUrl: undefined,
    });
  });

  const transition = (kind: Exclude<Transition, 'approve'>) => async (req: Request, res: Response) => {
    const slug = req.params.slug as string;
    const status = await transitionAssignment(deps.db, req.actor, kind, idParam(req, 'assignmentId'), slug);
    res.redirect(303, `${base(slug)}?done=${status}`);
  };
  router.post('/organisationer/:slug/uppdrag/:assignmentId/publicera', noStore, transition('publish'));
  /** The confirmation step of an irreversible change: a page that posts to the change itself. */
  const confirmation =
    (kind: 'cancel' | 'complete' | 'delete', step: string, view: string) => async (req: Request, res: Response) => {
      const slug = req.params.slug as string;
      const id = idParam(req, 'assignmentId');
      const { organisation, assignment, acceptedNames } = await getTransitionToConfirm(deps.db, req.actor, kind, slug, id);
      const backUrl = base(organisation.slug);
      res.render(view, { organisation, assignment, acceptedNames, action: `${backUrl}/${assignment.id}/${step}`, backUrl });
    };
  router.get(
    '/organisationer/:slug/uppdrag/:assignmentId/avbryt',
    noStore,
    confirmation('cancel', 'avbryt', 'postings/confirm-cancel'),
  );
  router.post('/organisationer/:slug/uppdrag/:assignmentId/avbryt', noStore, transition('cancel'));
  router.post('/organisationer/:slug/uppdrag/:assignmentId/stang', noStore, transition('close'));
  router.get(
    '/organisationer/:slug/uppdrag/:assignmentId/klar',
    noStore,
    confirmation('complete', 'klar', 'postings/confirm-complete'),
  );
  router.post('/organisationer/:slug/uppdrag/:assignmentId/klar', noStore, transition('complete'));
  router.get(
    '/organisationer/:slug/uppdrag/:assignmentId/ta-bort',
    noStore,
    confirmation('delete', 'ta-bort', 'postings/confirm-delete'),
  );
  router.post('/organisationer/:slug/uppdrag/:assignmentId/ta-bort', noStore, async (req, res) => {
    const slug = req.params.slug;
    await deleteDraft(deps.db, deps.storage, req.actor, slug, idParam(req, 'assignmentId'));
    res.redirect(303, `${base(slug)}?done=deleted`);
  });

  /** Review: the assignment as it will be published, with approve and send back (a reason beside the field). */
  const reviewPage = async (req: Request, form: RefusalForm, errors: Record<string, string>) => {
    const assignment = await getAssignmentToReview(deps.db, req.actor, idParam(req, 'assignmentId'));
    return {
      assignment,
      attachments: await listAttachments(deps.db, assignment.id),
      askedSkills: await selectAskedSkills(deps.db, assignment.id),
      attachmentBase: `${assignmentPath(assignment)}/bilagor`,
      preview: true,
      metaDescription: excerpt(assignment.description),
      canonicalUrl: undefined,
      form,
      errors,
    };
  };
  router.get('/admin/uppdrag/:assignmentId/granska', noStore, async (req, res) => {
    res.render('postings/review', await reviewPage(req, { reviewNote: '' }, {}));
  });
  router.post('/admin/uppdrag/:assignmentId/godkann', noStore, async (req, res) => {
    await transitionAssignment(deps.db, req.actor, 'approve', idParam(req, 'assignmentId'));
    res.redirect(303, '/admin?done=published');
  });
  router.post('/admin/uppdrag/:assignmentId/skicka-tillbaka', noStore, async (req, res) => {
    const again = async (error: FormError<RefusalForm>) => ({
      view: 'postings/review',
      locals: await reviewPage(req, error.form, error.fields),
    });
    await orFormAgain(res, again, async () => {
      await refuseAssignment(deps.db, req.actor, idParam(req, 'assignmentId'), formBody(req));
      res.redirect(303, '/admin?done=refused');
    });
  });

  return router;
}
