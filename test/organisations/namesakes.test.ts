import { expect } from 'chai';
import request from 'supertest';
import { formatOrganisationNumber, luhnCheckDigit } from '../../src/modules/organisations/organisation-number.js';
import { useTestApp } from '../support/test-app.js';
import { createUser, csrfFrom, logInAs, postForm, type LoggedIn } from '../support/users.js';

// Trust signals (issue 14): a new organisation named like one that exists in the same municipality is
// most likely the creator's own association, made before by someone else. The creator is warned on a
// confirmation step, with a link to it, and may go on: a warning, never a refusal. And the admin's list
// of organisations waiting for verification tells namesakes apart by number and municipality.

const XSS = '"><script>alert(1)</script>';

let numberSequence = 0;
function newOrganisationNumber(): string {
  const base = `803${String(++numberSequence + 200_000).padStart(6, '0')}`;
  return `${base}${luhnCheckDigit(base)}`;
}

function form(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Kusfors byaförening',
    type: 'forening',
    organisationNumber: formatOrganisationNumber(newOrganisationNumber()),
    municipality: '2418', // Malå
    address: 'Byavägen 2\n930 70 Kusfors',
    billingEmail: 'kassor@kusfors.example.se',
    description: 'Vi sköter bygdegården.\n\n- Snöröjning\n- Gräsklippning',
    website: '',
    ...overrides,
  };
}

