import { expect } from 'chai';
import { notify } from '../../src/modules/notifications/index.js';
import { createApplication, createOrganisation, createTestAssignment } from '../support/factories.js';
import { createMessage } from '../support/messages-factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, type LoggedIn } from '../support/users.js';

// The resident's and the shared signed-in pages rebuilt on the design system (issue 14): each says what to do next,
// has one primary action, and says what is missing when a list is empty. What the pages do is tested in their
// modules' tests; these check what a person is told.

/** The page header's primary action: its text and where it leads (a link) or posts to (a form). */
const primaryOf = (html: string) => {
  const link = /<a class="button-link page-header-primary" href="([^"]*)">([^<]*)<\/a>/.exec(html);
  if (link) return { href: link[1], label: link[2] };
  const form = /<form class="page-header-primary" action="([^"]*)"[\s\S]*?<button type="submit">([^<]*)<\/button>/.exec(html);
  return form ? { action: form[1], label: form[2] } : undefined;
};

describe('The resident’s and shared signed-in pages', () => {
  const ctx = useTestApp();
  let applicant: LoggedIn;
  let member: LoggedIn;
  let applicantId: number;
  let slug: string;
  let organisationId: number;

  before(async () => {
    const organisation = await createOrganisation(ctx.db, { name: 'Rusksele byaförening' });
    organisationId = organisation.id;
    slug = (await ctx.db('organisations').where('id', organisation.id).first('slug')).slug as string;
    const resident = await createUser(ctx.db, { name: 'Anna Sökande' });
    applicantId = resident.id;
    const admin = await createUser(ctx.db, { name: 'Maja Medlem' });
    await ctx.db('organisation_members').insert({ organisation_id: organisation.id, user_id: admin.id, role: 'admin' });
    applicant = await logInAs(ctx.app, resident.email);
    member = await logInAs(ctx.app, admin.email);
  });

  describe('an assignment’s applicants', () => {
    const listOf = (assignmentId: number) => `/organisationer/${slug}/uppdrag/${assignmentId}/ansokningar`;

    it('when nobody has applied yet, then the page says so and leads to the assignment', async () => {
      const assignmentId = await createTestAssignment(ctx.db, { organisationId, title: 'Sanda gångvägen' });
      const res = await member.agent.get(listOf(assignmentId)).expect(200);
      expect(res.text).to.include('Inga intresseanmälningar ännu');
      expect(res.text).to.match(/class="button-link" href="\/uppdrag\/\d+-sanda-gangvagen">Visa uppdraget</);
    });

    it('when some wait for an answer, then the oldest unanswered is the next action, and the list is grouped by state', async () => {
      const assignmentId = await createTestAssignment(ctx.db, { organisationId, title: 'Klippa gräset', peopleNeeded: 2 });
      const others = await Promise.all([createUser(ctx.db, { name: 'Bo Bortvald' }), createUser(ctx.db, { name: 'Cia Först' })]);
      const declined = await createApplication(ctx.db, { assignmentId, applicantId: others[0].id, status: 'declined' });
      const oldest = await createApplication(ctx.db, { assignmentId, applicantId: others[1].id });
      const newest = await createApplication(ctx.db, { assignmentId, applicantId, status: 'accepted' });
      const res = await member.agent.get(listOf(assignmentId)).expect(200);
      expect(primaryOf(res.text)).to.deep.equal({ href: `/ansokningar/${oldest}`, label: 'Besvara nästa intresseanmälan' });
      expect(res.text).to.include('Tillsatta platser: 1 av 2');
      expect(res.text).to.include('Vad händer nu?');
      const order = ['Väntar på svar (1)', `id="ansokan-${oldest}"`, 'Accepterade (1)', `id="ansokan-${newest}"`];
      order.push('Avböjda och återkallade (1)', `id="ansokan-${declined}"`);
      const positions = order.map((text) => res.text.indexOf(text));
      expect(positions).to.not.include(-1);
      expect(positions).to.deep.equal([...positions].sort((a, b) => a - b));
      // Only the one waiting can be decided on; the decline form says it cannot be undone.
      expect(res.text.match(/\/acceptera"/g)).to.have.length(1);
      expect(res.text).to.include('Det går inte att ångra.');
    });

    it('when every place is filled, then "what happens next" says so', async () => {
      const assignmentId = await createTestAssignment(ctx.db, { organisationId, title: 'Måla staketet', peopleNeeded: 1 });
      await createApplication(ctx.db, { assignmentId, applicantId, status: 'accepted' });
      const res = await member.agent.get(listOf(assignmentId)).expect(200);
      expect(res.text).to.include('Alla platser är tillsatta.');
      expect(primaryOf(res.text)?.label).to.equal('Visa uppdraget');
    });
  });

  describe('the message thread', () => {
    it('when a thread is new, then both sides see who it is with, what about, and an empty state above the form', async () => {
      const assignmentId = await createTestAssignment(ctx.db, { organisationId, title: 'Skotta taket' });
      const applicationId = await createApplication(ctx.db, { assignmentId, applicantId });
      const mine = await applicant.agent.get(`/ansokningar/${applicationId}/meddelanden`).expect(200);
      expect(mine.text).to.include('Inga meddelanden ännu');
      expect(mine.text).to.include('Skriv till Rusksele byaförening här nedanför.');
      expect(mine.text).to.include(`href="/ansokningar/${applicationId}">Intresseanmälan till Skotta taket</a>`);
      expect(primaryOf(mine.text)).to.equal(undefined);
      const theirs = await member.agent.get(`/ansokningar/${applicationId}/meddelanden`).expect(200);
      expect(theirs.text).to.include('Anna Sökande (sökande)');
      expect(theirs.text).to.include('Skriv till Anna Sökande här nedanför');
    });

    it('when there are messages, then each says who sent it, and writing is the primary action', async () => {
      const assignmentId = await createTestAssignment(ctx.db, { organisationId, title: 'Bära ved' });
      const applicationId = await createApplication(ctx.db, { assignmentId, applicantId, status: 'accepted' });
      await createMessage(ctx.db, { applicationId, senderId: applicantId, body: 'När ska jag komma?' });
      const res = await applicant.agent.get(`/ansokningar/${applicationId}/meddelanden`).expect(200);
      expect(primaryOf(res.text)).to.deep.equal({ href: '#body', label: 'Skriv ett meddelande' });
      expect(res.text).to.match(/message-card-mine[^>]*>\s*<p class="message-card-header">\s*<strong>Du<\/strong>/);
      expect(res.text).to.include('Accepterad');
    });
  });

  describe('notifications', () => {
    it('when there are none, then the page says what will come here; when some are unread, it says so in words and offers to mark all read', async () => {
      const quiet = await createUser(ctx.db);
      const quietClient = await logInAs(ctx.app, quiet.email);
      const empty = await quietClient.agent.get('/konto/notiser').expect(200);
      expect(empty.text).to.include('Du har inga notiser ännu.');
      expect(empty.text).to.include('Här får du besked när något händer');
      expect(primaryOf(empty.text)).to.equal(undefined);

      await notify(ctx.db, { userIds: [quiet.id], type: 'feedback_received', params: { assignment: 'Skotta' }, link: '/konto' });
      const one = await quietClient.agent.get('/konto/notiser').expect(200);
      expect(one.text).to.match(
        /<span class="badge badge-info">Oläst<\/span>\s*<span class="notification-text">Du har fått omdöme för Skotta</,
      );
      expect(primaryOf(one.text)).to.deep.equal({ action: '/konto/notiser/lasta', label: 'Markera alla som lästa' });
    });
  });

  describe('saved searches, the profile and my data', () => {
    it('when there are no saved searches, then the page says how to make one', async () => {
      const res = await applicant.agent.get('/konto/bevakningar').expect(200);
      expect(res.text).to.include('Du har inga bevakningar ännu');
      expect(primaryOf(res.text)).to.deep.equal({ href: '/uppdrag', label: 'Sök uppdrag' });
    });

    it('when the profile is opened, then it first shows what an organisation sees, with a way to change each part', async () => {
      const res = await applicant.agent.get('/konto/profil').expect(200);
      const summary = res.text.indexOf('Det här ser en organisation');
      expect(summary).to.be.greaterThan(-1).and.lessThan(res.text.indexOf('name="bio"'));
      expect(res.text).to.include('href="#bio">Ändra<span class="visually-hidden"> kort om dig</span>');
      expect(res.text).to.include('Inget CV uppladdat');
    });

    it('when my data, e-mail and password are opened, then each leads back to Mitt konto', async () => {
      for (const path of ['/konto/mina-uppgifter', '/konto/epost', '/konto/losenord']) {
        const res = await applicant.agent.get(path).expect(200);
        expect(res.text, path).to.include('<a class="back-link" href="/konto">Mitt konto</a>');
      }
    });
  });
});
