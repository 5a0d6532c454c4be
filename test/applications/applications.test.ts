import { expect } from 'chai';
import request from 'supertest';
import { createApplication, createOrganisation, createTestAssignment, isoDay } from '../support/factories.js';
import { minimalPdf } from '../support/files.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, type LoggedIn } from '../support/users.js';

// Applications through HTTP (PRODUCT.md flow 3): a resident applies with a
// message and chooses whether to share the profile; the organisation's
// members shortlist, accept up to the places (also when many accepts race)
// and decline; the resident withdraws. Each action by each role, from each
// wrong state, with bad and hostile input; the database and the
// notifications are checked after each.

const XSS = '"><script>alert(1)</script>';
const XSS_ESCAPED = '&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';

describe('Applications', function () {
  this.timeout(120_000);
  const ctx = useTestApp();

  type Client = LoggedIn & { id: number; name: string };
  const logIn = async (options: { isAdmin?: boolean; verified?: boolean; name?: string } = {}): Promise<Client> => {
    const user = await createUser(ctx.db, options);
    return { ...user, ...(await logInAs(ctx.app, user.email)) };
  };

  let orgA: { id: number; name: string; slug: string };
  let memberA: Client;
  let secondMemberA: Client;
  let memberB: Client;
  let resident: Client;
  let otherResident: Client;
  let admin: Client;
  let unverified: Client;

  const post = (client: Client, path: string, fields: Record<string, unknown> = {}) =>
    client.agent
      .post(path)
      .type('form')
      .send({ ...fields, _csrf: client.csrf });

  /** A published assignment of organisation A; another status is set afterwards, as the lifecycle would have. */
  const newAssignment = async ({ status, ...overrides }: Record<string, unknown> & { status?: string } = {}) => {
    const id = await createTestAssignment(ctx.db, { organisationId: orgA.id, ...overrides });
    if (status) await ctx.db('assignments').where('id', id).update({ status });
    return id;
  };

  const apply = (
    client: Client,
    assignmentId: number,
    fields: Record<string, unknown> = { message: 'Jag kan hjälpa till på lördag.', shareProfile: 'on' },
  ) => post(client, `/uppdrag/${assignmentId}/ansok`, fields);

  const applicationOf = (assignmentId: number, applicantId: number) =>
    ctx.db('applications').where({ assignment_id: assignmentId, applicant_id: applicantId }).first();

  const statusOf = async (applicationId: number) =>
    (await ctx.db('applications').where('id', applicationId).first('status')).status as string;

  const assignmentStatus = async (id: number) => (await ctx.db('assignments').where('id', id).first('status')).status as string;

  const notifications = (type: string) =>
    ctx.db('notifications').where('type', type).orderBy('id').select('user_id', 'link', 'params');

  const indexJobs = async (assignmentId: number) =>
    (await ctx.db.raw(`SELECT j.key FROM graphile_worker._private_jobs j WHERE j.key = ?`, [`index_assignment:${assignmentId}`]))
      .rows as unknown[];

  const clearJobs = () => ctx.db.raw('DELETE FROM graphile_worker._private_jobs');

  const listPath = (assignmentId: number) => `/organisationer/${orgA.slug}/uppdrag/${assignmentId}/ansokningar`;

  before(async () => {
    const a = await createOrganisation(ctx.db, { name: 'Rusksele byaförening' });
    await createOrganisation(ctx.db, { name: 'Annan förening' }).then(async (b) => {
      memberB = await logIn();
      await ctx.db('organisation_members').insert({ organisation_id: b.id, user_id: memberB.id, role: 'admin' });
    });
    orgA = { ...a, slug: (await ctx.db('organisations').where('id', a.id).first('slug')).slug };
    memberA = await logIn();
    secondMemberA = await logIn();
    await ctx.db('organisation_members').insert([
      { organisation_id: orgA.id, user_id: memberA.id, role: 'admin' },
      { organisation_id: orgA.id, user_id: secondMemberA.id, role: 'member' },
    ]);
    resident = await logIn({ name: 'Anna Andersson' });
    otherResident = await logIn();
    admin = await logIn({ isAdmin: true });
    unverified = await logIn({ verified: false });
  });

  describe('applying', () => {
    it('when a visitor opens an open assignment, then a login link with the way back is offered instead of the form', async () => {
      const id = await newAssignment();
      const page = await request(ctx.app).get(`/uppdrag/${id}`).redirects(1).expect(200);
      expect(page.text).to.include('Logga in för att anmäla intresse');
      expect(page.text).to.match(/href="\/logga-in\?next=%2Fuppdrag%2F\d+-testuppdrag-nummer-\d+"/);
      expect(page.text).not.to.include('name="message"');
    });

    it('when a resident opens it, then the form has the message and the profile choice, not checked until chosen', async () => {
      const id = await newAssignment();
      const page = await resident.agent.get(`/uppdrag/${id}`).redirects(1).expect(200);
      expect(page.text).to.include('name="message"').and.include('<label for="message">');
      expect(page.text).to.include('name="shareProfile"').and.include('bara ditt namn och ditt meddelande');
      expect(page.text).not.to.match(/name="shareProfile"[^>]*checked/);
      expect(page.text).to.match(/action="\/uppdrag\/\d+-[a-z0-9-]+\/ansok"/);
    });

    it('when a member of the organisation opens it, then no form but a link to the applicant list', async () => {
      const id = await newAssignment();
      const page = await memberA.agent.get(`/uppdrag/${id}`).redirects(1).expect(200);
      expect(page.text).not.to.include('name="message"');
      expect(page.text).to.include(listPath(id));
    });

    it('when a resident applies, then the application is stored, the members are notified and the page says so', async () => {
      const id = await newAssignment();
      const res = await apply(resident, id, { message: '  Jag bor nära och kan på lördag.  ', shareProfile: 'on' });
      expect(res.status, res.text).to.equal(303);
      const row = await applicationOf(id, resident.id);
      expect(res.headers.location).to.equal(`/ansokningar/${row.id}?done=sent`);
      expect(row).to.include({ status: 'submitted', share_profile: true, message: 'Jag bor nära och kan på lördag.' });
      const sent = (await notifications('application_received')).filter((n) => n.link === listPath(id));
      expect(sent.map((n) => n.user_id).sort()).to.deep.equal([memberA.id, secondMemberA.id].sort());
      expect(sent[0].params).to.include({ applicant: 'Anna Andersson' });
      const page = await resident.agent.get(`/uppdrag/${id}`).redirects(1).expect(200);
      expect(page.text).to.include('Du har anmält intresse').and.include(`/ansokningar/${row.id}`);
      expect(page.text).not.to.include('name="message"');
    });

    it('when the profile box is unchecked, then the profile is not shared', async () => {
      const id = await newAssignment();
      await apply(resident, id, { message: 'Hej' }).expect(303);
      expect((await applicationOf(id, resident.id)).share_profile).to.equal(false);
    });

    it('when a resident applies a second time, then 409 with a link to the first, and still one application', async () => {
      const id = await newAssignment();
      await apply(resident, id).expect(303);
      const res = await apply(resident, id, { message: 'Igen' }).expect(409);
      const first = await applicationOf(id, resident.id);
      expect(res.text).to.include('Du har redan anmält intresse').and.include(`href="/ansokningar/${first.id}"`);
      expect(await ctx.db('applications').where('assignment_id', id).count()).to.deep.equal([{ count: 1 }]);
      expect(first.message).not.to.equal('Igen');
    });

    it('when the same resident submits twice at once, then exactly one application is stored', async () => {
      const id = await newAssignment();
      const results = await Promise.all([apply(resident, id), apply(resident, id)]);
      expect(results.map((r) => r.status).sort()).to.deep.equal([303, 409]);
      expect(await ctx.db('applications').where('assignment_id', id).count()).to.deep.equal([{ count: 1 }]);
    });

    it('when a member applies to their own organisation, then 403 with a reason, and nothing is stored', async () => {
      const id = await newAssignment();
      const res = await apply(memberA, id).expect(403);
      expect(res.text).to.include('din egen organisations uppdrag');
      expect(await applicationOf(id, memberA.id)).to.equal(undefined);
    });

    it('when a member of another organisation or a platform admin applies, then that is an application like any', async () => {
      const id = await newAssignment();
      await apply(memberB, id).expect(303);
      await apply(admin, id).expect(303);
      expect(await ctx.db('applications').where('assignment_id', id).pluck('applicant_id')).to.have.members([
        memberB.id,
        admin.id,
      ]);
    });

    it('when a visitor posts the form, then 401 and nothing is stored', async () => {
      const id = await newAssignment();
      const agent = request.agent(ctx.app);
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/logga-in')).text)![1];
      await agent.post(`/uppdrag/${id}/ansok`).type('form').send({ _csrf: csrf, message: 'Hej' }).expect(401);
      expect(await ctx.db('applications').where('assignment_id', id).count()).to.deep.equal([{ count: 0 }]);
    });

    it('when the e-mail is not verified, then the page says how to verify and a post is refused', async () => {
      const id = await newAssignment();
      const page = await unverified.agent.get(`/uppdrag/${id}`).redirects(1).expect(200);
      expect(page.text).to.include('Bekräfta din e-postadress').and.include('href="/konto"');
      expect(page.text).not.to.include('name="message"');
      const res = await apply(unverified, id).expect(403);
      expect(res.text).to.include('Bekräfta din e-postadress');
      expect(await applicationOf(id, unverified.id)).to.equal(undefined);
    });

    for (const [name, overrides, status] of [
      ['closed', { status: 'closed' }, 409],
      ['expired', { status: 'expired' }, 409],
      ['assigned', { status: 'assigned' }, 409],
      ['completed', { status: 'completed' }, 409],
      ['past its last day to apply (not yet expired by the job)', { applyBy: isoDay(-1) }, 409],
      ['a draft', { status: 'draft' }, 404],
      ['waiting for review', { status: 'pending_review' }, 404],
      ['cancelled', { status: 'cancelled' }, 404],
    ] as const) {
      it(`when the assignment is ${name}, then applying gives ${status} and stores nothing`, async () => {
        const id = await newAssignment(overrides);
        const res = await apply(resident, id);
        expect(res.status).to.equal(status);
        if (status === 409) expect(res.text).to.include('tar inte emot intresseanmälningar');
        expect(await applicationOf(id, resident.id)).to.equal(undefined);
      });
    }

    it('when the assignment is hidden by the moderators, then 404', async () => {
      const id = await newAssignment();
      await ctx.db('assignments').where('id', id).update({ hidden_at: new Date() });
      await apply(resident, id).expect(404);
    });

    it('when the last day to apply is today (Stockholm), then applying still works', async () => {
      const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
      const id = await newAssignment({ applyBy: today });
      await apply(resident, id).expect(303);
    });

    for (const [name, fields, field, message] of [
      ['no message', { shareProfile: 'on' }, 'message', 'Skriv ett meddelande'],
      ['only spaces', { message: '   \n ', shareProfile: 'on' }, 'message', 'Skriv ett meddelande'],
      ['4001 characters', { message: 'å'.repeat(4001), shareProfile: 'on' }, 'message', 'högst 4 000 tecken'],
      ['an array for the message', { message: ['a', 'b'], shareProfile: 'on' }, 'message', 'tecken som inte kan sparas'],
      ['a NUL character', { message: 'Hej\u0000då', shareProfile: 'on' }, 'message', 'tecken som inte kan sparas'],
      ['an array for the checkbox', { message: 'Hej', shareProfile: ['on', 'on'] }, 'shareProfile', 'Välj om du vill dela'],
      ['a checkbox with a strange value', { message: 'Hej', shareProfile: 'yes' }, 'shareProfile', 'Välj om du vill dela'],
    ] as const) {
      it(`when the form has ${name}, then 400 with the message beside the field, the text kept and nothing stored`, async () => {
        const id = await newAssignment();
        const res = await apply(resident, id, fields).expect(400);
        expect(res.text).to.include(`id="${field}-error"`).and.include(message);
        expect(res.text).to.match(new RegExp(`id="${field}"[^>]*aria-describedby="[^"]*${field}-error"`));
        if (typeof fields.message === 'string' && fields.message.trim()) expect(res.text).to.include(fields.message);
        expect(await applicationOf(id, resident.id)).to.equal(undefined);
      });
    }

    it('when a refused form carries markup, then it comes back escaped in the field', async () => {
      const id = await newAssignment();
      const res = await apply(resident, id, { message: `${XSS}${'x'.repeat(4001)}`, shareProfile: 'on' }).expect(400);
      expect(res.text).to.include(XSS_ESCAPED).and.not.include(XSS);
    });

    it('when the message has 4000 characters of two UTF-16 units each, then it is accepted (counted as a person counts)', async () => {
      const id = await newAssignment();
      await apply(resident, id, { message: '😀'.repeat(4000), shareProfile: 'on' }).expect(303);
    });

    it('when an unchecked box comes back with an error, then it stays unchecked', async () => {
      const id = await newAssignment();
      const res = await apply(resident, id, { message: '' }).expect(400);
      expect(res.text).not.to.match(/name="shareProfile"[^>]*checked/);
    });

    it("when a checked box comes back with an error, then it stays checked: the choice is the resident's", async () => {
      const id = await newAssignment();
      const res = await apply(resident, id, { message: '', shareProfile: 'on' }).expect(400);
      expect(res.text).to.match(/name="shareProfile"[^>]*checked/);
    });

    it('when a withdrawn application is sent again, then the same row is submitted again with the new text', async () => {
      const id = await newAssignment();
      await apply(resident, id).expect(303);
      const first = await applicationOf(id, resident.id);
      await post(resident, `/ansokningar/${first.id}/aterkalla`).expect(303);
      const page = await resident.agent.get(`/uppdrag/${id}`).redirects(1).expect(200);
      expect(page.text).to.include('Du återkallade din intresseanmälan').and.include('name="message"');
      await apply(resident, id, { message: 'Nu kan jag ändå' }).expect(303);
      const again = await applicationOf(id, resident.id);
      expect(again).to.include({ id: first.id, status: 'submitted', message: 'Nu kan jag ändå', share_profile: false });
    });

    it('when a declined resident applies again, then 409', async () => {
      const id = await newAssignment();
      await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id, status: 'declined' });
      await apply(resident, id).expect(409);
    });
  });

  describe('the application page and the CV', () => {
    let assignmentId: number;
    let applicationId: number;

    before(async () => {
      assignmentId = await newAssignment();
      await ctx.db('resident_profiles').insert({
        user_id: otherResident.id,
        bio: `Snickare ${XSS}`,
        availability: 'Helger',
        driving_licence: true,
        visibility: 'organisations',
      });
      const skill = async (slug: string, row: Record<string, unknown> = {}) =>
        ctx.db('resident_skills').insert({
          user_id: otherResident.id,
          skill_id: (await ctx.db('skills').where('slug', slug).first('id')).id,
          ...row,
        });
      await skill('snickeri', { level: 'can_teach' });
      await skill('motorsagskorkort', { expires_on: '2020-01-31' });
      await ctx.db('resident_categories').insert({
        user_id: otherResident.id,
        category_id: (await ctx.db('categories').where('slug', 'ovrigt').first('id')).id,
      });
      await ctx.deps.storage.put('cvs/applicationtestcv.pdf', minimalPdf(), 'application/pdf');
      await ctx
        .db('resident_profiles')
        .where('user_id', otherResident.id)
        .update({ cv_key: 'cvs/applicationtestcv.pdf', cv_size: 500, cv_uploaded_at: new Date() });
      await apply(otherResident, assignmentId, { message: `Hej ${XSS}\nRad två`, shareProfile: 'on' }).expect(303);
      applicationId = (await applicationOf(assignmentId, otherResident.id)).id;
    });

    it('when the applicant or a member opens it, then the message shows escaped, with a link to the messages', async () => {
      for (const client of [otherResident, memberA, secondMemberA]) {
        const page = await client.agent.get(`/ansokningar/${applicationId}`).expect(200);
        expect(page.text).to.include(`Hej ${XSS_ESCAPED}<br>Rad två`).and.not.include(XSS);
        expect(page.text).to.include(`href="/ansokningar/${applicationId}/meddelanden"`);
      }
    });

    it('when anyone else opens it, then 404 (a visitor is asked to log in)', async () => {
      for (const client of [resident, memberB, admin]) await client.agent.get(`/ansokningar/${applicationId}`).expect(404);
      const visitor = await request(ctx.app).get(`/ansokningar/${applicationId}`).expect(303);
      expect(visitor.headers.location).to.equal(`/logga-in?next=${encodeURIComponent(`/ansokningar/${applicationId}`)}`);
      for (const bad of ['0', '99999999', '1e3', 'abc', '9'.repeat(30), '-1'])
        await memberA.agent.get(`/ansokningar/${bad}`).expect(404);
    });

    it('when the profile is shared, then members see it (escaped) with the CV, and the applicant does not see the member view', async () => {
      const page = await memberA.agent.get(`/ansokningar/${applicationId}`).expect(200);
      expect(page.text).to.include(`Snickare ${XSS_ESCAPED}`).and.include('Snickeri: kan lära ut').and.include('Helger');
      expect(page.text).to.include('Motorsågskörkort: utgånget');
      expect(page.text).to.include('Övrigt').and.include(`href="/ansokningar/${applicationId}/cv"`);
      const own = await otherResident.agent.get(`/ansokningar/${applicationId}`).expect(200);
      expect(own.text).not.to.include('Snickare').and.not.include('/acceptera');
      expect(own.text).to.include('/aterkalla');
    });

    it('when a member downloads the shared CV, then it is the PDF as an attachment with nosniff', async () => {
      const res = await memberA.agent.get(`/ansokningar/${applicationId}/cv`).buffer(true).expect(200);
      expect(res.headers['content-type']).to.equal('application/pdf');
      expect(res.headers['content-disposition']).to.equal('attachment; filename="cv.pdf"');
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(Buffer.compare(res.body as Buffer, minimalPdf())).to.equal(0);
    });

    it('when someone else asks for the CV, then it is refused', async () => {
      await otherResident.agent.get(`/ansokningar/${applicationId}/cv`).expect(403);
      for (const client of [resident, memberB, admin]) await client.agent.get(`/ansokningar/${applicationId}/cv`).expect(404);
      await request(ctx.app).get(`/ansokningar/${applicationId}/cv`).expect(303);
    });

    it('when the application does not share the profile, then members see neither profile nor CV', async () => {
      const id = await newAssignment();
      await apply(otherResident, id, { message: 'Utan profil' }).expect(303);
      const unshared = (await applicationOf(id, otherResident.id)).id;
      const page = await memberA.agent.get(`/ansokningar/${unshared}`).expect(200);
      expect(page.text).to.include('valt att inte dela').and.not.include('Snickare').and.not.include('/cv"');
      await memberA.agent.get(`/ansokningar/${unshared}/cv`).expect(404);
    });
  });

  describe('withdrawing', () => {
    it('when the applicant withdraws, then it is withdrawn, the members are notified, and a second time is 409', async () => {
      const id = await newAssignment();
      await apply(resident, id).expect(303);
      const { id: applicationId } = await applicationOf(id, resident.id);
      const res = await post(resident, `/ansokningar/${applicationId}/aterkalla`).expect(303);
      expect(res.headers.location).to.equal(`/ansokningar/${applicationId}?done=withdrawn`);
      expect(await statusOf(applicationId)).to.equal('withdrawn');
      const told = (await notifications('application_withdrawn')).filter((n) => n.link === listPath(id));
      expect(told.map((n) => n.user_id).sort()).to.deep.equal([memberA.id, secondMemberA.id].sort());
      const again = await post(resident, `/ansokningar/${applicationId}/aterkalla`).expect(409);
      expect(again.text).to.include('nuvarande läge');
    });

    it('when anyone but the applicant withdraws, then 403 for members and 404 for others, and nothing changes', async () => {
      const id = await newAssignment();
      const applicationId = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id });
      await post(memberA, `/ansokningar/${applicationId}/aterkalla`).expect(403);
      for (const client of [otherResident, memberB, admin])
        await post(client, `/ansokningar/${applicationId}/aterkalla`).expect(404);
      expect(await statusOf(applicationId)).to.equal('submitted');
    });

    it('when an accepted applicant withdraws from a full assignment, then the place opens and the index is updated', async () => {
      const id = await newAssignment({ peopleNeeded: 1 });
      const applicationId = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id });
      await post(memberA, `/ansokningar/${applicationId}/acceptera`).expect(303);
      expect(await assignmentStatus(id)).to.equal('assigned');
      await clearJobs();
      await post(resident, `/ansokningar/${applicationId}/aterkalla`).expect(303);
      expect(await assignmentStatus(id)).to.equal('published');
      expect(await indexJobs(id)).to.have.length(1);
    });

    it('when the last day to apply has passed meanwhile, then the freed assignment is closed, not published', async () => {
      const id = await newAssignment({ peopleNeeded: 1 });
      const applicationId = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id, status: 'accepted' });
      await ctx
        .db('assignments')
        .where('id', id)
        .update({ status: 'assigned', apply_by: isoDay(-3) });
      await post(resident, `/ansokningar/${applicationId}/aterkalla`).expect(303);
      expect(await assignmentStatus(id)).to.equal('closed');
    });

    it('when the work is completed, then an accepted applicant cannot withdraw', async () => {
      const id = await newAssignment({ status: 'completed' });
      const applicationId = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id, status: 'accepted' });
      await post(resident, `/ansokningar/${applicationId}/aterkalla`).expect(409);
      expect(await statusOf(applicationId)).to.equal('accepted');
    });

    it('when a declined application is withdrawn, then 409', async () => {
      const id = await newAssignment();
      const applicationId = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id, status: 'declined' });
      await post(resident, `/ansokningar/${applicationId}/aterkalla`).expect(409);
    });
  });

  describe('the organisation decides', () => {
    it('when a member shortlists and puts back, then the status toggles; others cannot', async () => {
      const id = await newAssignment();
      const applicationId = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id });
      const res = await post(memberA, `/ansokningar/${applicationId}/kortlista`, { from: 'list' }).expect(303);
      expect(res.headers.location).to.equal(`${listPath(id)}?done=shortlisted#ansokan-${applicationId}`);
      expect(await statusOf(applicationId)).to.equal('shortlisted');
      await post(secondMemberA, `/ansokningar/${applicationId}/kortlista`).expect(303);
      expect(await statusOf(applicationId)).to.equal('submitted');
      await post(resident, `/ansokningar/${applicationId}/kortlista`).expect(403);
      for (const client of [memberB, admin, otherResident])
        await post(client, `/ansokningar/${applicationId}/kortlista`).expect(404);
      expect(await statusOf(applicationId)).to.equal('submitted');
    });

    it('when a member accepts, then accepted with its time, the applicant is told, and the last place makes it assigned', async () => {
      const id = await newAssignment({ peopleNeeded: 2 });
      const first = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id, status: 'shortlisted' });
      const second = await createApplication(ctx.db, { assignmentId: id, applicantId: otherResident.id });
      await clearJobs();
      await post(memberA, `/ansokningar/${first}/acceptera`).expect(303);
      const row = await ctx.db('applications').where('id', first).first();
      expect(row.status).to.equal('accepted');
      expect(row.decided_at).to.be.an.instanceOf(Date);
      expect(await assignmentStatus(id)).to.equal('published');
      expect(await indexJobs(id)).to.have.length(0);
      const told = (await notifications('application_accepted')).filter((n) => n.link === `/ansokningar/${first}`);
      expect(told.map((n) => n.user_id)).to.deep.equal([resident.id]);
      await post(memberA, `/ansokningar/${second}/acceptera`).expect(303);
      expect(await assignmentStatus(id)).to.equal('assigned');
      expect(await indexJobs(id)).to.have.length(1);
      const list = await memberA.agent.get(listPath(id)).expect(200);
      expect(list.text).to.include('Tillsatta platser: 2 av 2');
    });

    it('when the assignment is full, then accepting one more is 409 "Alla platser är tillsatta" on the page it came from', async () => {
      const id = await newAssignment({ peopleNeeded: 1 });
      await createApplication(ctx.db, { assignmentId: id, applicantId: otherResident.id, status: 'accepted' });
      const waiting = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id });
      // Published although full (e.g. the places were lowered): the count under the lock decides.
      const res = await post(memberA, `/ansokningar/${waiting}/acceptera`, { from: 'list' }).expect(409);
      expect(res.text).to.include('Alla platser är tillsatta').and.include('Tillsatta platser: 1 av 1');
      await ctx.db('assignments').where('id', id).update({ status: 'assigned' });
      const fromPage = await post(memberA, `/ansokningar/${waiting}/acceptera`).expect(409);
      expect(fromPage.text).to.include('Alla platser är tillsatta');
      expect(await statusOf(waiting)).to.equal('submitted');
    });

    for (const status of ['draft', 'cancelled', 'completed', 'expired'] as const) {
      it(`when the assignment is ${status}, then accepting is 409`, async () => {
        const id = await newAssignment({ status });
        const applicationId = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id });
        await post(memberA, `/ansokningar/${applicationId}/acceptera`).expect(409);
        expect(await statusOf(applicationId)).to.equal('submitted');
      });
    }

    it('when the assignment is closed for applications, then accepting still works', async () => {
      const id = await newAssignment({ status: 'closed' });
      const applicationId = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id });
      await post(memberA, `/ansokningar/${applicationId}/acceptera`).expect(303);
      expect(await assignmentStatus(id)).to.equal('assigned');
    });

    it('when anyone but a member accepts, then 403 for the applicant and 404 for others', async () => {
      const id = await newAssignment();
      const applicationId = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id });
      await post(resident, `/ansokningar/${applicationId}/acceptera`).expect(403);
      for (const client of [memberB, admin, otherResident])
        await post(client, `/ansokningar/${applicationId}/acceptera`).expect(404);
      expect(await statusOf(applicationId)).to.equal('submitted');
    });

    it('when accepted twice or after a withdrawal, then 409', async () => {
      const id = await newAssignment({ peopleNeeded: 3 });
      const accepted = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id, status: 'accepted' });
      const withdrawn = await createApplication(ctx.db, { assignmentId: id, applicantId: otherResident.id, status: 'withdrawn' });
      await post(memberA, `/ansokningar/${accepted}/acceptera`).expect(409);
      await post(memberA, `/ansokningar/${withdrawn}/acceptera`).expect(409);
    });

    it('when ten accepts for three places arrive at once, then exactly three are accepted and the assignment is assigned', async () => {
      const id = await newAssignment({ peopleNeeded: 3 });
      const applicationIds: number[] = [];
      for (let i = 0; i < 10; i++) {
        const user = await createUser(ctx.db);
        applicationIds.push(await createApplication(ctx.db, { assignmentId: id, applicantId: user.id }));
      }
      await clearJobs();
      const results = await Promise.all(
        applicationIds.map((applicationId, i) =>
          post(i % 2 ? memberA : secondMemberA, `/ansokningar/${applicationId}/acceptera`),
        ),
      );
      expect(results.filter((r) => r.status === 303)).to.have.length(3);
      expect(results.filter((r) => r.status === 409)).to.have.length(7);
      for (const r of results.filter((res) => res.status === 409)) expect(r.text).to.include('Alla platser är tillsatta');
      expect(await ctx.db('applications').where({ assignment_id: id, status: 'accepted' }).count()).to.deep.equal([{ count: 3 }]);
      expect(await assignmentStatus(id)).to.equal('assigned');
      expect(await indexJobs(id)).to.have.length(1);
      expect(
        (await notifications('application_accepted')).filter((n) => applicationIds.some((a) => n.link === `/ansokningar/${a}`)),
      ).to.have.length(3);
    });

    it('when the database is asked directly for a fourth accepted of three places, then its trigger refuses', async () => {
      const id = await newAssignment({ peopleNeeded: 3 });
      for (let i = 0; i < 3; i++) {
        const user = await createUser(ctx.db);
        await createApplication(ctx.db, { assignmentId: id, applicantId: user.id, status: 'accepted' });
      }
      const fourth = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id });
      const refused = await ctx
        .db('applications')
        .where('id', fourth)
        .update({ status: 'accepted' })
        .then(
          () => undefined,
          (error: { code?: string; constraint?: string }) => error,
        );
      expect(refused).to.include({ code: '23514', constraint: 'applications_places' });
      const inserted = await createApplication(ctx.db, {
        assignmentId: id,
        applicantId: otherResident.id,
        status: 'accepted',
      }).then(
        () => undefined,
        (error: { constraint?: string }) => error,
      );
      expect(inserted).to.include({ constraint: 'applications_places' });
      expect(await statusOf(fourth)).to.equal('submitted');
    });

    it('when a member declines with a message, then declined, and only the applicant is told, with the message escaped', async () => {
      const id = await newAssignment();
      const applicationId = await createApplication(ctx.db, {
        assignmentId: id,
        applicantId: resident.id,
        status: 'shortlisted',
      });
      await post(memberA, `/ansokningar/${applicationId}/avboj`, { declineMessage: `Tack! ${XSS}`, from: 'list' }).expect(303);
      const row = await ctx.db('applications').where('id', applicationId).first();
      expect(row).to.include({ status: 'declined', decline_message: `Tack! ${XSS}` });
      expect(row.decided_at).to.be.an.instanceOf(Date);
      const told = (await notifications('application_declined')).filter((n) => n.link === `/ansokningar/${applicationId}`);
      expect(told.map((n) => n.user_id)).to.deep.equal([resident.id]);
      expect(told[0].params).to.include({ message: `Tack! ${XSS}` });
      const page = await resident.agent.get(`/ansokningar/${applicationId}`).expect(200);
      expect(page.text).to.include(`Tack! ${XSS_ESCAPED}`).and.include('Avböjd').and.not.include(XSS);
    });

    it('when a member declines without a message, then declined with none', async () => {
      const id = await newAssignment();
      const applicationId = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id });
      await post(memberA, `/ansokningar/${applicationId}/avboj`, { declineMessage: '  ' }).expect(303);
      expect(await ctx.db('applications').where('id', applicationId).first('status', 'decline_message')).to.deep.equal({
        status: 'declined',
        decline_message: null,
      });
      const told = (await notifications('application_declined')).find((n) => n.link === `/ansokningar/${applicationId}`);
      expect(told!.params).not.to.have.property('message');
    });

    for (const [name, value, message] of [
      ['2001 characters', 'x'.repeat(2001), 'högst 2 000 tecken'],
      ['an array', ['a', 'b'], 'tecken som inte kan sparas'],
    ] as const) {
      it(`when the decline message is ${name}, then 400 beside the field with the text kept, and nothing changes`, async () => {
        const id = await newAssignment();
        const applicationId = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id });
        const res = await post(memberA, `/ansokningar/${applicationId}/avboj`, { declineMessage: value }).expect(400);
        expect(res.text).to.include('id="declineMessage-error"').and.include(message);
        expect(res.text).to.match(/aria-describedby="declineMessage-hint declineMessage-error"/);
        if (typeof value === 'string') expect(res.text).to.include(value);
        expect(await statusOf(applicationId)).to.equal('submitted');
      });
    }

    it('when a refused decline message carries markup, then it comes back escaped', async () => {
      const id = await newAssignment();
      const applicationId = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id });
      const res = await post(memberA, `/ansokningar/${applicationId}/avboj`, {
        declineMessage: `${XSS}${'x'.repeat(2001)}`,
      }).expect(400);
      expect(res.text).to.include(XSS_ESCAPED).and.not.include(XSS);
    });

    it('when the assignment is hidden by the moderators, then accepting is 409 and the applicant list still opens', async () => {
      const id = await newAssignment();
      const applicationId = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id });
      await ctx.db('assignments').where('id', id).update({ hidden_at: new Date() });
      await post(memberA, `/ansokningar/${applicationId}/acceptera`).expect(409);
      expect(await statusOf(applicationId)).to.equal('submitted');
      await memberA.agent.get(listPath(id)).expect(200);
    });

    it('when an accepted application is declined, then 409; by others 403/404', async () => {
      const id = await newAssignment({ peopleNeeded: 2 });
      const accepted = await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id, status: 'accepted' });
      const res = await post(memberA, `/ansokningar/${accepted}/avboj`).expect(409);
      expect(res.text).to.include('nuvarande läge');
      expect(await statusOf(accepted)).to.equal('accepted');
      const waiting = await createApplication(ctx.db, { assignmentId: id, applicantId: otherResident.id });
      await post(otherResident, `/ansokningar/${waiting}/avboj`).expect(403);
      for (const client of [memberB, admin, resident]) await post(client, `/ansokningar/${waiting}/avboj`).expect(404);
      expect(await statusOf(waiting)).to.equal('submitted');
    });
  });

  describe('lists', () => {
    it('when a member opens the applicant list, then every application with status, date and an escaped excerpt', async () => {
      const id = await newAssignment({ peopleNeeded: 3 });
      await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id, status: 'accepted', message: `Hej ${XSS}` });
      await createApplication(ctx.db, { assignmentId: id, applicantId: otherResident.id, status: 'shortlisted' });
      const page = await memberA.agent.get(listPath(id)).expect(200);
      expect(page.text).to.include('Tillsatta platser: 1 av 3').and.include('Anna Andersson').and.include(otherResident.name);
      expect(page.text).to.include('Accepterad').and.include('På kortlistan');
      expect(page.text).to.include(`Hej ${XSS_ESCAPED}`).and.not.include(XSS);
      expect(page.text).to.include('/kortlista').and.include('/avboj');
    });

    it("when others open the applicant list, then 403 (login for visitors, 404 for another organisation's assignment)", async () => {
      const id = await newAssignment();
      for (const client of [memberB, resident, admin]) await client.agent.get(listPath(id)).expect(403);
      expect((await request(ctx.app).get(listPath(id)).expect(303)).headers.location).to.match(/^\/logga-in/);
      await memberA.agent.get(`/organisationer/${orgA.slug}/uppdrag/999999/ansokningar`).expect(404);
      await memberA.agent.get(`/organisationer/${orgA.slug}/uppdrag/abc/ansokningar`).expect(404);
      await memberA.agent.get(`/organisationer/finns-inte/uppdrag/${id}/ansokningar`).expect(404);
    });

    it('when a resident opens "Mina intresseanmälningar", then their own applications, newest first, with status and links', async () => {
      const someone = await logIn();
      const older = await newAssignment({ title: 'Äldre uppdrag' });
      const newer = await newAssignment({ title: `Nyare ${XSS}` });
      await apply(someone, older).expect(303);
      await apply(someone, newer).expect(303);
      const own = await applicationOf(older, someone.id);
      await post(someone, `/ansokningar/${own.id}/aterkalla`).expect(303);
      await createApplication(ctx.db, { assignmentId: older, applicantId: resident.id });
      const page = await someone.agent.get('/konto/ansokningar').expect(200);
      expect(page.text.indexOf('Nyare')).to.be.lessThan(page.text.indexOf('Äldre uppdrag'));
      expect(page.text).to.include(`Nyare ${XSS_ESCAPED}`).and.not.include(XSS);
      expect(page.text).to.include('Återkallad').and.include('Skickad').and.include(`/ansokningar/${own.id}`);
      expect(page.text.match(/href="\/ansokningar\/\d+"/g)).to.have.length(2);
      expect(page.text).to.include('href="/konto/ansokningar"').and.include('<h1>Mina intresseanmälningar</h1>');
      expect((await request(ctx.app).get('/konto/ansokningar').expect(303)).headers.location).to.match(/^\/logga-in/);
    });

    it('when a member opens "Mina uppdrag", then each assignment shows its active and new applications with a link', async () => {
      const id = await newAssignment({ title: 'Räknat uppdrag', peopleNeeded: 5 });
      await createApplication(ctx.db, { assignmentId: id, applicantId: resident.id });
      await createApplication(ctx.db, { assignmentId: id, applicantId: otherResident.id, status: 'shortlisted' });
      await createApplication(ctx.db, { assignmentId: id, applicantId: memberB.id, status: 'withdrawn' });
      const page = await memberA.agent.get(`/organisationer/${orgA.slug}/uppdrag`).expect(200);
      const card = page.text.slice(page.text.indexOf('>Räknat uppdrag</a>')).split('</article>')[0]!;
      expect(card).to.include('<span class="badge badge-info">1 ny intresseanmälan</span>');
      expect(card).to.include(`href="${listPath(id)}">Läs den nya intresseanmälan<`);
      expect(card).to.include(`href="${listPath(id)}">Intresseanmälningar: 2<`);
    });
  });
});
