import ejs from 'ejs';
import type { i18n } from 'i18next';
import nodemailer, { type Transporter } from 'nodemailer';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Db, DbOrTrx } from './db.js';
import { createI18n, DEFAULT_LANGUAGE, type Language } from './i18n.js';
import { defineJob, jobId, jobTask, type TaskList } from './jobs.js';
import type { Logger } from './logger.js';

// Outgoing mail as an outbox: queueMail renders the message and writes it to
// the `mails` table together with a send_mail job, inside the caller's
// transaction, so a rolled-back change sends nothing. The job delivers it over
// SMTP_URL; without one the mail is only stored and read on /dev/mail.
//
// Templates live in views/mail: <template>.text.ejs and <template>.html.ejs,
// each placed in layout.text.ejs / layout.html.ejs. The words come from the
// "mail" section of src/locales/<lang>/core.json (a feature's own mail may use
// its own section, see TEXT_KEYS); the subject is a plain i18n text.
//
// A mail may carry files (an invoice its PDF): stored beside it in
// mail_attachments, in the same transaction, and attached when it is sent.

export const SEND_MAIL_TASK = 'send_mail';
/** Sends (or, without SMTP_URL, stores) one queued mail. */
const sendMailJob = defineJob(SEND_MAIL_TASK, z.object({ id: jobId }));

export type MailTemplate =
  | 'verify-email'
  | 'reset-password'
  | 'invite'
  | 'email-changed'
  | 'notifications'
  | 'saved-search'
  | 'invoice'
  | 'invoice-reminder';

const MAIL_VIEWS = path.resolve(import.meta.dirname, '..', '..', 'views', 'mail');

/** The i18n key of each template's texts (JSON keys stay camelCase). */
const TEXT_KEYS: Record<MailTemplate, string> = {
  'verify-email': 'mail.verifyEmail',
  'reset-password': 'mail.resetPassword',
  invite: 'mail.invite',
  'email-changed': 'mail.emailChanged',
  notifications: 'notificationMail', // src/locales/<lang>/notifications.json
  'saved-search': 'savedSearchMail', // src/locales/<lang>/saved-searches.json
  invoice: 'invoiceMail', // src/locales/<lang>/invoices.json
  'invoice-reminder': 'invoiceReminderMail', // src/locales/<lang>/payroll.json
};

// ---------------------------------------------------------------------------
// What each template needs. Strict objects, so a misspelt key fails loudly in
// the caller's test instead of silently dropping a line from a mail.

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** Names and the like end up in a subject header and on one text line: no line breaks. */
const oneLine = z
  .string()
  .max(300)
  .transform((value) => value.replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1));

const absoluteUrl = z.string().refine((value) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'must be an absolute http(s) URL');

const common = {
  /** The recipient's name for the greeting; "Hej!" without one. */
  name: z.preprocess(blankToUndefined, oneLine.optional()),
  /** The link the mail is about (verify, reset, accept the invite, secure the account). */
  url: absoluteUrl,
  /** The site's address in the signature; the origin of `url` when not given. */
  siteUrl: absoluteUrl.optional(),
  /** Shown as "the link is valid for N hours" when given. */
  expiresInHours: z
    .number()
    .int()
    .positive()
    .max(24 * 365)
    .optional(),
};

