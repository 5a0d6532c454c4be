import { expect } from 'chai';
import express, { type Express } from 'express';
import { runOnce } from 'graphile-worker';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import request from 'supertest';
import { enqueueJob, workerLogger } from '../../src/platform/jobs.js';
import { mailSender, mailTasks, queueMail, SEND_MAIL_TASK, type MailTemplate } from '../../src/platform/mail.js';
import { devMailRoutes, MAIL_PREVIEW_CSP } from '../../src/web/dev-mail.js';
import { errorHandler, notFoundHandler } from '../../src/web/error-handler.js';
import { viewLocals } from '../../src/web/locals.js';
import { requestLogger } from '../../src/web/request-logger.js';
import { securityHeaders } from '../../src/web/security.js';
import { useViews } from '../../src/web/views.js';
import { useTestApp } from '../support/test-app.js';

// Mail through real parts: queueMail in a transaction, the send_mail job run by
// graphile-worker, nodemailer talking to a real SMTP server (smtp-server) on a
// free port, and the dev page that shows stored mail.

// ---------------------------------------------------------------------------
// A real SMTP server that keeps what it receives.

interface Received {
  envelopeTo: string[];
  raw: string;
}

interface SmtpSink {
  port: number;
  received: Received[];
  stop(): Promise<void>;
}

