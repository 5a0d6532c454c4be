import { expect } from 'chai';
import request from 'supertest';
import { createSearchClient } from '../../src/platform/meilisearch.js';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../src/modules/search/result.js';
import { isoDay } from '../support/factories.js';
import {
  createSearchFixture,
  facetCountsInDatabase,
  LYCKSELE,
  TEN_KM_NORTH,
  type FixtureKey,
  type SearchFixture,
} from '../support/search-factories.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

// ONE contract for both search engines, through the JSON API on the same data:
// Meilisearch when it answers, PostgreSQL when it cannot (here: a client
// pointed at a closed port). Whatever a user asks, both must answer alike.

// Port 9 (discard) has nothing listening here: connections are refused at once.
const CLOSED_PORT_HOST = 'http://127.0.0.1:9';

type Hit = {
  id: number;
  title: string;
  url: string;
  category: string;
  municipality: { code: string; name: string };
  locality: { slug: string; name: string } | null;
  compensation: { type: string; amountSek: number | null };
  publishedAt: string;
  applyBy: string | null;
  distanceKm?: number;
  location?: { lat: number; lng: number };
  highlight?: { title?: string; excerpt?: string };
  excerpt: string;
};

/** An independent haversine (mean earth radius), to check the engines' distances against. */
function haversineKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const toRad = (d: number) => (d * Math.PI) / 180;
  const s =
    Math.sin(toRad(b.lat - a.lat) / 2) ** 2 +
    Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(toRad(b.lng - a.lng) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(s));
}

const ENGINES = {
  meilisearch: () => useTestApp(),
  postgres: () => useTestApp(() => ({ search: createSearchClient({ host: CLOSED_PORT_HOST, timeoutMs: 500 }) })),
} as const;

