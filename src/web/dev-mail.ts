import { Router, type Response } from 'express';
import { formatDateTime } from '../platform/calendar.js';
import type { Db } from '../platform/db.js';
import { notFound } from '../platform/errors.js';
import { noStore } from './cache.js';
import type { Language } from '../platform/i18n.js';

// The mail the app has written, for developers and the browser tests: without
// SMTP_URL this is the only place a verification link can be read. The router
// does not look at the environment; app.ts mounts it only outside production.
//
// The mail's HTML has inline styles, which our CSP forbids, and it must never
// run in our origin: it is served by its own route under a sandboxing CSP and
// shown in a sandboxed iframe, never pasted into our page.

const LIST_LIMIT = 100;
const ID = /^[1-9][0-9]{0,15}$/;

/** Sandboxed (no scripts, no forms, an opaque origin) and nothing loaded; inline styles may render. Framable only by us. */
export const MAIL_PREVIEW_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'";

type MailStatus = 'sent' | 'stored' | 'retrying' | 'queued';

interface MailListRow {
  id: number;
  to_address: string;
  subject: string;
  template: string;
  created_at: Date;
  sent_at: Date | null;
  attempts: number;
  last_error: string | null;
}

interface MailRow extends MailListRow {
  text_body: string;
  html_body: string;
}

const LIST_COLUMNS = ['id', 'to_address', 'subject', 'template', 'created_at', 'sent_at', 'attempts', 'last_error'] as const;

// attempts counts SMTP deliveries, so a finished mail without any was only stored.
function statusOf(mail: MailListRow): MailStatus {
  if (mail.sent_at) return mail.attempts > 0 ? 'sent' : 'stored';
  return mail.last_error ? 'retrying' : 'queued';
}

function timeFormatter(res: Response): (value: Date) => string {
  const lang = (res.locals.lang as Language | undefined) ?? 'sv';
  return (value) => formatDateTime(value, lang, 'exactDateTime');
}

/** The names of each mail's attachments (an invoice's PDF), in their order; never their bytes. */
async function attachmentNames(db: Db, mailIds: readonly number[]): Promise<Map<number, string[]>> {
  const rows = (await db('mail_attachments')
    .whereIn('mail_id', mailIds)
    .orderBy(['mail_id', 'position'])
    .select('mail_id', 'filename')) as Array<{ mail_id: number; filename: string }>;
  const names = new Map<number, string[]>();
  for (const row of rows) names.set(row.mail_id, [...(names.get(row.mail_id) ?? []), row.filename]);
  return names;
}

function summary(mail: MailListRow, formatTime: (value: Date) => string, attachments: string[] = []) {
  return {
    id: mail.id,
    to: mail.to_address,
    subject: mail.subject,
    template: mail.template,
    createdIso: mail.created_at.toISOString(),
    createdText: formatTime(mail.created_at),
    status: statusOf(mail),
    attempts: mail.attempts,
    lastError: mail.last_error,
    attachments,
  };
}

export type TextPart = { text: string; href?: string };

/** Splits plain text into runs and http(s) links, so the page can make links clickable and still escape everything. */
export function linkifyText(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)]/g)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ text: match[0], href: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

async function findMail(db: Db, id: string | undefined): Promise<MailRow> {
  if (!id || !ID.test(id)) throw notFound();
  const mail = (await db('mails')
    .where({ id: Number(id) })
    .first(...LIST_COLUMNS, 'text_body', 'html_body')) as MailRow | undefined;
  if (!mail) throw notFound();
  return mail;
}

export function devMailRoutes(deps: { db: Db }): Router {
  const router = Router();

  // no-store on every page here: addresses and personal links
  router.get('/dev/mail', noStore, async (_req, res) => {
    const rows = (await deps
      .db('mails')
      .select(...LIST_COLUMNS)
      .orderBy('id', 'desc')
      .limit(LIST_LIMIT)) as MailListRow[];
    const formatTime = timeFormatter(res);
    const attachments = await attachmentNames(
      deps.db,
      rows.map((row) => row.id),
    );
    res.render('dev/mail-list', { mails: rows.map((row) => summary(row, formatTime, attachments.get(row.id))) });
  });

  router.get('/dev/mail/:id', noStore, async (req, res) => {
    const mail = await findMail(deps.db, req.params.id);
    const attachments = await attachmentNames(deps.db, [mail.id]);
    res.render('dev/mail', {
      mail: summary(mail, timeFormatter(res), attachments.get(mail.id)),
      textParts: linkifyText(mail.text_body),
      htmlSource: mail.html_body,
    });
  });

  router.get('/dev/mail/:id/html', noStore, async (req, res) => {
    const mail = await findMail(deps.db, req.params.id);
    // Replaces the site-wide CSP (set earlier by helmet) for this response only.
    res.set('Content-Security-Policy', MAIL_PREVIEW_CSP);
    res.set('X-Frame-Options', 'SAMEORIGIN');
    res.type('html').send(mail.html_body);
  });

  return router;
}