async function startSmtpSink(port = 0, options: SMTPServerOptions = {}): Promise<SmtpSink> {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    ...options,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          envelopeTo: session.envelope.rcptTo.map((address) => address.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------
// A small MIME reader (mailparser is not installed): headers with RFC 2047
// encoded words, multipart bodies, quoted-printable and base64.

interface ParsedMail {
  headers: Map<string, string>;
  text?: string;
  html?: string;
}

function bytesToText(bytes: number[]): string {
  return Buffer.from(bytes).toString('utf8');
}

function decodeQuotedPrintable(body: string, underscoreIsSpace = false): string {
  const source = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const hex = source.slice(i + 1, i + 3);
    if (source[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (underscoreIsSpace && source[i] === '_') {
      bytes.push(0x20);
    } else {
      bytes.push(...Buffer.from(source[i]!, 'utf8'));
    }
  }
  return bytesToText(bytes);
}

const ENCODED_WORD = /=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g;

/** Decodes runs of encoded words together, since one character may be split across two of them. */
function decodeHeader(value: string): string {
  return value.replace(new RegExp(`${ENCODED_WORD.source}(?:\\s+${ENCODED_WORD.source})*`, 'g'), (run) => {
    const bytes: number[] = [];
    for (const [, , encoding, text] of run.matchAll(ENCODED_WORD)) {
      const decoded =
        encoding!.toUpperCase() === 'B' ? Buffer.from(text!, 'base64') : Buffer.from(decodeQuotedPrintable(text!, true), 'utf8');
      bytes.push(...decoded);
    }
    return bytesToText(bytes);
  });
}

function parseEntity(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = split >= 0 ? raw.slice(0, split) : raw;
  const body = split >= 0 ? raw.slice(split + 4) : '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeHeader(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

function parseMail(raw: string): ParsedMail {
  const top = parseEntity(raw);
  const mail: ParsedMail = { headers: top.headers };
  const visit = (entity: { headers: Map<string, string>; body: string }) => {
    const type = entity.headers.get('content-type') ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (type.toLowerCase().startsWith('multipart/') && boundary) {
      const sections = entity.body.split(`--${boundary}`).slice(1);
      for (const section of sections) {
        if (section.startsWith('--')) break;
        visit(parseEntity(section.replace(/^\r\n/, '')));
      }
      return;
    }
    const encoding = (entity.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
    const content =
      encoding === 'base64'
        ? Buffer.from(entity.body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : encoding === 'quoted-printable'
          ? decodeQuotedPrintable(entity.body)
          : entity.body;
    // SMTP lines end in CRLF; the bodies were written with LF.
    if (type.toLowerCase().startsWith('text/html')) mail.html = content.replace(/\r\n/g, '\n');
    else if (type.toLowerCase().startsWith('text/plain')) mail.text = content.replace(/\r\n/g, '\n');
  };
  visit(top);
  return mail;
}

// ---------------------------------------------------------------------------

describe('Mail (queueMail, the send_mail job and /dev/mail)', () => {
  const ctx = useTestApp();
  let smtp: SmtpSink;
  let devApp: Express;
  const smtpUrl = () => `smtp://127.0.0.1:${smtp.port}`;
  const link = 'http://uppdragsbanken.test/verifiera-e-post/abc123';

  /** Runs the queued mail jobs once, as the worker would, with or without SMTP. */
  const runMailJobs = (url: string | undefined) =>
    runOnce({
      connectionString: ctx.databaseUrl,
      taskList: mailTasks({ db: ctx.db, smtpUrl: url, from: mailSender(ctx.config), log: ctx.deps.log }),
      logger: workerLogger(ctx.deps.log),
    });
  const mailJobs = async () =>
    (
      await ctx.db.raw(
        `SELECT id, attempts, last_error, run_at FROM graphile_worker.jobs WHERE task_identifier = ? ORDER BY id`,
        [SEND_MAIL_TASK],
      )
    ).rows as Array<{ id: number; attempts: number; last_error: string | null; run_at: Date }>;
  const mailRow = async (id: number) =>
    (await ctx.db('mails').where({ id }).first()) as {
      to_address: string;
      subject: string;
      text_body: string;
      html_body: string;
      template: string;
      sent_at: Date | null;
      attempts: number;
      last_error: string | null;
    };
  const queue = (to: string, template: MailTemplate, data: Record<string, unknown>, language?: 'sv' | 'en') =>
    ctx.db.transaction((trx) => queueMail(trx, { to, template, data, language }));

  before(async () => {
    smtp = await startSmtpSink();
    // The app's view setup and locals around the router, the way app.ts wires them.
    devApp = express();
    useViews(devApp, { cache: false });
    devApp.use(requestLogger(ctx.deps.log));
    devApp.use(securityHeaders({ production: false }));
    devApp.use(viewLocals(ctx.deps.i18n, ctx.deps.reference));
    devApp.use(devMailRoutes({ db: ctx.db }));
    devApp.use(notFoundHandler);
    devApp.use(errorHandler);
  });

  after(async () => {
    await smtp?.stop();
  });

  beforeEach(() => {
    smtp.received.length = 0;
  });

  it('when a verification mail is queued and the jobs run twice, then it arrives once, in Swedish, with the link in text and HTML', async () => {
    const id = await queue('anna.berg@example.se', 'verify-email', { name: 'Anna', url: link, expiresInHours: 24 });
    expect(await mailJobs()).to.have.length(1);
    expect((await mailRow(id)).sent_at).to.equal(null);

    await runMailJobs(smtpUrl());
    await runMailJobs(smtpUrl());
    // A duplicate job (a retry after a lost acknowledgement, say) finds the mail done.
    await enqueueJob(ctx.db, SEND_MAIL_TASK, { id });
    await runMailJobs(smtpUrl());

    expect(smtp.received).to.have.length(1);
    expect(smtp.received[0]!.envelopeTo).to.deep.equal(['anna.berg@example.se']);
    const mail = parseMail(smtp.received[0]!.raw);
    expect(mail.headers.get('to')).to.equal('anna.berg@example.se');
    expect(mail.headers.get('from')).to.equal('Uppdragsbanken <no-reply@uppdragsbanken.test>');
    expect(mail.headers.get('subject')).to.equal('Bekräfta din e-postadress');
    expect(mail.headers.get('auto-submitted')).to.equal('auto-generated');
    expect(mail.text).to.include('Hej Anna!\n\nBekräfta din e-postadress');
    expect(mail.text).to.include(link);
    expect(mail.text).to.include('Länken kan bara användas en gång och gäller i 24 timmar.');
    expect(mail.text, 'plain text has no markup or entities').not.to.match(/<[a-z/!]|&[a-z#0-9]+;/i);
    expect(mail.html).to.include(`href="${link}"`);
    expect(mail.html).to.include('<html lang="sv">');
    expect(mail.html).to.include('Hej Anna!');

    const row = await mailRow(id);
    expect(row.sent_at).to.be.instanceOf(Date);
    expect(row.attempts).to.equal(1);
    expect(row.last_error).to.equal(null);
    expect(await mailJobs()).to.deep.equal([]);
  });

  it('when the name holds markup, then the HTML escapes it and the plain text shows it as written', async () => {
    const name = 'Anna <script>alert(1)</script> & Co';
    await queue('anna@example.se', 'verify-email', { name, url: `${link}?a=1&b=2` });
    await runMailJobs(smtpUrl());

    const mail = parseMail(smtp.received[0]!.raw);
    expect(mail.html).to.include('Hej Anna &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co!');
    expect(mail.html).not.to.include('<script');
    expect(mail.html).to.include(`href="${link}?a=1&amp;b=2"`);
    expect(mail.text).to.include(`Hej ${name}!`);
    expect(mail.text).to.include(`${link}?a=1&b=2`);
  });

  it('when every template is queued, then each has its own Swedish subject, and English on request', async () => {
    const cases: Array<[MailTemplate, Record<string, unknown>, string, string]> = [
      ['reset-password', { name: 'Anna', url: link, expiresInHours: 1 }, 'Återställ ditt lösenord', 'gäller i en timme'],
      [
        'invite',
        { url: link, organisationName: 'Rusksele byaförening', inviterName: 'Nils Holm' },
        'Inbjudan till Rusksele byaförening på Uppdragsbanken',
        'Nils Holm har bjudit in dig att gå med i Rusksele byaförening',
      ],
      [
        'email-changed',
        { name: 'Anna', url: link, newEmail: 'anna.ny@example.se' },
        'Din e-postadress har ändrats',
        'har just ändrats till anna.ny@example.se',
      ],
    ];
    for (const [template, data] of cases) await queue('anna@example.se', template, data);
    await queue('anna@example.se', 'verify-email', { name: 'Anna', url: link }, 'en');
    await runMailJobs(smtpUrl());

    const mails = smtp.received.map((received) => parseMail(received.raw));
    for (const [template, , subject, phrase] of cases) {
      const mail = mails.find((m) => m.headers.get('subject') === subject);
      expect(mail, template).not.to.equal(undefined);
      expect(mail!.text, template).to.include(phrase);
      expect(mail!.text, template).to.include(link);
      expect(mail!.html, template).to.include(`href="${link}"`);
    }
    const english = mails.find((m) => m.headers.get('subject') === 'Confirm your e-mail address');
    expect(english?.text).to.include('Hello Anna!');
    expect(english?.html).to.include('<html lang="en">');
  });

  it('when the transaction that queues a mail rolls back, then no mail and no job exist', async () => {
    const mailsBefore = await ctx.db('mails').count({ n: '*' }).first();
    const rolledBack = await ctx.db
      .transaction(async (trx) => {
        await queueMail(trx, { to: 'aldrig@example.se', template: 'verify-email', data: { name: 'Aldrig', url: link } });
        throw new Error('sign-up failed later');
      })
      .then(
        () => undefined,
        (error: Error) => error,
      );
    expect(rolledBack?.message).to.equal('sign-up failed later'); // our error, not another failure on the way
    expect(await ctx.db('mails').count({ n: '*' }).first()).to.deep.equal(mailsBefore);
    expect(await ctx.db('mails').where({ to_address: 'aldrig@example.se' }).first()).to.equal(undefined);
    expect(await mailJobs()).to.deep.equal([]);
    await runMailJobs(smtpUrl());
    expect(smtp.received).to.deep.equal([]);
  });

  it('when the data or address is unusable, then queueMail throws naming the field and stores nothing', async () => {
    const attempts: Array<[string, MailTemplate, Record<string, unknown>, RegExp]> = [
      ['anna@example.se', 'verify-email', { name: 'Anna' }, /data\.url/],
      ['anna@example.se', 'verify-email', { name: 'Anna', url: '/verifiera/abc' }, /data\.url/],
      ['anna@example.se', 'verify-email', { name: 'Anna', url: 'javascript:alert(1)' }, /data\.url/],
      ['anna@example.se', 'verify-email', { name: 'Anna', url: link, nmae: 'typo' }, /nmae|Unrecognized/i],
      ['anna@example.se', 'invite', { url: link }, /data\.organisationName/],
      ['inte-en-adress', 'verify-email', { url: link }, /recipient/],
      ['anna@example.se\r\nBcc: alla@example.se', 'verify-email', { url: link }, /recipient/],
    ];
    for (const [to, template, data, message] of attempts) {
      const error = await queue(to, template, data).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message, JSON.stringify(data)).to.match(message);
      expect(error?.message).not.to.include('anna@example.se');
    }
    expect(await ctx.db('mails').whereIn('to_address', ['inte-en-adress']).first()).to.equal(undefined);
    expect(await mailJobs()).to.deep.equal([]);
  });

  it('when the SMTP server is down, then the job fails and records why; once it is back, a later run sends the mail', async () => {
    const port = smtp.port;
    await smtp.stop();
    try {
      const id = await queue('nils@example.se', 'reset-password', { name: 'Nils', url: link, expiresInHours: 1 });
      const beforeRun = Date.now();
      await runMailJobs(`smtp://127.0.0.1:${port}`);

      const failed = await mailRow(id);
      expect(failed.sent_at).to.equal(null);
      expect(failed.attempts).to.equal(1);
      expect(failed.last_error).to.match(/ECONNREFUSED|ECONNECTION/);
      const [job] = await mailJobs();
      expect(job?.attempts, 'graphile-worker counts the failure and retries later').to.equal(1);
      // graphile-worker's first backoff is e¹ ≈ 2.7 s after the failure (measured from before the run,
      // not from now: on a loaded machine the assertion may come later than that).
      expect(job?.run_at.getTime()).to.be.greaterThan(beforeRun + 2000);
    } finally {
      smtp = await startSmtpSink(port);
    }

    // Instead of waiting out the backoff, make the retry due now.
    await ctx.db.raw(`SELECT graphile_worker.reschedule_jobs(ARRAY(SELECT id FROM graphile_worker.jobs), run_at => now())`);
    await runMailJobs(smtpUrl());

    expect(smtp.received).to.have.length(1);
    expect(parseMail(smtp.received[0]!.raw).headers.get('subject')).to.equal('Återställ ditt lösenord');
    const row = (await ctx.db('mails').where({ to_address: 'nils@example.se' }).first()) as {
      sent_at: Date | null;
      attempts: number;
    };
    expect(row.sent_at).to.be.instanceOf(Date);
    expect(row.attempts).to.equal(2);
    expect(await mailJobs()).to.deep.equal([]);
  });

  it('when the SMTP server quotes the password or the recipient in its refusal, then neither is stored in last_error', async () => {
    const strict = await startSmtpSink(0, {
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.password === 'ratt-losenord') callback(null, { user: auth.username });
        else callback(new Error(`Password ${auth.password} is wrong`));
      },
      onRcptTo(address, _session, callback) {
        callback(new Error(`Mailbox <${address.address}> does not exist`));
      },
    });
    try {
      const wrongPassword = await queue('greta@example.se', 'verify-email', { url: link });
      await runMailJobs(`smtp://ub:Hemligt-123@127.0.0.1:${strict.port}`);
      const first = await mailRow(wrongPassword);
      expect(first.last_error).to.be.a('string').and.not.include('Hemligt-123');
      expect(first.last_error).to.include('***');

      await ctx.db.raw(`SELECT graphile_worker.reschedule_jobs(ARRAY(SELECT id FROM graphile_worker.jobs), run_at => now())`);
      await runMailJobs(`smtp://ub:ratt-losenord@127.0.0.1:${strict.port}`);
      const second = await mailRow(wrongPassword);
      expect(second.attempts).to.equal(2);
      expect(second.last_error).to.include('[address]').and.not.include('greta@example.se');
      expect(strict.received).to.deep.equal([]);
    } finally {
      await strict.stop();
      // Leave no failing job behind for the next tests.
      await ctx.db.raw(`SELECT graphile_worker.complete_jobs(ARRAY(SELECT id FROM graphile_worker.jobs))`);
    }
  });

  describe('without SMTP_URL', () => {
    let id: number;
    const name = 'Lisa <script>alert(1)</script>';

    before(async () => {
      id = await queue('lisa@example.se', 'verify-email', { name, url: link });
      await runMailJobs(undefined);
    });

    it('when the job runs, then the mail is stored and marked done, and nothing is sent', async () => {
      const row = await mailRow(id);
      expect(row.sent_at).to.be.instanceOf(Date);
      expect(row.attempts).to.equal(0);
      expect(smtp.received).to.deep.equal([]);
      expect(await mailJobs()).to.deep.equal([]);
      // A later run, now with SMTP, does not send a mail that was only ever meant to be stored.
      await runMailJobs(smtpUrl());
      expect(smtp.received).to.deep.equal([]);
    });

    it('when /dev/mail is opened, then the mail is listed with time, recipient, subject and a link', async () => {
      const response = await request(devApp).get('/dev/mail').expect(200).expect('Content-Type', /html/);
      expect(response.headers['cache-control']).to.equal('no-store');
      expect(response.text).to.include('<h1>Mejl (utvecklingsläge)</h1>');
      expect(response.text).to.include('lisa@example.se');
      expect(response.text).to.include(`<a href="/dev/mail/${id}">Bekräfta din e-postadress</a>`);
      expect(response.text).to.match(/<time datetime="\d{4}-\d\d-\d\dT[^"]+">[^<]+<\/time>/);
      expect(response.text).to.include('Sparat, inte skickat');
      expect(response.text).not.to.include('<script>alert');
    });

    it('when a mail is opened, then its text is shown in a <pre> with the link clickable and its HTML only in a sandboxed frame', async () => {
      const response = await request(devApp).get(`/dev/mail/${id}`).expect(200);
      const pre = /<pre id="mail-text">([\s\S]*?)<\/pre>/.exec(response.text)?.[1];
      expect(pre).to.include('Hej Lisa &lt;script&gt;alert(1)&lt;/script&gt;!');
      expect(pre).to.include(`<a href="${link}">${link}</a>`);
      expect(response.text).to.include(`<iframe sandbox="" src="/dev/mail/${id}/html"`);
      expect(response.text, 'the mail HTML is never inlined').not.to.include('<table role="presentation"');
      expect(response.text).not.to.include('<script>alert');
      expect(response.text, 'no inline styles reach our page').not.to.match(/<[a-z][^>]*\sstyle=/i);
      expect(response.text, 'the source is shown escaped').to.include('&lt;table role=&#34;presentation&#34;');
      expect(response.headers['content-security-policy']).to.include("style-src 'self'");
    });

    it('when the HTML route is opened, then the stored HTML comes with a sandboxing CSP of its own', async () => {
      const row = await mailRow(id);
      const response = await request(devApp)
        .get(`/dev/mail/${id}/html`)
        .expect(200)
        .expect('Content-Type', /text\/html/);
      expect(response.text).to.equal(row.html_body);
      expect(response.headers['content-security-policy']).to.equal(MAIL_PREVIEW_CSP);
      expect(response.headers['content-security-policy']).to.match(/^sandbox; default-src 'none'/);
      expect(response.headers['cache-control']).to.equal('no-store');
    });

    it('when the id is not a stored mail, then every dev mail route answers 404', async () => {
      for (const path of [
        '/dev/mail/abc',
        '/dev/mail/999999',
        '/dev/mail/0',
        '/dev/mail/-1',
        '/dev/mail/1e3',
        '/dev/mail/99999999999999999999',
        '/dev/mail/999999/html',
        '/dev/mail/abc/html',
      ]) {
        await request(devApp).get(path).expect(404);
      }
    });

    it('when more than 100 mails exist, then the list shows the newest 100, newest first', async () => {
      await ctx.db('mails').insert(
        Array.from({ length: 105 }, (_, i) => ({
          to_address: `person${i}@example.se`,
          subject: `Testmejl ${i}`,
          text_body: 'Text',
          html_body: '<p>Text</p>',
          template: 'verify-email',
        })),
      );
      const response = await request(devApp).get('/dev/mail').expect(200);
      const links = [...response.text.matchAll(/<a href="\/dev\/mail\/(\d+)">/g)].map((match) => Number(match[1]));
      expect(links).to.have.length(100);
      expect(links).to.deep.equal([...links].sort((a, b) => b - a));
      expect(response.text).to.include('Testmejl 104');
      expect(response.text).not.to.include('Testmejl 4<');
    });
  });
});
