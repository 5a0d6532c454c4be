import { expect } from 'chai';
import { createOrganisation, createTestAssignment, isoDay } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, postForm, TEST_PASSWORD } from '../support/users.js';

// "My data" and the competence profile: the export holds the person's skills, certificates, languages, wishes,
// offers, the confirmations and invites they received, who sees it and their switches; deleting the account removes
// it all and tells the people index in the same transaction.

describe('My data with the competence profile (export and account deletion)', function () {
  this.timeout(60_000);
  const ctx = useTestApp();

  const skillId = async (slug: string) => (await ctx.db('skills').where('slug', slug).first('id')).id as number;

  async function residentWithCompetence() {
    const org = await createOrganisation(ctx.db, { name: 'Bekräftarföreningen' });
    const member = await createUser(ctx.db);
    await ctx.db('organisation_members').insert({ organisation_id: org.id, user_id: member.id, role: 'admin' });
    const user = await createUser(ctx.db, { name: 'Kompetenta Karin' });
    await ctx
      .db('resident_profiles')
      .insert({ user_id: user.id, visibility: 'public', invites_allowed: false, learning_matches: true });
    await ctx.db('resident_skills').insert([
      { user_id: user.id, skill_id: await skillId('tradfallning'), level: 'can_teach' },
      { user_id: user.id, skill_id: await skillId('motorsagskorkort'), expires_on: isoDay(30) },
      { user_id: user.id, skill_id: await skillId('meankieli'), level: 'experienced' },
    ]);
    await ctx.db('resident_learning_wishes').insert({ user_id: user.id, skill_id: await skillId('bokforing') });
    await ctx.db('resident_offers').insert([
      { user_id: user.id, title: 'Vedhuggning', description: 'Med egen klyv.', price_ore: 25_000 },
      { user_id: user.id, title: 'Läxhjälp på meänkieli', volunteer: true },
    ]);
    const done = await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Fälla björkar vid kyrkan' });
    await ctx.db('assignments').where('id', done).update({ status: 'completed', completed_at: new Date() });
    await ctx.db('skill_confirmations').insert({
      user_id: user.id,
      skill_id: await skillId('tradfallning'),
      assignment_id: done,
      organisation_id: org.id,
      confirmed_by_user_id: member.id,
    });
    const open = await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Röja sly längs leden' });
    await ctx
      .db('skill_invites')
      .insert({ assignment_id: open, user_id: user.id, organisation_id: org.id, invited_by_user_id: member.id });
    return { user, member, org };
  }

  it('when the resident downloads their data, then it holds their competence profile, confirmations, invites and switches', async () => {
    const { user } = await residentWithCompetence();
    const { agent } = await logInAs(ctx.app, user.email);
    const data = (await agent.get('/konto/mina-uppgifter.json').expect(200)).body as Record<string, unknown[]>;

    expect(data['resident_profiles.user_id']).to.have.length(1);
    expect(data['resident_profiles.user_id']![0]).to.include({
      visibility: 'public',
      invites_allowed: false,
      learning_matches: true,
    });
    expect(data['resident_profiles.user_id']![0]).to.not.have.any.keys('skill_tags', 'visible_to_organisations', 'public_id');

    const skills = data['resident_skills.user_id'] as Array<Record<string, unknown>>;
    expect(skills.map((row) => [row.kind, row.skill, row.level])).to.deep.equal([
      ['certificate', 'Motorsågskörkort', null],
      ['language', 'Meänkieli', 'experienced'],
      ['skill', 'Trädfällning', 'can_teach'],
    ]);
    expect(skills[0]!.expiresOn).to.be.a('string');
    expect((data['resident_learning_wishes.user_id'] as Array<Record<string, unknown>>).map((row) => row.skill)).to.deep.equal([
      'Bokföring',
    ]);
    expect(
      (data['resident_offers.user_id'] as Array<Record<string, unknown>>).map((row) => [row.title, row.priceOre, row.volunteer]),
    ).to.have.deep.members([
      ['Vedhuggning', 25000, false],
      ['Läxhjälp på meänkieli', null, true],
    ]);
    expect(data['skill_confirmations.user_id']).to.have.length(1);
    expect(data['skill_confirmations.user_id']![0]).to.include({
      skill: 'Trädfällning',
      assignment: 'Fälla björkar vid kyrkan',
      organisation: 'Bekräftarföreningen',
      hidden: false,
    });
    expect(data['skill_invites.user_id']).to.have.length(1);
    expect(data['skill_invites.user_id']![0]).to.include({
      assignment: 'Röja sly längs leden',
      organisation: 'Bekräftarföreningen',
    });
  });

  it('when the member who confirmed downloads their data, then it lists the confirmations they gave', async () => {
    const { member } = await residentWithCompetence();
    const { agent } = await logInAs(ctx.app, member.email);
    const data = (await agent.get('/konto/mina-uppgifter.json').expect(200)).body as Record<string, unknown[]>;
    expect(data['skill_confirmations.confirmed_by_user_id']).to.have.length(1);
    expect(data['skill_confirmations.confirmed_by_user_id']![0]).to.include({ skill: 'Trädfällning' });
  });

  it('when the resident deletes the account, then the competence rows are gone and the people index is told in the same transaction', async () => {
    const { user, member } = await residentWithCompetence();
    const login = await logInAs(ctx.app, user.email);
    expect((await postForm(login, '/konto/ta-bort', { password: TEST_PASSWORD }).expect(200)).text).to.include(
      'Kontot är borttaget',
    );
    for (const table of [
      'resident_skills',
      'resident_learning_wishes',
      'resident_offers',
      'skill_confirmations',
      'skill_invites',
    ])
      expect(await ctx.db(table).where('user_id', user.id), table).to.deep.equal([]);
    const jobs = await ctx.db.raw(`SELECT key FROM graphile_worker.jobs WHERE key = ?`, [`index_person:${user.id}`]);
    expect(jobs.rows).to.have.length(1);

    // The member who confirmed deletes theirs: the organisation's confirmations stay, without the person.
    const other = await residentWithCompetence();
    const memberLogin = await logInAs(ctx.app, other.member.email);
    // The member is the organisation's only admin: hand it over first.
    await ctx.db('organisation_members').insert({ organisation_id: other.org.id, user_id: member.id, role: 'admin' });
    await postForm(memberLogin, '/konto/ta-bort', { password: TEST_PASSWORD }).expect(200);
    const kept = await ctx.db('skill_confirmations').where('user_id', other.user.id).first('confirmed_by_user_id');
    expect(kept).to.deep.equal({ confirmed_by_user_id: null });
    expect(await ctx.db('skill_invites').where('user_id', other.user.id).first('invited_by_user_id')).to.deep.equal({
      invited_by_user_id: null,
    });
  });
});
