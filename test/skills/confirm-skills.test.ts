import { expect } from 'chai';
import request from 'supertest';
import { useTestApp } from '../support/test-app.js';
import {
  createCompletedWork,
  createOrganisationWithMember,
  createResident,
  skillIdOf,
  type Resident,
} from '../support/skills-h3-factories.js';
import { createUser, logInAs, postForm, type LoggedIn } from '../support/users.js';

// Confirmed skills after completed work (issue 15, item 3): only the organisation that completed the work confirms,
// once it rated the worker, once per skill, assignment and person; the resident is told and the card reindexed.

describe('Skills: confirming skills after completed work', function () {
  this.timeout(60_000);
  const ctx = useTestApp();
  let organisation: Awaited<ReturnType<typeof createOrganisationWithMember>>;
  let other: Awaited<ReturnType<typeof createOrganisationWithMember>>;
  let rated: Resident;
  let unrated: Resident;
  let assignmentId: number;
  let applications: Map<number, number>;
  let member: LoggedIn;
  const path = () => `/kompetens/bekrafta/${assignmentId}`;
  const value = async (worker: Resident, slug: string) => `${applications.get(worker.id)}:${await skillIdOf(ctx.db, slug)}`;
  const indexJobs = async (userId: number) =>
    Number(
      (
        (await ctx.db.raw(`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'index_person' AND key = ?`, [
          `index_person:${userId}`,
        ])) as { rows: Array<{ n: string }> }
      ).rows[0]!.n,
    );

  before(async () => {
    organisation = await createOrganisationWithMember(ctx.db, { name: 'Byaföreningen i Rusksele' });
    other = await createOrganisationWithMember(ctx.db, { name: 'Annan förening' });
    rated = await createResident(ctx.db, { name: 'Rut Rusk', skills: [{ slug: 'snickeri', level: 'experienced' }] });
    unrated = await createResident(ctx.db, { name: 'Olle Oomdömd', skills: [{ slug: 'snickeri' }] });
    ({ assignmentId, applications } = await createCompletedWork(ctx.db, organisation.id, [rated.id, unrated.id], {
      asked: ['vedhuggning', 'motorsagskorkort'],
      rated: [rated.id],
    }));
    member = await logInAs(ctx.app, organisation.member.email);
  });

  it('when the completing organisation opens the page, then the rated worker has boxes for their own and the asked-for skills, the unrated one a way to feedback', async () => {
    const res = await member.agent.get(path()).expect(200);
    for (const slug of ['vedhuggning', 'motorsagskorkort', 'snickeri'])
      expect(res.text).to.include(`value="${await value(rated, slug)}"`);
    expect(res.text).not.to.include(`value="${await value(unrated, 'snickeri')}"`);
    expect(res.text).to.include(`/ansokningar/${applications.get(unrated.id)}/omdome`);
    expect(res.text).not.to.include(rated.email);
  });

  it('when the member confirms two skills, then they are stored once each, the resident is told and the card reindexed', async () => {
    await ctx.db.raw('SELECT graphile_worker.remove_job(?)', [`index_person:${rated.id}`]);
    const body = `confirm=${encodeURIComponent(await value(rated, 'vedhuggning'))}&confirm=${encodeURIComponent(await value(rated, 'snickeri'))}`;
    const res = await postForm(member, path(), body).expect(303);
    expect(res.headers.location).to.equal(`${path()}?done=confirmed`);
    const rows = await ctx
      .db('skill_confirmations')
      .where({ user_id: rated.id, assignment_id: assignmentId })
      .orderBy('skill_id');
    expect(rows).to.have.length(2);
    expect(
      rows.every((row) => row.organisation_id === organisation.id && row.confirmed_by_user_id === organisation.member.id),
    ).to.equal(true);
    const notices = await ctx.db('notifications').where({ type: 'skill_confirmed' });
    expect(notices.map((notice) => notice.user_id)).to.deep.equal([rated.id]);
    expect(notices[0].params).to.include({ organisation: 'Byaföreningen i Rusksele' });
    expect(await indexJobs(rated.id)).to.equal(1);
    const page = await member.agent.get(`${path()}?done=confirmed`).expect(200);
    expect(page.text).not.to.include(`value="${await value(rated, 'vedhuggning')}"`); // confirmed: no box any more
  });

  it('when the same confirmation is posted again, then nothing changes and the answer says so (not a 500)', async () => {
    const res = await postForm(member, path(), { confirm: await value(rated, 'vedhuggning') }).expect(303);
    expect(res.headers.location).to.equal(`${path()}?done=already`);
    expect(await ctx.db('skill_confirmations').where({ user_id: rated.id }).count('* as n').first()).to.deep.equal({ n: 2 });
    expect(await ctx.db('notifications').where({ type: 'skill_confirmed' }).count('* as n').first()).to.deep.equal({ n: 1 });
  });

  it('when a box names an unrated worker, a skill not offered or garbage, then the form comes back with a message (400)', async () => {
    const bad = [
      await value(unrated, 'snickeri'),
      `${applications.get(rated.id)}:${await skillIdOf(ctx.db, 'b-korkort')}`,
      '<script>alert(1)</script>',
      'a\u0000b',
      '1:1; DROP TABLE skill_confirmations',
      '9'.repeat(40) + ':1',
    ];
    for (const confirm of bad) {
      const res = await postForm(member, path(), { confirm }).expect(400);
      expect(res.text).to.include('Välj bland färdigheterna i listan.');
      expect(res.text).not.to.include('<script>alert(1)');
    }
    await postForm(member, path(), {}).expect(400);
    await postForm(member, path(), 'confirm[a]=1').expect(400);
    const many = await postForm(member, path(), Array.from({ length: 501 }, () => 'confirm=1:1').join('&'));
    expect(many.status).to.be.oneOf([400, 413]);
    expect(await ctx.db('skill_confirmations').count('* as n').first()).to.deep.equal({ n: 2 });
  });

  it('when anyone but the completing organisation asks, then it is refused: another organisation 403, a resident 403, a visitor to the login', async () => {
    const otherMember = await logInAs(ctx.app, other.member.email);
    await otherMember.agent.get(path()).expect(403);
    await postForm(otherMember, path(), { confirm: await value(rated, 'motorsagskorkort') }).expect(403);
    const resident = await logInAs(ctx.app, rated.email);
    await resident.agent.get(path()).expect(403);
    await postForm(resident, path(), { confirm: await value(rated, 'motorsagskorkort') }).expect(403);
    const visitor = await request(ctx.app).get(path()).expect(303);
    expect(visitor.headers.location).to.match(/^\/logga-in/);
    expect(await ctx.db('skill_confirmations').count('* as n').first()).to.deep.equal({ n: 2 });
  });

  it('when the assignment is not completed, then the page says so; an unknown or malformed id is a 404', async () => {
    const running = await createCompletedWork(ctx.db, organisation.id, [rated.id], { status: 'assigned', rated: [] });
    const res = await member.agent.get(`/kompetens/bekrafta/${running.assignmentId}`).expect(409);
    expect(res.text).to.include('Kompetens kan bekräftas först när uppdraget är markerat som utfört.');
    await member.agent.get('/kompetens/bekrafta/999999999').expect(404);
    await member.agent.get('/kompetens/bekrafta/abc').expect(404);
    await member.agent.get('/kompetens/bekrafta/1e3').expect(404);
  });

  it('when the organisation looks at its assignments, then the completed one links to the confirmation page', async () => {
    const slug = ((await ctx.db('organisations').where({ id: organisation.id }).first('slug')) as { slug: string }).slug;
    const res = await member.agent.get(`/organisationer/${slug}/uppdrag`).expect(200);
    expect(res.text).to.include(`href="/kompetens/bekrafta/${assignmentId}"`);
  });

  it("when a member worked on their own organisation's assignment, then no one else is told", async () => {
    const worker = await createUser(ctx.db);
    await ctx.db('resident_profiles').insert({ user_id: worker.id });
    const work = await createCompletedWork(ctx.db, other.id, [worker.id], { asked: ['snickeri'], rated: [worker.id] });
    const otherMember = await logInAs(ctx.app, other.member.email);
    await postForm(otherMember, `/kompetens/bekrafta/${work.assignmentId}`, {
      confirm: `${work.applications.get(worker.id)}:${await skillIdOf(ctx.db, 'snickeri')}`,
    }).expect(303);
    expect(
      await ctx.db('notifications').where({ type: 'skill_confirmed', user_id: worker.id }).count('* as n').first(),
    ).to.deep.equal({
      n: 1,
    });
  });
});
