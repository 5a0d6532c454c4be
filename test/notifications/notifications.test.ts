import { expect } from 'chai';
import { parseCrontab } from 'graphile-worker';
import request from 'supertest';
import { notify } from '../../src/modules/notifications/index.js';
import {
  MESSAGE_MAIL_DELAY_MS,
  NOTIFICATION_TYPES,
  SEND_NOTIFICATION_MAIL_TASK,
} from '../../src/modules/notifications/notify.js';
import { NOTIFICATIONS_CRONTAB } from '../../src/modules/notifications/tasks.js';
import { NOTIFY_EXPIRING_TASK, notifyExpiringAssignments } from '../../src/modules/notifications/expiring.js';
import { sendNotificationMail } from '../../src/modules/notifications/mail-task.js';
import { createApplication, createOrganisation, createTestAssignment, isoDay } from '../support/factories.js';
import { makeJobsDue } from '../support/messages-factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, postForm } from '../support/users.js';

// Notifications through HTTP and the jobs: the in-app list (newest first,
// unread marked, paging, open one, mark all read), the header's count, the
// e-mail choices, the batched notification mail and the daily "closes
// tomorrow" notice.

const XSS = '"><script>alert(1)</script>';
const XSS_ESCAPED = '&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';

describe('Notifications', () => {
  const ctx = useTestApp();

  const post = postForm;

  const mailsTo = (email: string) =>
    ctx
      .db('mails')
      .where({ to_address: email, template: 'notifications' })
      .orderBy('id')
      .select('subject', 'text_body', 'html_body');

  const pendingMailJobs = (userId: number) =>
    ctx.db.raw(`SELECT run_at FROM graphile_worker.jobs WHERE task_identifier = ? AND key = ?`, [
      SEND_NOTIFICATION_MAIL_TASK,
      `${SEND_NOTIFICATION_MAIL_TASK}:${userId}`,
    ]) as Promise<{ rows: Array<{ run_at: Date }> }>;

  /** A person with an account, logged in. */
  const person = async (overrides: Parameters<typeof createUser>[1] = {}) => {
    const user = await createUser(ctx.db, overrides);
    return { ...user, client: await logInAs(ctx.app, user.email) };
  };

  describe('the in-app list', () => {
    let reader: Awaited<ReturnType<typeof person>>;
    let other: Awaited<ReturnType<typeof person>>;

    before(async () => {
      reader = await person();
      other = await person();
      await notify(ctx.db, {
        userIds: [reader.id],
        type: 'application_received',
        link: '/uppdrag/1',
        params: { assignment: 'Skotta snö' },
      });
      await notify(ctx.db, {
        userIds: [reader.id, other.id],
        type: 'message_received',
        link: '/ansokningar/7/meddelanden',
        params: { assignment: XSS, sender: 'Maja' },
      });
    });

    it('when the person opens it, then the newest comes first, each unread one is marked in words, and nothing is marked read', async () => {
      const res = await reader.client.agent.get('/konto/notiser').expect(200);
      const message = res.text.indexOf(`Nytt meddelande från Maja om ${XSS_ESCAPED}`);
      const application = res.text.indexOf('Ny intresseanmälan till Skotta snö');
      expect(message).to.be.above(-1);
      expect(application).to.be.above(message);
      expect(res.text).not.to.include('<script>alert(1)</script>');
      expect(res.text.match(/>Oläst</g)).to.have.length(2);
      expect(res.text).to.include('Du har 2 olästa notiser.');
      expect(await ctx.db('notifications').where('user_id', reader.id).whereNotNull('read_at')).to.have.length(0);
    });

    it('when the person is logged in, then the header says how many are unread, in words a screen reader reads', async () => {
      const res = await reader.client.agent.get('/uppdrag').expect(200);
      expect(res.text).to.include('<a href="/konto/notiser">Notiser (2 olästa)</a>');
      expect((await request(ctx.app).get('/uppdrag').expect(200)).text).not.to.include('/konto/notiser');
    });

    it('when a notice is opened, then it is marked read and the person goes to what it is about', async () => {
      const notice = await ctx.db('notifications').where({ user_id: reader.id, type: 'application_received' }).first('id');
      const res = await post(reader.client, `/konto/notiser/${notice.id}/oppna`).expect(303);
      expect(res.headers.location).to.equal('/uppdrag/1');
      expect((await ctx.db('notifications').where('id', notice.id).first('read_at')).read_at).to.be.a('date');
      const list = await reader.client.agent.get('/konto/notiser').expect(200);
      expect(list.text.match(/>Oläst</g)).to.have.length(1);
      expect(list.text).to.include('Notiser (1 oläst)');
    });

    it("when someone opens another person's notice, or a made-up one, then 404 and it stays unread", async () => {
      const notice = await ctx.db('notifications').where({ user_id: other.id }).first('id');
      await post(reader.client, `/konto/notiser/${notice.id}/oppna`).expect(404);
      for (const id of ['abc', '0', '99999999999999999999', '424242'])
        await post(reader.client, `/konto/notiser/${id}/oppna`).expect(404);
      expect((await ctx.db('notifications').where('id', notice.id).first('read_at')).read_at).to.equal(null);
    });

    it('when a link would lead to another site, then the database refuses it, so opening can only go within the site', async () => {
      for (const link of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', ''])
        await notify(ctx.db, { userIds: [reader.id], type: 'moderation_notice', link }).then(
          () => expect.fail(`accepted ${link}`),
          (error: { code?: string }) => expect(error.code).to.equal('23514'),
        );
    });

    it('when all are marked read, then only that person’s are, and the count disappears from the header', async () => {
      const res = await post(reader.client, '/konto/notiser/lasta').expect(303);
      expect(res.headers.location).to.equal('/konto/notiser?done=allRead');
      expect(await ctx.db('notifications').where('user_id', reader.id).whereNull('read_at')).to.have.length(0);
      expect(await ctx.db('notifications').where('user_id', other.id).whereNull('read_at')).to.have.length(1);
      const list = await reader.client.agent.get('/konto/notiser?done=allRead').expect(200);
      expect(list.text).to.include('Alla notiser är markerade som lästa.');
      expect(list.text).to.include('<a href="/konto/notiser" aria-current="page">Notiser</a>');
    });

    it('when there are more than 50, then they come 50 a page, and a bad page number shows a real page', async () => {
      const many = await person();
      await ctx.db('notifications').insert(
        Array.from({ length: 55 }, (_, n) => ({
          user_id: many.id,
          type: 'application_received',
          params: JSON.stringify({ assignment: `Uppdrag ${n + 1}` }),
          link: '/uppdrag/1',
          email_wanted: false,
          created_at: new Date(Date.now() - (55 - n) * 60_000),
        })),
      );
      const first = await many.client.agent.get('/konto/notiser').expect(200);
      expect(first.text.match(/Ny intresseanmälan till Uppdrag \d+</g)).to.have.length(50);
      expect(first.text).to.include('Ny intresseanmälan till Uppdrag 55<');
      expect(first.text).not.to.include('Ny intresseanmälan till Uppdrag 5<');
      // The pagination marks the page shown (aria-current) and links the other one.
      const shownPage = (html: string) => /aria-current="page"><span class="visually-hidden">[^<]*<\/span>(\d+)</.exec(html)?.[1];
      expect(shownPage(first.text)).to.equal('1');
      expect(first.text).to.include('href="/konto/notiser?page=2"');
      const second = await many.client.agent.get('/konto/notiser?page=2').expect(200);
      expect(shownPage(second.text)).to.equal('2');
      expect(second.text.match(/Ny intresseanmälan till Uppdrag \d+</g)).to.have.length(5);
      expect(second.text).to.include('Ny intresseanmälan till Uppdrag 1<');
      for (const page of ['abc', '0', '-1'])
        expect(shownPage((await many.client.agent.get(`/konto/notiser?page=${page}`).expect(200)).text)).to.equal('1');
      expect(shownPage((await many.client.agent.get('/konto/notiser?page=999999').expect(200)).text)).to.equal('2');
      await many.client.agent.get('/konto/notiser?page=1&page=2').expect(200);
    });

    it('when a visitor asks, then they are sent to log in (pages) or refused (forms)', async () => {
      expect((await request(ctx.app).get('/konto/notiser').expect(303)).headers.location).to.match(/^\/logga-in/);
      expect((await request(ctx.app).get('/konto/notiser/installningar').expect(303)).headers.location).to.match(/^\/logga-in/);
    });
  });

  describe('e-mail choices', () => {
    it('when nothing is chosen yet, then every type is on', async () => {
      const someone = await person();
      const res = await someone.client.agent.get('/konto/notiser/installningar').expect(200);
      expect(res.text.match(/name="email" value="[a-z_]+" checked/g)).to.have.length(NOTIFICATION_TYPES.length);
    });

    it('when a type is turned off, then its notices still come in-app but no mail; the others are mailed at once', async () => {
      const someone = await person();
      await post(someone.client, '/konto/notiser/installningar', {
        email: ['application_accepted', 'application_declined'],
      }).expect(303);
      const saved = await ctx.db('notification_preferences').where('user_id', someone.id).select('type', 'email');
      expect(saved).to.have.length(NOTIFICATION_TYPES.length);
      expect(
        saved
          .filter((row) => row.email)
          .map((row) => row.type)
          .sort(),
      ).to.deep.equal(['application_accepted', 'application_declined']);
      const page = await someone.client.agent.get('/konto/notiser/installningar').expect(200);
      expect(page.text).to.include('value="application_accepted" checked');
      expect(page.text).not.to.include('value="message_received" checked');

      await notify(ctx.db, { userIds: [someone.id], type: 'message_received', link: '/konto', params: { assignment: 'A' } });
      await notify(ctx.db, {
        userIds: [someone.id],
        type: 'application_accepted',
        link: '/konto',
        params: { assignment: 'Ved' },
      });
      const rows = await ctx.db('notifications').where('user_id', someone.id).orderBy('id').select('type', 'email_wanted');
      expect(rows).to.deep.equal([
        { type: 'message_received', email_wanted: false },
        { type: 'application_accepted', email_wanted: true },
      ]);
      // Not a batched type: the mail is due now.
      const jobs = (await pendingMailJobs(someone.id)).rows;
      expect(jobs).to.have.length(1);
      expect(jobs[0]!.run_at.getTime()).to.be.at.most(Date.now() + 1000);
      await ctx.runJobs();
      const mails = await mailsTo(someone.email);
      expect(mails).to.have.length(1);
      expect(mails[0]!.subject).to.equal('En ny notis från Uppdragsbanken');
      expect(mails[0]!.text_body).to.include('Du har fått uppdraget Ved');
      expect(mails[0]!.text_body).not.to.include('Nytt meddelande');
    });

    it('when mail is turned off while a notice waits for its mail, then that notice is not mailed', async () => {
      const someone = await person();
      await notify(ctx.db, { userIds: [someone.id], type: 'message_received', link: '/konto', params: { assignment: 'A' } });
      await post(someone.client, '/konto/notiser/installningar', {}).expect(303);
      await makeJobsDue(ctx.db);
      await ctx.runJobs();
      expect(await mailsTo(someone.email)).to.have.length(0);
      expect(await ctx.db('notifications').where('user_id', someone.id)).to.have.length(1);
    });

    it('when the form names an unknown type or is tampered with, then 400 and nothing changes', async () => {
      const someone = await person();
      for (const email of [
        'nonsense',
        ['message_received', XSS],
        Array.from({ length: NOTIFICATION_TYPES.length + 1 }, () => 'message_received'),
      ]) {
        const res = await post(someone.client, '/konto/notiser/installningar', { email }).expect(400);
        expect(res.text).to.include('<p class="field-error" id="email-error">Välj bland alternativen i listan.</p>');
        expect(res.text).not.to.include('<script>alert(1)</script>');
      }
      expect(await ctx.db('notification_preferences').where('user_id', someone.id)).to.have.length(0);
    });
  });

  describe('the notification mail', () => {
    let org: { id: number };
    let member: Awaited<ReturnType<typeof person>>;
    before(async () => {
      org = await createOrganisation(ctx.db, { name: 'Norsjö IF' });
      member = await person({ name: 'Maja Medlem' });
      await ctx.db('organisation_members').insert({ organisation_id: org.id, user_id: member.id, role: 'admin' });
    });

    it('when five messages come in a row, then one mail carries all five, after the delay, without the messages’ text', async () => {
      const applicant = await person({ name: 'Anna Sökande' });
      const assignmentId = await createTestAssignment(ctx.db, { organisationId: org.id, title: `Måla staketet ${XSS}` });
      const applicationId = await createApplication(ctx.db, { assignmentId, applicantId: applicant.id });
      for (let n = 1; n <= 5; n++)
        await post(member.client, `/ansokningar/${applicationId}/meddelanden`, { body: `Hemligt innehåll ${n}` }).expect(303);

      expect(await ctx.db('notifications').where({ user_id: applicant.id, type: 'message_received' })).to.have.length(5);
      const jobs = (await pendingMailJobs(applicant.id)).rows;
      expect(jobs).to.have.length(1);
      // Waits for the conversation, from the first message on.
      expect(jobs[0]!.run_at.getTime()).to.be.above(Date.now() + MESSAGE_MAIL_DELAY_MS - 60_000);

      await ctx.runJobs();
      expect(await mailsTo(applicant.email), 'nothing before the delay').to.have.length(0);

      await makeJobsDue(ctx.db);
      await ctx.runJobs();
      const mails = await mailsTo(applicant.email);
      expect(mails).to.have.length(1);
      const [mail] = mails;
      expect(mail!.subject).to.equal('5 nya notiser från Uppdragsbanken');
      expect(mail!.text_body).to.include('Hej Anna Sökande!');
      expect(mail!.text_body.match(/Nytt meddelande från Maja Medlem om Måla staketet/g)).to.have.length(5);
      expect(mail!.text_body).to.include(`http://uppdragsbanken.test/ansokningar/${applicationId}/meddelanden`);
      expect(mail!.text_body).to.include('http://uppdragsbanken.test/konto/notiser/installningar');
      expect(mail!.text_body).not.to.include('Hemligt innehåll');
      expect(mail!.html_body).not.to.include('Hemligt innehåll');
      // The title is text in the plain mail and escaped in the HTML one.
      expect(mail!.text_body).to.include(XSS);
      expect(mail!.html_body).to.include(XSS_ESCAPED);
      expect(mail!.html_body).not.to.include('<script>alert(1)</script>');
      expect(mail!.html_body).to.include(`href="http://uppdragsbanken.test/ansokningar/${applicationId}/meddelanden"`);
      expect(await ctx.db('notifications').where({ user_id: applicant.id }).whereNull('emailed_at')).to.have.length(0);
    });

    it('when the job runs again, or twice at once, then nothing more is sent', async () => {
      const someone = await person();
      await notify(ctx.db, { userIds: [someone.id], type: 'application_declined', link: '/konto', params: { assignment: 'B' } });
      const results = await Promise.all([
        sendNotificationMail({ db: ctx.db, publicUrl: ctx.config.publicUrl }, someone.id),
        sendNotificationMail({ db: ctx.db, publicUrl: ctx.config.publicUrl }, someone.id),
      ]);
      expect(results.sort()).to.deep.equal([0, 1]);
      await ctx.runJobs();
      expect(await sendNotificationMail({ db: ctx.db, publicUrl: ctx.config.publicUrl }, someone.id)).to.equal(0);
      expect(await mailsTo(someone.email)).to.have.length(1);
    });

    it('when there are more notices than fit, then the newest are listed and the rest summed up', async () => {
      const someone = await person();
      await ctx.db('notifications').insert(
        Array.from({ length: 23 }, (_, n) => ({
          user_id: someone.id,
          type: 'application_received',
          params: JSON.stringify({ assignment: `Uppdrag ${n + 1}` }),
          link: '/uppdrag/1',
          email_wanted: true,
        })),
      );
      expect(await sendNotificationMail({ db: ctx.db, publicUrl: ctx.config.publicUrl }, someone.id)).to.equal(23);
      const [mail] = await mailsTo(someone.email);
      expect(mail!.subject).to.equal('23 nya notiser från Uppdragsbanken');
      expect(mail!.text_body).to.include('Uppdrag 23\n');
      expect(mail!.text_body).not.to.include('Uppdrag 3\n');
      expect(mail!.text_body).to.include('… och 3 notiser till.');
    });

    it('when the person has not confirmed their address, or has deleted the account, then no mail is sent', async () => {
      const unverified = await createUser(ctx.db, { verified: false });
      const leaving = await createUser(ctx.db);
      for (const user of [unverified, leaving])
        await notify(ctx.db, { userIds: [user.id], type: 'application_accepted', link: '/konto', params: { assignment: 'C' } });
      await ctx.db('users').where('id', leaving.id).delete();
      await ctx.runJobs();
      expect(await mailsTo(unverified.email)).to.have.length(0);
      expect(await mailsTo(leaving.email)).to.have.length(0);
      expect(await sendNotificationMail({ db: ctx.db, publicUrl: ctx.config.publicUrl }, leaving.id)).to.equal(0);
    });
  });

  describe('"last day to apply is tomorrow"', () => {
    it('when the daily job runs, then the members hear once about each published assignment closing tomorrow (Stockholm)', async () => {
      const org = await createOrganisation(ctx.db, { name: 'Lycksele hembygdsförening' });
      const otherOrg = await createOrganisation(ctx.db);
      const members = [await createUser(ctx.db), await createUser(ctx.db)];
      const outsider = await createUser(ctx.db);
      await ctx
        .db('organisation_members')
        .insert([
          ...members.map((m) => ({ organisation_id: org.id, user_id: m.id, role: 'member' })),
          { organisation_id: otherOrg.id, user_id: outsider.id, role: 'admin' },
        ]);
      const { rows } = (await ctx.db.raw(`SELECT ((now() AT TIME ZONE 'Europe/Stockholm')::date + 1)::text AS tomorrow`)) as {
        rows: Array<{ tomorrow: string }>;
      };
      const tomorrow = rows[0]!.tomorrow;
      const closing = await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Röja sly', applyBy: tomorrow });
      const later = await createTestAssignment(ctx.db, { organisationId: org.id, applyBy: isoDay(5) });
      const draft = await createTestAssignment(ctx.db, { organisationId: org.id, applyBy: tomorrow, status: 'draft' });

      const first = await notifyExpiringAssignments(ctx.db);
      expect(first).to.include(closing);
      expect(first).not.to.include(later);
      expect(first).not.to.include(draft);
      await notifyExpiringAssignments(ctx.db);
      await notifyExpiringAssignments(ctx.db, tomorrow);

      const notices = await ctx
        .db('notifications')
        .where({ type: 'assignment_expiring', dedupe_key: `assignment_expiring:${closing}` });
      expect(notices.map((n) => n.user_id).sort()).to.deep.equal(members.map((m) => m.id).sort());
      expect(notices[0].link).to.equal(`/uppdrag/${closing}`);
      expect(await ctx.db('notifications').where({ user_id: outsider.id })).to.have.length(0);

      await ctx.runJobs();
      const mail = await ctx.db('mails').where({ to_address: members[0]!.email, template: 'notifications' });
      expect(mail).to.have.length(1);
      expect(mail[0].text_body).to.include('Sista dagen att anmäla intresse för Röja sly är i morgon');
    });

    it('when the worker starts, then the job is on its schedule', () => {
      const [item] = parseCrontab(NOTIFICATIONS_CRONTAB);
      expect(item!.identifier).to.equal(NOTIFY_EXPIRING_TASK);
      expect(item!.options.backfillPeriod).to.be.above(0);
    });
  });
});
