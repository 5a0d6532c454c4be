import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../web/deps.js';
import { AppError } from '../../platform/errors.js';
import { isUploadError, uploadReceiver } from '../../web/uploads.js';
import { acceptedApplicants } from '../feedback/index.js';
import {
  addAttachment,
  assignmentPath,
  COMPENSATION_TYPES,
  excerpt,
  ATTACHMENT_FIELD,
  getAttachmentTarget,
  listAttachments,
  MAX_ATTACHMENTS,
  PDF_MAX_BYTES,
  removeAttachment,
  type Attachment,
} from '../assignments/index.js';
import { emptyPostingForm, type PostingForm } from './form.js';
import { mapPickerView } from './map-picker.js';
import {
  createPosting,
  deleteDraft,
  getOrganisationForNewPosting,
  getPostingForEdit,
  getPostingOrganisation,
  getPostingPreview,
  listOrganisationAssignments,
  PostingFormError,
  transitionAssignment,
  updatePosting,
  type PostingOrganisation,
  type Transition,
} from './service.js';

// Posting and the lifecycle, for an organisation's members; approval for
// platform admins. Rights and states are decided in service.ts.

const LIST_DONE = new Set(['saved', 'published', 'pending_review', 'cancelled', 'closed', 'completed', 'deleted']);

const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

/** An id in a path: digits only, else NaN (the service answers 404 after deciding the right). */
const idParam = (value: unknown): number => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN);

const base = (slug: string) => `/organisationer/${slug}/uppdrag`;

/** One file per request: images (re-encoded, at most 5 MB; checked in attachments.ts) or a PDF. */
const receiveAttachment = uploadReceiver({
  field: ATTACHMENT_FIELD,
  maxBytes: PDF_MAX_BYTES,
  types: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
  messages: { tooLarge: 'attachments.errors.tooLarge', type: 'attachments.errors.type' },
});

