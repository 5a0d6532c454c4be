import { expect } from 'chai';
import request from 'supertest';
import { createAdmin } from '../../src/modules/accounts/index.js';
import {
  formatOrganisationNumber,
  luhnCheckDigit,
  parseOrganisationNumber,
} from '../../src/modules/organisations/organisation-number.js';
import { accessibilityViolations, logInWithForm, useBrowser } from '../support/browser.js';
import { createTestAssignment, isoDay } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, csrfFrom, type LoggedIn, logInAs, postForm, TEST_PASSWORD } from '../support/users.js';

// Organisations through HTTP against the real database: creating, the public
// page, editing, members and invitations, the last-admin rule under
// concurrency, and verification by a platform admin — each with the roles
// that matter and the bad input and attacks the accounts issue names.

const XSS = '"><script>alert(1)</script>';
const XSS_ESCAPED = '&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;';

let numberSequence = 0;
/** A fresh, valid organisationsnummer of a legal person ("802NNNNNN" + check digit). */
function newOrganisationNumber(): string {
  const base = `802${String(++numberSequence + 100_000).padStart(6, '0')}`;
  return `${base}${luhnCheckDigit(base)}`;
}

function validForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    name: 'Rusksele byaförening',
    type: 'forening',
    organisationNumber: formatOrganisationNumber(newOrganisationNumber()),
    municipality: '2481',
    address: 'Byavägen 1\n921 94 Rusksele',
    billingEmail: 'kassor@rusksele.example.se',
    description: 'Vi sköter bygdegården och spåren.\n\n- Snöröjning\n- Gräsklippning',
    website: 'www.rusksele.example.se',
    ...overrides,
  };
}

