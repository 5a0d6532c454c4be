import { expect } from 'chai';
import request from 'supertest';
import { luhnCheckDigit } from '../../src/platform/luhn.js';
import { createApplication, createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, csrfFrom, logInAs, postForm, type LoggedIn } from '../support/users.js';

// Issue 14 on the organisation's side and the admin pages: the one next step per assignment in "Mina uppdrag" (a
// draft sent back shows the review's note), revoking an invite behind a confirmation step, organisation number and
// municipality beside each organisation in the moderation queue, and the way back to the associations' guide after
// signing up — to same-site paths only.

let numberSequence = 0;
function newOrganisationNumber(): string {
  const base = `804${String(++numberSequence + 300_000).padStart(6, '0')}`;
  return `${base}${luhnCheckDigit(base)}`;
}

describe('Organisation and admin pages (issue 14)', () => {
  const ctx = useTestApp();

  async function organisationWithAdmin(verified = true) {
    const user = await createUser(ctx.db);
    const organisation = await createOrganisation(ctx.db, { verified_at: verified ? new Date() : null });
    await ctx.db('organisation_members').insert({ organisation_id: organisation.id, user_id: user.id, role: 'admin' });
    const { slug } = await ctx.db('organisations').where('id', organisation.id).first('slug');
    return { user, organisation, slug: slug as string, client: await logInAs(ctx.app, user.email) };
  }

  /** The card of one assignment in "Mina uppdrag", from its heading to its end. */
  const cardOf = (html: string, title: string) => {
    const start = html.indexOf(`>${title}</a></h3>`);
    expect(start, `a card for ${title}`).to.be.greaterThan(-1);
    return html.slice(start).split('</article>')[0]!;
  };

  describe('Mina uppdrag', () => {
    it('when the organisation has no assignments, then an empty state says so and offers the first one', async () => {
      const { client, slug } = await organisationWithAdmin();
      const res = await client.agent.get(`/organisationer/${slug}/uppdrag`).expect(200);
      expect(res.text).to.contain('Organisationen har inga uppdrag än');
      expect(res.text).to.contain(
        `<a class="button-link" href="/organisationer/${slug}/uppdrag/nytt">Lägg ut ert första uppdrag</a>`,
      );
      // The page header's one primary action is the same step.
      expect(res.text).to.contain(`<a class="button-link page-header-primary" href="/organisationer/${slug}/uppdrag/nytt">`);
    });

    it('when a draft was sent back from review, then its card shows the note as a warning and the next step is to change it', async () => {
      const { client, slug, organisation } = await organisationWithAdmin(false);
      const id = await createTestAssignment(ctx.db, {
        organisationId: organisation.id,
        status: 'draft',
        title: 'Skotta taket på logen',
      });
      await ctx.db('assignments').where('id', id).update({ review_note: 'Skriv <b>vad</b> ersättningen är.' });
      const res = await client.agent.get(`/organisationer/${slug}/uppdrag`).expect(200);
      const card = cardOf(res.text, 'Skotta taket på logen');
      expect(card).to.match(/<div class="notice notice-warning">[\s\S]*Tillbakaskickat från granskningen/);
      expect(card).to.contain('Skriv &lt;b&gt;vad&lt;/b&gt; ersättningen är.').and.not.contain('<b>vad</b>');
      expect(card).to.contain('<span class="badge badge-warning">Tillbakaskickat</span>');
      expect(card).to.contain(
        `<a class="action-secondary" href="/organisationer/${slug}/uppdrag/${id}/redigera">Ändra och skicka till granskning igen`,
      );
      // And the page says, above the lists, that something came back.
      expect(res.text).to.contain('Ett utkast har skickats tillbaka från granskningen');
    });

    it('when a published assignment has new applications, then reading them is its next step and its badge counts them', async () => {
      const { client, slug, organisation } = await organisationWithAdmin();
      const id = await createTestAssignment(ctx.db, { organisationId: organisation.id, title: 'Klippa gräset vid skolan' });
      for (let i = 0; i < 2; i++) {
        const applicant = await createUser(ctx.db);
        await createApplication(ctx.db, { assignmentId: id, applicantId: applicant.id });
      }
      await createTestAssignment(ctx.db, { organisationId: organisation.id, title: 'Måla staketet vid kyrkan' });
      const res = await client.agent.get(`/organisationer/${slug}/uppdrag`).expect(200);
      const card = cardOf(res.text, 'Klippa gräset vid skolan');
      expect(card).to.contain('<span class="badge badge-success">Publicerat</span>');
      expect(card).to.contain('<span class="badge badge-info">2 nya intresseanmälningar</span>');
      expect(card).to.contain(
        `<a class="action-secondary" href="/organisationer/${slug}/uppdrag/${id}/ansokningar">Läs de 2 nya intresseanmälningarna`,
      );
      // Cancelling is the way to its confirmation step, never a button that acts at once.
      expect(card).to.contain(`<a class="action-warning" href="/organisationer/${slug}/uppdrag/${id}/avbryt">Avbryt uppdraget`);
      const other = cardOf(res.text, 'Måla staketet vid kyrkan');
      expect(other).to.contain('Ingen har anmält intresse än');
      expect(other).to.not.contain('class="action-secondary"');
    });
  });

  describe('the organisation’s page', () => {
    it('when a member opens it while new applications wait, then reading them is the primary action; visitors see no such thing', async () => {
      const { client, slug, organisation } = await organisationWithAdmin();
      const primary = (html: string) => /class="button-link page-header-primary" href="([^"]+)">([^<]+)</.exec(html)?.slice(1);
      expect(primary((await client.agent.get(`/organisationer/${slug}`).expect(200)).text)).to.deep.equal([
        `/organisationer/${slug}/uppdrag/nytt`,
        'Lägg ut uppdrag',
      ]);
      const id = await createTestAssignment(ctx.db, { organisationId: organisation.id });
      const applicant = await createUser(ctx.db);
      await createApplication(ctx.db, { assignmentId: id, applicantId: applicant.id });
      const page = await client.agent.get(`/organisationer/${slug}`).expect(200);
      expect(primary(page.text)).to.deep.equal([`/organisationer/${slug}/uppdrag`, 'Läs den nya intresseanmälan']);
      expect(page.text).to.contain(`href="/organisationer/${slug}/uppdrag/nytt">Lägg ut uppdrag</a>`); // still there, quieter
      const visitor = await request(ctx.app).get(`/organisationer/${slug}`).expect(200);
      expect(visitor.text).to.not.contain('intresseanmälan').and.not.contain('page-header-primary');
    });
  });

  describe('revoking an invite', () => {
    async function invite(client: LoggedIn, slug: string, email: string) {
      await postForm(client, `/organisationer/${slug}/medlemmar/bjud-in`, { email, role: 'member' }).expect(303);
      const row = await ctx.db('organisation_invites').where({ email }).orderBy('id', 'desc').first('id');
      return row.id as number;
    }

    it('when an admin chooses to revoke, then a confirmation step says what happens and only its POST revokes', async () => {
      const { client, slug } = await organisationWithAdmin();
      const inviteId = await invite(client, slug, 'greta.invite@example.se');
      const members = await client.agent.get(`/organisationer/${slug}/medlemmar`).expect(200);
      const step = `/organisationer/${slug}/medlemmar/inbjudningar/${inviteId}/aterkalla`;
      expect(members.text).to.contain(
        `<a class="action-warning" href="${step}">Återkalla inbjudan till greta.invite@example.se</a>`,
      );
      expect(members.text).to.not.contain(`action="${step}"`); // no one-click form on the list

      const page = await client.agent.get(step).expect(200);
      expect(page.headers['cache-control']).to.equal('no-store');
      expect(page.text).to.contain('Återkalla inbjudan till greta.invite@example.se?');
      expect(page.text).to.contain('Länken i mejlet fungerar inte längre.');
      expect(page.text).to.contain(`<form class="inline-form" action="${step}" method="post">`);
      expect(page.text).to.contain(`href="/organisationer/${slug}/medlemmar"`);
      expect(await ctx.db('organisation_invites').where('id', inviteId).first('revoked_at')).to.deep.equal({ revoked_at: null });

      const done = await postForm(client, step).expect(303);
      expect(done.headers.location).to.equal(`/organisationer/${slug}/medlemmar?done=revoked`);
      expect((await ctx.db('organisation_invites').where('id', inviteId).first('revoked_at')).revoked_at).to.be.instanceOf(Date);
      // Nothing left to confirm: said so, not a form that would do nothing.
      const again = await client.agent.get(step).expect(409);
      expect(again.text).to.contain('Inbjudan är redan använd, återkallad eller har gått ut.');
    });

    it('when the invite is another organisation’s, unknown or malformed, then 404; a member who is not admin is refused', async () => {
      const first = await organisationWithAdmin();
      const second = await organisationWithAdmin();
      const theirs = await invite(second.client, second.slug, 'annan.invite@example.se');
      await first.client.agent.get(`/organisationer/${first.slug}/medlemmar/inbjudningar/${theirs}/aterkalla`).expect(404);
      await first.client.agent.get(`/organisationer/${first.slug}/medlemmar/inbjudningar/99999999/aterkalla`).expect(404);
      await first.client.agent.get(`/organisationer/${first.slug}/medlemmar/inbjudningar/1x/aterkalla`).expect(404);
      const member = await createUser(ctx.db);
      await ctx
        .db('organisation_members')
        .insert({ organisation_id: second.organisation.id, user_id: member.id, role: 'member' });
      const memberClient = await logInAs(ctx.app, member.email);
      await memberClient.agent.get(`/organisationer/${second.slug}/medlemmar/inbjudningar/${theirs}/aterkalla`).expect(403);
      const visitor = await request(ctx.app).get(`/organisationer/${second.slug}/medlemmar/inbjudningar/${theirs}/aterkalla`);
      expect(visitor.status).to.equal(303);
      expect(visitor.headers.location).to.match(/^\/logga-in\?next=/);
    });
  });

  describe('the moderation queue', () => {
    it('when assignments are reported, hidden or their organisation suspended, then each organisation shows its municipality and number', async () => {
      const admin = await createUser(ctx.db, { isAdmin: true });
      const digits = newOrganisationNumber();
      const reported = await createOrganisation(ctx.db, { name: 'Tvillingbyns förening', municipality_code: '2418' });
      await ctx.db('organisations').where('id', reported.id).update({ organisation_number: digits });
      const namesake = await createOrganisation(ctx.db, { name: 'Tvillingbyns förening' }); // no number, Lycksele
      const id = await createTestAssignment(ctx.db, { organisationId: reported.id, title: 'Rapporterat uppdrag' });
      await ctx.db('assignment_reports').insert({ assignment_id: id, reason: 'spam', details: '', status: 'open' });
      const hidden = await createTestAssignment(ctx.db, { organisationId: namesake.id, title: 'Dolt uppdrag' });
      await ctx.db('assignments').where('id', hidden).update({ hidden_at: new Date(), hidden_reason: 'Test' });
      await ctx.db('organisations').where('id', namesake.id).update({ suspended_at: new Date(), suspended_reason: 'Test' });

      const client = await logInAs(ctx.app, admin.email);
      const res = await client.agent.get('/admin/moderering').expect(200);
      const number = `${digits.slice(0, 6)}-${digits.slice(6)}`;
      const reportedItem = res.text.slice(res.text.indexOf('>Rapporterat uppdrag</a>')).split('</article>')[0]!;
      expect(reportedItem).to.contain(`Malå, org.nr ${number}`);
      const hiddenItem = res.text.slice(res.text.indexOf('Dolt uppdrag (')).split('</li>')[0]!;
      expect(hiddenItem).to.contain('Lycksele, inget organisationsnummer');
      const suspendedSection = res.text.slice(res.text.indexOf('id="suspended-heading"'));
      expect(suspendedSection).to.contain('(Lycksele, inget organisationsnummer)');
      // The warn and suspend forms name the organisation the same way.
      const organisationsSection = res.text.slice(res.text.indexOf('id="organisations-heading"'));
      expect(organisationsSection).to.contain(`Malå, org.nr ${number}`);
    });
  });

  describe('signing up from the associations’ guide', () => {
    const signUpFields = (email: string) => ({
      name: 'Ingrid Ståhl',
      email,
      password: 'vedklyvning i Norsjö 2026',
      homeMunicipality: '2481',
      homeLocality: '',
    });

    /** Sign-up opened with `next` → the mail's link → the first login from the page that says the address is confirmed. */
    async function signUpVerifyAndLogIn(next: string | undefined, email: string, loginNext?: string) {
      const agent = request.agent(ctx.app);
      const form = await agent
        .get('/registrera')
        .query(next === undefined ? {} : { next })
        .expect(200);
      await agent
        .post('/registrera')
        .type('form')
        .send({ ...signUpFields(email), _csrf: csrfFrom(form.text) })
        .expect(200);
      const mail = await ctx.db('mails').where('to_address', email).orderBy('id', 'desc').first();
      const token = /token=([A-Za-z0-9_-]{43})/.exec(mail.text_body)![1]!;
      const verifyPage = await agent.get(`/verifiera-epost?token=${token}`).expect(200);
      await agent
        .post('/verifiera-epost')
        .type('form')
        .send({ token, _csrf: csrfFrom(verifyPage.text) })
        .expect(200);
      const login = await agent.get('/logga-in').expect(200);
      const res = await agent
        .post('/logga-in')
        .type('form')
        .send({
          email,
          password: signUpFields(email).password,
          _csrf: csrfFrom(login.text),
          ...(loginNext ? { next: loginNext } : {}),
        })
        .expect(303);
      return { agent, location: String(res.headers.location) };
    }

    it('when the guide links to sign-up, then the link carries the way back', async () => {
      const res = await request(ctx.app).get('/lagg-ut-uppdrag').expect(200);
      expect(res.text).to.contain('href="/registrera?next=%2Flagg-ut-uppdrag"');
    });

    it('when a person signs up from the guide, confirms the e-mail and logs in, then they are back at the guide’s next step', async () => {
      const { agent, location } = await signUpVerifyAndLogIn('/lagg-ut-uppdrag', 'ingrid.guide@example.se');
      expect(location).to.equal('/lagg-ut-uppdrag');
      const guide = await agent.get(location).expect(200);
      expect(guide.text).to.contain(
        '<a class="button-link page-header-primary" href="/organisationer/ny">Registrera organisationen</a>',
      );
    });

    it('when the way back is used once, then a later login goes home as usual', async () => {
      const { agent } = await signUpVerifyAndLogIn('/lagg-ut-uppdrag', 'ingrid.once@example.se');
      await agent
        .post('/logga-ut')
        .type('form')
        .send({ _csrf: csrfFrom((await agent.get('/konto').expect(200)).text) })
        .expect(303);
      const login = await agent.get('/logga-in').expect(200);
      const res = await agent
        .post('/logga-in')
        .type('form')
        .send({ email: 'ingrid.once@example.se', password: signUpFields('').password, _csrf: csrfFrom(login.text) })
        .expect(303);
      expect(res.headers.location).to.equal('/');
    });

    it('when the login form names its own way back, then that one wins', async () => {
      const { location } = await signUpVerifyAndLogIn('/lagg-ut-uppdrag', 'ingrid.own@example.se', '/uppdrag');
      expect(location).to.equal('/uppdrag');
    });

    for (const hostile of [
      '//evil.example',
      'https://evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '/%0d%0aSet-Cookie:x=1',
      ' /x',
    ]) {
      it(`when sign-up is opened with next=${JSON.stringify(hostile)}, then the login after it stays on this site`, async () => {
        const email = `ingrid.${numberSequence++}.hostile@example.se`;
        const { location } = await signUpVerifyAndLogIn(hostile, email);
        expect(location.startsWith('/')).to.equal(true);
        expect(location.startsWith('//')).to.equal(false);
        expect(location).to.not.contain('evil.example');
        expect(location).to.not.match(/[\r\n]/);
      });
    }

    it('when sign-up is posted with a hostile next in the form, then it is not kept either', async () => {
      const agent = request.agent(ctx.app);
      const form = await agent.get('/registrera').expect(200);
      await agent
        .post('/registrera')
        .type('form')
        .send({ ...signUpFields('ingrid.posted@example.se'), next: '//evil.example', _csrf: csrfFrom(form.text) })
        .expect(200);
      const user = await ctx.db('users').where('email', 'ingrid.posted@example.se').first('id');
      await ctx.db('users').where('id', user.id).update({ email_verified_at: new Date() });
      const login = await agent.get('/logga-in').expect(200);
      const res = await agent
        .post('/logga-in')
        .type('form')
        .send({ email: 'ingrid.posted@example.se', password: signUpFields('').password, _csrf: csrfFrom(login.text) })
        .expect(303);
      expect(res.headers.location).to.equal('/');
    });
  });
});
