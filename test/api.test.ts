import { expect } from 'chai';
import request from 'supertest';
import { createOrganisation, createTestAssignment, isoDay } from './support/factories.js';
import { useTestApp } from './support/test-app.js';

describe('GET /api/v1/assignments', () => {
  const ctx = useTestApp();
  let snowId: number;
  let gardenId: number;

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Rusksele byaförening' });
    const norrtalje = await createOrganisation(ctx.db, { name: 'Älmsta-Väddö IF', municipality_code: '0188' });
    snowId = await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: 'Snöskottning vid bygdegården',
      description: 'Bygdegården behöver skottas efter varje snöfall, från trappan till parkeringen.',
      categorySlug: 'snorojning',
      compensationType: 'hourly',
      amountSek: 250,
      publishedAt: new Date(Date.now() - 2 * 86_400_000),
    });
    gardenId = await createTestAssignment(ctx.db, {
      organisationId: norrtalje.id,
      title: 'Gräsklippning av fotbollsplanen',
      description: 'Planen vid idrottsplatsen ska klippas varannan vecka under sommaren.',
      categorySlug: 'tradgard',
      municipalityCode: '0188',
      compensationType: 'fixed',
      amountSek: 1500,
      publishedAt: new Date(Date.now() - 86_400_000),
    });
    await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Ett utkast som inte syns', status: 'draft' });
    await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Ett utgånget uppdrag', applyBy: isoDay(-1) });
    await ctx.runJobs();
  });

  it('when searched with a typo, then finds the assignment', async () => {
    const res = await request(ctx.app).get('/api/v1/assignments').query({ q: 'snöskotning' }).expect(200);
    expect(res.body.engine).to.equal('meilisearch');
    expect(res.body.hits.map((hit: { id: number }) => hit.id)).to.deep.equal([snowId]);
    const [hit] = res.body.hits;
    expect(hit).to.include({ title: 'Snöskottning vid bygdegården', category: 'snorojning' });
    expect(hit.municipality).to.deep.equal({ code: '2481', name: 'Lycksele' });
    expect(hit.compensation).to.deep.equal({ type: 'hourly', amountSek: 250 });
    expect(hit.url).to.match(/^http:\/\/uppdragsbanken\.test\/uppdrag\/\d+-snoskottning-vid-bygdegarden$/);
    expect(hit.applyBy).to.equal(isoDay(14));
  });

  it('when searched without å/ä/ö, then still finds', async () => {
    const res = await request(ctx.app).get('/api/v1/assignments').query({ q: 'grasklippning' }).expect(200);
    expect(res.body.hits.map((hit: { id: number }) => hit.id)).to.deep.equal([gardenId]);
  });

  it('when listed without words, then only open published assignments come, newest first, with facet counts', async () => {
    const res = await request(ctx.app).get('/api/v1/assignments').expect(200);
    expect(res.body.totalHits).to.equal(2);
    expect(res.body).to.include({ page: 1, totalPages: 1 });
    expect(res.body.hits.map((hit: { id: number }) => hit.id)).to.deep.equal([gardenId, snowId]);
    expect(res.body.facets.municipality).to.deep.equal({ '2481': 1, '0188': 1 });
    expect(res.body.facets.category).to.deep.equal({ snorojning: 1, tradgard: 1 });
  });

  it('when filtered by municipality and category, then narrows the hits', async () => {
    const byMunicipality = await request(ctx.app).get('/api/v1/assignments?municipality=0188').expect(200);
    expect(byMunicipality.body.hits.map((hit: { id: number }) => hit.id)).to.deep.equal([gardenId]);
    const byCategories = await request(ctx.app).get('/api/v1/assignments?category=snorojning&category=tradgard').expect(200);
    expect(byCategories.body.totalHits).to.equal(2);
    const none = await request(ctx.app).get('/api/v1/assignments?category=snorojning&municipality=0188').expect(200);
    expect(none.body.totalHits).to.equal(0);
  });

  it('when paged, then perPage and page apply', async () => {
    const res = await request(ctx.app).get('/api/v1/assignments?perPage=1&page=2').expect(200);
    expect(res.body).to.include({ page: 2, totalPages: 2, totalHits: 2 });
    expect(res.body.hits.map((hit: { id: number }) => hit.id)).to.deep.equal([snowId]);
  });

  const badRequests: Array<[string, string]> = [
    ['perPage=101', 'perPage'],
    ['perPage=0', 'perPage'],
    ['perPage=abc', 'perPage'],
    ['page=-1', 'page'],
    ['page=1e3', 'page'],
    ['page=1&page=2', 'page'],
    ['municipality=188', 'municipality'],
    ['municipality=9999', 'municipality'],
    ['municipality=2481%22%20OR%20municipalityCode%20EXISTS', 'municipality'],
    ['category=finns-inte', 'category'],
    ['category=snorojning%22%20OR%20categorySlug%20%3D%20%22tradgard', 'category'],
    ['category=_geoRadius(0,0,1)', 'category'],
    ['locality=nowhere', 'locality'],
    ['compensation=free', 'compensation'],
    ['workTraining=yes', 'workTraining'],
    ['sort=price', 'sort'],
    ['sort=distance', 'sort'],
    ['near=91,10', 'near'],
    ['near=abc', 'near'],
    ['radiusKm=10', 'radiusKm'],
    ['near=64.6,18.6&radiusKm=-5', 'radiusKm'],
    [`q=${'a'.repeat(201)}`, 'q'],
    ['q=a&q=b', 'q'],
    [`category=${'x'.repeat(5000)}`, 'category'],
  ];
  for (const [query, parameter] of badRequests) {
    it(`when given ${query.slice(0, 60)}, then 400 naming ${parameter}`, async () => {
      const res = await request(ctx.app).get(`/api/v1/assignments?${query}`).expect(400);
      expect(res.type).to.equal('application/json');
      expect(res.body.error.parameter).to.equal(parameter);
      expect(res.body.error.fields).to.have.property(parameter).that.is.a('string');
    });
  }

  it('when the words carry filter syntax, then they are only words', async () => {
    for (const q of ['" OR municipalityCode = "0188', '\\" OR 1=1 --', "'; DROP TABLE assignments; --", '_geoRadius(0, 0, 1)']) {
      const res = await request(ctx.app).get('/api/v1/assignments').query({ q }).expect(200);
      expect(res.body.hits).to.be.an('array');
    }
    const count = await ctx.db('assignments').count<{ count: string }[]>({ count: '*' });
    expect(Number(count[0]!.count)).to.equal(4);
  });

  it('when an indexed assignment’s last day to apply has passed, then it is not shown even before a job removes it', async () => {
    const index = ctx.search.index(`${ctx.config.meili.indexPrefix}assignments`);
    const yesterday = Math.floor(Date.now() / 1000) - 86_400;
    const task = await index
      .addDocuments([
        {
          id: 999_999,
          title: 'Kvarglömt uppdrag om vedklyvning',
          description: 'Sista dagen har passerat.',
          organisationName: 'Rusksele byaförening',
          categorySlug: 'ovrigt',
          categoryNameSv: 'Övrigt',
          categoryNameEn: 'Other',
          municipalityCode: '2481',
          municipalityName: 'Lycksele',
          localitySlug: null,
          localityName: null,
          compensationType: 'volunteer',
          amountSek: null,
          workTraining: false,
          publishedAt: yesterday - 86_400,
          applyBy: yesterday,
        },
      ])
      .waitTask();
    expect(task.status).to.equal('succeeded');
    const res = await request(ctx.app).get('/api/v1/assignments').query({ q: 'vedklyvning' }).expect(200);
    expect(res.body.totalHits).to.equal(0);
    await index.deleteDocument(999_999).waitTask();
  });

  it('when an unknown parameter is given, then it is ignored', async () => {
    const res = await request(ctx.app).get('/api/v1/assignments?utm_source=newsletter').expect(200);
    expect(res.body.totalHits).to.equal(2);
  });
});
