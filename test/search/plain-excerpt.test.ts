import { expect } from 'chai';
import request from 'supertest';
import { createSearchClient } from '../../src/platform/meilisearch.js';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../src/modules/search/result.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

// Card excerpts are plain text on both engines (issue 14): a description written as a list shows no list
// markers on the search page, in the API or on the home page, with or without search words.

const CLOSED_PORT_HOST = 'http://127.0.0.1:9';
const ENGINES = {
  meilisearch: () => useTestApp(),
  postgres: () => useTestApp(() => ({ search: createSearchClient({ host: CLOSED_PORT_HOST, timeoutMs: 500 }) })),
} as const;

const DESCRIPTION =
  'Det här ingår:\n- Skotta trappan vid entrén\n- Sanda vid behov\n* Ploga parkeringen\n\nRing Kerstin om du undrar.';
const PLAIN = 'Det här ingår: Skotta trappan vid entrén, Sanda vid behov, Ploga parkeringen. Ring Kerstin om du undrar.';
const LIST_MARKER = /(^|\s)[-*•]\s/;

for (const [engine, makeApp] of Object.entries(ENGINES)) {
  describe(`Plain-text excerpts: ${engine}`, () => {
    const ctx: TestApp = makeApp();
    let id: number;

    before(async () => {
      const organisation = await createOrganisation(ctx.db, { name: 'Kusfors byaförening' });
      id = await createTestAssignment(ctx.db, {
        organisationId: organisation.id,
        title: 'Snöskottning vid bygdegården',
        description: DESCRIPTION,
      });
      await ctx.runJobs();
    });

    const hitOf = async (query: Record<string, string>) => {
      const res = await request(ctx.app).get('/api/v1/assignments').query(query).expect(200);
      expect(res.body.engine).to.equal(engine);
      return (res.body.hits as Array<{ id: number; excerpt: string; highlight?: { excerpt?: string } }>).find(
        (hit) => hit.id === id,
      )!;
    };

    it('when listed without words, then the excerpt is the description as plain text', async () => {
      const hit = await hitOf({});
      expect(hit.excerpt).to.equal(PLAIN);
    });

    it('when a word of a list item matches, then the excerpt and its highlight have no list markers', async () => {
      const hit = await hitOf({ q: 'sanda' });
      expect(hit.excerpt).to.include('Sanda vid behov');
      expect(hit.excerpt).not.to.match(LIST_MARKER);
      expect(hit.highlight!.excerpt).not.to.match(LIST_MARKER);
      expect(hit.highlight!.excerpt).to.include(`${HIGHLIGHT_START}Sanda${HIGHLIGHT_END}`);
    });

    it('when the search page and the home page show the card, then its excerpt reads as plain text', async () => {
      for (const path of ['/uppdrag?q=skotta', '/uppdrag', '/']) {
        const page = await request(ctx.app).get(path).expect(200);
        const excerpts = [...page.text.matchAll(/<p class="card-excerpt">([\s\S]*?)<\/p>/g)].map((m) =>
          m[1]!.replace(/<[^>]+>/g, ''),
        );
        const ours = excerpts.find((text) => text.includes('Ring Kerstin') || text.includes('Sanda'));
        expect(ours, path).to.be.a('string');
        expect(ours, path).not.to.match(LIST_MARKER);
      }
    });
  });
}
