import { expect } from 'chai';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { useTestApp } from '../support/test-app.js';
import { createUser, csrfFrom, TEST_PASSWORD } from '../support/users.js';

// What the logs say about logins and refusals, and what they never contain.

describe('Logs', () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const ctx = useTestApp(() => ({ log: pino({ level: 'info' }, sink) }));

  it('when people log in, fail to, and open pages they may not, then each is logged with a request id and without secrets', async () => {
    const user = await createUser(ctx.db, { email: 'loggad.person@example.se' });
    const agent = request.agent(ctx.app);
    const form = await agent.get('/logga-in').expect(200);
    await agent
      .post('/logga-in?q=hemligt')
      .type('form')
      .send({ email: user.email, password: 'fel lösenord 123', _csrf: csrfFrom(form.text) })
      .expect(401);
    await agent
      .post('/logga-in')
      .type('form')
      .send({ email: user.email, password: TEST_PASSWORD, _csrf: csrfFrom(form.text) })
      .expect(303);
    await agent.get('/admin').expect(404);

    const events = lines.map((line) => line.event).filter(Boolean);
    expect(events).to.include.members(['login_failed', 'login', 'authorisation_failed']);
    const refused = lines.find((line) => line.event === 'authorisation_failed')!;
    expect(refused).to.include({ action: 'admin.view', userId: user.id, status: 404 });
    for (const line of lines.filter((l) => l.req)) expect((line.req as { id?: string }).id).to.be.a('string');

    const everything = JSON.stringify(lines);
    for (const secret of [TEST_PASSWORD, 'fel lösenord 123', user.email, 'hemligt', 'ub.sid='])
      expect(everything).to.not.contain(secret);
  });
});