for (const [engine, makeApp] of Object.entries(ENGINES)) {
  describe(`Search contract: ${engine}`, () => {
    const ctx: TestApp = makeApp();
    let fixture: SearchFixture;
    const id = (key: FixtureKey) => fixture.ids[key];
    const keysOf = (hits: Hit[]) =>
      hits.map((hit) => (Object.keys(fixture.ids) as FixtureKey[]).find((key) => fixture.ids[key] === hit.id) ?? hit.id);

    const search = async (query: Record<string, string | string[]>) => {
      const res = await request(ctx.app).get('/api/v1/assignments').query(query).expect(200);
      expect(res.body.engine, 'engine').to.equal(engine);
      return res.body as {
        hits: Hit[];
        totalHits: number;
        page: number;
        totalPages: number;
        facets: Record<string, Record<string, number>>;
        engine: string;
      };
    };

    before(async () => {
      const { reference } = ctx.deps;
      fixture = await createSearchFixture(
        ctx.db,
        (code, name) => reference.localitiesOf(code).find((l) => l.name === name)!.slug,
      );
      await ctx.runJobs();
    });

    it('when listed without words, then every open assignment and nothing else comes, newest first', async () => {
      const result = await search({});
      expect(keysOf(result.hits)).to.deep.equal(['fair', 'firewood', 'web', 'lawn', 'snow']);
      expect(result).to.include({ totalHits: 5, page: 1, totalPages: 1 });
      for (const hidden of fixture.hiddenIds) expect(result.hits.map((hit) => hit.id)).not.to.include(hidden);
    });

    it('when a hit comes, then it has the fields of the API contract with the values of the database', async () => {
      const { hits } = await search({ q: 'gräsklippning' });
      const [hit] = hits;
      const row = await ctx.db('assignments').where('id', id('lawn')).first('published_at');
      expect(hit).to.deep.include({
        id: id('lawn'),
        title: 'Gräsklippning av fotbollsplanen',
        category: 'tradgard',
        municipality: { code: '0188', name: 'Norrtälje' },
        locality: { slug: fixture.localities.almsta, name: 'Älmsta' },
        compensation: { type: 'fixed', amountSek: 1500 },
        publishedAt: (row.published_at as Date).toISOString(),
        applyBy: isoDay(20),
      });
      expect(hit!.url).to.equal(`http://uppdragsbanken.test/uppdrag/${id('lawn')}-grasklippning-av-fotbollsplanen`);
      expect(hit!.excerpt).to.equal('Planen vid idrottsplatsen ska klippas varannan vecka under sommaren.');
      expect(hit!.location).to.have.keys(['lat', 'lng']);
      expect(hit).not.to.have.property('distanceKm');
    });

    it('when searched by a word, then title matches rank above description matches, and matches are marked', async () => {
      const { hits } = await search({ q: 'snöskottning' });
      expect(keysOf(hits)).to.deep.equal(['snow', 'web']);
      expect(hits[0]!.highlight!.title).to.equal(`${HIGHLIGHT_START}Snöskottning${HIGHLIGHT_END} vid bygdegården`);
      expect(hits[1]!.highlight!.excerpt).to.include(`${HIGHLIGHT_START}snöskottning${HIGHLIGHT_END}`);
      expect(hits[1]!.excerpt).not.to.match(/[\uE000\uE001]/);
    });

    it('when words are typed without å, ä and ö, then they still find', async () => {
      expect(keysOf((await search({ q: 'grasklippning' })).hits)).to.deep.equal(['lawn']);
      expect(keysOf((await search({ q: 'almsta' })).hits)).to.deep.equal(['lawn']);
      const { hits } = await search({ q: 'vedhuggning at aldre' });
      expect(keysOf(hits)).to.deep.equal(['firewood']);
      expect(hits[0]!.highlight!.title).to.include(`${HIGHLIGHT_START}Vedhuggning${HIGHLIGHT_END}`);
    });

    it('when a word is only begun, then it finds as you type', async () => {
      expect(keysOf((await search({ q: 'vedhugg' })).hits)).to.deep.equal(['firewood']);
      expect(keysOf((await search({ q: 'midsommarf' })).hits)).to.deep.equal(['fair']);
    });

    it('when words name the organisation, village or municipality, then they find', async () => {
      expect(keysOf((await search({ q: 'Rusksele' })).hits)).to.have.members(['snow', 'firewood', 'fair']);
      expect(keysOf((await search({ q: 'Norsjö' })).hits)).to.deep.equal(['web']);
    });

    it('when the words match nothing, then no hits and zero counts', async () => {
      const result = await search({ q: 'xylofonstämning' });
      expect(result).to.include({ totalHits: 0, totalPages: 0 });
      expect(result.hits).to.deep.equal([]);
      expect(result.facets.category).to.deep.equal({});
    });

    it('when filtered by each facet, then only matching assignments come', async () => {
      expect(keysOf((await search({ category: 'tradgard' })).hits)).to.deep.equal(['lawn']);
      expect(keysOf((await search({ category: ['tradgard', 'evenemang'] })).hits)).to.deep.equal(['fair', 'lawn']);
      expect(keysOf((await search({ municipality: '2481' })).hits)).to.deep.equal(['fair', 'firewood', 'snow']);
      expect(keysOf((await search({ locality: fixture.localities.rusksele })).hits)).to.deep.equal(['snow']);
      expect(keysOf((await search({ compensation: 'fixed' })).hits)).to.deep.equal(['web', 'lawn']);
      expect(keysOf((await search({ compensation: ['volunteer', 'hourly'] })).hits)).to.deep.equal(['firewood', 'snow']);
      expect(keysOf((await search({ workTraining: 'true' })).hits)).to.deep.equal(['firewood', 'lawn']);
      expect(keysOf((await search({ municipality: '2481', workTraining: 'true' })).hits)).to.deep.equal(['firewood']);
      expect(keysOf((await search({ q: 'snöskottning', municipality: '2417' })).hits)).to.deep.equal(['web']);
    });

    it('when nothing is selected, then the facet counts are those of the database', async () => {
      const { facets } = await search({});
      expect(facets).to.deep.equal(await facetCountsInDatabase(ctx.db));
      expect(facets).to.deep.equal({
        category: { snorojning: 1, tradgard: 1, 'it-och-webb': 1, 'skog-och-mark': 1, evenemang: 1 },
        municipality: { '2481': 3, '0188': 1, '2417': 1 },
        locality: {
          [fixture.localities.rusksele]: 1,
          [fixture.localities.almsta]: 1,
          [fixture.localities.norsjo]: 1,
          [fixture.localities.lycksele]: 1,
        },
        compensation: { hourly: 1, fixed: 2, volunteer: 1, by_agreement: 1 },
        workTraining: { true: 2, false: 3 },
      });
    });

    it('when one value of a facet is selected, then the other values of that facet keep their counts', async () => {
      const { facets, totalHits } = await search({ category: 'snorojning' });
      expect(totalHits).to.equal(1);
      // Disjunctive: the category facet ignores the category selection …
      expect(facets.category).to.deep.equal({ snorojning: 1, tradgard: 1, 'it-och-webb': 1, 'skog-och-mark': 1, evenemang: 1 });
      // … and every other facet counts within it.
      expect(facets.municipality).to.deep.equal({ '2481': 1 });
      expect(facets.compensation).to.deep.equal({ hourly: 1 });
      expect(facets.workTraining).to.deep.equal({ false: 1 });
    });

    it('when several facets are selected, then each counts under the others’ selections', async () => {
      const { facets } = await search({ municipality: '2481', compensation: 'volunteer', workTraining: 'true' });
      expect(facets.municipality).to.deep.equal({ '2481': 1 });
      expect(facets.compensation).to.deep.equal({ volunteer: 1 });
      expect(facets.workTraining).to.deep.equal({ true: 1 });
      expect(facets.category).to.deep.equal({ 'skog-och-mark': 1 });
      const words = await search({ q: 'snöskottning', category: 'it-och-webb' });
      expect(words.facets.category).to.deep.equal({ snorojning: 1, 'it-och-webb': 1 });
    });

    it('when sorted, then each order holds', async () => {
      expect(keysOf((await search({ sort: 'newest' })).hits)).to.deep.equal(['fair', 'firewood', 'web', 'lawn', 'snow']);
      // Unpaid last, newest first among them.
      expect(keysOf((await search({ sort: 'pay' })).hits)).to.deep.equal(['web', 'lawn', 'snow', 'fair', 'firewood']);
      // No last day to apply: last.
      expect(keysOf((await search({ sort: 'deadline' })).hits)).to.deep.equal(['firewood', 'snow', 'lawn', 'fair', 'web']);
    });

    it('when near a point, then distances are right to 100 m and the distance sort puts places without a point last', async () => {
      const { hits } = await search({ near: `${LYCKSELE.lat},${LYCKSELE.lng}`, sort: 'distance' });
      expect(keysOf(hits)).to.deep.equal(['firewood', 'snow', 'web', 'lawn', 'fair']);
      for (const hit of hits.slice(0, 4)) {
        expect(hit.distanceKm, hit.title).to.be.closeTo(haversineKm(LYCKSELE, hit.location!), 0.1);
      }
      expect(hits[0]!.distanceKm).to.equal(10);
      expect(hits[4]).not.to.have.property('distanceKm');
    });

    it('when a radius is given, then its edge is right to 100 m', async () => {
      const near = `${LYCKSELE.lat},${LYCKSELE.lng}`;
      // The firewood assignment is exactly 10 km north, Rusksele about 27 km away, Norsjö farther.
      expect(keysOf((await search({ near, radiusKm: '10.1', sort: 'distance' })).hits)).to.deep.equal(['firewood']);
      expect(keysOf((await search({ near, radiusKm: '9.9' })).hits)).to.deep.equal([]);
      const wide = await search({ near, radiusKm: '30', sort: 'distance' });
      expect(keysOf(wide.hits)).to.deep.equal(['firewood', 'snow']);
      expect(wide.facets.municipality).to.deep.equal({ '2481': 2 });
      expect(TEN_KM_NORTH.lat).to.be.greaterThan(LYCKSELE.lat);
    });

    it('when paged, then pages split the same order and a page past the end is empty', async () => {
      const second = await search({ perPage: '2', page: '2' });
      expect(keysOf(second.hits)).to.deep.equal(['web', 'lawn']);
      expect(second).to.include({ totalHits: 5, page: 2, totalPages: 3 });
      const last = await search({ perPage: '2', page: '3' });
      expect(keysOf(last.hits)).to.deep.equal(['snow']);
      const past = await search({ perPage: '2', page: '9' });
      expect(past.hits).to.deep.equal([]);
      expect(past).to.include({ totalHits: 5, page: 9, totalPages: 3 });
    });

    it('when the words carry filter or SQL syntax, then they are only words', async () => {
      for (const q of [
        '" OR municipalityCode = "0188',
        '\\" OR 1=1 --',
        "'; DROP TABLE assignments; --",
        ') OR (1=1',
        '_geoRadius(0, 0, 1)',
        'a:* | !b & (c',
      ]) {
        const result = await search({ q });
        expect(result.totalHits, q).to.be.at.most(5);
      }
      const [row] = (await ctx.db('assignments').count({ count: '*' })) as Array<{ count: number | string }>;
      expect(Number(row!.count)).to.equal(9);
    });
  });
}
