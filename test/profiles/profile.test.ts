import { expect } from 'chai';
import request from 'supertest';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, type LoggedIn } from '../support/users.js';

describe('Resident profile (/konto/profil)', () => {
  const ctx = useTestApp();
  let me: LoggedIn;
  let userId: number;

  before(async () => {
    const user = await createUser(ctx.db, { name: 'Fia Profil' });
    userId = user.id;
    me = await logInAs(ctx.app, user.email);
  });

  const save = (fields: Record<string, unknown>) =>
    me.agent
      .post('/konto/profil')
      .type('form')
      .send({ _csrf: me.csrf, ...fields });

  it('when a visitor opens the profile, then they are sent to log in', async () => {
    const res = await request(ctx.app).get('/konto/profil').expect(303);
    expect(res.headers.location).to.equal('/logga-in?next=%2Fkonto%2Fprofil');
  });

  it('when the form is opened, then it offers the categories and the villages of the home municipality', async () => {
    const res = await me.agent.get('/konto/profil').expect(200);
    expect(res.text).to.contain('value="snorojning"').and.contain('value="rusksele-lycksele"');
    expect(res.headers['cache-control']).to.equal('no-store');
  });

  it('when a full profile is saved, then it is stored and shown again', async () => {
    const res = await save({
      bio: 'Snickare i pension.\nGillar att hjälpa till.',
      categories: ['snorojning', 'bygg-och-reparation'],
      localities: ['rusksele-lycksele', 'bjorksele-lycksele'],
      availability: 'Vardagar efter 16',
      drivingLicence: 'on',
    }).expect(303);
    expect(res.headers.location).to.equal('/konto/profil?sparad=1');
    const profile = await ctx.db('resident_profiles').where('user_id', userId).first();
    expect(profile).to.include({
      bio: 'Snickare i pension.\nGillar att hjälpa till.',
      availability: 'Vardagar efter 16',
      driving_licence: true,
    });
    expect(await ctx.db('resident_categories').where('user_id', userId).count({ count: '*' })).to.deep.equal([{ count: 2 }]);
    expect(await ctx.db('resident_localities').where('user_id', userId).count({ count: '*' })).to.deep.equal([{ count: 2 }]);
    const page = await me.agent.get('/konto/profil?sparad=1').expect(200);
    expect(page.text).to.contain('Profilen är sparad.');
    expect(page.text).to.match(/value="snorojning" checked/);
    expect(page.text).to.match(/value="rusksele-lycksele" checked/);
  });

  it('when everything is unticked, then the lists are emptied', async () => {
    await save({ bio: '' }).expect(303);
    expect(await ctx.db('resident_categories').where('user_id', userId)).to.deep.equal([]);
    expect(await ctx.db('resident_localities').where('user_id', userId)).to.deep.equal([]);
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['an unknown category', { categories: ['finns-inte'] }, 'categories'],
    ['an unknown village', { localities: ["' OR 1=1 --"] }, 'localities'],
    ['a bio of 2001 characters', { bio: 'x'.repeat(2001) }, 'bio'],
    ['a bio with a NUL character', { bio: 'a\u0000b' }, 'bio'],
    ['a bio given twice', { bio: ['a', 'b'] }, 'bio'],
  ];
  for (const [what, fields, field] of bad) {
    it(`when saved with ${what}, then 400 beside ${field} and the rest kept`, async () => {
      const res = await save({ availability: 'Helger', ...fields }).expect(400);
      expect(res.text).to.contain(`id="${field}-error"`);
      expect(res.text).to.contain('value="Helger"');
    });
  }

  it('when the bio carries markup, then it is shown escaped', async () => {
    await save({ bio: '</textarea><script>alert(1)</script>' }).expect(303);
    const page = await me.agent.get('/konto/profil').expect(200);
    expect(page.text).to.not.contain('<script>alert(1)</script>');
    expect(page.text).to.contain('&lt;/textarea&gt;&lt;script&gt;');
  });

  it('when posted without a CSRF token, then 403 and nothing changes', async () => {
    await me.agent.post('/konto/profil').type('form').send({ bio: 'Hackad' }).expect(403);
    expect((await ctx.db('resident_profiles').where('user_id', userId).first()).bio).to.not.equal('Hackad');
  });
});
