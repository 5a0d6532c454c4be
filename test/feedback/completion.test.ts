import { expect } from 'chai';
import request from 'supertest';
import { createApplication, createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, csrfFrom, type LoggedIn, logInAs, postForm } from '../support/users.js';

// Completion and feedback through HTTP (PRODUCT.md flow 4): which states may
// be completed and by whom, who is told, the feedback form for each side,
// every wrong state and bad input, and where feedback shows.

const XSS = '"><script>alert(1)</script>';
const XSS_ESCAPED = '&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';

describe('Completion and feedback', () => {
  const ctx = useTestApp();
  let member: LoggedIn;
  let secondMember: LoggedIn;
  let otherMember: LoggedIn;
  let worker: LoggedIn;
  let secondWorker: LoggedIn;
  let bystander: LoggedIn;
  let admin: LoggedIn;
  let users: Record<
    'member' | 'secondMember' | 'otherMember' | 'worker' | 'secondWorker' | 'bystander' | 'admin',
    { id: number; email: string; name: string }
  >;
  let organisationId: number;
  let otherOrganisationId: number;
  let slug: string;

  const post = postForm;

  const visitor = async () => {
    const agent = request.agent(ctx.app);
    return { agent, csrf: csrfFrom((await agent.get('/logga-in').expect(200)).text) };
  };

  const completePath = (id: number, orgSlug = slug) => `/organisationer/${orgSlug}/uppdrag/${id}/klar`;
  const feedbackPath = (applicationId: number) => `/ansokningar/${applicationId}/omdome`;

  const assignmentRow = async (id: number) =>
    (await ctx.db('assignments').where('id', id).first('status', 'completed_at')) as {
      status: string;
      completed_at: Date | null;
    };

  /** An assignment of the organisation in `status`, with the given applicants accepted (and others declined). */
  async function assignmentWith(
    status: string,
    accepted: number[] = [],
    declined: number[] = [],
    overrides: { title?: string; organisationId?: number } = {},
  ): Promise<{ id: number; applications: Record<number, number> }> {
    const id = await createTestAssignment(ctx.db, {
      organisationId: overrides.organisationId ?? organisationId,
      peopleNeeded: 3,
      ...(overrides.title ? { title: overrides.title } : {}),
    });
    const applications: Record<number, number> = {};
    for (const applicantId of accepted)
      applications[applicantId] = await createApplication(ctx.db, { assignmentId: id, applicantId, status: 'accepted' });
    for (const applicantId of declined)
      applications[applicantId] = await createApplication(ctx.db, { assignmentId: id, applicantId, status: 'declined' });
    await ctx.db('assignments').where('id', id).update({ status });
    return { id, applications };
  }

  const notificationsFor = (userId: number, type: string) =>
    ctx.db('notifications').where({ user_id: userId, type }).orderBy('id').select('link', 'params');
  const notificationCount = async () => Number((await ctx.db('notifications').count({ n: '*' }).first())!.n);

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Rusksele byaförening' });
    const other = await createOrganisation(ctx.db, { name: 'Annan förening' });
    organisationId = org.id;
    otherOrganisationId = other.id;
    slug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug as string;
    users = {
      member: await createUser(ctx.db),
      secondMember: await createUser(ctx.db),
      otherMember: await createUser(ctx.db),
      worker: await createUser(ctx.db, { name: 'Wilma Arbetare' }),
      secondWorker: await createUser(ctx.db, { name: 'Sixten Snickare' }),
      bystander: await createUser(ctx.db),
      admin: await createUser(ctx.db, { isAdmin: true }),
    };
    await ctx.db('organisation_members').insert([
      { organisation_id: org.id, user_id: users.member.id, role: 'member' },
      { organisation_id: org.id, user_id: users.secondMember.id, role: 'admin' },
      { organisation_id: other.id, user_id: users.otherMember.id, role: 'admin' },
    ]);
    member = await logInAs(ctx.app, users.member.email);
    secondMember = await logInAs(ctx.app, users.secondMember.email);
    otherMember = await logInAs(ctx.app, users.otherMember.email);
    worker = await logInAs(ctx.app, users.worker.email);
    secondWorker = await logInAs(ctx.app, users.secondWorker.email);
    bystander = await logInAs(ctx.app, users.bystander.email);
    admin = await logInAs(ctx.app, users.admin.email);
  });

  describe('completion', () => {
    it('when a member completes an assigned assignment, then it is completed, each accepted resident is told and it leaves the search', async () => {
      const { id, applications } = await assignmentWith(
        'published',
        [users.worker.id, users.secondWorker.id],
        [users.bystander.id],
      );
      await ctx.syncIndex();
      const searchIds = async () =>
        ((await request(ctx.app).get('/api/v1/assignments').expect(200)).body.hits as Array<{ id: number }>).map((h) => h.id);
      expect(await searchIds()).to.include(id);
      await ctx.db('assignments').where('id', id).update({ status: 'assigned' });

      const res = await post(member, completePath(id)).expect(303);
      expect(res.headers.location).to.equal(`/organisationer/${slug}/uppdrag?done=completed`);
      const row = await assignmentRow(id);
      expect(row.status).to.equal('completed');
      expect(row.completed_at).to.be.an.instanceOf(Date);
      for (const user of [users.worker, users.secondWorker]) {
        const notes = await notificationsFor(user.id, 'assignment_completed');
        expect(notes.map((n) => n.link)).to.include(feedbackPath(applications[user.id]!));
      }
      expect(await notificationsFor(users.bystander.id, 'assignment_completed')).to.have.length(0);
      expect(await notificationsFor(users.member.id, 'assignment_completed')).to.have.length(0);
      const list = await member.agent.get(`/organisationer/${slug}/uppdrag?done=completed`).expect(200);
      expect(list.text).to.include('Uppdraget är markerat som utfört');

      await ctx.runJobs();
      expect(await searchIds()).not.to.include(id);
    });

    for (const status of ['published', 'closed']) {
      it(`when a ${status} assignment has someone accepted, then a member may complete it (fewer people than planned)`, async () => {
        const { id } = await assignmentWith(status, [users.worker.id]);
        await post(secondMember, completePath(id)).expect(303);
        expect((await assignmentRow(id)).status).to.equal('completed');
      });

      it(`when a ${status} assignment has nobody accepted, then 409 with a clear message and nothing changes`, async () => {
        const { id } = await assignmentWith(status, [], [users.worker.id]);
        const notified = await notificationCount();
        const res = await post(member, completePath(id)).expect(409);
        expect(res.text).to.include('minst en intresseanmälan är accepterad');
        expect(await assignmentRow(id)).to.deep.equal({ status, completed_at: null });
        expect(await notificationCount()).to.equal(notified);
      });
    }

    for (const status of ['draft', 'pending_review', 'completed', 'cancelled', 'expired']) {
      it(`when the assignment is ${status}, then completing it is refused with 409 and nothing changes`, async () => {
        const { id } = await assignmentWith(status, [users.worker.id]);
        const before = await assignmentRow(id);
        const res = await post(member, completePath(id)).expect(409);
        expect(res.text).to.include('nuvarande läge');
        expect(await assignmentRow(id)).to.deep.equal(before);
      });
    }

    it('when a visitor, a resident, another organisation, the worker or a platform admin tries, then refused and nothing changes', async () => {
      const { id } = await assignmentWith('assigned', [users.worker.id]);
      const notified = await notificationCount();
      await post(await visitor(), completePath(id)).expect(401);
      for (const client of [bystander, worker, otherMember, admin]) await post(client, completePath(id)).expect(403);
      expect(await assignmentRow(id)).to.deep.equal({ status: 'assigned', completed_at: null });
      expect(await notificationCount()).to.equal(notified);
    });

    it('when the id is another organisation’s assignment, not a number or huge, then 404', async () => {
      const { id } = await assignmentWith('assigned', [users.worker.id], [], { organisationId: otherOrganisationId });
      await post(member, completePath(id)).expect(404);
      await post(member, `/organisationer/${slug}/uppdrag/abc/klar`).expect(404);
      await post(member, `/organisationer/${slug}/uppdrag/99999999999999999999/klar`).expect(404);
      expect((await assignmentRow(id)).status).to.equal('assigned');
    });

    it('when a member opens Mina uppdrag, then completion is offered where someone is accepted, and feedback per worker once completed', async () => {
      const assigned = await assignmentWith('assigned', [users.worker.id]);
      const openWithWorker = await assignmentWith('published', [users.worker.id]);
      const openWithoutWorker = await assignmentWith('published');
      const completed = await assignmentWith('completed', [users.worker.id, users.secondWorker.id]);
      const page = await member.agent.get(`/organisationer/${slug}/uppdrag`).expect(200);
      expect(page.text).to.include(completePath(assigned.id));
      expect(page.text).to.include(completePath(openWithWorker.id));
      expect(page.text).not.to.include(completePath(openWithoutWorker.id));
      expect(page.text).not.to.include(completePath(completed.id));
      expect(page.text).to.include(feedbackPath(completed.applications[users.worker.id]!));
      expect(page.text).to.include('Lämna omdöme om Sixten Snickare');
    });
  });

  describe('feedback', () => {
    it('when a member gives feedback about a worker, then it is stored once, the worker is told, and a second one is 409 showing what was given', async () => {
      const { applications } = await assignmentWith('completed', [users.worker.id]);
      const applicationId = applications[users.worker.id]!;
      const form = await member.agent.get(feedbackPath(applicationId)).expect(200);
      expect(form.text).to.include('Omdöme om Wilma Arbetare');
      expect(form.text).to.match(/<fieldset[^>]*>\s*<legend>Betyg<\/legend>/);
      expect(form.text.match(/type="radio" name="rating"/g)).to.have.length(5);
      expect(form.text).to.include('<label for="comment">');

      await post(member, feedbackPath(applicationId), { rating: '4', comment: 'Noggrann och snabb.' })
        .expect(303)
        .expect('location', `${feedbackPath(applicationId)}?done=saved`);
      const rows = await ctx.db('feedback').where('application_id', applicationId);
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({
        direction: 'about_resident',
        rating: 4,
        comment: 'Noggrann och snabb.',
        author_id: users.member.id,
      });
      const notes = await notificationsFor(users.worker.id, 'feedback_received');
      expect(notes.map((n) => n.link)).to.include('/konto/profil#omdomen');

      const again = await post(secondMember, feedbackPath(applicationId), { rating: '1', comment: 'Ändrat' }).expect(409);
      expect(again.text).to.include('redan lämnat').and.include('Noggrann och snabb.').and.include('4 av 5');
      expect(await ctx.db('feedback').where('application_id', applicationId)).to.have.length(1);
      const shown = await secondMember.agent.get(feedbackPath(applicationId)).expect(200);
      expect(shown.text).to.include('Noggrann och snabb.').and.not.include('name="rating"');
    });

    it('when the worker gives feedback about the organisation, then every member is told, the worker is not', async () => {
      const { applications } = await assignmentWith('completed', [users.worker.id]);
      const applicationId = applications[users.worker.id]!;
      const form = await worker.agent.get(feedbackPath(applicationId)).expect(200);
      expect(form.text).to.include('Omdöme om Rusksele byaförening');
      expect(form.text).to.include(`href="/ansokningar/${applicationId}"`);
      const before = await notificationsFor(users.secondMember.id, 'feedback_received');
      const workerBefore = await notificationsFor(users.worker.id, 'feedback_received');
      await post(worker, feedbackPath(applicationId), { rating: '5' }).expect(303);
      const row = await ctx.db('feedback').where('application_id', applicationId).first();
      expect(row).to.include({ direction: 'about_organisation', rating: 5, comment: '', author_id: users.worker.id });
      for (const user of [users.member, users.secondMember]) {
        const notes = await notificationsFor(user.id, 'feedback_received');
        expect(notes.map((n) => n.link)).to.include(`/organisationer/${slug}#omdomen`);
      }
      expect(await notificationsFor(users.secondMember.id, 'feedback_received')).to.have.length(before.length + 1);
      expect(await notificationsFor(users.worker.id, 'feedback_received')).to.have.length(workerBefore.length);
      await post(worker, feedbackPath(applicationId), { rating: '1' }).expect(409);
    });

    it('when anyone else asks, then 404 (a visitor logs in first) and nothing is stored', async () => {
      const { applications } = await assignmentWith('completed', [users.worker.id]);
      const path = feedbackPath(applications[users.worker.id]!);
      const guest = await visitor();
      const login = await guest.agent.get(path).expect(303);
      expect(login.headers.location).to.match(/^\/logga-in/);
      await post(guest, path, { rating: '3' }).expect(401);
      for (const client of [bystander, secondWorker, otherMember, admin]) {
        await client.agent.get(path).expect(404);
        await post(client, path, { rating: '3' }).expect(404);
      }
      expect(await ctx.db('feedback').where('application_id', applications[users.worker.id]!)).to.have.length(0);
    });

    it('when the id is unknown, not a number or huge, then 404', async () => {
      for (const id of ['999999', 'abc', '99999999999999999999', '-1'])
        await member.agent.get(`/ansokningar/${id}/omdome`).expect(404);
    });

    it('when the assignment is not completed yet, then both sides get 409 with a message', async () => {
      const { applications } = await assignmentWith('assigned', [users.worker.id]);
      const path = feedbackPath(applications[users.worker.id]!);
      for (const client of [member, worker]) {
        expect((await client.agent.get(path).expect(409)).text).to.include('markerat uppdraget som utfört');
        await post(client, path, { rating: '5' }).expect(409);
      }
      expect(await ctx.db('feedback').where('application_id', applications[users.worker.id]!)).to.have.length(0);
    });

    it('when the application was not accepted, then 409 with a message, also after completion', async () => {
      const { applications } = await assignmentWith('completed', [users.worker.id], [users.bystander.id]);
      const path = feedbackPath(applications[users.bystander.id]!);
      for (const client of [member, bystander]) {
        expect((await client.agent.get(path).expect(409)).text).to.include('accepterad intresseanmälan');
        await post(client, path, { rating: '5' }).expect(409);
      }
      expect(await ctx.db('feedback').where('application_id', applications[users.bystander.id]!)).to.have.length(0);
    });

    describe('bad input → 400 beside the field, input kept, nothing stored', () => {
      const cases: Array<[string, Record<string, unknown>, string]> = [
        ['the rating is missing', { comment: 'Bra jobbat' }, 'rating'],
        ['the rating is 0', { rating: '0', comment: 'Bra jobbat' }, 'rating'],
        ['the rating is 6', { rating: '6', comment: 'Bra jobbat' }, 'rating'],
        ['the rating is not a number', { rating: 'fem', comment: 'Bra jobbat' }, 'rating'],
        ['the rating is 4.5', { rating: '4.5', comment: 'Bra jobbat' }, 'rating'],
        ['the rating is an array', { rating: ['4', '5'], comment: 'Bra jobbat' }, 'rating'],
        ['the comment has 1001 characters', { rating: '3', comment: 'å'.repeat(1001) }, 'comment'],
        ['the comment is an array', { rating: '3', comment: ['a', 'b'] }, 'comment'],
        ['the comment is huge', { rating: '3', comment: 'x'.repeat(150_000) }, 'comment'],
      ];
      for (const [name, fields, field] of cases) {
        it(`when ${name}, then 400 with the message beside ${field}`, async () => {
          const { applications } = await assignmentWith('completed', [users.worker.id]);
          const applicationId = applications[users.worker.id]!;
          const res = await post(member, feedbackPath(applicationId), fields).expect(400);
          expect(res.text).to.include(`id="${field}-error"`);
          expect(res.text).to.include('role="alert"');
          if (typeof fields.comment === 'string') expect(res.text).to.include(fields.comment);
          if (fields.rating === '3') expect(res.text).to.include('value="3" checked');
          expect(await ctx.db('feedback').where('application_id', applicationId)).to.have.length(0);
        });
      }

      it('when the input holds markup, then the form shows it escaped', async () => {
        const { applications } = await assignmentWith('completed', [users.worker.id]);
        const res = await post(member, feedbackPath(applications[users.worker.id]!), { rating: XSS, comment: XSS }).expect(400);
        expect(res.text).to.include(XSS_ESCAPED).and.not.include(XSS);
      });

      it('when the comment has exactly 1000 characters (line breaks as one), then it is saved', async () => {
        const { applications } = await assignmentWith('completed', [users.worker.id]);
        const applicationId = applications[users.worker.id]!;
        const comment = `${'ö'.repeat(499)}\r\n${'ä'.repeat(500)}`;
        await post(member, feedbackPath(applicationId), { rating: '2', comment }).expect(303);
        const row = await ctx.db('feedback').where('application_id', applicationId).first('comment');
        expect([...row.comment]).to.have.length(1000);
      });
    });

    it('when two members give feedback at the same moment, then one is saved and the other gets 409', async () => {
      const { applications } = await assignmentWith('completed', [users.worker.id]);
      const path = feedbackPath(applications[users.worker.id]!);
      const answers = await Promise.all([post(member, path, { rating: '5' }), post(secondMember, path, { rating: '1' })]);
      expect(answers.map((a) => a.status).sort()).to.deep.equal([303, 409]);
      expect(await ctx.db('feedback').where('application_id', applications[users.worker.id]!)).to.have.length(1);
    });
  });

  describe('where feedback shows', () => {
    it('when residents rated an organisation, then its public page shows the average, count and comments escaped, without their names', async () => {
      const org = await createOrganisation(ctx.db, { name: 'Kåge hembygdsförening' });
      const orgSlug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug as string;
      const first = await assignmentWith('completed', [users.worker.id], [], {
        organisationId: org.id,
        title: 'Måla staketet vid hembygdsgården',
      });
      const second = await assignmentWith('completed', [users.secondWorker.id], [], {
        organisationId: org.id,
        title: `Klippa gräs ${XSS}`,
      });
      await ctx.db('feedback').insert([
        {
          application_id: first.applications[users.worker.id],
          author_id: users.worker.id,
          direction: 'about_organisation',
          rating: 3,
          comment: 'Trevligt men rörigt.',
        },
        {
          application_id: second.applications[users.secondWorker.id],
          author_id: users.secondWorker.id,
          direction: 'about_organisation',
          rating: 4,
          comment: XSS,
        },
        // About the resident: not the organisation's rating.
        {
          application_id: second.applications[users.secondWorker.id],
          author_id: users.member.id,
          direction: 'about_resident',
          rating: 1,
          comment: 'Inte om föreningen',
        },
      ]);
      const page = await request(ctx.app).get(`/organisationer/${orgSlug}`).expect(200);
      expect(page.text).to.include('Snittbetyg 3,5 av 5, från 2 omdömen.');
      expect(page.text).to.include('Trevligt men rörigt.').and.include('Måla staketet vid hembygdsgården');
      expect(page.text).to.include(XSS_ESCAPED).and.not.include(XSS);
      expect(page.text).not.to.include('Inte om föreningen');
      expect(page.text).not.to.include('Wilma Arbetare').and.not.include('Sixten Snickare');

      const english = await request(ctx.app).get(`/organisationer/${orgSlug}?lang=en`).expect(200);
      expect(english.text).to.include('Average rating 3.5 out of 5, from 2 reviews.');
    });

    it('when an organisation has no feedback, then its page says so', async () => {
      const org = await createOrganisation(ctx.db);
      const orgSlug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug as string;
      const page = await request(ctx.app).get(`/organisationer/${orgSlug}`).expect(200);
      expect(page.text).to.include('Omdömen från uppdragstagare').and.include('Inga omdömen än.');
    });

    it('when organisations rated a resident, then the resident’s profile shows it escaped with the average', async () => {
      const resident = await createUser(ctx.db);
      const client = await logInAs(ctx.app, resident.email);
      const empty = await client.agent.get('/konto/profil').expect(200);
      expect(empty.text).to.include('Omdömen från uppdragsgivare').and.include('Inga omdömen än.');
      const a = await assignmentWith('completed', [resident.id], [], { title: 'Skotta taket' });
      const b = await assignmentWith('completed', [resident.id]);
      await post(member, feedbackPath(a.applications[resident.id]!), { rating: '5', comment: `Toppen!\n${XSS}` }).expect(303);
      await post(member, feedbackPath(b.applications[resident.id]!), { rating: '4' }).expect(303);
      const page = await client.agent.get('/konto/profil').expect(200);
      expect(page.text).to.include('Snittbetyg 4,5 av 5, från 2 omdömen.');
      expect(page.text).to.include('Skotta taket').and.include('Rusksele byaförening').and.include('Toppen!<br>');
      expect(page.text).to.include(XSS_ESCAPED).and.not.include(XSS);
      // Only about this resident: others' feedback stays off their page.
      const other = await bystander.agent.get('/konto/profil').expect(200);
      expect(other.text).not.to.include('Toppen!');
    });
  });
});
