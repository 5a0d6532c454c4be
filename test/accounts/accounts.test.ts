import { expect } from 'chai';
import request from 'supertest';
import { safeReturnPath } from '../../src/modules/accounts/routes.js';
import { useTestApp } from '../support/test-app.js';

// Sign-up, e-mail verification, login and logout through HTTP against the real
// database, with the attacks the accounts issue names.

const csrfFrom = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const sessionCookie = (res: request.Response) =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((cookie) => cookie.startsWith('ub.sid='))
    ?.split(';')[0];

const valid = {
  name: 'Anna Lindqvist',
  email: 'anna.lindqvist@example.se',
  password: 'skotta snö i Rusksele',
  homeMunicipality: '2481',
  homeLocality: 'Rusksele',
};

describe('Accounts', () => {
  const ctx = useTestApp();

  async function formPage(agent: ReturnType<typeof request.agent>, path: string) {
    const page = await agent.get(path).expect(200);
    return csrfFrom(page.text);
  }

  async function signUp(fields: Record<string, string>) {
    const agent = request.agent(ctx.app);
    const token = await formPage(agent, '/registrera');
    return {
      agent,
      res: await agent
        .post('/registrera')
        .type('form')
        .send({ ...fields, _csrf: token }),
    };
  }

  async function latestVerificationToken(email: string) {
    const mail = await ctx.db('mails').where('to_address', email).orderBy('id', 'desc').first();
    return /token=([A-Za-z0-9_-]{43})/.exec(mail.text_body)![1]!;
  }

  describe('sign-up', () => {
    it('when the form is opened, then it carries a CSRF token and is not cached', async () => {
      const res = await request(ctx.app).get('/registrera').expect(200);
      expect(csrfFrom(res.text)).to.have.length.greaterThan(20);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.text).to.contain('lang="sv"');
    });

    it('when valid, then the user is stored with an argon2id hash and a verification mail is queued', async () => {
      const { res } = await signUp(valid);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('Kolla din e-post');
      const user = await ctx.db('users').where('email', valid.email).first();
      expect(user.password_hash).to.match(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(user.password_hash).to.not.contain(valid.password);
      expect(user.email_verified_at).to.equal(null);
      expect(user.home_municipality_code).to.equal('2481');
      expect(await ctx.db('resident_profiles').where('user_id', user.id).first()).to.not.equal(undefined);
      const mail = await ctx.db('mails').where('to_address', valid.email).first();
      expect(mail.text_body).to.match(/http:\/\/uppdragsbanken\.test\/verifiera-epost\?token=[A-Za-z0-9_-]{43}/);
      const [token] = await ctx.db('user_tokens').where('user_id', user.id).select('token_hash');
      expect(mail.text_body).to.not.contain(token.token_hash); // only the hash is stored
    });

    it('when the e-mail is already registered (in other letter case), then the answer is the same and nothing is added', async () => {
      const before = await ctx.db('users').count<{ count: string }[]>({ count: '*' });
      const { res } = await signUp({ ...valid, email: valid.email.toUpperCase(), name: 'Någon annan' });
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('Kolla din e-post');
      expect(await ctx.db('users').count({ count: '*' })).to.deep.equal(before);
    });

    it('when posted without a CSRF token, then 403 and nothing is stored', async () => {
      const res = await request(ctx.app)
        .post('/registrera')
        .type('form')
        .send({ ...valid, email: 'no-token@example.se' })
        .expect(403);
      expect(res.text).to.contain('Formuläret har gått ut');
      expect(await ctx.db('users').where('email', 'no-token@example.se').first()).to.equal(undefined);
    });

    const bad: Array<[string, Record<string, string>, string, string]> = [
      ['no e-mail', { email: '' }, 'email', 'Skriv din e-postadress.'],
      ['a malformed e-mail', { email: 'anna@' }, 'email', 'Skriv en e-postadress som namn@exempel.se.'],
      ['an e-mail of 300 characters', { email: `${'a'.repeat(290)}@example.se` }, 'email', 'Skriv en e-postadress'],
      ['no name', { name: '   ' }, 'name', 'Skriv ditt namn.'],
      ['a name with a control character', { name: 'Anna\u0007' }, 'name', 'otillåtna tecken'],
      ['a 7-character password', { password: 'kort123' }, 'password', 'minst 8 tecken'],
      ['a 129-character password', { password: 'x'.repeat(129) }, 'password', 'högst 128 tecken'],
      ['a common password', { password: 'Lösenord123' }, 'password', 'för vanligt'],
      ['no municipality', { homeMunicipality: '' }, 'homeMunicipality', 'Välj kommunen'],
      ['an unknown municipality', { homeMunicipality: '9999' }, 'homeMunicipality', 'Välj kommunen'],
      ['a village in another municipality', { homeLocality: 'Älmsta' }, 'homeLocality', 'Vi hittar ingen by'],
    ];
    for (const [what, change, field, message] of bad) {
      it(`when given ${what}, then 400 with the message beside ${field} and the input kept`, async () => {
        const email = `bad-${field}-${Math.random().toString(36).slice(2)}@example.se`;
        const { res } = await signUp({ ...valid, email, ...change });
        expect(res.status).to.equal(400);
        expect(res.text).to.contain(`id="${field}-error"`);
        expect(res.text).to.contain(message);
        expect(res.text).to.match(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
        if (field !== 'name') expect(res.text).to.contain(`value="${valid.name}"`);
        expect(res.text).to.not.contain(valid.password); // a password is never echoed
        expect(
          await ctx
            .db('users')
            .where('email', change.email ?? email)
            .first(),
        ).to.equal(undefined);
      });
    }

    it('when the password is 8 emoji, then it is accepted (length counts characters, any Unicode)', async () => {
      const { res } = await signUp({ ...valid, email: 'emoji@example.se', password: '🌲❄️🏠🚜🎣🌲❄️🏠' });
      expect(res.status).to.equal(200);
    });

    it('when fields carry XSS payloads, then they come back escaped', async () => {
      const payload = '"><script>alert(1)</script>';
      const { res } = await signUp({ ...valid, email: `x${payload}@example.se`, name: payload, homeLocality: payload });
      expect(res.status).to.equal(400);
      expect(res.text).to.not.contain('<script>alert(1)</script>');
      expect(res.text).to.contain('&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    });

    it('when fields are arrays or the body is huge, then 4xx and never 500', async () => {
      const agent = request.agent(ctx.app);
      const token = await formPage(agent, '/registrera');
      const arrays = await agent
        .post('/registrera')
        .type('form')
        .send(`_csrf=${token}&email=a@example.se&email=b@example.se&name=A&password=x&homeMunicipality=2481`);
      expect(arrays.status).to.equal(400);
      const huge = await agent
        .post('/registrera')
        .type('form')
        .send({ _csrf: token, ...valid, name: 'x'.repeat(300_000) });
      expect(huge.status).to.equal(413);
    });
  });

  describe('verification, login and logout', () => {
    const email = 'bertil.ek@example.se';
    const password = 'vedklyvning i Norsjö 2026';

    before(async () => {
      const { res } = await signUp({ ...valid, email, password, name: 'Bertil Ek' });
      expect(res.status).to.equal(200);
    });

    it('when the link is opened, then a page with a button shows and the token is not used up by the GET', async () => {
      const token = await latestVerificationToken(email);
      const page = await request(ctx.app).get(`/verifiera-epost?token=${token}`).expect(200);
      expect(page.text).to.contain('Bekräfta e-postadressen');
      expect(await ctx.db('user_tokens').whereNotNull('used_at').count({ count: '*' })).to.deep.equal([{ count: 0 }]);
    });

    it('when the button is pressed, then the address is verified, and the link cannot be used again', async () => {
      const token = await latestVerificationToken(email);
      const agent = request.agent(ctx.app);
      const csrf = csrfFrom((await agent.get(`/verifiera-epost?token=${token}`).expect(200)).text);
      const done = await agent.post('/verifiera-epost').type('form').send({ _csrf: csrf, token }).expect(200);
      expect(done.text).to.contain('Din e-postadress är bekräftad');
      expect((await ctx.db('users').where({ email }).first()).email_verified_at).to.be.instanceOf(Date);
      await agent.post('/verifiera-epost').type('form').send({ _csrf: csrf, token }).expect(400);
      await request(ctx.app).get(`/verifiera-epost?token=${token}`).expect(400);
    });

    it('when the token is garbage, then 400 with a clear message', async () => {
      for (const token of ['', 'x', 'a'.repeat(43), '<script>', 'a'.repeat(5000)]) {
        const res = await request(ctx.app).get('/verifiera-epost').query({ token }).expect(400);
        expect(res.text).to.contain('Länken är redan använd eller har gått ut');
      }
    });

    it('when the password is wrong or the e-mail unknown, then one and the same generic answer', async () => {
      const attempt = async (fields: Record<string, string>) => {
        const agent = request.agent(ctx.app);
        const token = await formPage(agent, '/logga-in');
        return agent
          .post('/logga-in')
          .type('form')
          .send({ ...fields, _csrf: token });
      };
      const wrong = await attempt({ email, password: 'fel lösenord här' });
      const unknown = await attempt({ email: 'finns.inte@example.se', password: 'fel lösenord här' });
      const empty = await attempt({});
      for (const res of [wrong, unknown, empty]) {
        expect(res.status).to.equal(401);
        expect(res.text).to.contain('Fel e-postadress eller lösenord.');
      }
      expect(wrong.text.replace(/value="[^"]*"/g, '')).to.equal(unknown.text.replace(/value="[^"]*"/g, ''));
    });

    it('when logged in, then the session id changes, the account page shows the user, and logout ends the session for good', async () => {
      const agent = request.agent(ctx.app);
      const form = await agent.get('/logga-in').expect(200);
      const before = sessionCookie(form);
      expect(before).to.be.a('string');
      const login = await agent
        .post('/logga-in')
        .type('form')
        .send({ email, password, next: '/konto', _csrf: csrfFrom(form.text) })
        .expect(303);
      expect(login.headers.location).to.equal('/konto');
      const after = sessionCookie(login);
      expect(after).to.be.a('string').and.not.equal(before); // no session fixation
      expect(([] as string[]).concat(login.headers['set-cookie'] ?? []).join(';'))
        .to.match(/HttpOnly/i)
        .and.match(/SameSite=Lax/i);

      const account = await agent.get('/konto').expect(200);
      expect(account.text).to.contain('Bertil Ek');
      expect(account.headers['cache-control']).to.equal('no-store');

      // The old (pre-login) cookie gives no access.
      await request(ctx.app).get('/konto').set('Cookie', before!).expect(303);

      const csrf = csrfFrom(account.text);
      await agent.post('/logga-ut').type('form').send({ _csrf: csrf }).expect(303);
      await agent.get('/konto').expect(303);
      // A copy of the logged-in cookie replayed after logout gives no access either.
      await request(ctx.app).get('/konto').set('Cookie', after!).expect(303);
      expect(await ctx.db('sessions').whereRaw(`sess::text LIKE ?`, [`%"user":%`]).count({ count: '*' })).to.deep.equal([
        { count: 0 },
      ]);
    });

    it('when logging in without a CSRF token, then 403', async () => {
      await request(ctx.app).post('/logga-in').type('form').send({ email, password }).expect(403);
    });

    it('when next points to another site, then login goes home instead', async () => {
      const agent = request.agent(ctx.app);
      const token = await formPage(agent, '/logga-in?next=//evil.example');
      const res = await agent
        .post('/logga-in')
        .type('form')
        .send({ email, password, next: '//evil.example', _csrf: token })
        .expect(303);
      expect(res.headers.location).to.equal('/');
    });

    it('when the login is older than the absolute timeout, then the session no longer counts', async () => {
      const agent = request.agent(ctx.app);
      const token = await formPage(agent, '/logga-in');
      await agent.post('/logga-in').type('form').send({ email, password, _csrf: token }).expect(303);
      await agent.get('/konto').expect(200);
      await ctx.db.raw(
        `UPDATE sessions SET sess = jsonb_set(sess::jsonb, '{authenticatedAt}', '0')::json WHERE sess::text LIKE '%"user":%'`,
      );
      await agent.get('/konto').expect(303);
    });

    it('when an account gets many wrong passwords, then it is throttled for a while (other accounts are not)', async () => {
      const agent = request.agent(ctx.app);
      const token = await formPage(agent, '/logga-in');
      const target = 'anna.lindqvist@example.se';
      let last = 0;
      for (let i = 0; i < 11; i++) {
        last = (
          await agent
            .post('/logga-in')
            .type('form')
            .send({ email: target, password: `fel-${i}-lösenord`, _csrf: token })
        ).status;
      }
      expect(last).to.equal(429);
      const blocked = await agent.post('/logga-in').type('form').send({ email: target, password: valid.password, _csrf: token });
      expect(blocked.status).to.equal(429);
      expect(blocked.text).to.contain('För många försök');
      const other = await agent.post('/logga-in').type('form').send({ email, password, _csrf: token });
      expect(other.status).to.equal(303);
    });
  });

  describe('safe return paths', () => {
    for (const [input, expected] of [
      ['/konto', '/konto'],
      ['/uppdrag?q=snö', '/uppdrag?q=snö'],
      ['//evil.example', '/'],
      ['/\\evil.example', '/'],
      ['https://evil.example', '/'],
      ['javascript:alert(1)', '/'],
      ['', '/'],
    ] as const) {
      it(`when next is ${JSON.stringify(input)}, then ${expected}`, () => {
        expect(safeReturnPath(input)).to.equal(expected);
      });
    }
    it('when next is not a string, then home', () => {
      expect(safeReturnPath(['/a', '/b'])).to.equal('/');
    });
  });
});