describe('Organisations with the same name', () => {
  const ctx = useTestApp();
  let creator: LoggedIn;
  let admin: LoggedIn;

  const countNamed = async (name: string) =>
    Number((await ctx.db('organisations').where('name', name).count<{ count: string }[]>({ count: '*' }))[0]!.count);

  before(async () => {
    creator = await logInAs(ctx.app, (await createUser(ctx.db, { name: 'Kim Skapare' })).email);
    admin = await logInAs(ctx.app, (await createUser(ctx.db, { isAdmin: true, name: 'Ada Admin' })).email);
  });

  it('when the name is new in the municipality, then the organisation is created at once', async () => {
    const res = await postForm(creator, '/organisationer/ny', form({ name: 'Kusfors IK' }));
    expect(res.status, res.text).to.equal(303);
    expect(await countNamed('Kusfors IK')).to.equal(1);
  });

  it('when the name exists in the municipality (other case and spacing), then a warning with a link, and nothing stored yet', async () => {
    await postForm(creator, '/organisationer/ny', form({ name: 'Kusfors hembygdsförening' })).expect(303);
    const res = await postForm(creator, '/organisationer/ny', form({ name: '  kusfors   Hembygdsförening ' })).expect(200);
    expect(res.text).to.contain(
      'Det finns redan en organisation med namnet Kusfors hembygdsförening i Malå. Är det din? Be då dess administratör om en inbjudan.',
    );
    expect(res.text).to.match(
      /<a href="\/organisationer\/kusfors-hembygdsforening">Gå till Kusfors hembygdsförening i Malå<\/a>/,
    );
    expect(res.text).to.contain('Skapa en ny organisation ändå').and.contain('Ändra uppgifterna');
    expect(res.text).to.contain('name="confirmNamesakes" value="yes"');
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(await ctx.db('organisations').whereILike('name', '%hembygdsförening%').count({ count: '*' })).to.deep.equal([
      { count: 1 },
    ]);
  });

  it('when the creator goes on, then the second organisation is created with its own page', async () => {
    await postForm(creator, '/organisationer/ny', form({ name: 'Kusfors skoterklubb' })).expect(303);
    const warned = await postForm(creator, '/organisationer/ny', form({ name: 'Kusfors skoterklubb' })).expect(200);
    // What the confirmation step sends back: every field as typed, and the confirmation.
    const hidden = Object.fromEntries(
      [...warned.text.matchAll(/<input type="hidden" name="([A-Za-z]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]),
    );
    expect(hidden).to.include({ name: 'Kusfors skoterklubb', municipality: '2418', confirmNamesakes: 'yes' });
    const res = await postForm(creator, '/organisationer/ny', form({ name: 'Kusfors skoterklubb', confirmNamesakes: 'yes' }));
    expect(res.status, res.text).to.equal(303);
    expect(res.headers.location).to.equal('/organisationer/kusfors-skoterklubb-2');
    expect(await countNamed('Kusfors skoterklubb')).to.equal(2);
  });

  it('when the creator chooses to change the details, then the form comes back as typed and nothing is stored', async () => {
    await postForm(creator, '/organisationer/ny', form({ name: 'Kusfors fiskevårdsområde' })).expect(303);
    const res = await postForm(
      creator,
      '/organisationer/ny',
      form({ name: 'Kusfors fiskevårdsområde', confirmNamesakes: 'yes', edit: 'yes' }),
    ).expect(200);
    expect(res.text).to.contain('id="name"').and.contain('value="Kusfors fiskevårdsområde"');
    expect(res.text).to.contain('Byavägen 2\n930 70 Kusfors</textarea>');
    expect(await countNamed('Kusfors fiskevårdsområde')).to.equal(1);
  });

  it('when the same name is in another municipality, then no warning: it is another place', async () => {
    await postForm(creator, '/organisationer/ny', form({ name: 'Byalaget' })).expect(303);
    await postForm(creator, '/organisationer/ny', form({ name: 'Byalaget', municipality: '2481' })).expect(303);
    expect(await countNamed('Byalaget')).to.equal(2);
  });

  it('when the confirmation is not a plain "yes" (an array, another word), then the warning is shown again', async () => {
    await postForm(creator, '/organisationer/ny', form({ name: 'Kusfors jaktlag' })).expect(303);
    for (const confirmNamesakes of [['yes', 'yes'], 'ja', '']) {
      const res = await postForm(creator, '/organisationer/ny', form({ name: 'Kusfors jaktlag', confirmNamesakes })).expect(200);
      expect(res.text).to.contain('Det finns redan en organisation med namnet Kusfors jaktlag');
    }
    expect(await countNamed('Kusfors jaktlag')).to.equal(1);
  });

  it('when the form is invalid too, then the field errors come first (400), not the warning', async () => {
    const res = await postForm(creator, '/organisationer/ny', form({ name: 'Kusfors IK', organisationNumber: '12' })).expect(400);
    expect(res.text).to.contain('id="organisationNumber-error"').and.not.contain('Det finns redan en organisation med namnet');
  });

  it('when names and fields carry markup, then the warning and the hidden fields show it escaped', async () => {
    const name = `Kusfors ${XSS}`;
    await postForm(creator, '/organisationer/ny', form({ name, description: `Om oss ${XSS}` })).expect(303);
    const res = await postForm(creator, '/organisationer/ny', form({ name, description: `Om oss ${XSS}` })).expect(200);
    expect(res.text).not.to.contain(XSS);
    expect(res.text).to.contain('Kusfors &#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('when a visitor posts the confirmation, then 401 and nothing is stored', async () => {
    const agent = request.agent(ctx.app);
    const csrf = csrfFrom((await agent.get('/logga-in')).text);
    await agent
      .post('/organisationer/ny')
      .type('form')
      .send({ ...form({ name: 'Besökarens byalag', confirmNamesakes: 'yes' }), _csrf: csrf })
      .expect(401);
    expect(await countNamed('Besökarens byalag')).to.equal(0);
  });

  it('when the admin lists organisations waiting for verification, then namesakes differ by number and municipality', async () => {
    const digits = newOrganisationNumber();
    await postForm(creator, '/organisationer/ny', form({ name: 'Tvillingbyns förening', organisationNumber: digits })).expect(
      303,
    );
    const other = newOrganisationNumber();
    await postForm(
      creator,
      '/organisationer/ny',
      form({ name: 'Tvillingbyns förening', organisationNumber: other, municipality: '2481' }),
    ).expect(303);
    const page = await admin.agent.get('/admin').expect(200);
    // A row per organisation: its municipality and number in cells of their own.
    expect(page.text).to.match(new RegExp(`<td>Malå</td>\\s*<td>org.nr ${formatOrganisationNumber(digits)}</td>`));
    expect(page.text).to.match(new RegExp(`<td>Lycksele</td>\\s*<td>org.nr ${formatOrganisationNumber(other)}</td>`));
  });
});