const EDIT_DONE = new Set(['attachmentSaved', 'attachmentRemoved']);

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

  router.get('/organisationer/:slug/uppdrag', async (req, res) => {
    noStore(res);
    const view = await listOrganisationAssignments(deps.db, req.actor, req.params.slug);
    const done = typeof req.query.done === 'string' && LIST_DONE.has(req.query.done) ? req.query.done : undefined;
    // Who did the work: completion needs someone accepted, feedback is given per person.
    const accepted = await acceptedApplicants(
      deps.db,
      view.groups.flatMap((group) => group.assignments.map((assignment) => assignment.id)),
    );
    res.render('postings/list', { ...view, done, accepted });
  });

  router.get('/organisationer/:slug/uppdrag/nytt', async (req, res) => {
    noStore(res);
    const organisation = await getOrganisationForNewPosting(deps.db, req.actor, req.params.slug);
    res.render('postings/form', formView(organisation, emptyPostingForm(organisation.municipalityCode), {}));
  });

  router.post('/organisationer/:slug/uppdrag/nytt', async (req, res) => {
    noStore(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const id = await createPosting(deps.db, req.actor, req.params.slug, body, deps.reference);
      afterSave(res, req.params.slug, id, body.intent);
    } catch (error) {
      if (!(error instanceof PostingFormError)) throw error;
      const organisation = await getPostingOrganisation(deps.db, req.actor, req.params.slug);
      res.status(400).render('postings/form', formView(organisation, error.form, error.fields));
    }
  });

  router.get('/organisationer/:slug/uppdrag/:assignmentId/redigera', async (req, res) => {
    noStore(res);
    const id = idParam(req.params.assignmentId);
    const { organisation, form } = await getPostingForEdit(deps.db, req.actor, req.params.slug, id);
    const done = typeof req.query.done === 'string' && EDIT_DONE.has(req.query.done) ? req.query.done : undefined;
    res.render('postings/form', formView(organisation, form, {}, id, await listAttachments(deps.db, id), done));
  });

  router.post('/organisationer/:slug/uppdrag/:assignmentId/redigera', async (req, res) => {
    noStore(res);
    const id = idParam(req.params.assignmentId);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await updatePosting(deps.db, req.actor, req.params.slug, id, body, deps.reference);
      afterSave(res, req.params.slug, id, body.intent);
    } catch (error) {
      if (!(error instanceof PostingFormError)) throw error;
      const organisation = await getPostingOrganisation(deps.db, req.actor, req.params.slug);
      res
        .status(400)
        .render('postings/form', formView(organisation, error.form, error.fields, id, await listAttachments(deps.db, id)));
    }
  });

  // --- attachments ----------------------------------------------------------

  // Multipart: the CSRF token comes in the query string (web/csrf.ts). The
  // right and the assignment's state are checked before the body is read.
  router.post('/organisationer/:slug/uppdrag/:assignmentId/bilagor', async (req, res) => {
    noStore(res);
    const slug = req.params.slug as string;
    const id = idParam(req.params.assignmentId);
    await getAttachmentTarget(deps.db, req.actor, slug, id);
    try {
      const file = await receiveAttachment(req, res);
      await addAttachment(deps.db, deps.storage, req.actor, slug, id, file);
    } catch (error) {
      const fieldProblem =
        isUploadError(error, ATTACHMENT_FIELD) ||
        (error instanceof AppError && error.status === 409 && ATTACHMENT_FIELD in error.fields);
      if (!fieldProblem) throw error;
      const { organisation, form } = await getPostingForEdit(deps.db, req.actor, slug, id);
      res
        .status(error.status)
        .render('postings/form', formView(organisation, form, error.fields, id, await listAttachments(deps.db, id)));
      return;
    }
    res.redirect(303, `${base(slug)}/${id}/redigera?done=attachmentSaved#bilagor`);
  });

  router.post('/organisationer/:slug/uppdrag/:assignmentId/bilagor/:attachmentId/ta-bort', async (req, res) => {
    noStore(res);
    const slug = req.params.slug as string;
    const id = idParam(req.params.assignmentId);
    await removeAttachment(deps.db, deps.storage, req.actor, slug, id, idParam(req.params.attachmentId));
    res.redirect(303, `${base(slug)}/${id}/redigera?done=attachmentRemoved#bilagor`);
  });

  router.get('/organisationer/:slug/uppdrag/:assignmentId/forhandsgranska', async (req, res) => {
    noStore(res);
    const { organisation, assignment } = await getPostingPreview(
      deps.db,
      req.actor,
      req.params.slug,
      idParam(req.params.assignmentId),
    );
    res.render('postings/preview', {
      organisation,
      assignment,
      attachments: await listAttachments(deps.db, assignment.id),
      attachmentBase: `${assignmentPath(assignment)}/bilagor`,
      preview: true,
      publicPath: assignmentPath(assignment),
      metaDescription: excerpt(assignment.description),
      canonicalUrl: undefined,
    });
  });

  const transition = (kind: Exclude<Transition, 'approve'>) => async (req: Request, res: Response) => {
    noStore(res);
    const slug = req.params.slug as string;
    const status = await transitionAssignment(deps.db, req.actor, kind, idParam(req.params.assignmentId), slug);
    res.redirect(303, `${base(slug)}?done=${status}`);
  };
  router.post('/organisationer/:slug/uppdrag/:assignmentId/publicera', transition('publish'));
  router.post('/organisationer/:slug/uppdrag/:assignmentId/avbryt', transition('cancel'));
  router.post('/organisationer/:slug/uppdrag/:assignmentId/stang', transition('close'));
  router.post('/organisationer/:slug/uppdrag/:assignmentId/klar', transition('complete'));
  router.post('/organisationer/:slug/uppdrag/:assignmentId/ta-bort', async (req, res) => {
    noStore(res);
    const slug = req.params.slug as string;
    await deleteDraft(deps.db, deps.storage, req.actor, slug, idParam(req.params.assignmentId));
    res.redirect(303, `${base(slug)}?done=deleted`);
  });

  router.post('/admin/uppdrag/:assignmentId/godkann', async (req, res) => {
    noStore(res);
    await transitionAssignment(deps.db, req.actor, 'approve', idParam(req.params.assignmentId));
    res.redirect(303, '/admin');
  });

  return router;
}
