import { expect } from 'chai';
import net from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { createSearchClient } from '../../src/platform/meilisearch.js';
import { MAX_QUERY_LENGTH, SEARCH_PARAMETERS } from '../../src/modules/search/params.js';
import { SEARCH_TIMEOUT_MS } from '../../src/modules/search/service.js';
import { createOrganisation, createTestAssignment, isoDay } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';

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

describe('GET /api/v1/assignments from other sites (CORS)', () => {
  const ctx = useTestApp();

  it('when any site reads the API, then GETs carry Access-Control-Allow-Origin: * and no credentials or session', async () => {
    const ok = await request(ctx.app).get('/api/v1/assignments').set('Origin', 'https://example.org').expect(200);
    expect(ok.headers['access-control-allow-origin']).to.equal('*');
    expect(ok.headers).not.to.have.property('access-control-allow-credentials');
    expect(ok.headers).not.to.have.property('set-cookie');
    const bad = await request(ctx.app).get('/api/v1/assignments?perPage=0').set('Origin', 'https://example.org').expect(400);
    expect(bad.headers['access-control-allow-origin'], 'the error is readable too').to.equal('*');
    const spec = await request(ctx.app).get('/api/v1/openapi.json').expect(200);
    expect(spec.headers['access-control-allow-origin']).to.equal('*');
  });

  it('when a browser asks first (preflight), then 204 allowing GET only', async () => {
    const res = await request(ctx.app)
      .options('/api/v1/assignments')
      .set('Origin', 'https://example.org')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'Accept-Language')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).to.equal('*');
    expect(res.headers['access-control-allow-methods']).to.equal('GET, HEAD, OPTIONS');
    expect(res.headers['access-control-allow-headers']).to.include('Accept-Language');
    expect(res.headers).not.to.have.property('access-control-allow-credentials');
  });

  it('when the site’s own pages answer, then they allow no other origin', async () => {
    const res = await request(ctx.app).get('/uppdrag').set('Origin', 'https://example.org').expect(200);
    expect(res.headers).not.to.have.property('access-control-allow-origin');
  });

  it('when something other than GET is sent to the API, then it is not allowed', async () => {
    const res = await request(ctx.app).post('/api/v1/assignments').set('Origin', 'https://example.org');
    expect(res.status).to.be.oneOf([403, 404]);
  });
});

describe('GET /api/v1/openapi.json', () => {
  const ctx = useTestApp();
  type Parameter = { name: string; in: string; schema: { maximum?: number; enum?: string[] } };
  let spec: {
    openapi: string;
    paths: Record<string, { get: { parameters: Parameter[]; responses: Record<string, unknown> } }>;
    components: { schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }> };
  };
  const operation = () => spec.paths['/api/v1/assignments']!.get;

  before(async () => {
    const res = await request(ctx.app).get('/api/v1/openapi.json').expect(200);
    expect(res.type).to.equal('application/json');
    spec = res.body;
  });

  it('when read, then it is OpenAPI 3.1 describing the search, its 200 and its 400', () => {
    expect(spec.openapi).to.equal('3.1.0');
    expect(operation().responses).to.have.keys(['200', '400']);
    expect(spec.components.schemas.SearchResult!.required).to.have.members([
      'hits',
      'totalHits',
      'page',
      'totalPages',
      'facets',
      'engine',
    ]);
    expect(spec.components.schemas.Hit!.required).to.include.members([
      'id',
      'title',
      'url',
      'category',
      'municipality',
      'locality',
      'compensation',
      'publishedAt',
      'applyBy',
    ]);
  });

  it('when compared with what the API reads, then the documented parameters are exactly those', async () => {
    const documented = operation().parameters.map((parameter) => parameter.name);
    expect(documented).to.have.members([...SEARCH_PARAMETERS]);
    // Each documented parameter is read: a bad value is refused naming it …
    const bad: Record<string, string> = {
      q: 'x'.repeat(MAX_QUERY_LENGTH + 1),
      category: 'finns-inte',
      municipality: '0000',
      locality: 'ingenstans',
      compensation: 'gratis',
      workTraining: 'kanske',
      near: 'norr',
      radiusKm: '5',
      sort: 'slump',
      page: '0',
      perPage: '0',
    };
    expect(Object.keys(bad)).to.have.members(documented);
    for (const name of documented) {
      const res = await request(ctx.app)
        .get('/api/v1/assignments')
        .query({ [name]: bad[name] })
        .expect(400);
      expect(res.body.error.parameter).to.equal(name);
    }
    // … and one that is not documented is not read at all.
    await request(ctx.app)
      .get('/api/v1/assignments')
      .query({ limit: 'x'.repeat(500) })
      .expect(200);
  });

  it('when the limits are documented, then they are the limits the API keeps', async () => {
    const perPage = operation().parameters.find((parameter) => parameter.name === 'perPage')!;
    expect(perPage.schema.maximum).to.equal(100);
    await request(ctx.app).get('/api/v1/assignments?perPage=100').expect(200);
    await request(ctx.app).get('/api/v1/assignments?perPage=101').expect(400);
    const sort = operation().parameters.find((parameter) => parameter.name === 'sort')!;
    expect(sort.schema.enum).to.deep.equal(['relevance', 'newest', 'pay', 'distance', 'deadline']);
  });
});

