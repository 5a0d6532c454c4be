import { expect } from 'chai';
import request from 'supertest';
import type { Db } from '../../src/platform/db.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { createUser as createTestUser, csrfFrom, TEST_PASSWORD } from '../support/users.js';

// Password reset, password change and e-mail change through HTTP against the
// real database: the happy paths, bad input, and the attacks that matter here
// (account discovery, replayed and expired links, sessions that outlive a
// password, CSRF, XSS, brute force and mail flooding).

type Agent = ReturnType<typeof request.agent>;

const sessionCookie = (res: request.Response) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((cookie) => cookie.startsWith('ub.sid='))
    ?.split(';')[0];

const TOKEN_INVALID = 'Länken är redan använd eller har gått ut';
const NEUTRAL_RESET = 'Om adressen finns registrerad hos oss är ett mejl med en länk på väg';
const XSS = '"><script>alert(1)</script>';
const XSS_ESCAPED = '&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';

/** A verified user with a known password (shared factory), the password kept for logging in. */
async function createUser(
  db: Db,
  overrides: Partial<{ email: string; password: string; name: string; verified: boolean }> = {},
): Promise<{ id: number; email: string; password: string; name: string }> {
  const password = overrides.password ?? TEST_PASSWORD;
  return { ...(await createTestUser(db, { ...overrides, password })), password };
}

function helpers(ctx: TestApp) {
  const formToken = async (agent: Agent, path: string) => csrfFrom((await agent.get(path).expect(200)).text);

  return {
    formToken,

    async logIn(email: string, password: string): Promise<{ agent: Agent; res: request.Response }> {
      const agent = request.agent(ctx.app);
      const token = await formToken(agent, '/logga-in');
      const res = await agent.post('/logga-in').type('form').send({ email, password, _csrf: token });
      return { agent, res };
    },

    async canLogIn(email: string, password: string): Promise<boolean> {
      const agent = request.agent(ctx.app);
      const token = await formToken(agent, '/logga-in');
      const res = await agent.post('/logga-in').type('form').send({ email, password, _csrf: token });
      return res.status === 303;
    },

    async requestReset(email: string, agent: Agent = request.agent(ctx.app)): Promise<request.Response> {
      const token = await formToken(agent, '/glomt-losenord');
      return agent.post('/glomt-losenord').type('form').send({ email, _csrf: token });
    },

    async mailsTo(address: string, template?: string) {
      const query = ctx.db('mails').where('to_address', address).orderBy('id');
      if (template) query.where({ template });
      return query.select('to_address', 'template', 'subject', 'text_body', 'html_body');
    },

    async latestToken(address: string, template: string): Promise<string> {
      const mail = await ctx.db('mails').where({ to_address: address, template }).orderBy('id', 'desc').first();
      expect(mail, `a ${template} mail to ${address}`).to.not.equal(undefined);
      return /token=([A-Za-z0-9_-]{43})/.exec(mail.text_body)![1]!;
    },

    /** Opens the link from the mail, then sends the form on that page. */
    async resetWith(token: string, password: string, agent: Agent = request.agent(ctx.app)): Promise<request.Response> {
      const page = await agent.get('/aterstall-losenord').query({ token }).expect(200);
      expect(page.text).to.contain(`name="token" value="${token}"`);
      return agent
        .post('/aterstall-losenord')
        .type('form')
        .send({ token, password, _csrf: csrfFrom(page.text) });
    },

    async sessionsOf(userId: number): Promise<number> {
      const [row] = await ctx
        .db('sessions')
        .whereRaw(`(sess -> 'passport' ->> 'user') = ?`, [String(userId)])
        .count<{ count: string }[]>({ count: '*' });
      return Number(row!.count);
    },

    async user(id: number) {
      return ctx.db('users').where({ id }).first();
    },
  };
}