const DATA_SCHEMAS = {
  'verify-email': z.strictObject(common),
  'reset-password': z.strictObject(common),
  invite: z.strictObject({
    ...common,
    organisationName: oneLine,
    inviterName: z.preprocess(blankToUndefined, oneLine.optional()),
  }),
  'email-changed': z.strictObject({
    ...common,
    /** The new address, told to the old one; left out when not given. */
    newEmail: z.preprocess(blankToUndefined, oneLine.optional()),
  }),
  /** Notifications not yet mailed, one line each (texts already in the mail's language); `url` is the in-app list. */
  notifications: z.strictObject({
    ...common,
    count: z.number().int().positive(),
    items: z
      .array(z.strictObject({ text: oneLine, url: absoluteUrl }))
      .min(1)
      .max(100),
    /** Left out of the mail (see the list for them). */
    moreCount: z.number().int().nonnegative(),
  }),
  /** New assignments for saved searches (src/modules/saved-searches); `url` is the list of saved searches. */
  'saved-search': z.strictObject({
    ...common,
    /** A digest (one mail a day) or one saved search's alert. */
    daily: z.boolean(),
    /** Assignments in the mail, all searches together (the subject says it). */
    count: z.number().int().positive(),
    searches: z
      .array(
        z.strictObject({
          name: oneLine,
          searchUrl: absoluteUrl,
          unsubscribeUrl: absoluteUrl,
          items: z
            .array(z.strictObject({ title: oneLine, place: z.string().max(300), url: absoluteUrl }))
            .min(1)
            .max(100),
          moreCount: z.number().int().nonnegative(),
        }),
      )
      .min(1)
      .max(50),
  }),
  /**
   * An invoice or credit note to the buyer's billing address, its PDF attached (src/modules/billing/invoices.ts).
   * `url`, the organisation's invoice list, is left out when the issuer does not know the site's address; the
   * mail then says only what the attachment is.
   */
  invoice: z.strictObject({
    name: common.name,
    url: absoluteUrl.optional(),
    siteUrl: absoluteUrl.optional(),
    creditNote: z.boolean(),
    /** "Faktura A-12", "Kreditfaktura A-13": the subject. */
    title: oneLine,
    organisationName: oneLine,
    invoiceNumber: oneLine,
    /** Already formatted in the mail's language ("1 234,50 kr"); negative on a credit note. */
    total: oneLine,
    dueDate: oneLine,
    ocr: z.string().regex(/^\d{2,25}$/),
    sellerName: oneLine,
    sellerEmail: oneLine,
  }),
  /** A reminder of an unpaid invoice to the buyer's billing address (src/modules/billing/reminders.ts). */
  'invoice-reminder': z.strictObject({
    name: common.name,
    url: absoluteUrl.optional(),
    siteUrl: absoluteUrl.optional(),
    /** 1: the day after the due date; 2: fourteen days after the first. */
    level: z.union([z.literal(1), z.literal(2)]),
    organisationName: oneLine,
    invoiceNumber: oneLine,
    /** Already formatted in the mail's language, like the invoice mail's. */
    amountLeft: oneLine,
    dueDate: oneLine,
    ocr: z.string().regex(/^\d{2,25}$/),
    bankgiro: oneLine,
    sellerName: oneLine,
    sellerEmail: oneLine,
  }),
} satisfies Record<MailTemplate, z.ZodType>;

/** Headers a mail may carry besides the usual ones: RFC 2369 / RFC 8058 unsubscribe links for alert mails. */
export const EXTRA_HEADERS = ['List-Unsubscribe', 'List-Unsubscribe-Post'] as const;
export type ExtraHeader = (typeof EXTRA_HEADERS)[number];

// A header-safe address: no whitespace (so no header injection), one @.
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

// ---------------------------------------------------------------------------
// Rendering

let sharedI18n: Promise<i18n> | undefined;
// Mail is rendered outside requests (services, jobs), so it keeps an i18n of its own.
const mailI18n = () => (sharedI18n ??= createI18n());

const renderView = (file: string, locals: Record<string, unknown>, options: ejs.Options = {}) =>
  ejs.renderFile(path.join(MAIL_VIEWS, file), locals, options);

// Plain text is not HTML: EJS's escaping would turn "Ärlig & Co" into "Ärlig &amp; Co".
const plainText: ejs.Options = { escape: (value: unknown) => (value == null ? '' : String(value)) };