describe('GET /api/v1/assignments while Meilisearch cannot answer', () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // Port 9 (discard) has nothing listening here: connections are refused at once.
  const ctx = useTestApp(() => ({
    search: createSearchClient({ host: 'http://127.0.0.1:9', timeoutMs: 500 }),
    log: pino({ level: 'info' }, sink),
  }));
  let id: number;

  before(async () => {
    const org = await createOrganisation(ctx.db);
    id = await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Snöskottning vid kyrkan' });
  });

  it('when Meilisearch is unreachable, then PostgreSQL answers with engine "postgres", and one warning without the words is logged', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await request(ctx.app).get('/api/v1/assignments').query({ q: 'snöskottning hemligtord' }).expect(200);
      expect(res.body.engine).to.equal('postgres');
    }
    const res = await request(ctx.app).get('/api/v1/assignments').query({ q: 'snöskottning' }).expect(200);
    expect(res.body.hits.map((hit: { id: number }) => hit.id)).to.deep.equal([id]);
    const warnings = lines.filter((line) => String(line.msg).includes('answered from PostgreSQL'));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include({ level: 40 });
    expect(JSON.stringify(lines)).not.to.include('hemligtord');
  });
});

describe('GET /api/v1/assignments without Meilisearch, or before its index exists', () => {
  describe('when no search client exists at all', () => {
    const ctx = useTestApp(() => ({ search: undefined }));

    it('then PostgreSQL answers', async () => {
      const org = await createOrganisation(ctx.db);
      const id = await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Vedhuggning vid skolan' });
      const res = await request(ctx.app).get('/api/v1/assignments').query({ q: 'vedhuggning' }).expect(200);
      expect(res.body).to.include({ engine: 'postgres', totalHits: 1 });
      expect(res.body.hits[0].id).to.equal(id);
    });
  });

  describe('when the index does not exist yet', () => {
    const ctx = useTestApp();

    it('then PostgreSQL answers', async () => {
      const org = await createOrganisation(ctx.db);
      await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Vedhuggning vid kyrkan' });
      const res = await request(ctx.app).get('/api/v1/assignments').query({ q: 'vedhuggning' }).expect(200);
      expect(res.body).to.include({ engine: 'postgres', totalHits: 1 });
    });
  });

  describe('when Meilisearch accepts the connection but never answers', () => {
    const hanging = net.createServer(() => {
      // Accept and say nothing: a Meilisearch that hangs.
    });
    // Listening before the test app is built, which needs the port.
    before((done) => {
      hanging.listen(0, '127.0.0.1', done);
    });
    const ctx = useTestApp(() => ({
      search: createSearchClient({ host: `http://127.0.0.1:${(hanging.address() as net.AddressInfo).port}`, timeoutMs: 10_000 }),
    }));
    after(() => {
      hanging.close();
    });

    it('then PostgreSQL answers after the short search timeout, not the client’s long one', async () => {
      const started = Date.now();
      const res = await request(ctx.app).get('/api/v1/assignments').expect(200);
      const elapsed = Date.now() - started;
      expect(res.body.engine).to.equal('postgres');
      expect(elapsed).to.be.within(SEARCH_TIMEOUT_MS - 50, SEARCH_TIMEOUT_MS + 1500);
    });
  });
});

describe('GET /api/v1/assignments: highlight markers in stored text', () => {
  const ctx = useTestApp();

  it('when a title holds the private-use marker characters, then they never reach the index or pass for a highlight', async () => {
    const org = await createOrganisation(ctx.db);
    const id = await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Vedhuggning' });
    // The posting form refuses such characters; rows from elsewhere (imports, older data) may still hold them.
    await ctx
      .db('assignments')
      .where('id', id)
      .update({ title: 'Vedhuggning \uE000falsk\uE001 markering', description: 'Ved \uE000ska\uE001 huggas.' });
    await ctx.syncIndex();
    const res = await request(ctx.app).get('/api/v1/assignments').query({ q: 'vedhuggning' }).expect(200);
    const hit = (res.body.hits as Array<{ id: number; title: string; highlight?: { title?: string } }>).find((h) => h.id === id);
    expect(hit?.title).to.equal('Vedhuggning falsk markering');
    expect(hit?.highlight?.title).to.equal('\uE000Vedhuggning\uE001 falsk markering');
  });
});
