import { expect } from 'chai';
import request from 'supertest';
import { createSearchClient } from '../../src/platform/meilisearch.js';
import { assignmentIndexName } from '../../src/modules/search/index.js';
import { quoteFilterValue } from '../../src/modules/search/meilisearch-engine.js';
import { SEARCH_PARAMETERS } from '../../src/modules/search/params.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

// Filter safety: hostile values in every parameter, against both engines.
// Nothing the user typed reaches a Meilisearch filter or the SQL text: a
// parameter is either a known value, or a 400 naming it, never a 500.

const CLOSED_PORT_HOST = 'http://127.0.0.1:9';

const PAYLOADS = [
  '"',
  '\\',
  '\\"',
  "'",
  'snorojning" OR categorySlug EXISTS OR "',
  "2481' OR '1'='1",
  'x OR y',
  '_geoRadius(0, 0, 1000000)',
  ') OR (1=1',
  '1; DROP TABLE assignments; --',
  '<script>alert(1)</script>',
  '\u0000',
  'x'.repeat(10_000),
];

// q is free text: only its length, repetition and control characters are
// wrong. Every other parameter must be a known value, so every payload is refused.
const FREE_TEXT = new Set(['q']);

const ENGINES = {
  meilisearch: () => useTestApp(),
  postgres: () => useTestApp(() => ({ search: createSearchClient({ host: CLOSED_PORT_HOST, timeoutMs: 500 }) })),
} as const;

