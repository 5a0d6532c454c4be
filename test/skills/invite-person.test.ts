import { expect } from 'chai';
import request from 'supertest';
import { createApplication, createTestAssignment } from '../support/factories.js';
import { createOrganisationWithMember, createResident, type Resident } from '../support/skills-h3-factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, postForm, type LoggedIn } from '../support/users.js';

// Inviting a person to apply (issue 15, item 5): from a person's card to one of the member's organisations' open
// assignments; refused for hidden or not-shown profiles, opted-out persons, a second invitation, a person who applied,
// and beyond the limits (429). Only the person is told; nothing about them reaches anyone else.

describe('Skills: inviting a person to apply', function () {
  this.timeout(90_000);
  const ctx = useTestApp();
  let organisation: Awaited<ReturnType<typeof createOrganisationWithMember>>;
  let second: Awaited<ReturnType<typeof createOrganisationWithMember>>;
  let open: number;
  let secondOpen: number;
  let draft: number;
  let foreign: number;
  let person: Resident;
  let member: LoggedIn;
  const path = (resident: Resident) => `/kompetens/person/${resident.publicId}/bjud-in`;

  before(async () => {
    organisation = await createOrganisationWithMember(ctx.db, { name: 'Byaföreningen i Rusksele' });
    second = await createOrganisationWithMember(ctx.db, { name: 'Skoterklubben' });
    // The member belongs to both organisations: both's open assignments are offered.
    await ctx.db('organisation_members').insert({ organisation_id: second.id, user_id: organisation.member.id, role: 'member' });
    open = await createTestAssignment(ctx.db, { organisationId: organisation.id, title: 'Vedhuggning vid bygdegården' });
    secondOpen = await createTestAssignment(ctx.db, { organisationId: second.id, title: 'Röja skoterleden' });
    draft = await createTestAssignment(ctx.db, { organisationId: organisation.id, status: 'draft', title: 'Ett utkast' });
    const stranger = await createOrganisationWithMember(ctx.db, { name: 'Främmande förening' });
    foreign = await createTestAssignment(ctx.db, { organisationId: stranger.id, title: 'Någon annans uppdrag' });
    person = await createResident(ctx.db, { name: 'Petra Personsson', visibility: 'organisations' });
    member = await logInAs(ctx.app, organisation.member.email);
  });

  it("when a member of two organisations opens the form, then both organisations' open assignments are offered and nothing else", async () => {
    const res = await member.agent.get(path(person)).expect(200);
    expect(res.text).to.include(`value="${open}"`).and.include(`value="${secondOpen}"`);
    expect(res.text).to.include('Skoterklubben');
    expect(res.text).not.to.include(`value="${draft}"`);
    expect(res.text).not.to.include(`value="${foreign}"`);
    expect(res.text).not.to.include(person.email);
  });

  it('when the member invites the person, then the invitation is stored, only the person is told, and their list shows it', async () => {
    const before = Number((await ctx.db('notifications').count('* as n').first())!.n);
    const res = await postForm(member, path(person), { assignment: String(open) }).expect(303);
    expect(res.headers.location).to.equal(`${path(person)}?done=sent`);
    const invites = await ctx.db('skill_invites').where({ user_id: person.id });
    expect(invites).to.have.length(1);
    expect(invites[0]).to.include({
      assignment_id: open,
      organisation_id: organisation.id,
      invited_by_user_id: organisation.member.id,
    });
    const notices = await ctx.db('notifications').orderBy('id');
    expect(notices.length - before).to.equal(1);
    const notice = notices.at(-1)!;
    expect(notice).to.include({ user_id: person.id, type: 'skill_invite' });
    expect(notice.link).to.match(new RegExp(`^/uppdrag/${open}(-|$)`));
    expect(notice.params).to.deep.equal({ organisation: 'Byaföreningen i Rusksele', assignment: 'Vedhuggning vid bygdegården' });
    // The member's page after sending tells nothing new about the person.
    const page = await member.agent.get(`${path(person)}?done=sent`).expect(200);
    expect(page.text).to.include('Inbjudan är skickad').and.not.include(person.email);

    const resident = await logInAs(ctx.app, person.email);
    const list = await resident.agent.get('/konto/kompetens/inbjudningar').expect(200);
    expect(list.text).to.include('Vedhuggning vid bygdegården').and.include('Byaföreningen i Rusksele');
    expect(list.text).to.include('Sök uppdraget').and.include('href="/konto/kompetens"');
    const notifications = await resident.agent.get('/konto/notiser').expect(200);
    expect(notifications.text).to.include(
      'Byaföreningen i Rusksele bjuder in dig att anmäla intresse för Vedhuggning vid bygdegården',
    );
  });

  it('when the same person is invited to the same assignment again, then it is refused with a message', async () => {
    const res = await postForm(member, path(person), { assignment: String(open) }).expect(409);
    expect(res.text).to.include('redan inbjuden');
    expect(await ctx.db('skill_invites').where({ user_id: person.id }).count('* as n').first()).to.deep.equal({ n: 1 });
  });

  it('when the person has applied already, then the invitation is refused', async () => {
    const applicant = await createResident(ctx.db);
    await createApplication(ctx.db, { assignmentId: secondOpen, applicantId: applicant.id });
    const res = await postForm(member, path(applicant), { assignment: String(secondOpen) }).expect(409);
    expect(res.text).to.include('har redan anmält intresse');
  });

  it('when the person does not take invites, then the page says so and a post is refused', async () => {
    const optedOut = await createResident(ctx.db, { invitesAllowed: false });
    const page = await member.agent.get(path(optedOut)).expect(200);
    expect(page.text).to.include('Personen tar inte emot inbjudningar');
    expect(page.text).not.to.include('name="assignment"');
    await postForm(member, path(optedOut), { assignment: String(open) }).expect(409);
    expect(await ctx.db('skill_invites').where({ user_id: optedOut.id }).count('* as n').first()).to.deep.equal({ n: 0 });
  });

  it('when the profile is hidden, or shown to no one but the public and asked by a non-member, then there is no such card', async () => {
    const hidden = await createResident(ctx.db, { visibility: 'hidden' });
    await member.agent.get(path(hidden)).expect(404);
    await postForm(member, path(hidden), { assignment: String(open) }).expect(404);
    const resident = await logInAs(ctx.app, (await createResident(ctx.db)).email);
    await resident.agent.get(path(person)).expect(403);
    await postForm(resident, path(person), { assignment: String(open) }).expect(403);
    const visitor = await request(ctx.app).get(path(person)).expect(303);
    expect(visitor.headers.location).to.match(/^\/logga-in/);
    await member.agent.get('/kompetens/person/not-a-uuid/bjud-in').expect(404);
    await member.agent.get('/kompetens/person/00000000-0000-0000-0000-000000000000/bjud-in').expect(404);
    expect(await ctx.db('skill_invites').where({ user_id: hidden.id }).count('* as n').first()).to.deep.equal({ n: 0 });
  });

  it("when the assignment field is hostile, missing, another organisation's or a draft, then the form comes back (400) with the field message", async () => {
    const target = await createResident(ctx.db);
    for (const assignment of [
      '',
      '<script>alert(1)</script>',
      'a\u0000b',
      '-1',
      '1e3',
      String(draft),
      String(foreign),
      '9'.repeat(30),
    ]) {
      const res = await postForm(member, path(target), { assignment }).expect(400);
      expect(res.text).to.include('Välj ett av era öppna uppdrag i listan.');
      expect(res.text).not.to.include('<script>alert(1)');
    }
    await postForm(member, path(target), 'assignment[x]=1').expect(400);
    await postForm(member, path(target), `assignment=${open}&assignment=${secondOpen}`).expect(400);
    expect(await ctx.db('skill_invites').where({ user_id: target.id }).count('* as n').first()).to.deep.equal({ n: 0 });
  });

  it('when a member has sent 5 invitations in the hour, then the next is refused with 429', async () => {
    const busy = await createOrganisationWithMember(ctx.db);
    const busyMember = await logInAs(ctx.app, busy.member.email);
    const assignment = await createTestAssignment(ctx.db, { organisationId: busy.id });
    for (let n = 0; n < 5; n++)
      await postForm(busyMember, path(await createResident(ctx.db)), { assignment: String(assignment) }).expect(303);
    const res = await postForm(busyMember, path(await createResident(ctx.db)), { assignment: String(assignment) }).expect(429);
    expect(res.text).to.include('den senaste timmen');
    // An hour later the member may invite again.
    await ctx
      .db('skill_invites')
      .where({ invited_by_user_id: busy.member.id })
      .update({ created_at: ctx.db.raw("now() - interval '61 minutes'") });
    await postForm(busyMember, path(await createResident(ctx.db)), { assignment: String(assignment) }).expect(303);
  });

  it('when an organisation has sent 20 invitations in a day, then the next is refused with 429, whoever sends it', async () => {
    const busy = await createOrganisationWithMember(ctx.db);
    const assignment = await createTestAssignment(ctx.db, { organisationId: busy.id });
    for (let n = 0; n < 20; n++) {
      const someone = await createUser(ctx.db);
      await ctx.db('skill_invites').insert({
        assignment_id: assignment,
        user_id: someone.id,
        organisation_id: busy.id,
        invited_by_user_id: null,
        created_at: ctx.db.raw("now() - interval '20 hours'"),
      });
    }
    const busyMember = await logInAs(ctx.app, busy.member.email);
    const res = await postForm(busyMember, path(await createResident(ctx.db)), { assignment: String(assignment) }).expect(429);
    expect(res.text).to.include('senaste dygnet');
  });

  it('when a resident opens their invitations with none, then the page explains and links to the search', async () => {
    const resident = await logInAs(ctx.app, (await createResident(ctx.db)).email);
    const res = await resident.agent.get('/konto/kompetens/inbjudningar').expect(200);
    expect(res.text).to.include('Du har inga inbjudningar');
    await request(ctx.app).get('/konto/kompetens/inbjudningar').expect(303);
  });
});
