import { notFound } from '../../platform/errors.js';
import { slugify } from '../../platform/slugify.js';
import { plainText } from '../../web/text-blocks.js';
import type { AssignmentSummary } from './queries.js';

/** The canonical path of an assignment page: the id, then a readable slug of the title. */
export function assignmentPath(assignment: { id: number; title: string }): string {
  const slug = slugify(assignment.title);
  return slug ? `/uppdrag/${assignment.id}-${slug}` : `/uppdrag/${assignment.id}`;
}

/** "123" or "123-any-slug" → 123; anything else → undefined. */
export function parseAssignmentRef(ref: string): number | undefined {
  const match = /^(\d{1,15})(?:-[a-z0-9-]{0,200})?$/i.exec(ref);
  if (!match) return undefined;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** The assignment id in a path's `:ref` (/uppdrag/:ref/…), or 404: no page answers a malformed reference. */
export function assignmentRefParam(req: { params: Record<string, unknown> }): number {
  const id = typeof req.params.ref === 'string' ? parseAssignmentRef(req.params.ref) : undefined;
  if (id === undefined) throw notFound();
  return id;
}

/** What a list of assignments shows for each one (views/partials/assignment-card.ejs). */
export interface AssignmentCard {
  url: string;
  title: string;
  organisation: string;
  /** The organisation's public page is /organisationer/<slug>; undefined: shown without a link. */
  organisationSlug?: string;
  organisationVerified: boolean;
  categorySlug: string;
  municipalityName: string;
  localityName: string | null;
  compensationType: string;
  amountSek: number | null;
  applyBy: string | null;
  excerpt: string;
  workTraining: boolean;
}

/** The start of a description as one line of plain text (no list markers), "…" where cut. */
export function excerpt(text: string, maxLength = 160): string {
  const flat = plainText(text);
  return flat.length <= maxLength
    ? flat
    : `${flat.slice(0, flat.lastIndexOf(' ', maxLength - 1) > 0 ? flat.lastIndexOf(' ', maxLength - 1) : maxLength - 1)}…`;
}

export function summaryCard(summary: AssignmentSummary): AssignmentCard {
  return {
    url: assignmentPath(summary),
    title: summary.title,
    organisation: summary.organisationName,
    organisationSlug: summary.organisationSlug,
    organisationVerified: summary.organisationVerifiedAt !== null,
    categorySlug: summary.categorySlug,
    municipalityName: summary.municipalityName,
    localityName: summary.localityName,
    compensationType: summary.compensationType,
    amountSek: summary.amountSek,
    applyBy: summary.applyBy,
    excerpt: excerpt(summary.description),
    workTraining: summary.workTraining,
  };
}