for (const [engine, makeApp] of Object.entries(ENGINES)) {
  describe(`Search filter safety: ${engine}`, () => {
    const ctx: TestApp = makeApp();

    before(async () => {
      const org = await createOrganisation(ctx.db);
      await createTestAssignment(ctx.db, {
        organisationId: org.id,
        title: 'Snöskottning vid skolan',
        categorySlug: 'snorojning',
      });
      await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Gräsklippning vid kyrkan', categorySlug: 'tradgard' });
      await ctx.runJobs();
    });

    const get = (query: string) => request(ctx.app).get(`/api/v1/assignments?${query}`);

    const expectRefused = async (query: string, parameter: string) => {
      const res = await get(query);
      expect(res.status, `${query.slice(0, 80)} → ${res.status}`).to.equal(400);
      expect(res.body.error.parameter, query.slice(0, 80)).to.equal(parameter);
      expect(res.body.error.fields[parameter]).to.be.a('string');
      // Nothing of the payload is echoed back into the message.
      expect(res.body.error.message).to.equal(`Invalid parameter: ${parameter}`);
    };

    for (const parameter of SEARCH_PARAMETERS) {
      it(`when ${parameter} carries a hostile value, then ${FREE_TEXT.has(parameter) ? 'it is only words' : '400 naming it'}`, async () => {
        for (const payload of PAYLOADS) {
          const query = `${parameter}=${encodeURIComponent(payload)}`;
          if (FREE_TEXT.has(parameter) && payload.length <= 200 && !/\p{Cc}/u.test(payload)) {
            const res = await get(query).expect(200);
            expect(res.body.engine).to.equal(engine);
            expect(res.body.totalHits, payload).to.be.at.most(2);
          } else {
            await expectRefused(query, parameter);
          }
        }
      });

      it(`when ${parameter} is given as an array or twice with a hostile value, then never a 500`, async () => {
        const res = await get(`${parameter}=a&${parameter}=${encodeURIComponent('" OR 1=1')}`);
        expect(res.status).to.equal(400);
        expect(res.body.error.parameter).to.equal(parameter);
        const bracketed = await get(`${parameter}[]=a&${parameter}[x]=b`);
        // The query parser keeps names flat: "q[]" is an unknown parameter, ignored.
        expect(bracketed.status).to.equal(200);
      });
    }

    const refusedNumbers: Array<[string, string]> = [
      ['near=NaN,NaN', 'near'],
      ['near=Infinity,0', 'near'],
      ['near=0,-Infinity', 'near'],
      ['near=91,0', 'near'],
      ['near=-90.5,10', 'near'],
      ['near=0,181', 'near'],
      ['near=1e1,1', 'near'],
      ['near=64.6', 'near'],
      ['near=64.6,18.6,1', 'near'],
      ['near=64.6,18.6&radiusKm=-5', 'radiusKm'],
      ['near=64.6,18.6&radiusKm=0', 'radiusKm'],
      ['near=64.6,18.6&radiusKm=1001', 'radiusKm'],
      ['near=64.6,18.6&radiusKm=1e9', 'radiusKm'],
      ['near=64.6,18.6&radiusKm=Infinity', 'radiusKm'],
      ['near=64.6,18.6&radiusKm=NaN', 'radiusKm'],
      ['radiusKm=10', 'radiusKm'],
      ['page=0', 'page'],
      ['page=-1', 'page'],
      ['page=1e9', 'page'],
      ['page=1000000000', 'page'],
      ['page=501', 'page'],
      ['page=1.5', 'page'],
      ['perPage=0', 'perPage'],
      ['perPage=101', 'perPage'],
      ['perPage=abc', 'perPage'],
      ['sort=distance', 'sort'],
      ['sort=publishedAt:asc', 'sort'],
      ['sort=_geoPoint(0,0):asc', 'sort'],
      ['workTraining=1', 'workTraining'],
      ['compensation=hourly&compensation=free', 'compensation'],
      [`category=${'snorojning&category='.repeat(51)}tradgard`, 'category'],
    ];
    for (const [query, parameter] of refusedNumbers) {
      it(`when given ${query.slice(0, 50)}, then 400 naming ${parameter}`, async () => {
        await expectRefused(query, parameter);
      });
    }

    it('when numbers are at their limits, then the search answers', async () => {
      for (const query of [
        'near=90,180&radiusKm=1000',
        'near=-90,-180&radiusKm=0.1&sort=distance',
        // A tiny coordinate must not reach Meilisearch as "1e-7".
        'near=0.0000001,0.0000001&radiusKm=0.001&sort=distance',
        'page=500&perPage=100',
        'perPage=1',
      ]) {
        const res = await get(query);
        expect(res.status, query).to.equal(200);
        expect(res.body.engine).to.equal(engine);
      }
    });

    it('when unknown parameters carry anything, then they are ignored', async () => {
      const res = await get(
        `filter=${encodeURIComponent('categorySlug = "x" OR 1=1')}&sort_by=1&${encodeURIComponent('_geo')}=1`,
      ).expect(200);
      expect(res.body.totalHits).to.equal(2);
    });

    it('when every hostile request is done, then the data is untouched', async () => {
      const [row] = (await ctx.db('assignments').count({ count: '*' })) as Array<{ count: number | string }>;
      expect(Number(row!.count)).to.equal(2);
    });
  });
}

describe('Search filter safety: the quoting behind the validation', () => {
  const ctx = useTestApp();

  before(async () => {
    const org = await createOrganisation(ctx.db);
    await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Snöskottning vid skolan', categorySlug: 'snorojning' });
    await ctx.runJobs();
  });

  it('when a value with quotes and backslashes is quoted, then Meilisearch reads it as one string that matches nothing', async () => {
    const index = ctx.search.index(assignmentIndexName(ctx.config.meili.indexPrefix));
    for (const value of [
      'x" OR categorySlug = "snorojning',
      'x\\" OR categorySlug = \\"snorojning',
      '\\',
      '"',
      'x\\\\" OR 1 = 1 OR "',
    ]) {
      const result = await index.search('', { filter: `categorySlug = ${quoteFilterValue(value)}` });
      expect(result.hits, value).to.deep.equal([]);
    }
    const control = await index.search('', { filter: `categorySlug = ${quoteFilterValue('snorojning')}` });
    expect(control.hits).to.have.length(1);
  });
});
