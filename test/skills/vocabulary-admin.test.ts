import { expect } from 'chai';
import request from 'supertest';
import { resolveTypedSkills } from '../../src/modules/skills/index.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, postForm, type LoggedIn } from '../support/users.js';

// The vocabulary for platform admins (issue 15, item 1): free tags and how many use them; merging a tag into a skill
// moves every use of it, keeps one row where both were there (the higher level, the later expiry), and the old word
// finds the target from then on.

describe('Skill vocabulary admin (/admin/kompetens)', function () {
  this.timeout(120_000);
  const ctx = useTestApp();
  let admin: LoggedIn;
  let resident: LoggedIn;

  const idOf = async (slug: string) => ((await ctx.db('skills').where('slug', slug).first('id')) as { id: number }).id;

  before(async () => {
    admin = await logInAs(ctx.app, (await createUser(ctx.db, { isAdmin: true })).email);
    resident = await logInAs(ctx.app, (await createUser(ctx.db)).email);
  });

  it('when a non-admin asks for the pages or merges, then they do not exist for them and nothing changes', async () => {
    const free = (await resolveTypedSkills(ctx.db, ['Björkvedsklyvning'], 'skill')).get('Björkvedsklyvning')!;
    const target = await idOf('vedhuggning');
    await resident.agent.get('/admin/kompetens').expect(404);
    await resident.agent.get(`/admin/kompetens/sammanfoga?from=${free.id}&into=${target}`).expect(404);
    await postForm(resident, '/admin/kompetens/sammanfoga', { from: String(free.id), into: String(target) }).expect(404);
    const visitor = await request(ctx.app).get('/admin/kompetens');
    expect(visitor.status).to.be.oneOf([303, 404]);
    expect(await ctx.db('skills').where('id', free.id).first()).to.include({ merged_into_id: null });
  });

  it('when the admin opens the vocabulary, then free tags show with how many residents use them', async () => {
    const user = await createUser(ctx.db);
    const tag = (await resolveTypedSkills(ctx.db, ['<b>Spånslöjd</b>'], 'skill')).get('<b>Spånslöjd</b>')!;
    await ctx.db('resident_skills').insert({ user_id: user.id, skill_id: tag.id, level: 'beginner' });
    const res = await admin.agent.get('/admin/kompetens').expect(200);
    expect(res.text).to.include('&lt;b&gt;Spånslöjd&lt;/b&gt;');
    expect(res.text).not.to.include('<b>Spånslöjd</b>');
    expect(res.text).to.include(`/admin/kompetens/sammanfoga?from=${tag.id}`);
    expect(res.text).to.include('Motorsågskörkort');
  });

  it('when a free tag is merged into a skill, then every use moves, conflicts keep one row, synonyms grow and the old word finds the target', async () => {
    const org = await createOrganisation(ctx.db);
    const assignment = await createTestAssignment(ctx.db, { organisationId: org.id });
    const [both, onlyFree, wisher] = await Promise.all([createUser(ctx.db), createUser(ctx.db), createUser(ctx.db)]);
    const free = (await resolveTypedSkills(ctx.db, ['Motorsågsförarbevis klass A'], 'certificate')).get(
      'Motorsågsförarbevis klass A',
    )!;
    const target = await idOf('motorsagskorkort');
    await ctx.db('resident_skills').insert([
      // Both held: the higher level and the later expiry win.
      { user_id: both.id, skill_id: free.id, level: 'can_teach', expires_on: '2030-01-01' },
      { user_id: both.id, skill_id: target, level: 'beginner', expires_on: '2028-01-01' },
      { user_id: onlyFree.id, skill_id: free.id, level: null, expires_on: null },
    ]);
    await ctx.db('resident_learning_wishes').insert([
      { user_id: wisher.id, skill_id: free.id },
      { user_id: both.id, skill_id: free.id },
      { user_id: both.id, skill_id: target },
    ]);
    await ctx.db('skill_confirmations').insert([
      { user_id: both.id, skill_id: free.id, assignment_id: assignment, organisation_id: org.id, hidden: true },
      { user_id: both.id, skill_id: target, assignment_id: assignment, organisation_id: org.id },
      { user_id: onlyFree.id, skill_id: free.id, assignment_id: assignment, organisation_id: org.id },
    ]);
    await ctx.db('assignment_skills').insert({ assignment_id: assignment, skill_id: free.id });

    const confirm = await admin.agent.get(`/admin/kompetens/sammanfoga?from=${free.id}&into=${target}`).expect(200);
    expect(confirm.text).to.include('Motorsågsförarbevis klass A');
    expect(confirm.text).to.include('3 invånare');
    expect(await ctx.db('skills').where('id', free.id).first()).to.include({ merged_into_id: null }); // not yet

    await ctx.db.raw('SELECT graphile_worker.remove_job(key) FROM graphile_worker.jobs WHERE task_identifier = ?', [
      'index_person',
    ]);
    const res = await postForm(admin, '/admin/kompetens/sammanfoga', { from: String(free.id), into: String(target) });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/admin/kompetens?done=merged');

    const skillsOf = (userId: number) =>
      ctx.db('resident_skills').where('user_id', userId).orderBy('skill_id').select('skill_id', 'level', 'expires_on');
    expect(await skillsOf(both.id)).to.deep.equal([{ skill_id: target, level: 'can_teach', expires_on: '2030-01-01' }]);
    expect(await skillsOf(onlyFree.id)).to.deep.equal([{ skill_id: target, level: null, expires_on: null }]);
    expect(await ctx.db('resident_learning_wishes').where('skill_id', free.id).first()).to.equal(undefined);
    expect(await ctx.db('resident_learning_wishes').where('skill_id', target).pluck('user_id')).to.have.members([
      wisher.id,
      both.id,
    ]);
    const confirmations = await ctx
      .db('skill_confirmations')
      .where('assignment_id', assignment)
      .orderBy('user_id')
      .select('user_id', 'skill_id', 'hidden');
    expect(confirmations).to.have.deep.members([
      { user_id: both.id, skill_id: target, hidden: false },
      { user_id: onlyFree.id, skill_id: target, hidden: false },
    ]);
    expect(await ctx.db('assignment_skills').where('assignment_id', assignment).pluck('skill_id')).to.deep.equal([target]);

    const merged = await ctx.db('skills').where('id', free.id).first();
    expect(merged.merged_into_id).to.equal(target);
    const targetRow = await ctx.db('skills').where('id', target).first();
    expect(targetRow.synonyms).to.include('Motorsågsförarbevis klass A');
    expect(targetRow.synonyms).to.include('motorsåg'); // its own synonyms kept
    expect(targetRow.match_keys).to.include('motorsagsforarbevisklassa');

    const again = await resolveTypedSkills(ctx.db, ['motorsågsförarbevis klass a'], 'skill');
    expect(again.get('motorsågsförarbevis klass a')?.id).to.equal(target);

    const { rows } = await ctx.db.raw<{ rows: Array<{ key: string }> }>(
      "SELECT key FROM graphile_worker.jobs WHERE task_identifier = 'index_person' ORDER BY key",
    );
    expect(rows.map((row) => row.key)).to.have.members([both.id, onlyFree.id, wisher.id].map((id) => `index_person:${id}`));

    const list = await admin.agent.get('/admin/kompetens?done=merged').expect(200);
    expect(list.text).to.include('Orden är sammanslagna');
    expect(list.text).not.to.include(`sammanfoga?from=${free.id}"`);
  });

  it('when a skill is merged into itself, into a merged skill, or from one already merged, then a clear error says so', async () => {
    const a = (await resolveTypedSkills(ctx.db, ['Pimpelfiske'], 'skill')).get('Pimpelfiske')!;
    const b = (await resolveTypedSkills(ctx.db, ['Isfiske'], 'skill')).get('Isfiske')!;
    const fiske = await idOf('fiske');
    const self = await postForm(admin, '/admin/kompetens/sammanfoga', { from: String(a.id), into: String(a.id) });
    expect(self.status).to.equal(400);
    expect(self.text).to.include('Ett ord kan inte slås ihop med sig självt.');
    await postForm(admin, '/admin/kompetens/sammanfoga', { from: String(b.id), into: String(fiske) }).expect(303);
    const intoMerged = await admin.agent.get(`/admin/kompetens/sammanfoga?from=${a.id}&into=${b.id}`);
    expect(intoMerged.status).to.equal(400);
    expect(intoMerged.text).to.include('Det ordet är självt sammanslaget med ett annat.');
    const fromMerged = await postForm(admin, '/admin/kompetens/sammanfoga', { from: String(b.id), into: String(a.id) });
    expect(fromMerged.status).to.equal(400);
    expect(fromMerged.text).to.include('Det ordet är redan sammanslaget med ett annat.');
    for (const [from, into] of [
      ['', ''],
      ['abc', String(fiske)],
      ['99999999', String(fiske)],
      [String(a.id), '1; DROP TABLE skills'],
    ]) {
      const res = await postForm(admin, '/admin/kompetens/sammanfoga', { from, into });
      expect(res.status, `${from} → ${into}`).to.equal(400);
      expect(res.text).to.match(/id="(from|into)-error"/);
    }
    const arrays = await postForm(admin, '/admin/kompetens/sammanfoga', `from=${a.id}&from=${a.id}&into=${fiske}`);
    expect(arrays.status).to.equal(400);
    expect(await ctx.db('skills').where('id', a.id).first()).to.include({ merged_into_id: null });
    await admin.agent.get('/admin/kompetens/sammanfoga').expect(200);
    await admin.agent.get(`/admin/kompetens/sammanfoga?from=${a.id}`).expect(200);
  });
});
