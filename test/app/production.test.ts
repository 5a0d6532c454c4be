import { expect } from 'chai';
import request from 'supertest';
import { useTestApp } from '../support/test-app.js';

describe('In production (NODE_ENV=production)', () => {
  const ctx = useTestApp((deps) => ({ config: { ...deps.config, isProduction: true } }));

  it('when /dev/mail is asked for, then it does not exist', async () => {
    await request(ctx.app).get('/dev/mail').expect(404);
    await request(ctx.app).get('/dev/mail/1').expect(404);
  });

  it('when a page is served, then HSTS is on', async () => {
    const res = await request(ctx.app).get('/').expect(200);
    expect(res.headers['strict-transport-security']).to.match(/max-age=31536000/);
  });

  it('when a form starts a session over HTTPS, then the cookie is __Host-, Secure, HttpOnly and SameSite=Lax', async () => {
    // Behind TLS termination the proxy says the request was HTTPS.
    const res = await request(ctx.app).get('/logga-in').set('X-Forwarded-Proto', 'https').expect(200);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-ub.sid='));
    expect(cookie).to.be.a('string');
    expect(cookie)
      .to.match(/; Secure/i)
      .and.match(/; HttpOnly/i)
      .and.match(/SameSite=Lax/i)
      .and.match(/; Path=\//);
    expect(cookie).to.not.match(/Domain=/i);
  });
});
