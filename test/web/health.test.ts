import { expect } from 'chai';
import request from 'supertest';
import { createDb, type Db } from '../../src/platform/db.js';
import { createSearchClient } from '../../src/platform/meilisearch.js';
import { useTestApp } from '../support/test-app.js';

// Port 9 (discard) has nothing listening here: connections are refused at once.
const CLOSED_PORT_HOST = 'http://127.0.0.1:9';

describe('GET /healthz', () => {
  describe('when the database and Meilisearch answer', () => {
    const ctx = useTestApp();

    it('then 200 with everything ok, never cached', async () => {
      const res = await request(ctx.app).get('/healthz').expect(200);
      expect(res.type).to.equal('application/json');
      expect(res.body).to.deep.equal({ status: 'ok', db: 'ok', search: 'ok' });
      expect(res.headers['cache-control']).to.equal('no-store');
    });

    it('then it carries a request id and the security headers like every response', async () => {
      const res = await request(ctx.app).get('/healthz').expect(200);
      expect(res.headers['x-request-id']).to.be.a('string').and.have.length.greaterThan(7);
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
    });

    it('when asked with a query string, then it still answers the same', async () => {
      const res = await request(ctx.app).get('/healthz?verbose=1&lang=en').expect(200);
      expect(res.body).to.deep.equal({ status: 'ok', db: 'ok', search: 'ok' });
    });
  });

  describe('when Meilisearch is unreachable', () => {
    const ctx = useTestApp(() => ({ search: createSearchClient({ host: CLOSED_PORT_HOST, timeoutMs: 500 }) }));

    it('then 200 with search "degraded" (the site still works from the database)', async () => {
      const started = Date.now();
      const res = await request(ctx.app).get('/healthz').expect(200);
      expect(res.body).to.deep.equal({ status: 'ok', db: 'ok', search: 'degraded' });
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(Date.now() - started, 'answers within the client timeout').to.be.below(3000);
    });
  });

  describe('when no search client exists at all', () => {
    const ctx = useTestApp(() => ({ search: undefined }));

    it('then 200 with search "degraded"', async () => {
      const res = await request(ctx.app).get('/healthz').expect(200);
      expect(res.body).to.deep.equal({ status: 'ok', db: 'ok', search: 'degraded' });
    });
  });

  describe('when the database is unreachable', () => {
    let downDb: Db | undefined;
    const ctx = useTestApp(() => {
      downDb = createDb('postgres://x:y@127.0.0.1:9/none');
      return { db: downDb };
    });

    after(async () => {
      await downDb?.destroy();
    });

    it('then 503 with db "down", search still reported, never cached', async () => {
      const started = Date.now();
      const res = await request(ctx.app).get('/healthz').expect(503);
      expect(res.type).to.equal('application/json');
      expect(res.body).to.deep.equal({ status: 'error', db: 'down', search: 'ok' });
      expect(res.headers['cache-control']).to.equal('no-store');
      expect(Date.now() - started, 'answers within the database check timeout').to.be.below(5000);
    });

    it('then the body carries no connection details', async () => {
      const res = await request(ctx.app).get('/healthz').expect(503);
      expect(res.text).not.to.include('127.0.0.1');
      expect(res.text).not.to.include('ECONNREFUSED');
    });
  });
});