/** Template whitespace out: no trailing spaces, at most one empty line in a row. */
function tidyText(text: string): string {
  return `${text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Renders a mail without storing it (queueMail uses this; handy for previews). */
export async function renderMail(
  template: MailTemplate,
  data: Record<string, unknown>,
  language: Language = DEFAULT_LANGUAGE,
): Promise<RenderedMail> {
  const schema = DATA_SCHEMAS[template];
  if (!schema) throw new Error(`Unknown mail template: ${String(template)}`);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    // Names the field, never the value: values are personal data.
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? `data.${issue.path.join('.')}` : 'data';
    throw new Error(`Mail ${template}: ${field} ${issue.message}`);
  }
  const values = {
    ...parsed.data,
    siteUrl: parsed.data.siteUrl ?? (parsed.data.url === undefined ? undefined : new URL(parsed.data.url).origin),
  };
  const t = (await mailI18n()).getFixedT(language);
  const expiresInHours = 'expiresInHours' in values ? values.expiresInHours : undefined;
  const locals = {
    ...values,
    t,
    lang: language,
    greeting: values.name ? t('mail.greeting', { name: values.name }) : t('mail.greetingWithoutName'),
    // "single use" belongs to verification and reset links; an invite only says how long it lasts.
    singleUse: expiresInHours ? t('mail.singleUseFor', { count: expiresInHours }) : t('mail.singleUse'),
    validity: expiresInHours ? t('mail.validFor', { count: expiresInHours }) : '',
  };

  const subject = t(`${TEXT_KEYS[template]}.subject`, values).replace(/\s+/g, ' ').trim();
  const textBody = await renderView(`${template}.text.ejs`, locals, plainText);
  const text = tidyText(await renderView('layout.text.ejs', { ...locals, body: textBody }, plainText));
  const htmlBody = await renderView(`${template}.html.ejs`, locals);
  const html = await renderView('layout.html.ejs', { ...locals, subject, body: htmlBody });
  return { subject, text, html };
}

// ---------------------------------------------------------------------------
// Queueing

/** A file sent with a mail (an invoice's PDF). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** What one mail may carry in all: well under what mail servers accept (often 10–25 MB, after base64's third more). */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

// A name that is one header parameter and no path: no control characters, slashes or quotes.
// eslint-disable-next-line no-control-regex
const UNSAFE_FILENAME = /[\u0000-\u001f\u007f/\\"]/;

function checkAttachments(template: MailTemplate, attachments: readonly MailAttachment[]): void {
  let bytes = 0;
  for (const [index, attachment] of attachments.entries()) {
    const { filename, contentType, content } = attachment;
    if (typeof filename !== 'string' || filename.trim() === '' || filename.length > 150 || UNSAFE_FILENAME.test(filename))
      throw new Error(`Mail ${template}: attachments.${index}.filename is not a usable file name`);
    if (typeof contentType !== 'string' || !CONTENT_TYPE.test(contentType))
      throw new Error(`Mail ${template}: attachments.${index}.contentType is not a media type`);
    if (!Buffer.isBuffer(content) || content.length === 0)
      throw new Error(`Mail ${template}: attachments.${index}.content is empty`);
    bytes += content.length;
  }
  if (bytes > MAX_ATTACHMENT_BYTES) throw new Error(`Mail ${template}: attachments exceed ${MAX_ATTACHMENT_BYTES} bytes`);
}

/**
 * Renders the mail, stores it and enqueues its send_mail job in `db` — pass the
 * transaction of the change that causes the mail, so both commit or neither.
 * Returns the id of the `mails` row. Throws on an unusable address or bad data.
 */
export async function queueMail(
  db: DbOrTrx,
  mail: {
    to: string;
    template: MailTemplate;
    data: Record<string, unknown>;
    language?: 'sv' | 'en';
    /** Extra headers, only those in EXTRA_HEADERS (e.g. the unsubscribe link of an alert). */
    headers?: Partial<Record<ExtraHeader, string>>;
    attachments?: readonly MailAttachment[];
  },
): Promise<number> {
  const to = mail.to.trim();
  if (to.length > 254 || !ADDRESS.test(to)) throw new Error(`Mail ${mail.template}: not a usable recipient address`);
  for (const [name, value] of Object.entries(mail.headers ?? {})) {
    // No line breaks (header injection) and nothing unexpected.
    if (!(EXTRA_HEADERS as readonly string[]).includes(name) || typeof value !== 'string' || !/^[\x20-\x7e]{1,998}$/.test(value))
      throw new Error(`Mail ${mail.template}: header ${name} is not allowed or not valid`);
  }
  const attachments = mail.attachments ?? [];
  checkAttachments(mail.template, attachments);
  const rendered = await renderMail(mail.template, mail.data, mail.language ?? DEFAULT_LANGUAGE);
  const [row] = (await db('mails')
    .insert({
      to_address: to,
      subject: rendered.subject,
      text_body: rendered.text,
      html_body: rendered.html,
      template: mail.template,
      headers: mail.headers && Object.keys(mail.headers).length ? JSON.stringify(mail.headers) : null,
    })
    .returning('id')) as Array<{ id: number }>;
  if (attachments.length > 0)
    await db('mail_attachments').insert(
      attachments.map((attachment, index) => ({
        mail_id: row!.id,
        position: index + 1,
        filename: attachment.filename.trim(),
        content_type: attachment.contentType,
        content: attachment.content,
      })),
    );
  await sendMailJob.enqueue(db, { id: row!.id });
  return row!.id;
}

// ---------------------------------------------------------------------------
// Sending

/** The From address: the site's name at no-reply@ the host of PUBLIC_URL. */
export function mailSender(config: Pick<Config, 'publicUrl'>): string {
  const host = new URL(config.publicUrl).hostname.replace(/^www\./, '');
  return `Uppdragsbanken <no-reply@${host}>`;
}

interface MailRow {
  id: number;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  template: string;
  sent_at: Date | null;
  attempts: number;
  headers: Partial<Record<ExtraHeader, string>> | null;
}

// One transport per SMTP URL and process. Not pooled: a connection per mail is
// plenty at this volume, and nothing is left open to delay shutdown.
const transports = new Map<string, Transporter>();

function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    // nodemailer's defaults wait minutes for a silent server, holding a worker slot;
    // the job retries with backoff anyway. Query parameters in SMTP_URL still win.
    transport = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
    transports.set(smtpUrl, transport);
  }
  return transport;
}

/**
 * An SMTP error as one line that is safe to store and log: the SMTP password is
 * masked, and so is any address (servers quote the recipient in their replies).
 */
function describeSmtpError(error: unknown, smtpUrl: string): string {
  const raw = error instanceof Error ? error.message : String(error);
  let message = raw.replace(/\s+/g, ' ').trim() || 'unknown error';
  const secrets = new Set<string>();
  try {
    const password = new URL(smtpUrl).password;
    if (password) {
      secrets.add(password);
      secrets.add(decodeURIComponent(password));
    }
  } catch {
    // config.ts validated the URL; nothing to mask if it cannot be parsed here
  }
  for (const secret of secrets) message = message.split(secret).join('***');
  message = message.replace(/[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:]+/g, '[address]');
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && !message.includes(code)) message = `${code}: ${message}`;
  return message.slice(0, 500);
}

/**
 * The send_mail task. Idempotent: it re-reads the row and does nothing when the
 * mail is already done, so a retried or duplicated job sends at most once (up
 * to the unavoidable gap between the SMTP server's "ok" and our update).
 */
export function mailTasks(deps: { db: Db; smtpUrl?: string; from: string; log: Logger }): TaskList {
  const { db, log } = deps;
  return jobTask(sendMailJob, log, async ({ id }) => {
    const mail = (await db('mails')
      .where({ id })
      .first('id', 'to_address', 'subject', 'text_body', 'html_body', 'template', 'sent_at', 'attempts', 'headers')) as
      MailRow | undefined;
    if (!mail) {
      // Deleted since (e.g. with the account): nothing to send, nothing to retry.
      log.warn({ mailId: id }, `${SEND_MAIL_TASK}: mail no longer exists; dropped`);
      return;
    }
    if (mail.sent_at) {
      log.debug({ mailId: id, template: mail.template }, `${SEND_MAIL_TASK}: already done`);
      return;
    }

    if (!deps.smtpUrl) {
      // sent_at marks the job as done; attempts stays 0, which tells "stored" from "sent".
      await db('mails').where({ id }).whereNull('sent_at').update({ sent_at: db.fn.now() });
      log.info({ mailId: id, template: mail.template }, 'Mail stored, not sent: SMTP_URL is not set (read it at /dev/mail)');
      return;
    }

    const attachments = (await db('mail_attachments')
      .where({ mail_id: id })
      .orderBy('position')
      .select('filename', 'content_type', 'content')) as Array<{ filename: string; content_type: string; content: Buffer }>;
    try {
      await transportFor(deps.smtpUrl).sendMail({
        from: deps.from,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.text_body,
        html: mail.html_body,
        // Asks mail servers and out-of-office robots not to answer a robot.
        headers: { ...mail.headers, 'Auto-Submitted': 'auto-generated' },
        attachments: attachments.map((attachment) => ({
          filename: attachment.filename,
          contentType: attachment.content_type,
          content: attachment.content,
        })),
      });
    } catch (error) {
      const message = describeSmtpError(error, deps.smtpUrl);
      await db('mails')
        .where({ id })
        .update({ attempts: db.raw('attempts + 1'), last_error: message });
      log.warn(
        { mailId: id, template: mail.template, attempt: mail.attempts + 1 },
        `Mail could not be sent; will retry: ${message}`,
      );
      // graphile-worker retries a failed job with exponential backoff. The original error
      // is deliberately not attached as `cause`: its message may hold the password or address.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`Mail ${id} could not be sent: ${message}`);
    }
    await db('mails')
      .where({ id })
      .update({ attempts: db.raw('attempts + 1'), sent_at: db.fn.now() });
    log.info({ mailId: id, template: mail.template }, 'Mail sent');
  });
}
