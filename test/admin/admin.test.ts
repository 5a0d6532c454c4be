import { expect } from 'chai';
import request from 'supertest';
import { createOrganisation } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, logInAs, type LoggedIn } from '../support/users.js';

describe('Admin pages', () => {
  const ctx = useTestApp();
  let admin: LoggedIn;
  let resident: LoggedIn;
  let residentId: number;

  before(async () => {
    const adminUser = await createUser(ctx.db, { isAdmin: true, name: 'Adam Admin' });
    const residentUser = await createUser(ctx.db, { name: 'Rut Resident', email: 'rut@example.se' });
    residentId = residentUser.id;
    admin = await logInAs(ctx.app, adminUser.email);
    resident = await logInAs(ctx.app, residentUser.email);
    await createOrganisation(ctx.db, { name: 'Overifierade byalaget', verified_at: null });
  });

  it('when a platform admin opens /admin, then the overview shows numbers and unverified organisations', async () => {
    const res = await admin.agent.get('/admin').expect(200);
    expect(res.text).to.contain('Administration');
    expect(res.text).to.contain('Overifierade byalaget');
    expect(res.headers['cache-control']).to.equal('no-store');
  });

  it('when anyone else opens the admin pages, then they do not exist', async () => {
    for (const path of ['/admin', '/admin/handlaggare']) {
      await request(ctx.app).get(path).expect(404);
      await resident.agent.get(path).expect(404);
    }
    await resident.agent
      .post('/admin/handlaggare')
      .type('form')
      .send({ _csrf: resident.csrf, email: 'rut@example.se', municipality: '2481' })
      .expect(404);
    expect(await ctx.db('officer_municipalities').count({ count: '*' })).to.deep.equal([{ count: 0 }]);
  });

  it('when an admin appoints an officer, then the officer is listed and holds the municipality', async () => {
    await admin.agent
      .post('/admin/handlaggare')
      .type('form')
      .send({ _csrf: admin.csrf, email: 'RUT@example.se', municipality: '2481' })
      .expect(303);
    await admin.agent
      .post('/admin/handlaggare')
      .type('form')
      .send({ _csrf: admin.csrf, email: 'rut@example.se', municipality: '2481' })
      .expect(303); // twice: no duplicate
    const rows = await ctx.db('officer_municipalities').select('user_id', 'municipality_code');
    expect(rows).to.deep.equal([{ user_id: residentId, municipality_code: '2481' }]);
    const page = await admin.agent.get('/admin/handlaggare').expect(200);
    expect(page.text).to.contain('Rut Resident').and.contain('Lycksele');
  });

  for (const [what, body, field] of [
    ['no e-mail', { email: '', municipality: '2481' }, 'email'],
    ['an unknown user', { email: 'nobody@example.se', municipality: '2481' }, 'email'],
    ['no municipality', { email: 'rut@example.se', municipality: '' }, 'municipality'],
    ['an unknown municipality', { email: 'rut@example.se', municipality: '9999' }, 'municipality'],
    ['an injection attempt', { email: "' OR 1=1 --", municipality: "2481' OR '1'='1" }, 'municipality'],
  ] as const) {
    it(`when appointing with ${what}, then 400 with the message beside ${field} and the input kept`, async () => {
      const res = await admin.agent
        .post('/admin/handlaggare')
        .type('form')
        .send({ _csrf: admin.csrf, ...body })
        .expect(400);
      expect(res.text).to.contain(`id="${field}-error"`);
      expect(res.text).to.contain(`value="${body.email.replace(/'/g, '&#39;')}"`);
    });
  }

  it('when the e-mail carries markup, then it is echoed escaped', async () => {
    const res = await admin.agent
      .post('/admin/handlaggare')
      .type('form')
      .send({ _csrf: admin.csrf, email: '<script>alert(1)</script>', municipality: '2481' })
      .expect(400);
    expect(res.text).to.not.contain('<script>alert(1)</script>');
  });

  it('when an admin removes an appointment, then it is gone; without CSRF nothing happens', async () => {
    await request(ctx.app)
      .post('/admin/handlaggare/ta-bort')
      .type('form')
      .send({ userId: residentId, municipality: '2481' })
      .expect(403);
    await admin.agent
      .post('/admin/handlaggare/ta-bort')
      .type('form')
      .send({ _csrf: admin.csrf, userId: 'abc', municipality: '2481' })
      .expect(400);
    await admin.agent
      .post('/admin/handlaggare/ta-bort')
      .type('form')
      .send({ _csrf: admin.csrf, userId: residentId, municipality: '2481' })
      .expect(303);
    expect(await ctx.db('officer_municipalities').count({ count: '*' })).to.deep.equal([{ count: 0 }]);
  });
});