// Reset requests are limited to 20 per client address and 15 minutes, and every
// request here comes from the same address: the reset suite stays below that
// (17 now), and the throttling suite has an app (and limiters) of its own.
describe('Account security: password reset', () => {
  const ctx = useTestApp();
  const h = helpers(ctx);

  it('when the login page is opened, then it links to the forgotten-password form, which carries a CSRF token', async () => {
    const login = await request(ctx.app).get('/logga-in').expect(200);
    expect(login.text).to.contain('href="/glomt-losenord"');
    expect(login.text).to.contain('Glömt lösenordet?');
    const form = await request(ctx.app).get('/glomt-losenord').expect(200);
    expect(form.headers['cache-control']).to.equal('no-store');
    expect(csrfFrom(form.text)).to.have.length.greaterThan(20);
  });

  it('when a known and an unknown address ask for a reset, then the answer is the same, and only the known one gets a mail', async () => {
    const user = await createUser(ctx.db);
    const unknown = 'finns.inte.alls@example.se';
    const known = await h.requestReset(user.email);
    const other = await h.requestReset(unknown);
    expect(known.status).to.equal(200);
    expect(other.status).to.equal(200);
    expect(known.text).to.contain(NEUTRAL_RESET);
    expect(known.text).to.equal(other.text);

    expect(await h.mailsTo(unknown)).to.have.length(0);
    const [mail, ...more] = await h.mailsTo(user.email);
    expect(more).to.have.length(0);
    expect(mail.template).to.equal('reset-password');
    expect(mail.subject).to.equal('Återställ ditt lösenord');
    expect(mail.text_body).to.match(/http:\/\/uppdragsbanken\.test\/aterstall-losenord\?token=[A-Za-z0-9_-]{43}/);
    expect(mail.text_body).to.contain('gäller i en timme');
    expect(mail.text_body).to.contain(`Hej ${user.name}!`);

    const token = await h.latestToken(user.email, 'reset-password');
    const rows = await ctx.db('user_tokens').where({ user_id: user.id, purpose: 'reset_password' });
    expect(rows).to.have.length(1);
    expect(rows[0].token_hash).to.not.equal(token); // only the hash is stored
    expect(rows[0].token_hash).to.match(/^[0-9a-f]{64}$/);
    const validFor = rows[0].expires_at.getTime() - Date.now();
    expect(validFor).to.be.within(58 * 60_000, 60 * 60_000 + 5_000);
  });

  it('when the address is typed in other letter case, then the mail goes to the address on the account', async () => {
    const user = await createUser(ctx.db, { email: 'Cecilia.Berg@example.se' });
    expect((await h.requestReset('  cecilia.berg@EXAMPLE.se ')).status).to.equal(200);
    expect(await h.mailsTo('Cecilia.Berg@example.se', 'reset-password')).to.have.length(1);
    expect((await h.user(user.id)).email).to.equal('Cecilia.Berg@example.se');
  });

  it('when the link is opened, then a form shows and the GET changes nothing', async () => {
    const user = await createUser(ctx.db);
    expect((await h.requestReset(user.email)).status).to.equal(200);
    const token = await h.latestToken(user.email, 'reset-password');
    const page = await request(ctx.app).get('/aterstall-losenord').query({ token }).expect(200);
    expect(page.headers['cache-control']).to.equal('no-store');
    expect(page.text).to.contain('Välj nytt lösenord');
    expect(page.text).to.contain('autocomplete="new-password"');
    expect(await ctx.db('user_tokens').where({ user_id: user.id }).whereNotNull('used_at').first()).to.equal(undefined);
  });

  it('when a new password is chosen, then it works, the old one does not, the address counts as verified and the link is spent', async () => {
    const user = await createUser(ctx.db, { verified: false });
    expect((await h.requestReset(user.email)).status).to.equal(200);
    const token = await h.latestToken(user.email, 'reset-password');
    const newPassword = 'ny morgon över Vindelälven';

    const done = await h.resetWith(token, newPassword);
    expect(done.status).to.equal(200);
    expect(done.text).to.contain('Ditt lösenord är bytt');
    expect(done.text).to.contain('href="/logga-in"');
    const row = await h.user(user.id);
    expect(row.password_hash).to.match(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_changed_at).to.be.instanceOf(Date);
    expect(row.email_verified_at).to.be.instanceOf(Date);

    expect(await h.canLogIn(user.email, newPassword)).to.equal(true);
    expect(await h.canLogIn(user.email, user.password)).to.equal(false);

    // Single use: neither the page nor the form accept the link again.
    const again = await request(ctx.app).get('/aterstall-losenord').query({ token }).expect(400);
    expect(again.text).to.contain(TOKEN_INVALID);
    const agent = request.agent(ctx.app);
    const csrf = await h.formToken(agent, '/glomt-losenord');
    const replay = await agent
      .post('/aterstall-losenord')
      .type('form')
      .send({ token, password: 'ett tredje lösenord här', _csrf: csrf })
      .expect(400);
    expect(replay.text).to.contain(TOKEN_INVALID);
    expect(await h.canLogIn(user.email, newPassword)).to.equal(true);
  });

  it('when the password is reset, then every session of the user ends, the resetting browser’s own included', async () => {
    const user = await createUser(ctx.db);
    const phone = await h.logIn(user.email, user.password);
    const laptop = await h.logIn(user.email, user.password);
    expect(phone.res.status).to.equal(303);
    await phone.agent.get('/konto').expect(200);
    await laptop.agent.get('/konto').expect(200);
    expect(await h.sessionsOf(user.id)).to.equal(2);

    expect((await h.requestReset(user.email, laptop.agent)).status).to.equal(200);
    const token = await h.latestToken(user.email, 'reset-password');
    const done = await h.resetWith(token, 'tjärdal och myrmark', laptop.agent);
    expect(done.status).to.equal(200);
    expect(done.text).to.not.contain('action="/logga-ut"'); // the page already shows a visitor

    expect(await h.sessionsOf(user.id)).to.equal(0);
    await phone.agent.get('/konto').expect(303);
    await laptop.agent.get('/konto').expect(303);
    expect(await h.sessionsOf(user.id)).to.equal(0); // and nothing was saved back
  });

  it('when the link has expired, then it is refused and the password stays', async () => {
    const user = await createUser(ctx.db);
    expect((await h.requestReset(user.email)).status).to.equal(200);
    const token = await h.latestToken(user.email, 'reset-password');
    await ctx
      .db('user_tokens')
      .where({ user_id: user.id })
      .update({ expires_at: new Date(Date.now() - 1000) });
    const page = await request(ctx.app).get('/aterstall-losenord').query({ token }).expect(400);
    expect(page.text).to.contain(TOKEN_INVALID);
    expect(page.text).to.contain('href="/glomt-losenord"');
    const agent = request.agent(ctx.app);
    const csrf = await h.formToken(agent, '/glomt-losenord');
    await agent.post('/aterstall-losenord').type('form').send({ token, password: 'för sent för detta', _csrf: csrf }).expect(400);
    expect(await h.canLogIn(user.email, user.password)).to.equal(true);
  });

  it('when a new reset is asked for, then the earlier link stops working and the newest one works', async () => {
    const user = await createUser(ctx.db);
    expect((await h.requestReset(user.email)).status).to.equal(200);
    const first = await h.latestToken(user.email, 'reset-password');
    expect((await h.requestReset(user.email)).status).to.equal(200);
    const second = await h.latestToken(user.email, 'reset-password');
    expect(second).to.not.equal(first);
    await request(ctx.app).get('/aterstall-losenord').query({ token: first }).expect(400);
    const done = await h.resetWith(second, 'den senaste länken gäller');
    expect(done.status).to.equal(200);
  });

  describe('bad input', () => {
    let user: Awaited<ReturnType<typeof createUser>>;
    let token: string;
    before(async () => {
      user = await createUser(ctx.db);
      expect((await h.requestReset(user.email)).status).to.equal(200);
      token = await h.latestToken(user.email, 'reset-password');
    });

    const badPasswords: Array<[string, string | undefined, string]> = [
      ['a 7-character password', 'kort123', 'minst 8 tecken'],
      ['a common password', 'Lösenord123', 'för vanligt'],
      ['a 129-character password', 'x'.repeat(129), 'högst 128 tecken'],
      ['no password', undefined, 'Välj ett lösenord.'],
    ];
    for (const [what, password, message] of badPasswords) {
      it(`when given ${what}, then 400 with the message beside the field, the link kept and not spent`, async () => {
        const agent = request.agent(ctx.app);
        const page = await agent.get('/aterstall-losenord').query({ token }).expect(200);
        const res = await agent
          .post('/aterstall-losenord')
          .type('form')
          .send({ token, _csrf: csrfFrom(page.text), ...(password === undefined ? {} : { password }) })
          .expect(400);
        expect(res.text).to.contain('id="password-error"');
        expect(res.text).to.contain(message);
        expect(res.text).to.match(/id="password"[^>]*aria-invalid="true"/);
        expect(res.text).to.contain(`name="token" value="${token}"`);
        if (password) expect(res.text).to.not.contain(password); // never echoed
        expect(await ctx.db('user_tokens').where({ user_id: user.id }).whereNotNull('used_at').first()).to.equal(undefined);
      });
    }

    it('when the link is used after all that, then it still works', async () => {
      expect((await h.resetWith(token, 'till slut ett bra lösenord')).status).to.equal(200);
    });

    it('when the token is missing or garbage, then 400 with a clear message, on the page and in the form', async () => {
      const agent = request.agent(ctx.app);
      const csrf = await h.formToken(agent, '/glomt-losenord');
      for (const bad of [undefined, '', 'x', 'a'.repeat(43), XSS, 'a'.repeat(5000)]) {
        const page = await request(ctx.app)
          .get('/aterstall-losenord')
          .query(bad === undefined ? {} : { token: bad })
          .expect(400);
        expect(page.text).to.contain(TOKEN_INVALID);
        expect(page.text).to.not.contain('<script>alert(1)</script>');
        const post = await agent
          .post('/aterstall-losenord')
          .type('form')
          .send({ password: 'ett alldeles utmärkt lösenord', _csrf: csrf, ...(bad === undefined ? {} : { token: bad }) })
          .expect(400);
        expect(post.text).to.contain(TOKEN_INVALID);
        expect(post.text).to.not.contain('name="token"');
      }
    });

    it('when fields are arrays, then 400 and never 500', async () => {
      const agent = request.agent(ctx.app);
      const csrf = await h.formToken(agent, '/glomt-losenord');
      const emails = await agent
        .post('/glomt-losenord')
        .type('form')
        .send(`_csrf=${csrf}&email=${encodeURIComponent(user.email)}&email=b%40example.se`);
      expect(emails.status).to.equal(400);
      expect(emails.text).to.contain('id="email-error"');

      expect((await h.requestReset(user.email)).status).to.equal(200);
      const fresh = await h.latestToken(user.email, 'reset-password');
      const tokens = await agent
        .post('/aterstall-losenord')
        .type('form')
        .send(`_csrf=${csrf}&token=${fresh}&token=${fresh}&password=ett+bra+l%C3%B6senord`);
      expect(tokens.status).to.equal(400);
      const passwords = await agent
        .post('/aterstall-losenord')
        .type('form')
        .send(`_csrf=${csrf}&token=${fresh}&password=ett+bra+l%C3%B6senord&password=ett+annat+l%C3%B6senord`);
      expect(passwords.status).to.equal(400);
      expect(passwords.text).to.contain('id="password-error"');
      await request(ctx.app).get(`/aterstall-losenord?token=${fresh}&token=${fresh}`).expect(400);
    });

    it('when the address is malformed or carries an XSS payload, then 400 with the message beside the field, escaped', async () => {
      for (const [email, message] of [
        ['', 'Skriv din e-postadress.'],
        ['anna@', 'Skriv en e-postadress som namn@exempel.se.'],
        [`x${XSS}@example.se`, 'Skriv en e-postadress som namn@exempel.se.'],
      ] as const) {
        const res = await h.requestReset(email);
        expect(res.status).to.equal(400);
        expect(res.text).to.contain(message);
        expect(res.text).to.match(/id="email"[^>]*aria-invalid="true"/);
        expect(res.text).to.not.contain('<script>alert(1)</script>');
        if (email.includes('script')) expect(res.text).to.contain(`value="x${XSS_ESCAPED}@example.se"`);
      }
    });

    it('when the forms are posted without a CSRF token, then 403 and nothing happens', async () => {
      const other = await createUser(ctx.db);
      await request(ctx.app).post('/glomt-losenord').type('form').send({ email: other.email }).expect(403);
      expect(await h.mailsTo(other.email)).to.have.length(0);

      expect((await h.requestReset(other.email)).status).to.equal(200);
      const fresh = await h.latestToken(other.email, 'reset-password');
      const res = await request(ctx.app)
        .post('/aterstall-losenord')
        .type('form')
        .send({ token: fresh, password: 'utan formulärnyckel' })
        .expect(403);
      expect(res.text).to.contain('Formuläret har gått ut');
      expect(await h.canLogIn(other.email, other.password)).to.equal(true);
      await request(ctx.app).get('/aterstall-losenord').query({ token: fresh }).expect(200);
    });
  });
});

