import { expect } from 'chai';
import request from 'supertest';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, csrfFrom, logInAs, postForm, TEST_PASSWORD, type LoggedIn } from '../support/users.js';

// Issue 14, the associations' way in: "Lägg ut uppdrag" leads a visitor
// through account → organisation → first assignment, and the association is
// told (in the site and by mail) when a platform admin verifies it or approves
// an assignment that waited for review.

describe('Associations: the way in, and the notices after review', () => {
  const ctx = useTestApp();
  let admin: LoggedIn;
  let adminId: number;

  before(async () => {
    const adminUser = await createUser(ctx.db, { isAdmin: true });
    adminId = adminUser.id;
    admin = await logInAs(ctx.app, adminUser.email);
  });

  const slugOf = async (id: number) => ((await ctx.db('organisations').where({ id }).first('slug')) as { slug: string }).slug;
  const addMember = (organisationId: number, userId: number, role: 'admin' | 'member' = 'admin') =>
    ctx.db('organisation_members').insert({ organisation_id: organisationId, user_id: userId, role });
  const noticesOf = (userId: number, type: string) =>
    ctx.db('notifications').where({ user_id: userId, type }).orderBy('id').select('link', 'params');
  /** A draft its unverified organisation published: waiting for a platform admin. */
  const pendingAssignment = async (organisationId: number, title?: string) => {
    const id = await createTestAssignment(ctx.db, { organisationId, status: 'draft', ...(title ? { title } : {}) });
    await ctx.db('assignments').where({ id }).update({ status: 'pending_review' });
    return id;
  };
  const notificationMailsTo = (email: string) =>
    ctx
      .db('mails')
      .where({ to_address: email, template: 'notifications' })
      .orderBy('id')
      .select('subject', 'text_body', 'html_body');

  describe('"Lägg ut uppdrag"', () => {
    it('when a visitor opens the home page, then the header and a "För föreningar" section lead to it', async () => {
      const res = await request(ctx.app).get('/').expect(200);
      expect(res.text).to.match(/<nav [^>]*aria-label="Huvudmeny">[\s\S]*?<a href="\/lagg-ut-uppdrag">Lägg ut uppdrag<\/a>/);
      expect(res.text).to.contain('<h2 id="associations-heading">För föreningar</h2>');
      expect(res.text).to.contain('<a class="button-link" href="/lagg-ut-uppdrag">Lägg ut ett uppdrag</a>');
    });

    it('when a visitor opens it, then the three steps, how review works and how long it takes, and sign-up and log-in show', async () => {
      const res = await request(ctx.app).get('/lagg-ut-uppdrag').expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.text).to.contain('<a href="/lagg-ut-uppdrag" aria-current="page">Lägg ut uppdrag</a>');
      const steps = [...res.text.matchAll(/<span class="timeline-label">([^<]+)<\/span>/g)].map((match) => match[1]);
      expect(steps).to.deep.equal(['Skapa ett konto', 'Registrera organisationen', 'Lägg ut det första uppdraget']);
      expect(res.text).to.contain('Så går granskningen till');
      expect(res.text).to.contain('väntar varje uppdrag ni publicerar på att en administratör hos oss godkänner det');
      expect(res.text).to.contain('Granskningen görs oftast inom en arbetsdag');
      // Both come back here: sign-up after the e-mail is confirmed and the first login (see accounts' sign-up tests).
      expect(res.text).to.contain(
        '<a class="button-link page-header-primary" href="/registrera?next=%2Flagg-ut-uppdrag">Skapa konto</a>',
      );
      expect(res.text).to.contain('href="/logga-in?next=%2Flagg-ut-uppdrag">Logga in</a>');
      // A visitor has done nothing yet: the account is the step at hand.
      expect(res.text).to.not.contain('timeline-done');
      expect(res.text).to.match(
        /<li class="timeline-step timeline-current" aria-current="step">\s*<span class="timeline-label">Skapa ett konto<\/span>/,
      );
    });

    it('when a visitor logs in from it, then the login returns to it', async () => {
      const user = await createUser(ctx.db);
      const agent = request.agent(ctx.app);
      const form = await agent.get('/logga-in?next=%2Flagg-ut-uppdrag').expect(200);
      expect(form.text).to.contain('value="/lagg-ut-uppdrag"');
      const res = await agent
        .post('/logga-in')
        .type('form')
        .send({ email: user.email, password: TEST_PASSWORD, next: '/lagg-ut-uppdrag', _csrf: csrfFrom(form.text) })
        .expect(303);
      expect(res.headers.location).to.equal('/lagg-ut-uppdrag');
    });

    it('when a logged-in person has no organisation, then the first step is done and the next one is to register it', async () => {
      const user = await createUser(ctx.db);
      const client = await logInAs(ctx.app, user.email);
      const res = await client.agent.get('/lagg-ut-uppdrag').expect(200);
      expect(res.text).to.match(
        /<li class="timeline-step timeline-current" aria-current="step">\s*<span class="timeline-label">Registrera organisationen<\/span>\s*<span class="timeline-state">Nu<\/span>/,
      );
      expect(res.text).to.match(
        /<li class="timeline-step timeline-done">\s*<span class="timeline-label">Skapa ett konto<\/span>\s*<span class="timeline-state">Klart<\/span>/,
      );
      expect(res.text).to.contain(
        '<a class="button-link page-header-primary" href="/organisationer/ny">Registrera organisationen</a>',
      );
      expect(res.text).to.contain('Be en av dess administratörer bjuda in dig');
      expect(res.text).to.not.contain('href="/registrera">Skapa konto</a>');
      // The button leads to a form this person may use.
      await client.agent.get('/organisationer/ny').expect(200);
    });

    it('when the e-mail is not confirmed yet, then it says so instead of offering a form that would refuse', async () => {
      const user = await createUser(ctx.db, { verified: false });
      const client = await logInAs(ctx.app, user.email);
      const res = await client.agent.get('/lagg-ut-uppdrag').expect(200);
      expect(res.text).to.contain('Bekräfta din e-postadress med länken i mejlet vi skickade');
      expect(res.text).to.not.contain('href="/organisationer/ny"');
    });

    it('when the person is in one organisation, then it goes straight to its new-assignment form', async () => {
      const user = await createUser(ctx.db);
      const organisation = await createOrganisation(ctx.db);
      await addMember(organisation.id, user.id, 'member');
      const client = await logInAs(ctx.app, user.email);
      const res = await client.agent.get('/lagg-ut-uppdrag').expect(302);
      const slug = await slugOf(organisation.id);
      expect(res.headers.location).to.equal(`/organisationer/${slug}/uppdrag/nytt`);
      await client.agent.get(String(res.headers.location)).expect(200);
    });

    it('when the person is in several, then they choose, and the unverified one says its assignment is reviewed first', async () => {
      const user = await createUser(ctx.db);
      const verified = await createOrganisation(ctx.db, { name: 'Verifierade byalaget' });
      const unverified = await createOrganisation(ctx.db, { name: 'Nya idrottsföreningen', verified_at: null });
      await addMember(verified.id, user.id);
      await addMember(unverified.id, user.id);
      const client = await logInAs(ctx.app, user.email);
      const res = await client.agent.get('/lagg-ut-uppdrag').expect(200);
      expect(res.text).to.contain('Vilken organisation lägger ut uppdraget?');
      const verifiedSlug = await slugOf(verified.id);
      const unverifiedSlug = await slugOf(unverified.id);
      const card = (slug: string) =>
        res.text.slice(res.text.indexOf(`<a href="/organisationer/${slug}/uppdrag/nytt">`)).split('</article>')[0]!;
      expect(card(verifiedSlug)).to.contain('>Verifierade byalaget</a>').and.contain('Verifierad: uppdraget publiceras direkt.');
      expect(card(unverifiedSlug))
        .to.contain('>Nya idrottsföreningen</a>')
        .and.contain('<span class="badge badge-warning">Ej verifierad</span>')
        .and.contain('ej verifierad: uppdraget granskas innan det publiceras');
      expect(card(verifiedSlug)).to.not.contain('ej verifierad');
    });

    it('when a name carries markup, then the choice shows it escaped', async () => {
      const user = await createUser(ctx.db);
      for (const name of ['<script>alert(1)</script>', 'Byalaget "B"']) {
        const organisation = await createOrganisation(ctx.db, { name });
        await addMember(organisation.id, user.id);
      }
      const client = await logInAs(ctx.app, user.email);
      const res = await client.agent.get('/lagg-ut-uppdrag').expect(200);
      expect(res.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;').and.not.contain('<script>alert(1)');
    });
  });

  describe('when a platform admin verifies an organisation', () => {
    it('then each member is told once, in the site and by mail, and the admin is not', async () => {
      const organisation = await createOrganisation(ctx.db, { name: 'Byaföreningen i Rusksele', verified_at: null });
      const slug = await slugOf(organisation.id);
      const chair = await createUser(ctx.db);
      const treasurer = await createUser(ctx.db);
      await addMember(organisation.id, chair.id, 'admin');
      await addMember(organisation.id, treasurer.id, 'member');
      await addMember(organisation.id, adminId, 'member'); // the admin happens to be a member too

      await postForm(admin, `/organisationer/${slug}/verifiera`, { next: '/admin' }).expect(303);
      for (const member of [chair, treasurer]) {
        const notices = await noticesOf(member.id, 'organisation_verified');
        expect(notices).to.have.length(1);
        expect(notices[0]).to.deep.equal({
          link: `/organisationer/${slug}/uppdrag`,
          params: { organisation: 'Byaföreningen i Rusksele' },
        });
      }
      expect(await noticesOf(adminId, 'organisation_verified')).to.have.length(0);

      await ctx.runJobs();
      const mails = await notificationMailsTo(chair.email);
      expect(mails).to.have.length(1);
      expect(mails[0]!.text_body).to.include('Er organisation Byaföreningen i Rusksele är verifierad');
      expect(mails[0]!.text_body).to.include(`/organisationer/${slug}/uppdrag`);

      const chairClient = await logInAs(ctx.app, chair.email);
      const list = await chairClient.agent.get('/konto/notiser').expect(200);
      expect(list.text).to.contain('Er organisation Byaföreningen i Rusksele är verifierad – nya uppdrag publiceras nu direkt');

      // Verifying again changes nothing and tells nobody again.
      await postForm(admin, `/organisationer/${slug}/verifiera`, { next: '/admin' }).expect(303);
      expect(await noticesOf(chair.id, 'organisation_verified')).to.have.length(1);
    });

    it('then someone who is not a platform admin can neither verify nor cause a notice', async () => {
      const organisation = await createOrganisation(ctx.db, { verified_at: null });
      const slug = await slugOf(organisation.id);
      const member = await createUser(ctx.db);
      await addMember(organisation.id, member.id);
      const memberClient = await logInAs(ctx.app, member.email);
      await postForm(memberClient, `/organisationer/${slug}/verifiera`).expect(404);
      expect(await noticesOf(member.id, 'organisation_verified')).to.have.length(0);
      expect((await ctx.db('organisations').where({ id: organisation.id }).first('verified_at')).verified_at).to.equal(null);
    });
  });

  describe('when a platform admin approves an assignment that waited for review', () => {
    it("then the organisation's members are told, with a link to the published assignment, and mailed", async () => {
      const organisation = await createOrganisation(ctx.db, { name: 'Nya byalaget', verified_at: null });
      const member = await createUser(ctx.db);
      await addMember(organisation.id, member.id);
      const id = await pendingAssignment(organisation.id, 'Klippa gräset vid badplatsen');

      await postForm(admin, `/admin/uppdrag/${id}/godkann`).expect(303);
      const notices = await noticesOf(member.id, 'assignment_approved');
      expect(notices).to.deep.equal([
        { link: `/uppdrag/${id}-klippa-graset-vid-badplatsen`, params: { assignment: 'Klippa gräset vid badplatsen' } },
      ]);
      await request(ctx.app).get(notices[0].link).expect(200); // public now

      await ctx.runJobs();
      const mails = await notificationMailsTo(member.email);
      expect(mails).to.have.length(1);
      expect(mails[0]!.text_body).to.include('Uppdraget Klippa gräset vid badplatsen är godkänt och publicerat');

      // A second approval is refused and tells nobody again.
      await postForm(admin, `/admin/uppdrag/${id}/godkann`).expect(409);
      expect(await noticesOf(member.id, 'assignment_approved')).to.have.length(1);
    });

    it('then a member who chose no e-mail for it gets the notice without a mail', async () => {
      const organisation = await createOrganisation(ctx.db, { verified_at: null });
      const member = await createUser(ctx.db);
      await addMember(organisation.id, member.id);
      await ctx.db('notification_preferences').insert({ user_id: member.id, type: 'assignment_approved', email: false });
      const id = await pendingAssignment(organisation.id);
      await postForm(admin, `/admin/uppdrag/${id}/godkann`).expect(303);
      expect(await noticesOf(member.id, 'assignment_approved')).to.have.length(1);
      await ctx.runJobs();
      expect(await notificationMailsTo(member.email)).to.have.length(0);
    });

    it('then a verified organisation publishing on its own gets no approval notice', async () => {
      const organisation = await createOrganisation(ctx.db);
      const slug = await slugOf(organisation.id);
      const member = await createUser(ctx.db);
      await addMember(organisation.id, member.id);
      const id = await createTestAssignment(ctx.db, { organisationId: organisation.id, status: 'draft' });
      const memberClient = await logInAs(ctx.app, member.email);
      await postForm(memberClient, `/organisationer/${slug}/uppdrag/${id}/publicera`).expect(303);
      expect((await ctx.db('assignments').where({ id }).first('status')).status).to.equal('published');
      expect(await noticesOf(member.id, 'assignment_approved')).to.have.length(0);
    });
  });
});
