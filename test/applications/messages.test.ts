import { expect } from 'chai';
import request from 'supertest';
import { MESSAGES_PER_PAGE } from '../../src/modules/applications/messages.js';
import { unreadMessageCounts, unreadMessageTotal } from '../../src/modules/applications/messages.js';
import { createApplication, createOrganisation, createTestAssignment } from '../support/factories.js';
import { createMessage } from '../support/messages-factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, type LoggedIn } from '../support/users.js';

// The message thread of an application through HTTP: who may read and write
// it (the applicant and the organisation's members, nobody else), in which
// states, what bad input gets, how it is shown, the notices to the other side
// and the unread counts.

const XSS = '"><script>alert(1)</script>';
const XSS_ESCAPED = '&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';

const INVALID_CHARACTERS =
  'Texten innehåller tecken som inte kan sparas, till exempel styrtecken. Skriv om den eller klistra in den som vanlig text.';

describe('Messages between an applicant and the organisation', () => {
  const ctx = useTestApp();
  const users = {} as Record<
    'applicant' | 'member' | 'secondMember' | 'otherResident' | 'otherMember' | 'admin',
    { id: number; email: string; name: string }
  >;
  const as = {} as Record<keyof typeof users, LoggedIn>;
  let organisation: { id: number; name: string };
  let assignmentId: number;

  const thread = (applicationId: number) => `/ansokningar/${applicationId}/meddelanden`;

  const send = (client: LoggedIn, applicationId: number, fields: Record<string, unknown>) =>
    client.agent
      .post(thread(applicationId))
      .type('form')
      .send({ ...fields, _csrf: client.csrf });

  const messagesOf = (applicationId: number) =>
    ctx.db('application_messages').where('application_id', applicationId).orderBy('id').select('sender_id', 'body');

  /** A new application by the applicant, in the given state. */
  const newApplication = async (status: 'submitted' | 'shortlisted' | 'accepted' | 'declined' | 'withdrawn' = 'submitted') =>
    createApplication(ctx.db, {
      assignmentId: await createTestAssignment(ctx.db, { organisationId: organisation.id, title: 'Skotta snö vid bygdegården' }),
      applicantId: users.applicant.id,
      status,
    });

  before(async () => {
    organisation = await createOrganisation(ctx.db, { name: 'Rusksele byaförening' });
    const other = await createOrganisation(ctx.db, { name: 'Annan förening' });
    assignmentId = await createTestAssignment(ctx.db, { organisationId: organisation.id, title: 'Klippa gräs' });
    users.applicant = await createUser(ctx.db, { name: 'Anna Sökande' });
    users.member = await createUser(ctx.db, { name: 'Maja Medlem' });
    users.secondMember = await createUser(ctx.db, { name: 'Mats Medlem' });
    users.otherResident = await createUser(ctx.db);
    users.otherMember = await createUser(ctx.db);
    users.admin = await createUser(ctx.db, { isAdmin: true });
    await ctx.db('organisation_members').insert([
      { organisation_id: organisation.id, user_id: users.member.id, role: 'admin' },
      { organisation_id: organisation.id, user_id: users.secondMember.id, role: 'member' },
      { organisation_id: other.id, user_id: users.otherMember.id, role: 'admin' },
    ]);
    for (const [role, user] of Object.entries(users)) as[role as keyof typeof users] = await logInAs(ctx.app, user.email);
  });

  describe('who may see and write in a thread', () => {
    let applicationId: number;
    before(async () => {
      applicationId = await createApplication(ctx.db, { assignmentId, applicantId: users.applicant.id });
      await createMessage(ctx.db, { applicationId, senderId: users.member.id, body: 'Välkommen!' });
    });

    it('when the applicant or a member of the organisation opens the thread, then they see the messages', async () => {
      for (const client of [as.applicant, as.member, as.secondMember]) {
        const res = await client.agent.get(thread(applicationId)).expect(200);
        expect(res.text).to.include('Meddelanden om Klippa gräs');
        expect(res.text).to.include('Välkommen!');
        expect(res.text).to.include('name="body"');
      }
    });

    it('when another resident, a member of another organisation or a platform admin opens it, then it does not exist for them', async () => {
      for (const client of [as.otherResident, as.otherMember, as.admin]) {
        const res = await client.agent.get(thread(applicationId)).expect(404);
        expect(res.text).not.to.include('Välkommen!');
      }
    });

    it('when they try to write in it, then 404 and nothing is stored', async () => {
      for (const client of [as.otherResident, as.otherMember, as.admin])
        await send(client, applicationId, { body: 'Hej från fel person' }).expect(404);
      expect((await messagesOf(applicationId)).map((m) => m.body)).to.deep.equal(['Välkommen!']);
    });

    it('when a visitor opens it, then they are asked to log in first; a visitor writing is refused', async () => {
      const res = await request(ctx.app).get(thread(applicationId)).expect(303);
      expect(res.headers.location).to.equal(`/logga-in?next=${encodeURIComponent(thread(applicationId))}`);
      const visitor = request.agent(ctx.app);
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await visitor.get('/logga-in')).text)![1];
      await visitor.post(thread(applicationId)).type('form').send({ body: 'Hej', _csrf: csrf }).expect(401);
      expect(await messagesOf(applicationId)).to.have.length(1);
    });

    it('when the id is not a number, too large or unknown, then 404', async () => {
      for (const id of ['abc', '1.5', '-1', '0', '99999999999999999999', '999999'])
        await as.applicant.agent.get(`/ansokningar/${id}/meddelanden`).expect(404);
      await send(as.applicant, 999999, { body: 'Hej' }).expect(404);
    });
  });

  describe('writing', () => {
    it('when the applicant writes, then the message is stored with line breaks, shown, and every member is notified', async () => {
      const applicationId = await newApplication();
      const res = await send(as.applicant, applicationId, {
        body: '  Hej!\r\nJag kan komma på lördag.\r\n\r\nMvh Anna  ',
      }).expect(303);
      expect(res.headers.location).to.match(new RegExp(`^${thread(applicationId)}\\?done=sent#m\\d+$`));
      expect(await messagesOf(applicationId)).to.deep.equal([
        { sender_id: users.applicant.id, body: 'Hej!\nJag kan komma på lördag.\n\nMvh Anna' },
      ]);
      const page = await as.member.agent.get(thread(applicationId)).expect(200);
      expect(page.text).to.include('<p>Hej!<br>Jag kan komma på lördag.</p>');
      expect(page.text).to.include('<p>Mvh Anna</p>');
      expect(page.text).to.include('Anna Sökande');

      const notices = await ctx
        .db('notifications')
        .where({ type: 'message_received', link: thread(applicationId) })
        .orderBy('user_id');
      expect(notices.map((n) => n.user_id)).to.deep.equal([users.member.id, users.secondMember.id].sort((a, b) => a - b));
      expect(notices[0].params).to.deep.equal({ assignment: 'Skotta snö vid bygdegården', sender: 'Anna Sökande' });
    });

    it('when a member writes, then the applicant is notified (not the writer), and the sender shows with the organisation', async () => {
      const applicationId = await newApplication('shortlisted');
      await send(as.member, applicationId, { body: 'Passar det på lördag?' }).expect(303);
      const notices = await ctx.db('notifications').where({ type: 'message_received', link: thread(applicationId) });
      expect(notices.map((n) => n.user_id)).to.deep.equal([users.applicant.id]);
      const page = await as.applicant.agent.get(thread(applicationId)).expect(200);
      expect(page.text).to.include('Maja Medlem, Rusksele byaförening');
      // The writer sees their own message as "Du".
      const own = await as.member.agent.get(thread(applicationId)).expect(200);
      expect(own.text).to.match(/<strong>Du<\/strong>/);
    });

    it('when the application is accepted, then both sides may still write', async () => {
      const applicationId = await newApplication('accepted');
      await send(as.applicant, applicationId, { body: 'Tack!' }).expect(303);
      await send(as.secondMember, applicationId, { body: 'Välkommen!' }).expect(303);
      expect(await messagesOf(applicationId)).to.have.length(2);
    });

    for (const status of ['declined', 'withdrawn'] as const) {
      it(`when the application is ${status}, then the thread is read-only: a notice, no form, and writing is a 409`, async () => {
        const applicationId = await newApplication(status);
        await createMessage(ctx.db, { applicationId, senderId: users.member.id, body: 'Tidigare meddelande' });
        const page = await as.applicant.agent.get(thread(applicationId)).expect(200);
        expect(page.text).to.include('Tidigare meddelande');
        expect(page.text).to.include('kan läsa meddelandena men inte skriva nya');
        // The state in the glossary's word, as on the application page (it once said "återtagen").
        expect(page.text).to.include(`Status för intresseanmälan: ${status === 'declined' ? 'Avböjd' : 'Återkallad'}.`);
        expect(page.text).not.to.include('name="body"');
        for (const client of [as.applicant, as.member]) {
          const res = await send(client, applicationId, { body: 'Går det ändå?' }).expect(409);
          expect(res.text).to.include('kan läsa meddelandena men inte skriva nya');
        }
        expect(await messagesOf(applicationId)).to.have.length(1);
        expect(await ctx.db('notifications').where({ link: thread(applicationId) })).to.have.length(0);
      });
    }

    it('when a sender has deleted their account, then their messages stay, from "Borttagen användare"', async () => {
      const applicationId = await newApplication();
      const leaving = await createUser(ctx.db, { name: 'Lämnar Snart' });
      await ctx.db('organisation_members').insert({ organisation_id: organisation.id, user_id: leaving.id, role: 'member' });
      await send(await logInAs(ctx.app, leaving.email), applicationId, { body: 'Jag slutar snart' }).expect(303);
      await ctx.db('users').where('id', leaving.id).delete();
      const page = await as.applicant.agent.get(thread(applicationId)).expect(200);
      expect(page.text).to.include('Jag slutar snart');
      expect(page.text).to.include('Borttagen användare');
      expect(page.text).not.to.include('Lämnar Snart');
    });
  });

  describe('bad input', () => {
    let applicationId: number;
    before(async () => {
      applicationId = await newApplication();
    });

    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['empty', { body: '' }, 'Skriv ett meddelande.'],
      ['only spaces and line breaks', { body: '  \r\n \n ' }, 'Skriv ett meddelande.'],
      ['missing', {}, 'Meddelandet måste vara text.'],
      ['an array', { body: ['a', 'b'] }, 'Meddelandet måste vara text.'],
      ['4001 characters', { body: 'å'.repeat(4001) }, 'Meddelandet får vara högst 4 000 tecken.'],
      // Issue 9: NUL reached PostgreSQL, which refuses it with an error (a 500).
      ['holding a NUL character', { body: 'Hej\u0000då' }, INVALID_CHARACTERS],
      ['holding another control character', { body: 'Hej\u001bdå' }, INVALID_CHARACTERS],
    ];
    for (const [name, fields, message] of cases) {
      it(`when the message is ${name}, then 400 with the message beside the field, and nothing is stored or notified`, async () => {
        const res = await send(as.applicant, applicationId, fields).expect(400);
        expect(res.text).to.include(`<p class="field-error" id="body-error">${message}</p>`);
        expect(res.text).to.include('aria-invalid="true"');
        expect(await messagesOf(applicationId)).to.have.length(0);
        expect(await ctx.db('notifications').where({ link: thread(applicationId) })).to.have.length(0);
      });
    }

    it('when the message is too long, then what was typed is kept in the form', async () => {
      const typed = `Lång text ${'x'.repeat(4000)}`;
      const res = await send(as.applicant, applicationId, { body: typed }).expect(400);
      expect(res.text).to.include(`>${typed}</textarea>`);
    });

    it('when the message has exactly 4000 characters (emoji count as one), then it is sent', async () => {
      await send(as.applicant, applicationId, { body: '🙂'.repeat(4000) }).expect(303);
      const [message] = await messagesOf(applicationId);
      expect(Array.from(message.body as string)).to.have.length(4000);
      await ctx.db('application_messages').where('application_id', applicationId).delete();
    });

    it('when the message holds HTML, then it is stored as typed and shown escaped', async () => {
      await send(as.applicant, applicationId, { body: XSS }).expect(303);
      expect((await messagesOf(applicationId)).map((m) => m.body)).to.deep.equal([XSS]);
      const page = await as.member.agent.get(thread(applicationId)).expect(200);
      expect(page.text).to.include(XSS_ESCAPED);
      expect(page.text).not.to.include('<script>alert(1)</script>');
    });

    it('when the form has no CSRF token, then it is refused', async () => {
      await as.applicant.agent.post(thread(applicationId)).type('form').send({ body: 'Hej' }).expect(403);
    });
  });

  describe('a long thread', () => {
    let applicationId: number;
    const ids: number[] = [];
    before(async () => {
      applicationId = await newApplication();
      for (let n = 1; n <= MESSAGES_PER_PAGE + 10; n++)
        ids.push(
          await createMessage(ctx.db, {
            applicationId,
            senderId: n % 2 ? users.applicant.id : users.member.id,
            body: `Meddelande nr ${n}.`,
          }),
        );
    });

    it('when it is opened, then the newest messages show, oldest first, with a link to the older ones', async () => {
      const res = await as.applicant.agent.get(thread(applicationId)).expect(200);
      expect(res.text).to.include(`Meddelande nr ${MESSAGES_PER_PAGE + 10}.`);
      expect(res.text).to.include('Meddelande nr 11.');
      expect(res.text).not.to.include('Meddelande nr 10.');
      expect(res.text.indexOf('Meddelande nr 11.')).to.be.below(res.text.indexOf('Meddelande nr 12.'));
      expect(res.text).to.include(`href="${thread(applicationId)}?fore=${ids[10]}"`);
    });

    it('when the older messages are asked for, then the first ones show with a way back to the newest', async () => {
      const res = await as.applicant.agent.get(`${thread(applicationId)}?fore=${ids[10]}`).expect(200);
      expect(res.text).to.include('Meddelande nr 1.');
      expect(res.text).to.include('Meddelande nr 10.');
      expect(res.text).not.to.include('Meddelande nr 11.');
      expect(res.text).to.include('Visa de senaste meddelandena');
      expect(res.text).not.to.include('Visa äldre meddelanden');
    });

    it('when the paging parameter is nonsense, then the newest messages show', async () => {
      for (const value of ['abc', '-5', '99999999999999999999'])
        expect((await as.applicant.agent.get(`${thread(applicationId)}?fore=${value}`).expect(200)).text).to.include(
          `Meddelande nr ${MESSAGES_PER_PAGE + 10}.`,
        );
      await as.applicant.agent.get(`${thread(applicationId)}?fore=1&fore=2`).expect(200);
    });
  });

  describe('unread counts', () => {
    it('when the other side writes, then the count goes up per thread and in total, and back to zero when the thread is opened', async () => {
      const first = await newApplication();
      const second = await newApplication();
      const before = await unreadMessageTotal(ctx.db, users.applicant.id);
      await send(as.applicant, first, { body: 'Mitt eget räknas inte' }).expect(303);
      await send(as.member, first, { body: 'Ett' }).expect(303);
      await send(as.member, first, { body: 'Två' }).expect(303);
      await send(as.secondMember, second, { body: 'Tre' }).expect(303);

      const counts = await unreadMessageCounts(ctx.db, users.applicant.id, [first, second]);
      expect([...counts.entries()].sort()).to.deep.equal([
        [first, 2],
        [second, 1],
      ]);
      expect(await unreadMessageTotal(ctx.db, users.applicant.id)).to.equal(before + 3);

      // Writing reads the thread for the writer; the applicant's message is still unread for the second member.
      expect((await unreadMessageCounts(ctx.db, users.member.id, [first])).size).to.equal(0);
      expect((await unreadMessageCounts(ctx.db, users.secondMember.id, [first])).get(first)).to.equal(3);
      // Nobody else belongs to the thread, so nothing is unread for them.
      expect((await unreadMessageCounts(ctx.db, users.otherMember.id, [first, second])).size).to.equal(0);
      expect(await unreadMessageTotal(ctx.db, users.admin.id)).to.equal(0);

      await as.applicant.agent.get(thread(first)).expect(200);
      expect((await unreadMessageCounts(ctx.db, users.applicant.id, [first, second])).get(first)).to.equal(undefined);
      expect(await unreadMessageTotal(ctx.db, users.applicant.id)).to.equal(before + 1);
      // Opening the thread also reads its notices.
      const notices = await ctx.db('notifications').where({ user_id: users.applicant.id, link: thread(first) });
      expect(notices).to.have.length(2);
      expect(notices.every((n) => n.read_at !== null)).to.equal(true);

      // Read state is per person: the applicant reading does not read it for the members.
      expect((await unreadMessageCounts(ctx.db, users.secondMember.id, [first])).get(first)).to.equal(3);
      await as.secondMember.agent.get(thread(first)).expect(200);
      expect((await unreadMessageCounts(ctx.db, users.secondMember.id, [first])).size).to.equal(0);
    });

    it('when no thread is asked about, then the map is empty', async () => {
      expect((await unreadMessageCounts(ctx.db, users.applicant.id, [])).size).to.equal(0);
    });
  });
});