describe('Account security: changing password and e-mail', () => {
  const ctx = useTestApp();
  const h = helpers(ctx);

  describe('password', () => {
    it('when a visitor opens the page, then login comes first; a posted form is refused', async () => {
      const res = await request(ctx.app).get('/konto/losenord').expect(303);
      expect(res.headers.location).to.equal('/logga-in?next=%2Fkonto%2Flosenord');
      const agent = request.agent(ctx.app);
      const csrf = await h.formToken(agent, '/logga-in');
      await agent
        .post('/konto/losenord')
        .type('form')
        .send({ currentPassword: 'x', newPassword: 'ett nytt lösenord här', _csrf: csrf })
        .expect(401);
    });

    it('when the account page is opened, then it links to both account changes', async () => {
      const user = await createUser(ctx.db);
      const { agent } = await h.logIn(user.email, user.password);
      const page = await agent.get('/konto').expect(200);
      expect(page.text).to.contain('href="/konto/losenord"');
      expect(page.text).to.contain('href="/konto/epost"');
    });

    it('when the current password is wrong, then 400 with the message beside it, and nothing changes', async () => {
      const user = await createUser(ctx.db);
      const { agent } = await h.logIn(user.email, user.password);
      const other = await h.logIn(user.email, user.password);
      const csrf = await h.formToken(agent, '/konto/losenord');
      for (const currentPassword of ['fel fel fel fel', '']) {
        const res = await agent
          .post('/konto/losenord')
          .type('form')
          .send({ currentPassword, newPassword: 'ett helt nytt lösenord', _csrf: csrf })
          .expect(400);
        expect(res.text).to.contain('id="currentPassword-error"');
        expect(res.text).to.match(/id="currentPassword"[^>]*aria-invalid="true"/);
        expect(res.text).to.not.contain('ett helt nytt lösenord');
      }
      expect(await h.canLogIn(user.email, user.password)).to.equal(true);
      await other.agent.get('/konto').expect(200);
    });

    it('when the new password is not acceptable, then 400 with the message beside it', async () => {
      const user = await createUser(ctx.db);
      const { agent } = await h.logIn(user.email, user.password);
      const csrf = await h.formToken(agent, '/konto/losenord');
      for (const [newPassword, message] of [
        ['kort', 'minst 8 tecken'],
        ['qwerty123', 'för vanligt'],
        ['x'.repeat(129), 'högst 128 tecken'],
      ] as const) {
        const res = await agent
          .post('/konto/losenord')
          .type('form')
          .send({ currentPassword: user.password, newPassword, _csrf: csrf })
          .expect(400);
        expect(res.text).to.contain('id="newPassword-error"');
        expect(res.text).to.contain(message);
        expect(res.text).to.not.contain('id="currentPassword-error"');
      }
      const both = await agent
        .post('/konto/losenord')
        .type('form')
        .send({ currentPassword: 'fel lösenord', newPassword: 'kort', _csrf: csrf })
        .expect(400);
      expect(both.text).to.contain('id="currentPassword-error"').and.contain('id="newPassword-error"');
      const arrays = await agent
        .post('/konto/losenord')
        .type('form')
        .send(`_csrf=${csrf}&currentPassword=a&currentPassword=b&newPassword=c`);
      expect(arrays.status).to.equal(400);
      expect(await h.canLogIn(user.email, user.password)).to.equal(true);
    });

    it('when the password is changed, then other sessions end and this one stays, under a new session id and CSRF token', async () => {
      const user = await createUser(ctx.db);
      const { agent, res: login } = await h.logIn(user.email, user.password);
      const other = await h.logIn(user.email, user.password);
      await other.agent.get('/konto').expect(200);
      const before = sessionCookie(login)!;
      const form = await agent.get('/konto/losenord').expect(200);
      expect(form.headers['cache-control']).to.equal('no-store');
      const csrf = csrfFrom(form.text);
      const newPassword = 'hjortron i augusti';

      const done = await agent
        .post('/konto/losenord')
        .type('form')
        .send({ currentPassword: user.password, newPassword, _csrf: csrf })
        .expect(200);
      expect(done.text).to.contain('Ditt lösenord är bytt');
      const after = sessionCookie(done);
      expect(after).to.be.a('string').and.not.equal(before);

      await agent.get('/konto').expect(200);
      await other.agent.get('/konto').expect(303);
      await request(ctx.app).get('/konto').set('Cookie', before).expect(303); // the old id is gone
      expect(await h.sessionsOf(user.id)).to.equal(1);
      expect((await h.user(user.id)).password_changed_at).to.be.instanceOf(Date);

      // The form token from before the change no longer counts; the new one does.
      await agent.post('/logga-ut').type('form').send({ _csrf: csrf }).expect(403);
      expect(csrfFrom(done.text)).to.not.equal(csrf);
      expect(await h.canLogIn(user.email, user.password)).to.equal(false);
      expect(await h.canLogIn(user.email, newPassword)).to.equal(true);
      await agent
        .post('/logga-ut')
        .type('form')
        .send({ _csrf: csrfFrom(done.text) })
        .expect(303);
    });

    it('when the password is changed, then a reset link sent before stops working', async () => {
      const user = await createUser(ctx.db);
      expect((await h.requestReset(user.email)).status).to.equal(200);
      const token = await h.latestToken(user.email, 'reset-password');
      const { agent } = await h.logIn(user.email, user.password);
      const csrf = await h.formToken(agent, '/konto/losenord');
      await agent
        .post('/konto/losenord')
        .type('form')
        .send({ currentPassword: user.password, newPassword: 'ett nytt och bättre lösenord', _csrf: csrf })
        .expect(200);
      await request(ctx.app).get('/aterstall-losenord').query({ token }).expect(400);
    });

    it('when posted without a CSRF token, then 403 and the password stays', async () => {
      const user = await createUser(ctx.db);
      const { agent } = await h.logIn(user.email, user.password);
      await agent
        .post('/konto/losenord')
        .type('form')
        .send({ currentPassword: user.password, newPassword: 'utan nyckel går det inte' })
        .expect(403);
      expect(await h.canLogIn(user.email, user.password)).to.equal(true);
    });
  });

  describe('e-mail', () => {
    async function changeEmail(agent: Agent, fields: Record<string, string>) {
      const csrf = await h.formToken(agent, '/konto/epost');
      return agent
        .post('/konto/epost')
        .type('form')
        .send({ ...fields, _csrf: csrf });
    }

    it('when a visitor opens the page, then login comes first', async () => {
      const res = await request(ctx.app).get('/konto/epost').expect(303);
      expect(res.headers.location).to.equal('/logga-in?next=%2Fkonto%2Fepost');
    });

    it('when the password is missing or wrong, then 400 beside the password, the address kept, and no mail', async () => {
      const user = await createUser(ctx.db);
      const { agent } = await h.logIn(user.email, user.password);
      const newEmail = 'ny.adress.utan.losen@example.se';
      for (const password of ['', 'inte mitt lösenord']) {
        const res = await changeEmail(agent, { email: newEmail, password });
        expect(res.status).to.equal(400);
        expect(res.text).to.contain('id="password-error"');
        expect(res.text).to.match(/id="password"[^>]*aria-invalid="true"/);
        expect(res.text).to.contain(`value="${newEmail}"`);
        if (password) expect(res.text).to.not.contain(password);
      }
      expect(await h.mailsTo(newEmail)).to.have.length(0);
      expect(await h.mailsTo(user.email)).to.have.length(0);
      expect((await h.user(user.id)).pending_email).to.equal(null);
    });

    it('when the new address is malformed, the same, or an XSS payload, then 400 beside the address, escaped', async () => {
      const user = await createUser(ctx.db);
      const { agent } = await h.logIn(user.email, user.password);
      for (const [email, message] of [
        ['', 'Skriv din e-postadress.'],
        ['anna@', 'Skriv en e-postadress som namn@exempel.se.'],
        [user.email.toUpperCase(), 'Det är redan din e-postadress.'],
        [`x${XSS}@example.se`, 'Skriv en e-postadress som namn@exempel.se.'],
      ] as const) {
        const res = await changeEmail(agent, { email, password: user.password });
        expect(res.status).to.equal(400);
        expect(res.text).to.contain('id="email-error"');
        expect(res.text).to.contain(message);
        expect(res.text).to.not.contain('<script>alert(1)</script>');
        expect(res.text).to.not.contain(user.password);
      }
      const csrf = await h.formToken(agent, '/konto/epost');
      const arrays = await agent
        .post('/konto/epost')
        .type('form')
        .send(`_csrf=${csrf}&email=a%40example.se&email=b%40example.se&password=${encodeURIComponent(user.password)}`);
      expect(arrays.status).to.equal(400);
      expect(arrays.text).to.contain('id="email-error"');
      expect((await h.user(user.id)).pending_email).to.equal(null);
      expect((await h.user(user.id)).email).to.equal(user.email);
    });

    it('when the change is asked for, then the new address gets a link, the old one a notice, and the address changes only once the link is used', async () => {
      const user = await createUser(ctx.db);
      const { agent } = await h.logIn(user.email, user.password);
      const newEmail = 'Dagny.Nyadress@example.se';
      const res = await changeEmail(agent, { email: newEmail, password: user.password });
      expect(res.status).to.equal(200);
      expect(res.text).to.contain(`Vi har skickat en länk till ${newEmail}`);
      let row = await h.user(user.id);
      expect(row.email).to.equal(user.email);
      expect(row.pending_email).to.equal(newEmail);

      const [verify, ...moreNew] = await h.mailsTo(newEmail);
      expect(moreNew).to.have.length(0);
      expect(verify.template).to.equal('verify-email');
      expect(verify.text_body).to.match(/http:\/\/uppdragsbanken\.test\/bekrafta-ny-epost\?token=[A-Za-z0-9_-]{43}/);
      const [notice, ...moreOld] = await h.mailsTo(user.email);
      expect(moreOld).to.have.length(0);
      expect(notice.template).to.equal('email-changed');
      expect(notice.text_body).to.contain(newEmail);
      expect(notice.text_body).to.contain('http://uppdragsbanken.test/glomt-losenord');

      const page = await agent.get('/konto/epost').expect(200);
      expect(page.text).to.contain('Väntar på bekräftelse').and.contain(newEmail);
      // Until then the old address is the login.
      expect(await h.canLogIn(user.email, user.password)).to.equal(true);
      expect(await h.canLogIn(newEmail, user.password)).to.equal(false);

      const token = await h.latestToken(newEmail, 'verify-email');
      const other = request.agent(ctx.app); // e.g. the phone the mail was read on: no login needed
      const confirmPage = await other.get('/bekrafta-ny-epost').query({ token }).expect(200);
      expect(confirmPage.text).to.contain('Bekräfta den nya adressen');
      expect((await h.user(user.id)).email).to.equal(user.email); // no change on GET
      const done = await other
        .post('/bekrafta-ny-epost')
        .type('form')
        .send({ token, _csrf: csrfFrom(confirmPage.text) })
        .expect(200);
      expect(done.text).to.contain('Din nya e-postadress gäller');
      row = await h.user(user.id);
      expect(row.email).to.equal(newEmail);
      expect(row.pending_email).to.equal(null);
      expect(row.email_verified_at).to.be.instanceOf(Date);
      expect(await h.canLogIn(newEmail, user.password)).to.equal(true);
      expect(await h.canLogIn(user.email, user.password)).to.equal(false);
      await agent.get('/konto').expect(200); // the session that asked stays logged in

      await other
        .post('/bekrafta-ny-epost')
        .type('form')
        .send({ token, _csrf: csrfFrom(confirmPage.text) })
        .expect(400);
      const spent = await request(ctx.app).get('/bekrafta-ny-epost').query({ token }).expect(400);
      expect(spent.text).to.contain(TOKEN_INVALID);
    });

    it('when the new address belongs to another account, then the answer and the mails are the same, and the link is refused', async () => {
      const taken = await createUser(ctx.db, { email: 'upptagen@example.se' });
      const user = await createUser(ctx.db);
      const { agent } = await h.logIn(user.email, user.password);
      const free = await changeEmail(agent, { email: 'ledig@example.se', password: user.password });
      const busy = await changeEmail(agent, { email: taken.email, password: user.password });
      expect(free.status).to.equal(200);
      expect(busy.status).to.equal(200);
      const neutral = (text: string, email: string) =>
        text
          .split(email)
          .join('ADDRESS')
          .replace(/value="[^"]*"/g, '');
      expect(neutral(busy.text, taken.email)).to.equal(neutral(free.text, 'ledig@example.se'));

      // The same mails as for a free address (nothing tells the requester apart).
      expect((await h.mailsTo(taken.email)).map((mail) => mail.template)).to.deep.equal(['verify-email']);
      expect((await h.mailsTo(user.email)).map((mail) => mail.template)).to.deep.equal(['email-changed', 'email-changed']);

      // The newer request replaced the older link.
      const older = await h.latestToken('ledig@example.se', 'verify-email');
      await request(ctx.app).get('/bekrafta-ny-epost').query({ token: older }).expect(400);

      // Only whoever reads the taken mailbox learns it is taken, and nothing changes.
      const token = await h.latestToken(taken.email, 'verify-email');
      const confirm = request.agent(ctx.app);
      const page = await confirm.get('/bekrafta-ny-epost').query({ token }).expect(200);
      const res = await confirm
        .post('/bekrafta-ny-epost')
        .type('form')
        .send({ token, _csrf: csrfFrom(page.text) })
        .expect(409);
      expect(res.text).to.contain('används redan av ett annat konto');
      expect((await h.user(user.id)).email).to.equal(user.email);
      expect((await h.user(taken.id)).email).to.equal(taken.email);
    });

    it('when the old address resets the password during a pending change, then the change is cancelled', async () => {
      const user = await createUser(ctx.db);
      const { agent } = await h.logIn(user.email, user.password);
      const attacker = 'kapare@example.se';
      expect((await changeEmail(agent, { email: attacker, password: user.password })).status).to.equal(200);
      const changeToken = await h.latestToken(attacker, 'verify-email');

      // The owner follows the notice's link from the old mailbox.
      expect((await h.requestReset(user.email)).status).to.equal(200);
      const resetToken = await h.latestToken(user.email, 'reset-password');
      expect((await h.resetWith(resetToken, 'mitt konto igen tack')).status).to.equal(200);

      expect((await h.user(user.id)).pending_email).to.equal(null);
      await agent.get('/konto').expect(303);
      await request(ctx.app).get('/bekrafta-ny-epost').query({ token: changeToken }).expect(400);
    });

    it('when the address is changed, then links sent to the old address stop working', async () => {
      const user = await createUser(ctx.db);
      expect((await h.requestReset(user.email)).status).to.equal(200);
      const resetToken = await h.latestToken(user.email, 'reset-password');
      const { agent } = await h.logIn(user.email, user.password);
      const newEmail = 'flyttat@example.se';
      expect((await changeEmail(agent, { email: newEmail, password: user.password })).status).to.equal(200);
      const token = await h.latestToken(newEmail, 'verify-email');
      const confirm = request.agent(ctx.app);
      const page = await confirm.get('/bekrafta-ny-epost').query({ token }).expect(200);
      await confirm
        .post('/bekrafta-ny-epost')
        .type('form')
        .send({ token, _csrf: csrfFrom(page.text) })
        .expect(200);
      await request(ctx.app).get('/aterstall-losenord').query({ token: resetToken }).expect(400);
    });

    it('when the forms are posted without a CSRF token, then 403 and nothing changes', async () => {
      const user = await createUser(ctx.db);
      const { agent } = await h.logIn(user.email, user.password);
      await agent
        .post('/konto/epost')
        .type('form')
        .send({ email: 'utan.nyckel@example.se', password: user.password })
        .expect(403);
      expect((await h.user(user.id)).pending_email).to.equal(null);
      await request(ctx.app)
        .post('/bekrafta-ny-epost')
        .type('form')
        .send({ token: 'a'.repeat(43) })
        .expect(403);
    });

    it('when the confirmation token is missing or garbage, then 400 with a clear message', async () => {
      const agent = request.agent(ctx.app);
      const csrf = await h.formToken(agent, '/glomt-losenord');
      for (const bad of [undefined, '', 'a'.repeat(43), XSS]) {
        const page = await request(ctx.app)
          .get('/bekrafta-ny-epost')
          .query(bad === undefined ? {} : { token: bad })
          .expect(400);
        expect(page.text).to.contain(TOKEN_INVALID);
        const post = await agent
          .post('/bekrafta-ny-epost')
          .type('form')
          .send({ _csrf: csrf, ...(bad === undefined ? {} : { token: bad }) })
          .expect(400);
        expect(post.text).to.contain(TOKEN_INVALID);
        expect(post.text).to.not.contain('<script>alert(1)</script>');
      }
    });
  });
});