describe('Organisations', () => {
  const ctx = useTestApp();

  type Client = LoggedIn & { id: number; email: string; name: string };

  /** A verified resident (or as overridden), logged in. */
  async function resident(overrides: Parameters<typeof createUser>[1] = {}): Promise<Client> {
    const user = await createUser(ctx.db, overrides);
    return { ...user, ...(await logInAs(ctx.app, user.email)) };
  }

  let adminSequence = 0;
  /** A platform admin made the way the CLI makes one, logged in. */
  async function platformAdmin(): Promise<Client> {
    const email = `admin${++adminSequence}.${process.pid}@example.se`;
    const { id } = await createAdmin(ctx.db, { email, password: TEST_PASSWORD, name: 'Plattformsadmin' });
    return { id, email, name: 'Plattformsadmin', ...(await logInAs(ctx.app, email)) };
  }

  const post = postForm;

  /** Creates an organisation through the form; returns its slug and id. */
  async function createThroughForm(client: LoggedIn, overrides: Record<string, string> = {}) {
    const res = await post(client, '/organisationer/ny', validForm(overrides));
    expect(res.status, res.text).to.equal(303);
    const slug = /^\/organisationer\/([a-z0-9-]+)$/.exec(String(res.headers.location))![1]!;
    const row = await ctx.db('organisations').where({ slug }).first();
    return { slug, id: row.id as number, row };
  }

  /** An organisation with an admin (and optionally more members), straight into the database. */
  async function organisationWith(members: Array<{ client: Client; role: 'admin' | 'member' }>, verified = false) {
    const name = `Testföreningen ${++numberSequence}`;
    const [row] = await ctx
      .db('organisations')
      .insert({
        name,
        slug: `testforeningen-${numberSequence}`,
        type: 'forening',
        organisation_number: newOrganisationNumber(),
        municipality_code: '2481',
        description: 'En förening för test.',
        address: 'Storgatan 1',
        billing_email: 'faktura@example.se',
        verified_at: verified ? new Date() : null,
      })
      .returning(['id', 'slug', 'name']);
    if (members.length) {
      await ctx
        .db('organisation_members')
        .insert(members.map((m) => ({ organisation_id: row.id, user_id: m.client.id, role: m.role })));
    }
    return row as { id: number; slug: string; name: string };
  }

  const rolesOf = async (organisationId: number) =>
    Object.fromEntries(
      (await ctx.db('organisation_members').where('organisation_id', organisationId).select('user_id', 'role')).map(
        (row: { user_id: number; role: string }) => [row.user_id, row.role],
      ),
    ) as Record<number, string>;

  const count = async (table: string, where: Record<string, unknown> = {}) =>
    Number((await ctx.db(table).where(where).count<{ count: string }[]>({ count: '*' }))[0]!.count);

  // -------------------------------------------------------------------------

  describe('organisation numbers', () => {
    for (const [input, digits] of [
      ['556016-0680', '5560160680'],
      ['5560160680', '5560160680'],
      [' 212000-0142 ', '2120000142'],
      ['802451-3767', '8024513767'],
    ] as const) {
      it(`when ${JSON.stringify(input)}, then it is read as ${digits}`, () => {
        expect(parseOrganisationNumber(input)).to.deep.equal({ ok: true, value: digits });
      });
    }

    for (const [input, problem] of [
      ['556016-0681', 'checkDigit'],
      ['556016068', 'format'],
      ['55601606800', 'format'],
      ['55601A-0680', 'format'],
      ['556016--0680', 'format'],
      ['5560-160680', 'format'],
      ['556016 0680', 'format'],
      ['', 'format'],
      ['５５６０１６０６８０', 'format'], // full-width digits are not digits here
      [`811218${'987'}${luhnCheckDigit('811218987')}`, 'notLegalPerson'], // a personnummer's shape
    ] as const) {
      it(`when ${JSON.stringify(input)}, then it is refused (${problem})`, () => {
        expect(parseOrganisationNumber(input)).to.deep.equal({ ok: false, problem });
      });
    }

    it('when any nine digits get their check digit, then the number passes, and with any other last digit it fails', () => {
      for (let i = 0; i < 300; i++) {
        const base = `${2 + (i % 8)}${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
        const legal = `${base.slice(0, 2)}${Math.max(2, Number(base[2]))}${base.slice(3)}`;
        const check = luhnCheckDigit(legal);
        expect(parseOrganisationNumber(`${legal}${check}`).ok, legal).to.equal(true);
        for (let other = 0; other < 10; other++) {
          if (other !== check)
            expect(parseOrganisationNumber(`${legal}${other}`)).to.deep.equal({ ok: false, problem: 'checkDigit' });
        }
      }
    });

    it('when formatted, then a hyphen follows the sixth digit', () => {
      expect(formatOrganisationNumber('5560160680')).to.equal('556016-0680');
    });
  });

  // -------------------------------------------------------------------------

  describe('creating an organisation', () => {
    it('when a visitor opens the form, then they are sent to log in and come back', async () => {
      const res = await request(ctx.app).get('/organisationer/ny').expect(303);
      expect(res.headers.location).to.equal('/logga-in?next=%2Forganisationer%2Fny');
    });

    it('when a visitor posts the form, then 401 and nothing is stored', async () => {
      const agent = request.agent(ctx.app);
      const csrf = csrfFrom((await agent.get('/logga-in')).text);
      await agent
        .post('/organisationer/ny')
        .type('form')
        .send({ ...validForm({ name: 'Besökarens förening' }), _csrf: csrf })
        .expect(401);
      expect(await count('organisations', { name: 'Besökarens förening' })).to.equal(0);
    });

    it('when the user has not verified the e-mail, then 403 with what to do, and nothing is stored', async () => {
      const client = await resident({ verified: false });
      const page = await client.agent.get('/organisationer/ny').expect(403);
      expect(page.text).to.contain('Bekräfta din e-postadress innan du skapar en organisation');
      await post(client, '/organisationer/ny', validForm({ name: 'Overifierad förening' })).expect(403);
      expect(await count('organisations', { name: 'Overifierad förening' })).to.equal(0);
    });

    it('when the signed-up user verified the e-mail, then the form opens (sign-up → verify → log in)', async () => {
      const agent = request.agent(ctx.app);
      const signUpForm = await agent.get('/registrera').expect(200);
      const email = 'karin.bygdeson@example.se';
      await agent
        .post('/registrera')
        .type('form')
        .send({
          name: 'Karin Bygdeson',
          email,
          password: 'bygdegården i Rusksele',
          homeMunicipality: '2481',
          _csrf: csrfFrom(signUpForm.text),
        })
        .expect(200);
      const mail = await ctx.db('mails').where({ to_address: email, template: 'verify-email' }).first();
      const token = /token=([A-Za-z0-9_-]{43})/.exec(mail.text_body)![1]!;
      const verifyPage = await agent.get(`/verifiera-epost?token=${token}`).expect(200);
      await agent
        .post('/verifiera-epost')
        .type('form')
        .send({ token, _csrf: csrfFrom(verifyPage.text) })
        .expect(200);
      const client = await logInAs(ctx.app, email, 'bygdegården i Rusksele');
      const form = await client.agent.get('/organisationer/ny').expect(200);
      expect(form.headers['cache-control']).to.equal('no-store');
      expect(form.text).to.contain('Skapa organisation');
      expect(form.text).to.contain('<option value="2481">Lycksele</option>');
      expect(csrfFrom(form.text)).to.have.length.greaterThan(20);
    });

    it('when valid, then it is stored unverified with the creator as admin, and its page shows it', async () => {
      const client = await resident({ name: 'Anna Skapare' });
      const form = validForm({ name: 'Bygdegårdsföreningen Östra Ärtträsk' });
      const res = await post(client, '/organisationer/ny', form).expect(303);
      expect(res.headers.location).to.equal('/organisationer/bygdegardsforeningen-ostra-arttrask');
      const row = await ctx.db('organisations').where({ slug: 'bygdegardsforeningen-ostra-arttrask' }).first();
      expect(row).to.include({
        name: 'Bygdegårdsföreningen Östra Ärtträsk',
        type: 'forening',
        organisation_number: form.organisationNumber!.replace('-', ''),
        municipality_code: '2481',
        address: 'Byavägen 1\n921 94 Rusksele',
        billing_email: 'kassor@rusksele.example.se',
        website: 'https://www.rusksele.example.se/',
        verified_at: null,
      });
      expect(await rolesOf(row.id)).to.deep.equal({ [client.id]: 'admin' });

      const page = await client.agent.get(String(res.headers.location)).expect(200);
      expect(page.text).to.contain('Organisationen är skapad');
      expect(page.text).to.contain('Ej verifierad');
      expect(page.text).to.contain('/organisationer/bygdegardsforeningen-ostra-arttrask/redigera');
      // Said once, to the one who created it: not again on the next visit, and no address carries it to others.
      const again = await client.agent.get(String(res.headers.location)).expect(200);
      expect(again.text).not.to.contain('Organisationen är skapad');
      const visitor = await request(ctx.app).get('/organisationer/bygdegardsforeningen-ostra-arttrask?done=created').expect(200);
      expect(visitor.text).not.to.contain('Organisationen är skapad');
      const member = await client.agent.get('/organisationer/bygdegardsforeningen-ostra-arttrask?done=created').expect(200);
      expect(member.text).not.to.contain('Organisationen är skapad');
      // The other notices are for its members (and platform admins) only.
      const saved = await request(ctx.app).get('/organisationer/bygdegardsforeningen-ostra-arttrask?done=saved').expect(200);
      expect(saved.text).not.to.contain('Ändringarna är sparade.');
      const savedForMember = await client.agent.get('/organisationer/bygdegardsforeningen-ostra-arttrask?done=saved').expect(200);
      expect(savedForMember.text).to.contain('Ändringarna är sparade.');
    });

    it('when the number is typed without a hyphen and with spaces around, then it is accepted', async () => {
      const client = await resident();
      const digits = newOrganisationNumber();
      const { row } = await createThroughForm(client, {
        name: 'Utan bindestreck AB',
        type: 'foretag',
        organisationNumber: ` ${digits} `,
      });
      expect(row.organisation_number).to.equal(digits);
    });

    it('when two organisations have the same name, then the second gets its own slug', async () => {
      const client = await resident();
      // The creator has been warned about the namesake and goes on (see "namesakes" below).
      const first = await createThroughForm(client, { name: 'Norsjö IF' });
      const second = await createThroughForm(client, { name: 'Norsjö IF', confirmNamesakes: 'yes' });
      const third = await createThroughForm(client, { name: 'Norsjö  IF!' });
      expect([first.slug, second.slug, third.slug]).to.deep.equal(['norsjo-if', 'norsjo-if-2', 'norsjo-if-3']);
    });

    it('when many with the same name are created at once, then each gets a unique slug', async () => {
      const client = await resident();
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          post(client, '/organisationer/ny', validForm({ name: 'Samtidiga föreningen', confirmNamesakes: 'yes' })),
        ),
      );
      expect(results.map((r) => r.status)).to.deep.equal([303, 303, 303, 303, 303]);
      const slugs = await ctx.db('organisations').where('name', 'Samtidiga föreningen').pluck('slug');
      expect(new Set(slugs).size).to.equal(5);
    });

    it('when the name would make a slug that is a path ("Ny") or none at all, then the slug is still usable', async () => {
      const client = await resident();
      const ny = await createThroughForm(client, { name: 'Ny' });
      expect(ny.slug).to.equal('ny-2');
      await client.agent.get('/organisationer/ny-2').expect(200);
      const symbols = await createThroughForm(client, { name: '!!! ???' });
      expect(symbols.slug).to.match(/^organisation(-\d+)?$/);
    });

    const badNumbers: Array<[string, string, string]> = [
      ['a wrong check digit', '556016-0681', 'Organisationsnumret stämmer inte'],
      ['9 digits', '556016068', 'har tio siffror'],
      ['letters', '55601A-0680', 'har tio siffror'],
      ['a personnummer', `811218-987${luhnCheckDigit('811218987')}`, 'inte ett organisationsnummer för en juridisk person'],
      ['nothing', '', 'Skriv organisationsnumret'],
    ];
    for (const [what, organisationNumber, message] of badNumbers) {
      it(`when the organisation number has ${what}, then 400 with the message beside it and the input kept`, async () => {
        const client = await resident();
        const name = `Fel nummer ${what}`;
        const res = await post(client, '/organisationer/ny', validForm({ name, organisationNumber })).expect(400);
        expect(res.text).to.contain('id="organisationNumber-error"');
        expect(res.text).to.contain(message);
        expect(res.text).to.match(
          /id="organisationNumber"[^>]*aria-describedby="organisationNumber-hint organisationNumber-error"/,
        );
        expect(res.text).to.match(/id="organisationNumber"[^>]*aria-invalid="true"/);
        expect(res.text).to.contain(`value="${name}"`);
        expect(res.text).to.contain(`value="${organisationNumber}"`);
        expect(res.text).to.contain('Byavägen 1\n921 94 Rusksele</textarea>');
        expect(await count('organisations', { name })).to.equal(0);
      });
    }

    it('when the organisation number is already registered (typed differently), then 409 beside the field and nothing is stored', async () => {
      const client = await resident();
      const digits = newOrganisationNumber();
      await createThroughForm(client, { name: 'Först på plats', organisationNumber: digits });
      const res = await post(
        client,
        '/organisationer/ny',
        validForm({ name: 'Tvåa på bollen', organisationNumber: formatOrganisationNumber(digits) }),
      ).expect(409);
      expect(res.text).to.contain('id="organisationNumber-error"');
      expect(res.text).to.contain('Det finns redan en organisation med det här organisationsnumret');
      expect(res.text).to.contain('value="Tvåa på bollen"');
      expect(await count('organisations', { name: 'Tvåa på bollen' })).to.equal(0);
      expect(await count('organisations', { organisation_number: digits })).to.equal(1);
    });

    it('when the same new number is posted twice at once, then one is created and the other gets the message', async () => {
      const client = await resident();
      const organisationNumber = newOrganisationNumber();
      const results = await Promise.all([
        post(client, '/organisationer/ny', validForm({ name: 'Dubbelklick A', organisationNumber })),
        post(client, '/organisationer/ny', validForm({ name: 'Dubbelklick B', organisationNumber })),
      ]);
      expect(results.map((r) => r.status).sort()).to.deep.equal([303, 409]);
      expect(await count('organisations', { organisation_number: organisationNumber })).to.equal(1);
      // No organisation without its admin was left behind by the failed one.
      const orphans = await ctx
        .db('organisations as o')
        .whereNotExists(ctx.db('organisation_members as m').whereRaw('m.organisation_id = o.id'))
        .whereIn('o.name', ['Dubbelklick A', 'Dubbelklick B']);
      expect(orphans).to.deep.equal([]);
    });

    const badFields: Array<[string, Record<string, string>, string, string]> = [
      ['no name', { name: '  ' }, 'name', 'Skriv organisationens namn'],
      ['a 121-character name', { name: 'x'.repeat(121) }, 'name', 'högst 120 tecken'],
      ['a name with a control character', { name: 'Förening\u0007' }, 'name', 'otillåtna tecken'],
      ['an unknown type', { type: 'stiftelse' }, 'type', 'Välj typ av organisation'],
      ['no municipality', { municipality: '' }, 'municipality', 'Välj kommun'],
      ['an unknown municipality', { municipality: '9999' }, 'municipality', 'Välj kommun'],
      ['no address', { address: '' }, 'address', 'Skriv organisationens postadress'],
      ['no billing e-mail', { billingEmail: '' }, 'billingEmail', 'Skriv en e-postadress'],
      ['a malformed billing e-mail', { billingEmail: 'kassor@' }, 'billingEmail', 'namn@exempel.se'],
      ['no description', { description: '\n \n' }, 'description', 'Skriv en kort beskrivning'],
      ['a 5001-character description', { description: 'a'.repeat(5001) }, 'description', 'högst 5 000 tecken'],
      ['a javascript: website', { website: 'javascript:alert(1)' }, 'website', 'börjar med http:// eller https://'],
      ['an ftp website', { website: 'ftp://rusksele.example.se' }, 'website', 'börjar med http:// eller https://'],
      ['a website without a dot', { website: 'http://localhost' }, 'website', 'börjar med http:// eller https://'],
      ['a website with credentials', { website: 'https://user:pw@example.se' }, 'website', 'börjar med http:// eller https://'],
    ];
    for (const [what, change, field, message] of badFields) {
      it(`when given ${what}, then 400 with the message beside ${field}`, async () => {
        const client = await resident();
        const name = change.name ?? `Felaktig ${what}`;
        const res = await post(client, '/organisationer/ny', validForm({ name, ...change })).expect(400);
        expect(res.text).to.contain(`id="${field}-error"`);
        expect(res.text).to.contain(message);
        expect(res.text).to.match(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
        expect(await count('organisations', { name })).to.equal(0);
      });
    }

    it('when fields are arrays or missing altogether, then 400 and never 500', async () => {
      const client = await resident();
      const arrays = await client.agent
        .post('/organisationer/ny')
        .type('form')
        .send(
          `_csrf=${encodeURIComponent(client.csrf)}&name=A&name=B&type=forening&type=kommun&organisationNumber=1&organisationNumber=2`,
        );
      expect(arrays.status).to.equal(400);
      const empty = await post(client, '/organisationer/ny', {});
      expect(empty.status).to.equal(400);
      expect(empty.text).to.contain('id="name-error"');
    });

    it('when posted without a CSRF token, then 403 and nothing is stored', async () => {
      const client = await resident();
      const res = await client.agent
        .post('/organisationer/ny')
        .type('form')
        .send(validForm({ name: 'Utan token' }))
        .expect(403);
      expect(res.text).to.contain('Formuläret har gått ut');
      expect(await count('organisations', { name: 'Utan token' })).to.equal(0);
    });

    it('when the form comes back with errors, then every field is escaped (XSS)', async () => {
      const client = await resident();
      const form = Object.fromEntries(Object.keys(validForm()).map((key) => [key, XSS]));
      const res = await post(client, '/organisationer/ny', form).expect(400);
      expect(res.text).to.not.contain('<script>alert(1)</script>');
      expect(res.text.split(XSS_ESCAPED).length - 1).to.be.at.least(6); // the text fields and textareas
    });
  });

  // -------------------------------------------------------------------------

  describe('the public page', () => {
    let owner: Client;
    let slug: string;
    let id: number;

    before(async () => {
      owner = await resident();
      ({ slug, id } = await createThroughForm(owner, {
        name: 'Bastuträsk bygdegårdsförening',
        description: 'Vi hyr ut bygdegården.\nRing oss!\n\n- Fester\n- Möten',
        website: 'https://bastutrask.example.se/om-oss',
      }));
    });

    it('when a visitor opens it, then name, type, municipality, description, website and the unverified marker show', async () => {
      const res = await request(ctx.app).get(`/organisationer/${slug}`).expect(200);
      expect(res.text).to.contain('<h1>Bastuträsk bygdegårdsförening</h1>');
      expect(res.text).to.contain('Förening · Lycksele');
      expect(res.text).to.contain('Vi hyr ut bygdegården.<br>Ring oss!');
      expect(res.text).to.contain('<li>Fester</li>');
      expect(res.text).to.contain(
        '<a href="https://bastutrask.example.se/om-oss" rel="nofollow noopener">https://bastutrask.example.se/om-oss</a>',
      );
      expect(res.text).to.contain('Ej verifierad');
      expect(res.text).to.contain(`<link rel="canonical" href="http://uppdragsbanken.test/organisationer/${slug}">`);
      // Nothing for managers, and no billing details in public.
      expect(res.text).to.not.contain('/redigera');
      expect(res.text).to.not.contain('/medlemmar');
      expect(res.text).to.not.contain('/verifiera');
      expect(res.text).to.not.contain('kassor@rusksele.example.se');
      expect(res.text).to.not.contain('Byavägen');
    });

    it('when the organisation has assignments, then only its open ones are listed', async () => {
      const other = await organisationWith([]);
      await createTestAssignment(ctx.db, { organisationId: id, title: 'Skotta taket på bygdegården' });
      await createTestAssignment(ctx.db, { organisationId: id, title: 'Utkast som inte syns', status: 'draft' });
      await createTestAssignment(ctx.db, {
        organisationId: id,
        title: 'Gammalt uppdrag',
        applyBy: isoDay(-3),
        publishedAt: new Date(Date.now() - 20 * 86_400_000),
      });
      await createTestAssignment(ctx.db, { organisationId: other.id, title: 'En annan förenings uppdrag' });
      const res = await request(ctx.app).get(`/organisationer/${slug}`).expect(200);
      expect(res.text).to.contain('Skotta taket på bygdegården');
      expect(res.text).to.not.contain('Utkast som inte syns');
      expect(res.text).to.not.contain('Gammalt uppdrag');
      expect(res.text).to.not.contain('En annan förenings uppdrag');
    });

    it('when the slug is unknown or malformed, then 404', async () => {
      for (const path of [
        '/organisationer/finns-inte',
        '/organisationer/%3Cscript%3E',
        `/organisationer/${'a'.repeat(300)}`,
        '/organisationer/%E0%A4%A',
      ]) {
        const res = await request(ctx.app).get(path);
        expect(res.status, path).to.be.oneOf([400, 404]);
      }
      await request(ctx.app).get('/organisationer/finns-inte').expect(404);
    });

    it('when the organisation is verified, then the marker is gone', async () => {
      const verified = await organisationWith([], true);
      const res = await request(ctx.app).get(`/organisationer/${verified.slug}`).expect(200);
      expect(res.text).to.not.contain('Ej verifierad');
    });

    it('when something writes a non-http website into the database, then the database refuses it', async () => {
      let error: unknown;
      try {
        await ctx.db('organisations').where({ id }).update({ website: 'javascript:alert(1)' });
      } catch (caught) {
        error = caught;
      }
      expect((error as { constraint?: string }).constraint).to.equal('organisations_website_http');
    });

    it('when every field carries an XSS payload, then the public page and the edit form show it escaped', async () => {
      const client = await resident();
      const { slug: xssSlug } = await createThroughForm(client, {
        name: XSS,
        address: XSS,
        description: `${XSS}\n\n- ${XSS}`,
        website: `https://example.se/${XSS}`,
        billingEmail: 'xss@example.se',
      });
      const page = await request(ctx.app).get(`/organisationer/${xssSlug}`).expect(200);
      expect(page.text).to.not.contain('<script>alert(1)</script>');
      expect(page.text).to.contain(`<h1>${XSS_ESCAPED}</h1>`);
      expect(page.text).to.contain(`<li>${XSS_ESCAPED}</li>`);
      expect(page.text).to.contain('href="https://example.se/%22%3E%3Cscript%3Ealert(1)%3C/script%3E"');
      const edit = await client.agent.get(`/organisationer/${xssSlug}/redigera`).expect(200);
      expect(edit.text).to.not.contain('<script>alert(1)</script>');
      expect(edit.text).to.contain(`value="${XSS_ESCAPED}"`);
      expect(edit.text).to.contain(`>${XSS_ESCAPED}</textarea>`);
    });
  });

  // -------------------------------------------------------------------------

  describe('editing', () => {
    let orgAdmin: Client;
    let member: Client;
    let outsider: Client;
    let admin: Client;
    let organisation: { id: number; slug: string; name: string };

    before(async () => {
      orgAdmin = await resident();
      member = await resident();
      outsider = await resident();
      admin = await platformAdmin();
      organisation = await organisationWith([
        { client: orgAdmin, role: 'admin' },
        { client: member, role: 'member' },
      ]);
    });

    const editPath = () => `/organisationer/${organisation.slug}/redigera`;

    it('when a visitor opens the form, then login; when the slug is unknown, then 404', async () => {
      const res = await request(ctx.app).get(editPath()).expect(303);
      expect(res.headers.location).to.equal(`/logga-in?next=${encodeURIComponent(editPath())}`);
      await request(ctx.app).get('/organisationer/finns-inte/redigera').expect(404);
      await orgAdmin.agent.get('/organisationer/finns-inte/redigera').expect(404);
    });

    it('when a resident without membership or a plain member tries, then 403 for the form and the post', async () => {
      for (const client of [outsider, member]) {
        await client.agent.get(editPath()).expect(403);
        await post(client, editPath(), validForm({ name: 'Kapad' })).expect(403);
      }
      const visitor = request.agent(ctx.app);
      const csrf = csrfFrom((await visitor.get('/logga-in')).text);
      await visitor
        .post(editPath())
        .type('form')
        .send({ ...validForm({ name: 'Kapad' }), _csrf: csrf })
        .expect(401);
      expect(await count('organisations', { name: 'Kapad' })).to.equal(0);
    });

    it('when the organisation admin opens the form, then it is filled in, the number with a hyphen', async () => {
      const res = await orgAdmin.agent.get(editPath()).expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.text).to.contain(`value="${organisation.name}"`);
      const digits = (await ctx.db('organisations').where({ id: organisation.id }).first()).organisation_number as string;
      expect(res.text).to.contain(`value="${formatOrganisationNumber(digits)}"`);
      expect(res.text).to.contain('<option value="forening" selected>');
      expect(res.text).to.contain('<option value="2481" selected>');
      expect(res.text).to.contain('Storgatan 1</textarea>');
    });

    it('when the organisation admin saves, then the fields change and the slug stays', async () => {
      const form = validForm({ name: 'Nytt namn på föreningen', type: 'socialt_foretag', municipality: '2417', website: '' });
      await post(orgAdmin, editPath(), form).expect(303);
      const row = await ctx.db('organisations').where({ id: organisation.id }).first();
      expect(row).to.include({
        name: 'Nytt namn på föreningen',
        type: 'socialt_foretag',
        municipality_code: '2417',
        slug: organisation.slug,
        website: null,
        organisation_number: form.organisationNumber!.replace('-', ''),
      });
      const page = await request(ctx.app).get(`/organisationer/${organisation.slug}`).expect(200);
      expect(page.text).to.contain('Arbetsintegrerande socialt företag · Norsjö');
    });

    it('when a platform admin edits, then it is saved', async () => {
      await admin.agent.get(editPath()).expect(200);
      await post(admin, editPath(), validForm({ name: 'Ändrad av plattformen' })).expect(303);
      expect((await ctx.db('organisations').where({ id: organisation.id }).first()).name).to.equal('Ändrad av plattformen');
    });

    it('when the input is bad, then 400 with messages, the input kept and nothing changed', async () => {
      const before = await ctx.db('organisations').where({ id: organisation.id }).first();
      const res = await post(
        orgAdmin,
        editPath(),
        validForm({ name: '', organisationNumber: '123', billingEmail: 'nej' }),
      ).expect(400);
      for (const field of ['name', 'organisationNumber', 'billingEmail']) expect(res.text).to.contain(`id="${field}-error"`);
      expect(res.text).to.contain('value="123"');
      expect(res.text).to.contain('value="nej"');
      expect(await ctx.db('organisations').where({ id: organisation.id }).first()).to.deep.equal(before);
    });

    it("when the number is another organisation's, then 409 beside the field", async () => {
      const other = await organisationWith([]);
      const taken = (await ctx.db('organisations').where({ id: other.id }).first()).organisation_number as string;
      const res = await post(orgAdmin, editPath(), validForm({ organisationNumber: taken })).expect(409);
      expect(res.text).to.contain('id="organisationNumber-error"');
      expect(res.text).to.contain('Det finns redan en organisation med det här organisationsnumret');
    });

    it('when an organisation admin renames a verified organisation, then it must be verified again; a platform admin keeps it verified', async () => {
      const verified = await organisationWith([{ client: orgAdmin, role: 'admin' }], true);
      const path = `/organisationer/${verified.slug}/redigera`;
      const number = (await ctx.db('organisations').where({ id: verified.id }).first()).organisation_number as string;
      const form = await orgAdmin.agent.get(path).expect(200);
      expect(form.text).to.contain('behöver organisationen verifieras igen');

      // Same name and number: stays verified.
      await post(orgAdmin, path, validForm({ name: verified.name, organisationNumber: number, description: 'Ny text' })).expect(
        303,
      );
      expect((await ctx.db('organisations').where({ id: verified.id }).first()).verified_at).to.be.instanceOf(Date);

      await post(admin, path, validForm({ name: 'Omdöpt av plattformen', organisationNumber: number })).expect(303);
      expect((await ctx.db('organisations').where({ id: verified.id }).first()).verified_at).to.be.instanceOf(Date);

      const res = await post(orgAdmin, path, validForm({ name: 'Omdöpt av föreningen', organisationNumber: number })).expect(303);
      expect(res.headers.location).to.equal(`/organisationer/${verified.slug}?done=savedUnverified`);
      expect((await ctx.db('organisations').where({ id: verified.id }).first()).verified_at).to.equal(null);
    });

    it('when an organisation is renamed, then its public assignments are found under the new name', async () => {
      const renamed = await organisationWith([{ client: orgAdmin, role: 'admin' }], true);
      const assignmentId = await createTestAssignment(ctx.db, { organisationId: renamed.id, title: 'Måla staketet vid skolan' });
      await ctx.syncIndex();
      const number = (await ctx.db('organisations').where({ id: renamed.id }).first()).organisation_number as string;
      await post(
        orgAdmin,
        `/organisationer/${renamed.slug}/redigera`,
        validForm({ name: 'Kvarnbyns hembygdsgille', organisationNumber: number }),
      ).expect(303);
      await ctx.runJobs();
      const res = await request(ctx.app).get('/api/v1/assignments').query({ q: 'hembygdsgille' }).expect(200);
      expect(
        (res.body.hits as Array<{ id: number; organisation: string }>).map((hit) => [hit.id, hit.organisation]),
      ).to.deep.equal([[assignmentId, 'Kvarnbyns hembygdsgille']]);
    });

    it('when posted without a CSRF token, then 403', async () => {
      await orgAdmin.agent
        .post(editPath())
        .type('form')
        .send(validForm({ name: 'Utan token' }))
        .expect(403);
    });
  });

  // -------------------------------------------------------------------------

  describe('members and invitations', () => {
    let orgAdmin: Client;
    let member: Client;
    let outsider: Client;
    let admin: Client;
    let organisation: { id: number; slug: string; name: string };
    const membersPath = () => `/organisationer/${organisation.slug}/medlemmar`;

    before(async () => {
      orgAdmin = await resident({ name: 'Greta Ordförande' });
      member = await resident({ name: 'Olle Medlem' });
      outsider = await resident();
      admin = await platformAdmin();
      organisation = await organisationWith([
        { client: orgAdmin, role: 'admin' },
        { client: member, role: 'member' },
      ]);
    });

    const latestInviteToken = async (to: string) => {
      const mail = await ctx.db('mails').where({ to_address: to, template: 'invite' }).orderBy('id', 'desc').first();
      return /\/inbjudan\?token=([A-Za-z0-9_-]{43})/.exec(mail.text_body)![1]!;
    };

    it('when a visitor opens the members page, then login; a resident outside the organisation gets 403', async () => {
      const res = await request(ctx.app).get(membersPath()).expect(303);
      expect(res.headers.location).to.equal(`/logga-in?next=${encodeURIComponent(membersPath())}`);
      await outsider.agent.get(membersPath()).expect(403);
      await request(ctx.app).get('/organisationer/finns-inte/medlemmar').expect(404);
    });

    it('when a member opens it, then names and roles show, but no e-mail addresses and no management forms', async () => {
      const res = await member.agent.get(membersPath()).expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.text).to.contain('Greta Ordförande');
      expect(res.text).to.contain('Olle Medlem');
      expect(res.text).to.contain('Administratör');
      expect(res.text).to.not.contain(orgAdmin.email);
      expect(res.text).to.not.contain('/bjud-in');
      expect(res.text).to.not.contain('/ta-bort');
    });

    it('when the organisation admin or a platform admin opens it, then e-mails and the forms show', async () => {
      for (const client of [orgAdmin, admin]) {
        const res = await client.agent.get(membersPath()).expect(200);
        expect(res.text).to.contain(member.email);
        expect(res.text).to.contain(`${membersPath()}/bjud-in`);
        expect(res.text).to.contain(`${membersPath()}/${member.id}/ta-bort`);
        // The only admin cannot be removed or demoted from the page.
        expect(res.text).to.not.contain(`${membersPath()}/${orgAdmin.id}/ta-bort`);
        expect(res.text).to.contain('enda administratören');
      }
    });

    it('when a member, an outsider or a visitor tries to invite, then 403 / 401 and no mail', async () => {
      await post(member, `${membersPath()}/bjud-in`, { email: 'spam@example.se', role: 'member' }).expect(403);
      await post(outsider, `${membersPath()}/bjud-in`, { email: 'spam@example.se', role: 'member' }).expect(403);
      const visitor = request.agent(ctx.app);
      const csrf = csrfFrom((await visitor.get('/logga-in')).text);
      await visitor.post(`${membersPath()}/bjud-in`).type('form').send({ email: 'spam@example.se', _csrf: csrf }).expect(401);
      expect(await count('mails', { to_address: 'spam@example.se' })).to.equal(0);
      expect(await count('organisation_invites', { email: 'spam@example.se' })).to.equal(0);
    });

    it('when the e-mail is bad or already a member, then 400 beside the field with the input kept', async () => {
      const bad = await post(orgAdmin, `${membersPath()}/bjud-in`, { email: `x${XSS}@`, role: 'member' }).expect(400);
      expect(bad.text).to.contain('id="email-error"');
      expect(bad.text).to.contain('namn@exempel.se');
      expect(bad.text).to.contain(`value="x${XSS_ESCAPED}@"`);
      expect(bad.text).to.not.contain('<script>alert(1)</script>');
      const taken = await post(orgAdmin, `${membersPath()}/bjud-in`, {
        email: member.email.toUpperCase(),
        role: 'member',
      }).expect(400);
      expect(taken.text).to.contain('redan medlem');
      const role = await post(orgAdmin, `${membersPath()}/bjud-in`, { email: 'ok@example.se', role: 'owner' }).expect(400);
      expect(role.text).to.contain('Välj administratör eller medlem');
    });

    it('when invited and accepted end to end, then the new user is a member and the link works once', async () => {
      const invitee = 'nya.medlemmen@example.se';
      const res = await post(orgAdmin, `${membersPath()}/bjud-in`, { email: invitee, role: 'member' }).expect(303);
      expect(res.headers.location).to.equal(`${membersPath()}?done=invited`);

      const mail = await ctx.db('mails').where({ to_address: invitee, template: 'invite' }).first();
      expect(mail.subject).to.equal(`Inbjudan till ${organisation.name} på Uppdragsbanken`);
      expect(mail.text_body).to.contain('Greta Ordförande har bjudit in dig');
      expect(mail.text_body).to.match(/http:\/\/uppdragsbanken\.test\/inbjudan\?token=[A-Za-z0-9_-]{43}/);
      const token = await latestInviteToken(invitee);
      const invite = await ctx.db('organisation_invites').where({ email: invitee }).first();
      expect(invite.token_hash)
        .to.match(/^[0-9a-f]{64}$/)
        .and.not.equal(token); // only the hash is stored
      const validDays = (invite.expires_at.getTime() - Date.now()) / 86_400_000;
      expect(validDays).to.be.within(6.99, 7.01);
      expect(invite.invited_by).to.equal(orgAdmin.id);

      const list = await orgAdmin.agent.get(`${membersPath()}?done=invited`).expect(200);
      expect(list.text).to.contain('Inbjudan är skickad');
      expect(list.text).to.contain(invitee);

      // A visitor with the link sees the invitation and is asked to log in; the GET uses nothing up.
      const visitorPage = await request(ctx.app).get(`/inbjudan?token=${token}`).expect(200);
      expect(visitorPage.text).to.contain(`Du är inbjuden att gå med i ${organisation.name} som medlem`);
      expect(visitorPage.text).to.contain(`/logga-in?next=${encodeURIComponent(`/inbjudan?token=${token}`)}`);
      expect(visitorPage.headers['cache-control']).to.equal('no-store');

      // A new account under another address, not yet verified: asked to verify first.
      const newcomer = await resident({ verified: false, name: 'Nils Nykomling' });
      const unverifiedPage = await newcomer.agent.get(`/inbjudan?token=${token}`).expect(200);
      expect(unverifiedPage.text).to.contain('Bekräfta först e-postadressen');
      await post(newcomer, '/inbjudan', { token }).expect(403);
      expect(await rolesOf(organisation.id)).to.not.have.property(String(newcomer.id));

      await ctx.db('users').where({ id: newcomer.id }).update({ email_verified_at: new Date() });
      const page = await newcomer.agent.get(`/inbjudan?token=${token}`).expect(200);
      expect(page.text).to.contain(`Du går med med ditt konto Nils Nykomling (${newcomer.email})`);
      const accepted = await post(newcomer, '/inbjudan', { token }).expect(303);
      expect(accepted.headers.location).to.equal(`/organisationer/${organisation.slug}?done=joined`);
      expect((await rolesOf(organisation.id))[newcomer.id]).to.equal('member');
      const used = await ctx.db('organisation_invites').where({ id: invite.id }).first();
      expect(used.accepted_by).to.equal(newcomer.id);
      expect(used.accepted_at).to.be.instanceOf(Date);

      // The newcomer now sees the members page; the link is spent for everyone.
      await newcomer.agent.get(membersPath()).expect(200);
      await post(outsider, '/inbjudan', { token }).expect(400);
      const again = await request(ctx.app).get(`/inbjudan?token=${token}`).expect(400);
      expect(again.text).to.contain('Inbjudan är redan använd, återkallad eller har gått ut');
      expect((await rolesOf(organisation.id))[outsider.id]).to.equal(undefined);
    });

    it('when the invite is for an admin, then the person who accepts becomes admin', async () => {
      const newAdmin = await resident();
      await post(orgAdmin, `${membersPath()}/bjud-in`, { email: newAdmin.email, role: 'admin' }).expect(303);
      const token = await latestInviteToken(newAdmin.email);
      await post(newAdmin, '/inbjudan', { token }).expect(303);
      expect((await rolesOf(organisation.id))[newAdmin.id]).to.equal('admin');
      await ctx.db('organisation_members').where({ organisation_id: organisation.id, user_id: newAdmin.id }).delete();
    });

    it('when an existing member accepts an invite, then there is no demotion, but an admin invite promotes', async () => {
      await post(orgAdmin, `${membersPath()}/bjud-in`, { email: 'forwarded@example.se', role: 'member' }).expect(303);
      const token = await latestInviteToken('forwarded@example.se');
      const page = await orgAdmin.agent.get(`/inbjudan?token=${token}`).expect(200);
      expect(page.text).to.contain('Du är redan med i organisationen');
      const res = await post(orgAdmin, '/inbjudan', { token }).expect(303);
      expect(res.headers.location).to.equal(`/organisationer/${organisation.slug}?done=alreadyMember`);
      expect((await rolesOf(organisation.id))[orgAdmin.id]).to.equal('admin');

      // A member invited as admin may accept, and becomes admin.
      await post(orgAdmin, `${membersPath()}/bjud-in`, { email: 'befordran@example.se', role: 'admin' }).expect(303);
      const promotion = await latestInviteToken('befordran@example.se');
      expect((await member.agent.get(`/inbjudan?token=${promotion}`).expect(200)).text).to.contain('Gå med i');
      const promoted = await post(member, '/inbjudan', { token: promotion }).expect(303);
      expect(promoted.headers.location).to.equal(`/organisationer/${organisation.slug}?done=joined`);
      expect((await rolesOf(organisation.id))[member.id]).to.equal('admin');
      await ctx
        .db('organisation_members')
        .where({ organisation_id: organisation.id, user_id: member.id })
        .update({ role: 'member' });
    });

    it('when an invite is withdrawn, replaced or expired, then its link no longer works', async () => {
      const person = await resident();
      await post(orgAdmin, `${membersPath()}/bjud-in`, { email: 'angrad@example.se', role: 'member' }).expect(303);
      const first = await latestInviteToken('angrad@example.se');
      await post(orgAdmin, `${membersPath()}/bjud-in`, { email: 'angrad@example.se', role: 'member' }).expect(303);
      const second = await latestInviteToken('angrad@example.se');
      await request(ctx.app).get(`/inbjudan?token=${first}`).expect(400); // replaced by the new one
      await request(ctx.app).get(`/inbjudan?token=${second}`).expect(200);

      const invite = await ctx.db('organisation_invites').where({ email: 'angrad@example.se' }).whereNull('revoked_at').first();
      await post(member, `${membersPath()}/inbjudningar/${invite.id}/aterkalla`).expect(403);
      await post(outsider, `${membersPath()}/inbjudningar/${invite.id}/aterkalla`).expect(403);
      const revoked = await post(orgAdmin, `${membersPath()}/inbjudningar/${invite.id}/aterkalla`).expect(303);
      expect(revoked.headers.location).to.equal(`${membersPath()}?done=revoked`);
      await post(person, '/inbjudan', { token: second }).expect(400);
      await post(orgAdmin, `${membersPath()}/inbjudningar/abc/aterkalla`).expect(404);

      await post(orgAdmin, `${membersPath()}/bjud-in`, { email: 'sen@example.se', role: 'member' }).expect(303);
      const late = await latestInviteToken('sen@example.se');
      await ctx
        .db('organisation_invites')
        .where({ email: 'sen@example.se' })
        .update({ expires_at: new Date(Date.now() - 1000) });
      await request(ctx.app).get(`/inbjudan?token=${late}`).expect(400);
      await post(person, '/inbjudan', { token: late }).expect(400);
      expect((await rolesOf(organisation.id))[person.id]).to.equal(undefined);
    });

    it('when an invite to one organisation is revoked through another organisation, then 404 and nothing happens', async () => {
      const otherAdmin = await resident();
      const other = await organisationWith([{ client: otherAdmin, role: 'admin' }]);
      await post(orgAdmin, `${membersPath()}/bjud-in`, { email: 'korsvis@example.se', role: 'member' }).expect(303);
      const invite = await ctx.db('organisation_invites').where({ email: 'korsvis@example.se' }).first();
      await post(otherAdmin, `/organisationer/${other.slug}/medlemmar/inbjudningar/${invite.id}/aterkalla`).expect(404);
      expect((await ctx.db('organisation_invites').where({ id: invite.id }).first()).revoked_at).to.equal(null);
      // Still the organisation's own to withdraw, and a second click changes nothing and is no error.
      await post(orgAdmin, `${membersPath()}/inbjudningar/${invite.id}/aterkalla`).expect(303);
      await post(orgAdmin, `${membersPath()}/inbjudningar/${invite.id}/aterkalla`).expect(303);
      expect((await ctx.db('organisation_invites').where({ id: invite.id }).first()).revoked_at).to.not.equal(null);
      await post(orgAdmin, `${membersPath()}/inbjudningar/999999999/aterkalla`).expect(404);
    });

    it("when another organisation's member is named under this organisation's path, then 404 and nothing changes", async () => {
      const otherAdmin = await resident();
      const other = await organisationWith([{ client: otherAdmin, role: 'admin' }]);
      await post(orgAdmin, `${membersPath()}/${otherAdmin.id}/roll`, { role: 'member' }).expect(404);
      await post(orgAdmin, `${membersPath()}/${otherAdmin.id}/roll`, { role: 'kung' }).expect(404);
      await post(orgAdmin, `${membersPath()}/${otherAdmin.id}/ta-bort`).expect(404);
      expect((await rolesOf(other.id))[otherAdmin.id]).to.equal('admin');
    });

    it('when the token is garbage, then 400 with a clear message (and a visitor cannot post at all)', async () => {
      for (const token of ['', 'x', 'a'.repeat(43), XSS, 'a'.repeat(5000)]) {
        const res = await request(ctx.app).get('/inbjudan').query({ token }).expect(400);
        expect(res.text).to.contain('Inbjudan är redan använd, återkallad eller har gått ut');
        expect(res.text).to.not.contain('<script>alert(1)</script>');
        await post(outsider, '/inbjudan', { token }).expect(400);
      }
      const visitor = request.agent(ctx.app);
      const csrf = csrfFrom((await visitor.get('/logga-in')).text);
      await visitor
        .post('/inbjudan')
        .type('form')
        .send({ token: 'a'.repeat(43), _csrf: csrf })
        .expect(401);
    });

    it('when accepting without a CSRF token, then 403', async () => {
      await post(orgAdmin, `${membersPath()}/bjud-in`, { email: 'csrf@example.se', role: 'member' }).expect(303);
      const token = await latestInviteToken('csrf@example.se');
      await outsider.agent.post('/inbjudan').type('form').send({ token }).expect(403);
      await orgAdmin.agent.post(`${membersPath()}/bjud-in`).type('form').send({ email: 'x@example.se' }).expect(403);
    });

    it('when an organisation sends too many invitations in a day, then it is stopped', async () => {
      const spammer = await resident();
      const spamOrg = await organisationWith([{ client: spammer, role: 'admin' }]);
      const path = `/organisationer/${spamOrg.slug}/medlemmar/bjud-in`;
      await ctx.db('organisation_invites').insert(
        Array.from({ length: 30 }, (_, i) => ({
          organisation_id: spamOrg.id,
          email: `mottagare${i}@example.se`,
          token_hash: `${'0'.repeat(56)}${String(i).padStart(8, '0')}`,
          invited_by: spammer.id,
          expires_at: new Date(Date.now() + 86_400_000),
        })),
      );
      const res = await post(spammer, path, { email: 'en.till@example.se', role: 'member' }).expect(400);
      expect(res.text).to.contain('många inbjudningar');
      expect(await count('mails', { to_address: 'en.till@example.se' })).to.equal(0);
    });
  });

  // -------------------------------------------------------------------------

  describe('roles, removal and the last admin', () => {
    it('when the organisation admin changes a role, then it changes; a bad role is 400', async () => {
      const a = await resident();
      const m = await resident();
      const organisation = await organisationWith([
        { client: a, role: 'admin' },
        { client: m, role: 'member' },
      ]);
      const base = `/organisationer/${organisation.slug}/medlemmar`;
      const res = await post(a, `${base}/${m.id}/roll`, { role: 'admin' }).expect(303);
      expect(res.headers.location).to.equal(`${base}?done=role`);
      expect((await rolesOf(organisation.id))[m.id]).to.equal('admin');
      await post(a, `${base}/${m.id}/roll`, { role: 'member' }).expect(303);
      expect((await rolesOf(organisation.id))[m.id]).to.equal('member');
      const bad = await post(a, `${base}/${m.id}/roll`, { role: 'owner' }).expect(400);
      expect(bad.text).to.contain('Välj administratör eller medlem');
      await post(a, `${base}/${m.id}/roll`, {}).expect(400);
      expect((await rolesOf(organisation.id))[m.id]).to.equal('member');
    });

    it('when someone without the right changes roles or removes members, then 403 / 401; unknown members are 404', async () => {
      const a = await resident();
      const m = await resident();
      const outsider = await resident();
      const organisation = await organisationWith([
        { client: a, role: 'admin' },
        { client: m, role: 'member' },
      ]);
      const base = `/organisationer/${organisation.slug}/medlemmar`;
      await post(m, `${base}/${m.id}/roll`, { role: 'admin' }).expect(403);
      await post(m, `${base}/${a.id}/ta-bort`).expect(403);
      await post(outsider, `${base}/${m.id}/ta-bort`).expect(403);
      const visitor = request.agent(ctx.app);
      const csrf = csrfFrom((await visitor.get('/logga-in')).text);
      await visitor.post(`${base}/${m.id}/ta-bort`).type('form').send({ _csrf: csrf }).expect(401);
      await post(a, `${base}/${outsider.id}/ta-bort`).expect(404);
      await post(a, `${base}/abc/ta-bort`).expect(404);
      await post(a, `${base}/99999999999999999999/roll`, { role: 'admin' }).expect(404);
      await post(a, `/organisationer/finns-inte/medlemmar/${m.id}/ta-bort`).expect(404);
      await a.agent.post(`${base}/${m.id}/ta-bort`).type('form').send({}).expect(403); // no CSRF token
      expect(await rolesOf(organisation.id)).to.deep.equal({ [a.id]: 'admin', [m.id]: 'member' });
    });

    it('when a member is removed, then they lose access at once', async () => {
      const a = await resident();
      const m = await resident();
      const organisation = await organisationWith([
        { client: a, role: 'admin' },
        { client: m, role: 'member' },
      ]);
      const base = `/organisationer/${organisation.slug}/medlemmar`;
      await m.agent.get(base).expect(200);
      const res = await post(a, `${base}/${m.id}/ta-bort`).expect(303);
      expect(res.headers.location).to.equal(`${base}?done=removed`);
      expect(await rolesOf(organisation.id)).to.deep.equal({ [a.id]: 'admin' });
      await m.agent.get(base).expect(403);
    });

    it('when the only admin demotes or removes themselves, then 409 with a message and nothing changes', async () => {
      const a = await resident();
      const m = await resident();
      const organisation = await organisationWith([
        { client: a, role: 'admin' },
        { client: m, role: 'member' },
      ]);
      const base = `/organisationer/${organisation.slug}/medlemmar`;
      const demote = await post(a, `${base}/${a.id}/roll`, { role: 'member' }).expect(409);
      expect(demote.text).to.contain('Organisationen måste ha minst en administratör');
      await post(a, `${base}/${a.id}/ta-bort`).expect(409);
      const admin = await platformAdmin();
      await post(admin, `${base}/${a.id}/ta-bort`).expect(409);
      expect(await rolesOf(organisation.id)).to.deep.equal({ [a.id]: 'admin', [m.id]: 'member' });
    });

    it('when one of two admins leaves, then it is allowed and they land on the public page', async () => {
      const a = await resident();
      const b = await resident();
      const organisation = await organisationWith([
        { client: a, role: 'admin' },
        { client: b, role: 'admin' },
      ]);
      const res = await post(a, `/organisationer/${organisation.slug}/medlemmar/${a.id}/ta-bort`).expect(303);
      expect(res.headers.location).to.equal(`/organisationer/${organisation.slug}`);
      expect(await rolesOf(organisation.id)).to.deep.equal({ [b.id]: 'admin' });
    });

    it('when two admins remove each other at the same moment, then exactly one admin is left', async () => {
      for (let round = 0; round < 5; round++) {
        const a = await resident();
        const b = await resident();
        const organisation = await organisationWith([
          { client: a, role: 'admin' },
          { client: b, role: 'admin' },
        ]);
        const base = `/organisationer/${organisation.slug}/medlemmar`;
        const results = await Promise.all([post(a, `${base}/${b.id}/ta-bort`), post(b, `${base}/${a.id}/ta-bort`)]);
        const statuses = results.map((r) => r.status).sort();
        expect(statuses[0]).to.equal(303);
        expect(statuses[1]).to.be.oneOf([403, 409]);
        const roles = Object.values(await rolesOf(organisation.id));
        expect(roles).to.deep.equal(['admin']);
      }
    });

    it('when a platform admin removes both admins at the same moment, then one is refused', async () => {
      const admin = await platformAdmin();
      for (let round = 0; round < 5; round++) {
        const a = await resident();
        const b = await resident();
        const organisation = await organisationWith([
          { client: a, role: 'admin' },
          { client: b, role: 'admin' },
        ]);
        const base = `/organisationer/${organisation.slug}/medlemmar`;
        const results = await Promise.all([
          post(admin, `${base}/${a.id}/ta-bort`),
          post(admin, `${base}/${b.id}/roll`, { role: 'member' }),
        ]);
        expect(results.map((r) => r.status).sort()).to.deep.equal([303, 409]);
        const roles = await rolesOf(organisation.id);
        expect(Object.values(roles).filter((role) => role === 'admin')).to.have.length(1);
      }
    });
  });

  // -------------------------------------------------------------------------

  describe('verification by a platform admin', () => {
    it('when anyone but a platform admin posts, then 404 and it stays unverified', async () => {
      const a = await resident();
      const outsider = await resident();
      const organisation = await organisationWith([{ client: a, role: 'admin' }]);
      const path = `/organisationer/${organisation.slug}/verifiera`;
      await post(a, path).expect(404);
      await post(outsider, path).expect(404);
      const visitor = request.agent(ctx.app);
      const csrf = csrfFrom((await visitor.get('/logga-in')).text);
      await visitor.post(path).type('form').send({ _csrf: csrf }).expect(404);
      expect((await ctx.db('organisations').where({ id: organisation.id }).first()).verified_at).to.equal(null);
      const page = await a.agent.get(`/organisationer/${organisation.slug}`).expect(200);
      expect(page.text).to.not.contain('/verifiera');
    });

    it('when a platform admin verifies, then verified_at is set, the marker goes, and doing it again changes nothing', async () => {
      const admin = await platformAdmin();
      const organisation = await organisationWith([]);
      const page = await admin.agent.get(`/organisationer/${organisation.slug}`).expect(200);
      expect(page.text).to.contain(`action="/organisationer/${organisation.slug}/verifiera"`);
      const res = await post(admin, `/organisationer/${organisation.slug}/verifiera`).expect(303);
      expect(res.headers.location).to.equal(`/organisationer/${organisation.slug}?done=verified`);
      const first = (await ctx.db('organisations').where({ id: organisation.id }).first()).verified_at as Date;
      expect(first).to.be.instanceOf(Date);
      const after = await request(ctx.app).get(`/organisationer/${organisation.slug}`).expect(200);
      expect(after.text).to.not.contain('Ej verifierad');
      await post(admin, `/organisationer/${organisation.slug}/verifiera`).expect(303);
      expect((await ctx.db('organisations').where({ id: organisation.id }).first()).verified_at).to.deep.equal(first);
    });

    it('when the admin pages send next, then back there; any other next goes to the organisation', async () => {
      const admin = await platformAdmin();
      const organisation = await organisationWith([]);
      const path = `/organisationer/${organisation.slug}/verifiera`;
      expect((await post(admin, path, { next: '/admin' }).expect(303)).headers.location).to.equal('/admin');
      for (const next of ['//evil.example', 'https://evil.example', '/admin/../konto', '/konto']) {
        expect((await post(admin, path, { next }).expect(303)).headers.location).to.equal(
          `/organisationer/${organisation.slug}?done=verified`,
        );
      }
    });

    it('when the slug is unknown or the token missing, then 404 / 403', async () => {
      const admin = await platformAdmin();
      await post(admin, '/organisationer/finns-inte/verifiera').expect(404);
      const organisation = await organisationWith([]);
      await admin.agent.post(`/organisationer/${organisation.slug}/verifiera`).type('form').send({}).expect(403);
      expect((await ctx.db('organisations').where({ id: organisation.id }).first()).verified_at).to.equal(null);
    });
  });

  // -------------------------------------------------------------------------

  describe('my organisations', () => {
    it('when a visitor asks, then login', async () => {
      const res = await request(ctx.app).get('/konto/organisationer').expect(303);
      expect(res.headers.location).to.equal('/logga-in?next=%2Fkonto%2Forganisationer');
    });

    it('when a user has organisations, then the account page links to them and the list shows each with the role', async () => {
      const user = await resident();
      const one = await organisationWith([{ client: user, role: 'admin' }], true);
      const two = await organisationWith([{ client: user, role: 'member' }]);
      await organisationWith([]); // not theirs
      const account = await user.agent.get('/konto').expect(200);
      expect(account.text).to.contain('href="/konto/organisationer"');
      expect(account.text).to.contain('href="/organisationer/ny"');
      const res = await user.agent.get('/konto/organisationer').expect(200);
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(res.text).to.contain(`<a href="/organisationer/${one.slug}">${one.name}</a>`);
      expect(res.text).to.contain(`<a href="/organisationer/${two.slug}">${two.name}</a>`);
      const card = (slug: string) =>
        res.text.slice(res.text.indexOf(`<a href="/organisationer/${slug}">`)).split('</article>')[0]!;
      expect(card(one.slug))
        .to.contain('<span class="badge badge-neutral">Administratör</span>')
        .and.contain('<span class="badge badge-success">Verifierad</span>');
      expect(card(two.slug))
        .to.contain('<span class="badge badge-neutral">Medlem</span>')
        .and.contain('<span class="badge badge-warning">Ej verifierad</span>');
      expect(res.text.match(/<h2 class="card-title"><a href="\/organisationer\/testforeningen-/g)).to.have.length(2);
    });

    it('when a user has none, then the page says so and offers to create one', async () => {
      const user = await resident();
      const res = await user.agent.get('/konto/organisationer').expect(200);
      expect(res.text).to.contain('Du är inte med i någon organisation än');
      expect(res.text).to.contain('href="/organisationer/ny"');
    });
  });
});

