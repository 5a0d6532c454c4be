import { expect } from 'chai';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createOrganisation, isoDay } from '../support/factories.js';
import { useTestApp, type TestApp } from '../support/test-app.js';
import { createUser, logInAs, type LoggedIn } from '../support/users.js';

// The map on the posting form, through HTTP: the page loads Leaflet and the
// picker only when a tile server is configured, the CSP lets images come from
// exactly that server, and the typed point field works with or without it.
// What the map does in a browser: test/browser/map-picker.test.ts.

const XSS = '"><script>alert(1)</script>';

const validForm = (overrides: Record<string, string> = {}) => ({
  title: 'Skotta snö vid bygdegården',
  description: 'Vi behöver hjälp att skotta trappan och parkeringen.',
  category: 'snorojning',
  municipality: '2481',
  locality: 'Rusksele',
  point: '',
  compensationType: 'volunteer',
  applyBy: isoDay(2),
  peopleNeeded: '1',
  intent: 'draft',
  ...overrides,
});

/** The CSP as directive → sources. */
function cspOf(res: request.Response): Map<string, string[]> {
  return new Map(
    String(res.headers['content-security-policy'] ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

/** Every directive but img-src, as the site has it without a map. */
const CSP_WITHOUT_IMAGES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

const attribute = (html: string, name: string) => new RegExp(`id="point-map-picker"[^>]*\\s${name}="([^"]*)"`).exec(html)?.[1];
const unescape = (value: string) =>
  value.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** An organisation in Lycksele (2481) with a logged-in member; the form's path. */
function useMember(ctx: TestApp) {
  const member = {} as LoggedIn & { formPath: string };
  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Rusksele byaförening' });
    const slug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug as string;
    const user = await createUser(ctx.db);
    await ctx.db('organisation_members').insert({ organisation_id: org.id, user_id: user.id, role: 'member' });
    Object.assign(member, await logInAs(ctx.app, user.email), { formPath: `/organisationer/${slug}/uppdrag/nytt` });
  });
  return member;
}

const send = (member: LoggedIn & { formPath: string }, fields: Record<string, string>) =>
  member.agent
    .post(member.formPath)
    .type('form')
    .send({ ...fields, _csrf: member.csrf });

describe('Map picker on the posting form', () => {
  describe('when no MAP_TILE_URL is set (OpenStreetMap by default)', () => {
    const ctx = useTestApp();
    const member = useMember(ctx);

    it('when a member opens the new-assignment form, then it loads Leaflet and the picker after it, and the typed field is still there', async () => {
      const res = await member.agent.get(member.formPath).expect(200);
      const leafletCss = res.text.indexOf('<link rel="stylesheet" href="/vendor/leaflet/leaflet.css">');
      const leaflet = res.text.indexOf('<script src="/vendor/leaflet/leaflet.js" defer></script>');
      const picker = res.text.indexOf('<script src="/js/map-picker.js" defer></script>');
      expect(leafletCss).to.be.greaterThan(0);
      expect(leaflet).to.be.greaterThan(leafletCss);
      expect(picker).to.be.greaterThan(leaflet);
      expect(res.text.slice(0, res.text.indexOf('</head>'))).to.include('/js/map-picker.js');
      // Hidden until the script shows it: without JavaScript only the field is seen.
      expect(res.text).to.match(/<div class="map-picker" id="point-map-picker" hidden /);
      expect(attribute(res.text, 'data-tile-url')).to.equal('https://tile.openstreetmap.org/{z}/{x}/{y}.png');
      expect(attribute(res.text, 'data-attribution')).to.equal('© OpenStreetMap contributors');
      expect(res.text).to.match(
        /<div class="map-picker-map" id="point-map" role="application" aria-label="[^"]+" aria-describedby="point-map-hint">/,
      );
      expect(res.text).to.match(/<label for="point">Exakt plats \(valfritt\)<\/label>/);
      expect(res.text).to.match(/<input id="point" name="point" type="text"/);
      expect(res.text).to.match(/<button type="button" class="small-button" id="point-clear">Rensa platsen<\/button>/);
    });

    it("when the form opens, then the map is given the organisation's municipality: its villages and their bounds", async () => {
      const res = await member.agent.get(member.formPath).expect(200);
      const localities = JSON.parse(unescape(attribute(res.text, 'data-localities')!)) as Record<string, [number, number]>;
      expect(localities.Rusksele).to.deep.equal([64.815066, 18.899262]);
      expect(localities.Lycksele).to.deep.equal([64.595861, 18.677755]);
      expect(Object.keys(localities)).to.have.length(8);
      expect(attribute(res.text, 'data-municipality')).to.equal('2481');
      // Every municipality's box (south, west, north, east of its villages, to about 1 km), so the
      // map can follow a change of municipality; one without villages is left out.
      const bounds = JSON.parse(unescape(attribute(res.text, 'data-bounds')!)) as Record<string, number[]>;
      expect(bounds['2481']).to.deep.equal([64.14, 18.17, 65.19, 18.99]);
      expect(bounds).to.have.property('0188');
      expect(bounds).not.to.have.property('0123');
      expect(Object.keys(bounds)).to.have.length(284);
    });

    it('when the form opens, then the CSP lets images come from the tile server and changes nothing else', async () => {
      const res = await member.agent.get(member.formPath).expect(200);
      const csp = cspOf(res);
      expect(csp.get('img-src')).to.deep.equal(["'self'", 'data:', 'https://tile.openstreetmap.org']);
      csp.delete('img-src');
      expect(Object.fromEntries(csp)).to.deep.equal(CSP_WITHOUT_IMAGES);
    });

    it('when the form comes back with a bad point and another municipality, then 400, the point kept and the map on that municipality', async () => {
      const res = await send(member, validForm({ municipality: '0188', locality: '', point: `norr om byn ${XSS}` })).expect(400);
      expect(res.text).to.include('id="point-error"');
      expect(res.text).to.include('value="norr om byn &#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
      expect(res.text).not.to.include('<script>alert(1)');
      const localities = JSON.parse(unescape(attribute(res.text, 'data-localities')!)) as Record<string, unknown>;
      expect(localities).to.have.property('Arholma');
      expect(localities).not.to.have.property('Rusksele');
      expect(attribute(res.text, 'data-municipality')).to.equal('0188');
      expect(Number((await ctx.db('assignments').count({ n: '*' }).first())!.n)).to.equal(0);
    });

    it('when the point is sent as the map writes it (6 decimals), then the assignment is saved with it', async () => {
      await send(member, validForm({ point: '64.815066, 18.899262' })).expect(303);
      const row = await ctx.db('assignments').orderBy('id', 'desc').first('lat', 'lng');
      expect([Number(row.lat), Number(row.lng)]).to.deep.equal([64.815066, 18.899262]);
    });

    it('when the browser asks for Leaflet and the picker, then the site serves them (copied at install)', async () => {
      const files: Array<[string, RegExp]> = [
        ['/vendor/leaflet/leaflet.js', /javascript/],
        ['/vendor/leaflet/leaflet.css', /text\/css/],
        ['/vendor/leaflet/images/marker-icon.png', /image\/png/],
        ['/vendor/leaflet/images/marker-shadow.png', /image\/png/],
        ['/js/map-picker.js', /javascript/],
      ];
      for (const [path, type] of files) {
        const res = await request(ctx.app).get(path);
        expect(res.status, path).to.equal(200);
        expect(res.headers['content-type'], path).to.match(type);
      }
    });

    it('when a page without the form is opened, then it loads no map script', async () => {
      const res = await request(ctx.app).get('/').expect(200);
      expect(res.text).not.to.include('leaflet');
      expect(res.text).not.to.include('map-picker');
    });
  });

  describe('when MAP_TILE_URL names another tile server and MAP_TILE_ATTRIBUTION is hostile', () => {
    const ctx = useTestApp((deps) => ({
      config: {
        ...deps.config,
        map: loadConfig({
          MAP_TILE_URL: 'https://kartor.example.se:8443/tiles/{z}/{x}/{y}.png?key=abc',
          MAP_TILE_ATTRIBUTION: XSS,
        }).map,
      },
    }));
    const member = useMember(ctx);

    it('then the CSP allows exactly that origin (no path, no other host) and the attribution is escaped', async () => {
      const res = await member.agent.get(member.formPath).expect(200);
      expect(cspOf(res).get('img-src')).to.deep.equal(["'self'", 'data:', 'https://kartor.example.se:8443']);
      expect(attribute(res.text, 'data-tile-url')).to.equal('https://kartor.example.se:8443/tiles/{z}/{x}/{y}.png?key=abc');
      expect(attribute(res.text, 'data-attribution')).to.equal('&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(res.text).not.to.include('<script>alert(1)');
    });
  });

  describe('when MAP_TILE_URL is blank (no map)', () => {
    const ctx = useTestApp((deps) => ({ config: { ...deps.config, map: loadConfig({ MAP_TILE_URL: '' }).map } }));
    const member = useMember(ctx);

    it('then the form has the typed field but no map, no Leaflet and no picker script', async () => {
      const res = await member.agent.get(member.formPath).expect(200);
      expect(res.text).to.match(/<input id="point" name="point" type="text"/);
      expect(res.text).not.to.include('point-map');
      expect(res.text).not.to.include('leaflet');
      expect(res.text).not.to.include('/js/map-picker.js');
    });

    it('then the CSP allows images only from the site itself (and data: URLs)', async () => {
      const res = await member.agent.get(member.formPath).expect(200);
      const csp = cspOf(res);
      expect(csp.get('img-src')).to.deep.equal(["'self'", 'data:']);
      csp.delete('img-src');
      expect(Object.fromEntries(csp)).to.deep.equal(CSP_WITHOUT_IMAGES);
    });

    it('then a typed point is saved as before', async () => {
      await send(member, validForm({ point: ' 64.6, 18.7 ' })).expect(303);
      const row = await ctx.db('assignments').orderBy('id', 'desc').first('lat', 'lng');
      expect([Number(row.lat), Number(row.lng)]).to.deep.equal([64.6, 18.7]);
    });
  });
});