describe('Account security: throttling', () => {
  const ctx = useTestApp();
  const h = helpers(ctx);

  it('when one address asks for many resets, then it is throttled (no more mails), while other addresses are not', async () => {
    const user = await createUser(ctx.db);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await h.requestReset(user.email)).status);
    expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 429, 429]);
    const blocked = await h.requestReset(user.email.toUpperCase());
    expect(blocked.status).to.equal(429);
    expect(blocked.text).to.contain('För många försök');
    expect(await h.mailsTo(user.email, 'reset-password')).to.have.length(5);

    const other = await createUser(ctx.db);
    expect((await h.requestReset(other.email)).status).to.equal(200);
  });

  it('when one client asks for many resets for different addresses, then it is throttled too', async () => {
    // 9 requests so far in this file from this client; the limit per client is 20.
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await h.requestReset(`nummer${i}@example.se`)).status);
    expect(statuses.filter((status) => status === 200)).to.have.length(11);
    expect(statuses.at(-1)).to.equal(429);
  });

  it('when a session guesses the current password many times, then it is throttled, also for the right one', async () => {
    const user = await createUser(ctx.db);
    const { agent } = await h.logIn(user.email, user.password);
    const csrf = await h.formToken(agent, '/konto/losenord');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await agent
        .post('/konto/losenord')
        .type('form')
        .send({ currentPassword: `gissning nummer ${i}`, newPassword: 'ett nytt lösenord', _csrf: csrf });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 400)).to.equal(true);
    expect(statuses[10]).to.equal(429);
    const right = await agent
      .post('/konto/losenord')
      .type('form')
      .send({ currentPassword: user.password, newPassword: 'ett nytt lösenord', _csrf: csrf });
    expect(right.status).to.equal(429);
    expect(right.text).to.contain('För många försök');
    const email = await agent
      .post('/konto/epost')
      .type('form')
      .send({ email: 'ny@example.se', password: user.password, _csrf: csrf });
    expect(email.status).to.equal(200); // the e-mail form has a count of its own
    expect(await h.canLogIn(user.email, user.password)).to.equal(true);
  });
});