describe('Organisations in the browser (axe, WCAG 2.1 A/AA)', function () {
  this.timeout(60_000);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);

  it('when an organisation admin goes through every organisation page, then axe finds no violations', async () => {
    const user = await createUser(ctx.db, { name: 'Greta Ordförande' });
    const page = await browser.newPage();
    await logInWithForm(page, browser.baseUrl, user.email);
    const check = async (what: string) => expect(await accessibilityViolations(page), what).to.deep.equal([]);

    await page.goto(browser.baseUrl + '/organisationer/ny');
    await check('the empty form');
    await page.getByRole('button', { name: 'Skapa organisationen' }).click();
    await page.locator('#name-error').waitFor();
    await check('the form with errors');

    await page.getByLabel('Organisationens namn', { exact: true }).fill('Rusksele byaförening');
    await page.getByLabel('Typ av organisation', { exact: true }).selectOption('forening');
    await page.getByLabel('Organisationsnummer', { exact: true }).fill('802451-3767');
    await page.getByLabel('Kommun', { exact: true }).selectOption('2481');
    await page.getByLabel('Postadress', { exact: true }).fill('Byavägen 1\n921 94 Rusksele');
    await page.getByLabel('E-postadress för fakturor', { exact: true }).fill('kassor@rusksele.example.se');
    await page.getByLabel('Beskrivning', { exact: true }).fill('Vi sköter bygdegården.\n\n- Snöröjning\n- Gräsklippning');
    await page.getByLabel('Webbplats (valfritt)', { exact: true }).fill('www.rusksele.example.se');
    await page.getByRole('button', { name: 'Skapa organisationen' }).click();
    await page.waitForURL(/\/organisationer\/rusksele-byaforening$/);
    await page.getByText('Organisationen är skapad').waitFor();
    await check('the organisation page');

    await page.getByRole('link', { name: 'Redigera organisationen' }).click();
    await page.getByRole('heading', { name: 'Redigera Rusksele byaförening' }).waitFor();
    await check('the edit form');

    await page.goto(browser.baseUrl + '/organisationer/rusksele-byaforening/medlemmar');
    await page.getByLabel('E-postadress till den du vill bjuda in', { exact: true }).fill('ny.medlem@example.se');
    await page.getByRole('button', { name: 'Skicka inbjudan' }).click();
    await page.waitForURL(/done=invited$/);
    await check('the members page with an invitation');

    const mail = await ctx.db('mails').where({ to_address: 'ny.medlem@example.se' }).first();
    const invitePath = /\/inbjudan\?token=[A-Za-z0-9_-]{43}/.exec(mail.text_body)![0];
    await page.goto(browser.baseUrl + invitePath);
    await check('the invitation page');
    await page.goto(browser.baseUrl + '/konto/organisationer');
    await check('my organisations');
    await page.close();

    const visitor = await browser.newPage();
    await visitor.goto(browser.baseUrl + invitePath);
    expect(await accessibilityViolations(visitor), 'the invitation page for a visitor').to.deep.equal([]);
    await visitor.goto(browser.baseUrl + '/inbjudan?token=x');
    expect(await accessibilityViolations(visitor), 'a spent invitation').to.deep.equal([]);
    await visitor.close();
  });
});
