import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { noStore } from '../../src/web/cache.js';

describe('web/cache', () => {
  const app = express();
  app.get('/privat/:id', noStore, (req, res) => {
    res.send(`sida ${req.params.id}`);
  });
  app.get('/offentlig', (_req, res) => {
    res.send('sida');
  });

  it('when a route is given noStore, then its answer says no-store and the handler still answers', async () => {
    const res = await request(app).get('/privat/7').expect(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.text).to.equal('sida 7');
  });

  it('when a route is not given noStore, then its answer is left cacheable', async () => {
    const res = await request(app).get('/offentlig').expect(200);
    expect(res.headers['cache-control']).to.equal(undefined);
  });
});
