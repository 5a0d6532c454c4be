import { expect } from 'chai';
import request from 'supertest';
import { USER_REFERENCES } from '../../src/modules/my-data/user-data.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, csrfFrom, logInAs, TEST_PASSWORD } from '../support/users.js';

describe('My data: export and account deletion', () => {
  const ctx = useTestApp();

  it('when the database has a column referring to users, then my-data knows what to do with it', async () => {
    const { rows } = await ctx.db.raw(`
      SELECT kcu.table_name AS "table", kcu.column_name AS "column"
      FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
      JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
      WHERE tc.constraint_type = 'FOREIGN KEY' AND ccu.table_name = 'users' AND tc.table_schema = 'public'
      ORDER BY 1, 2`);
    const declared = USER_REFERENCES.map((reference) => ({ table: reference.table, column: reference.column })).sort((a, b) =>
      `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`),
    );
    expect(rows).to.deep.equal(declared);
  });

  it('when a visitor asks, then they are sent to log in', async () => {
    for (const path of ['/konto/mina-uppgifter', '/konto/mina-uppgifter.json']) {
      const res = await request(ctx.app).get(path).expect(303);
      expect(res.headers.location).to.match(/^\/logga-in\?next=/);
    }
  });

  it('when a user downloads their data, then it holds their account and links but no password hash', async () => {
    const user = await createUser(ctx.db, { name: 'Dora Data' });
    const org = await createOrganisation(ctx.db, { name: 'Dataföreningen' });
    await ctx.db('organisation_members').insert({ organisation_id: org.id, user_id: user.id, role: 'member' });
    await ctx.db('resident_profiles').insert({ user_id: user.id, bio: 'Jag kan snickra.' });
    const { agent } = await logInAs(ctx.app, user.email);
    const res = await agent.get('/konto/mina-uppgifter.json').expect(200);
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="?mina-uppgifter\.json"?$/);
    expect(res.headers['cache-control']).to.equal('no-store');
    const data = JSON.parse(res.text);
    expect(data.user).to.include({ name: 'Dora Data', email: user.email });
    expect(res.text).to.not.contain('argon2');
    expect(data['organisation_members.user_id']).to.deep.include({
      organisation: 'Dataföreningen',
      role: 'member',
      since: data['organisation_members.user_id'][0].since,
    });
    expect(data['resident_profiles.user_id'][0].bio).to.equal('Jag kan snickra.');
    expect(data.sessions).to.equal(1);
  });

  it('when deleting with a wrong password or none, then 400 beside the field and nothing is deleted', async () => {
    const user = await createUser(ctx.db);
    const { agent, csrf } = await logInAs(ctx.app, user.email);
    for (const password of ['fel lösenord', '', ['a', 'b']]) {
      const res = await agent.post('/konto/ta-bort').type('form').send({ _csrf: csrf, password }).expect(400);
      expect(res.text).to.contain('id="password-error"');
    }
    expect(await ctx.db('users').where({ id: user.id }).first()).to.not.equal(undefined);
    await request(ctx.app).post('/konto/ta-bort').type('form').send({ password: TEST_PASSWORD }).expect(403);
  });

  it('when the user is the only admin of an organisation, then deletion is refused with a way forward', async () => {
    const user = await createUser(ctx.db);
    const org = await createOrganisation(ctx.db);
    await ctx.db('organisation_members').insert({ organisation_id: org.id, user_id: user.id, role: 'admin' });
    const { agent, csrf } = await logInAs(ctx.app, user.email);
    const res = await agent.post('/konto/ta-bort').type('form').send({ _csrf: csrf, password: TEST_PASSWORD }).expect(409);
    expect(res.text).to.contain('enda administratör');
    expect(await ctx.db('users').where({ id: user.id }).first()).to.not.equal(undefined);
  });

  it('when the account is deleted, then the person is gone everywhere and what belongs to others stays without them', async () => {
    const user = await createUser(ctx.db, { name: 'Erik Borta' });
    const org = await createOrganisation(ctx.db);
    const other = await createUser(ctx.db);
    await ctx.db('organisation_members').insert([
      { organisation_id: org.id, user_id: user.id, role: 'admin' },
      { organisation_id: org.id, user_id: other.id, role: 'admin' },
    ]);
    const assignmentId = await createTestAssignment(ctx.db, { organisationId: org.id, createdBy: user.id });
    await ctx
      .db('mails')
      .insert({ to_address: user.email, subject: 'Hej', text_body: 'x', html_body: 'x', template: 'verify-email' });
    const first = await logInAs(ctx.app, user.email);
    const second = await logInAs(ctx.app, user.email);

    const page = await first.agent.get('/konto/mina-uppgifter').expect(200);
    const res = await first.agent
      .post('/konto/ta-bort')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: TEST_PASSWORD })
      .expect(200);
    expect(res.text).to.contain('Kontot är borttaget');

    expect(await ctx.db('users').where({ id: user.id }).first()).to.equal(undefined);
    expect(await ctx.db('organisation_members').where({ user_id: user.id })).to.deep.equal([]);
    expect(await ctx.db('mails').where({ to_address: user.email })).to.deep.equal([]);
    expect((await ctx.db('assignments').where({ id: assignmentId }).first('created_by')).created_by).to.equal(null);
    expect(await ctx.db('sessions').whereRaw(`sess -> 'passport' ->> 'user' = ?`, [String(user.id)])).to.deep.equal([]);
    await second.agent.get('/konto').expect(303); // the other session ended too
    const login = request.agent(ctx.app);
    const form = await login.get('/logga-in').expect(200);
    await login
      .post('/logga-in')
      .type('form')
      .send({ email: user.email, password: TEST_PASSWORD, _csrf: csrfFrom(form.text) })
      .expect(401);
  });
});
