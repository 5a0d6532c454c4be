import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { readResource } from '../../src/platform/i18n.js';
import { createSearchClient } from '../../src/platform/meilisearch.js';
import { createOrganisation, createTestAssignment, isoDay } from '../support/factories.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

// The server-rendered pages through HTTP. Every HTML page fetched here also
// passes through getPage: no inline scripts, styles or event handlers
// (the CSP forbids them), and the security headers.

const sv = readResource('sv') as {
  searchPage: { engineFallback: string };
  errors: { notFoundTitle: string; notFound: string };
};

const DAY = 86_400_000;
const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';

// ---------------------------------------------------------------------------
// A small HTML reader: enough to find tags and their attributes reliably.

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#34;': '"', '&#39;': "'" };
const decode = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#34|#39);/g, (entity) => ENTITIES[entity]!);

interface Tag {
  name: string;
  attributes: Map<string, string>;
}

const ATTRIBUTE_SOURCE = String.raw`([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>\x60]+)))?`;
const TAG = new RegExp(String.raw`<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+${ATTRIBUTE_SOURCE.replace(/\((?!\?)/g, '(?:')})*)\s*\/?>`, 'g');

function parseTags(html: string): Tag[] {
  const tags: Tag[] = [];
  for (const match of html.matchAll(TAG)) {
    const attributes = new Map<string, string>();
    for (const attribute of match[2]!.matchAll(new RegExp(ATTRIBUTE_SOURCE, 'g'))) {
      attributes.set(attribute[1]!.toLowerCase(), decode(attribute[2] ?? attribute[3] ?? attribute[4] ?? ''));
    }
    tags.push({ name: match[1]!.toLowerCase(), attributes });
  }
  // Every "<letter" in the page must be a tag the reader understood, or the checks below could miss one.
  expect(tags.length, 'every start tag is well-formed').to.equal((html.match(/<[a-zA-Z]/g) ?? []).length);
  return tags;
}

function findTag(html: string, name: string, attributes: Record<string, string>): Tag | undefined {
  return parseTags(html).find(
    (tag) => tag.name === name && Object.entries(attributes).every(([key, value]) => tag.attributes.get(key) === value),
  );
}

/** The text inside the element with this id (tags removed, entities decoded). */
function textOfId(html: string, id: string): string | undefined {
  const match = new RegExp(`<([a-z0-9]+)\\b[^>]*\\sid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return match ? decode(match[2]!.replace(/<[^>]*>/g, '')).trim() : undefined;
}

/** The assignment cards of a list page, in order. */
function cards(html: string): Array<{ id: number; href: string; title: string }> {
  // A title may carry the search's <mark> highlights: the title is its text.
  return [...html.matchAll(/<h3 class="card-title"><a href="([^"]*)">([\s\S]*?)<\/a><\/h3>/g)].map((match) => ({
    id: Number(/^\/uppdrag\/(\d+)/.exec(decode(match[1]!))?.[1]),
    href: decode(match[1]!),
    title: decode(match[2]!.replace(/<\/?mark>/g, '')),
  }));
}

function expectSafeHtml(html: string, where: string) {
  for (const tag of parseTags(html)) {
    const names = [...tag.attributes.keys()];
    expect(
      names.filter((name) => name.startsWith('on')),
      `${where}: event handler on <${tag.name}>`,
    ).to.deep.equal([]);
    expect(names, `${where}: style attribute on <${tag.name}>`).not.to.include('style');
    expect(tag.name, `${where}: <style> element`).not.to.equal('style');
    // A JSON-LD data block is never executed; any other script must come from a file.
    if (tag.name === 'script' && tag.attributes.get('type') !== 'application/ld+json') {
      expect(tag.attributes.get('src'), `${where}: inline <script>`).to.be.a('string').and.not.equal('');
    }
    for (const [name, value] of tag.attributes) {
      expect(value.trim().toLowerCase(), `${where}: ${name} on <${tag.name}>`).not.to.match(/^javascript:/);
    }
  }
}

function expectSecurityHeaders(res: request.Response, where: string) {
  const csp = String(res.headers['content-security-policy'] ?? '');
  const directives = new Map(
    csp
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
  expect(directives.get('script-src'), `${where}: script-src`).to.deep.equal(["'self'"]);
  expect(directives.get('style-src'), `${where}: style-src`).to.deep.equal(["'self'"]);
  expect(directives.get('frame-ancestors'), `${where}: frame-ancestors`).to.deep.equal(["'none'"]);
  expect(csp, `${where}: CSP`).not.to.include("'unsafe-inline'").and.not.include("'unsafe-eval'");
  expect(res.headers['x-content-type-options'], `${where}: nosniff`).to.equal('nosniff');
  expect(res.headers['x-request-id'], `${where}: request id`)
    .to.be.a('string')
    .and.match(/^[A-Za-z0-9._-]{8,64}$/);
  expect(res.headers['x-powered-by'], `${where}: x-powered-by`).to.equal(undefined);
}

/** GET an HTML page, expecting `status`, and check what every page must satisfy. */
async function getPage(
  app: Express,
  url: string,
  status: number,
  headers: Record<string, string> = {},
): Promise<request.Response> {
  const res = await request(app).get(url).set(headers);
  expect(res.status, `GET ${url}`).to.equal(status);
  expect(res.type, `GET ${url}`).to.equal('text/html');
  expect(res.text, `GET ${url}`).to.match(/^<!doctype html>/i);
  expectSafeHtml(res.text, url);
  expectSecurityHeaders(res, url);
  return res;
}

const htmlLang = (html: string) => /<html lang="([^"]*)">/.exec(html)?.[1];

function expectNotFoundPage(res: request.Response) {
  expect(htmlLang(res.text)).to.equal('sv');
  expect(textOfId(res.text, 'main')).to.include(sv.errors.notFoundTitle).and.include(sv.errors.notFound);
  expect(res.text).not.to.match(/\bat .+\.(?:ts|js):\d+/); // no stack trace
  expect(res.text).not.to.include('node_modules').and.not.include('AppError');
}

/** The ids of open assignments as the database sees them: published, not hidden, last day not passed; newest first. */
async function openIdsNewestFirst(ctx: TestApp): Promise<number[]> {
  const rows = await ctx
    .db('assignments')
    .where('status', 'published')
    .whereNull('hidden_at')
    .where((q) => q.whereNull('apply_by').orWhereRaw('apply_by >= CURRENT_DATE'))
    .orderBy([
      { column: 'published_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .select<Array<{ id: number }>>('id');
  return rows.map((row) => row.id);
}

// ---------------------------------------------------------------------------

describe('HTML pages', () => {
  const ctx = useTestApp();
  let snowId: number;
  let gardenId: number;
  let xssId: number;
  let draftId: number;
  let hiddenId: number;
  let closedId: number;
  let expiredId: number;
  let symbolsId: number;
  const fillerIds: number[] = [];

  const SNOW_DESCRIPTION = [
    'Bygdegården behöver skottas efter varje snöfall.',
    'Från trappan till parkeringen.',
    '',
    'Det här ingår:',
    '- Trappan och rampen',
    '- Parkeringen & infarten',
    '',
    'Ring ordföranden om du undrar något.',
  ].join('\r\n');

  before(async () => {
    const rusksele = await createOrganisation(ctx.db, { name: 'Rusksele byaförening' });
    const almsta = await createOrganisation(ctx.db, { name: 'Älmsta-Väddö IF', municipality_code: '0188' });
    const hostile = await createOrganisation(ctx.db, { name: `Förening ${SCRIPT} ${IMG}`, verified_at: null });

    snowId = await createTestAssignment(ctx.db, {
      organisationId: rusksele.id,
      title: 'Snöskottning vid bygdegården',
      description: SNOW_DESCRIPTION,
      categorySlug: 'snorojning',
      compensationType: 'hourly',
      amountSek: 250,
      estimatedHours: 3.5,
      startsOn: isoDay(7),
      endsOn: isoDay(60),
      peopleNeeded: 2,
      requirements: 'Egen snöskyffel',
      workTraining: true,
      supervisorAvailable: true,
      publishedAt: new Date(Date.now() - 2 * DAY),
    });
    gardenId = await createTestAssignment(ctx.db, {
      organisationId: almsta.id,
      title: 'Gräsklippning av fotbollsplanen',
      description: 'Planen vid idrottsplatsen ska klippas varannan vecka under sommaren.',
      categorySlug: 'tradgard',
      municipalityCode: '0188',
      compensationType: 'fixed',
      amountSek: 1500,
      publishedAt: new Date(Date.now() - DAY),
    });
    xssId = await createTestAssignment(ctx.db, {
      organisationId: hostile.id,
      title: `Hjälp ${SCRIPT} med ${IMG}`,
      description: `Beskrivning ${IMG} och ${SCRIPT} i texten.\n\n- ${SCRIPT}\n- <b>fet</b> ${IMG}`,
      publishedAt: new Date(Date.now() - 3 * DAY),
    });
    for (let n = 0; n < 4; n++) {
      fillerIds.push(
        await createTestAssignment(ctx.db, {
          organisationId: rusksele.id,
          title: `Vedhuggning till bastun, omgång ${n + 1}`,
          publishedAt: new Date(Date.now() - (10 + n) * DAY),
        }),
      );
    }
    // A title with no letters or digits has no slug: its bare id is canonical.
    symbolsId = await createTestAssignment(ctx.db, {
      organisationId: rusksele.id,
      title: '!!! ??? !!!',
      publishedAt: new Date(Date.now() - 20 * DAY),
    });
    draftId = await createTestAssignment(ctx.db, {
      organisationId: rusksele.id,
      title: 'Ett utkast som inte syns',
      status: 'draft',
    });
    hiddenId = await createTestAssignment(ctx.db, { organisationId: rusksele.id, title: 'Ett dolt uppdrag efter anmälan' });
    await ctx.db('assignments').where('id', hiddenId).update({ hidden_at: new Date() });
    closedId = await createTestAssignment(ctx.db, { organisationId: rusksele.id, title: 'Ett stängt uppdrag med sida kvar' });
    await ctx.db('assignments').where('id', closedId).update({ status: 'closed' });
    expiredId = await createTestAssignment(ctx.db, {
      organisationId: rusksele.id,
      title: 'Ett utgånget uppdrag',
      applyBy: isoDay(-1),
    });
    await ctx.runJobs();
  });

  describe('GET /', () => {
    it('when opened, then a Swedish page with a skip link, a search form and the newest open assignments from the database', async () => {
      const res = await getPage(ctx.app, '/', 200);
      expect(htmlLang(res.text)).to.equal('sv');
      expect(res.headers['content-language']).to.equal('sv');

      const links = parseTags(res.text).filter((tag) => tag.name === 'a');
      expect(links[0]?.attributes.get('href'), 'the skip link comes first').to.equal('#main');
      expect(findTag(res.text, 'main', { id: 'main' }), 'the skip target').to.not.equal(undefined);

      const form = findTag(res.text, 'form', { action: '/uppdrag' });
      expect(form?.attributes.get('method')).to.equal('get');
      expect(findTag(res.text, 'input', { name: 'q' }), 'search field').to.not.equal(undefined);

      const open = await openIdsNewestFirst(ctx);
      expect(open).to.have.length(8);
      const shown = cards(res.text);
      expect(shown.map((card) => card.id)).to.deep.equal(open.slice(0, 6));
      expect(shown.map((card) => card.id).slice(0, 3)).to.deep.equal([gardenId, snowId, xssId]);
      expect(shown[0]!.href).to.equal(`/uppdrag/${gardenId}-grasklippning-av-fotbollsplanen`);
      expect(shown[0]!.title).to.equal('Gräsklippning av fotbollsplanen');
      for (const hidden of [draftId, hiddenId, closedId, expiredId]) expect(shown.map((card) => card.id)).not.to.include(hidden);
      expect(res.text).to.include(`Visa alla ${open.length} öppna uppdrag`);
    });

    it('when an assignment is published again, then the home page shows it first (read from the database)', async () => {
      await ctx.db('assignments').where('id', snowId).update({ published_at: new Date() });
      try {
        const res = await getPage(ctx.app, '/', 200);
        expect(cards(res.text)[0]!.id, 'newest first, read from the database').to.equal(snowId);
      } finally {
        await ctx
          .db('assignments')
          .where('id', snowId)
          .update({ published_at: new Date(Date.now() - 2 * DAY) });
      }
    });
  });

  describe('GET /uppdrag (search)', () => {
    it('when opened without words, then every open assignment is listed, newest first', async () => {
      const res = await getPage(ctx.app, '/uppdrag', 200);
      const open = await openIdsNewestFirst(ctx);
      expect(cards(res.text).map((card) => card.id)).to.deep.equal(open);
      expect(textOfId(res.text, 'results-heading')).to.equal(`${open.length} uppdrag`);
      expect(res.text).not.to.include(sv.searchPage.engineFallback);
      const nav = findTag(res.text, 'a', { href: '/uppdrag' });
      expect(nav?.attributes.get('aria-current')).to.equal('page');
    });

    it('when opened, then the page title names the search page', async () => {
      const res = await getPage(ctx.app, '/uppdrag', 200);
      expect(/<title>([^<]*)<\/title>/.exec(res.text)?.[1]).to.equal('Hitta uppdrag – Uppdragsbanken');
    });

    it('when the words have a typo, then the assignment is still found', async () => {
      const res = await getPage(ctx.app, '/uppdrag?q=sn%C3%B6skotning', 200);
      expect(cards(res.text).map((card) => card.id)).to.deep.equal([snowId]);
      expect(textOfId(res.text, 'results-heading')).to.equal('1 uppdrag');
      expect(findTag(res.text, 'input', { id: 'q' })?.attributes.get('value')).to.equal('snöskotning');
    });

    it('when words match nothing, then a clear "no results" text', async () => {
      const res = await getPage(ctx.app, '/uppdrag?q=helikopterflygning', 200);
      expect(cards(res.text)).to.deep.equal([]);
      expect(textOfId(res.text, 'results-heading')).to.equal('0 uppdrag');
      expect(res.text).to.include('Inga uppdrag matchar din sökning');
    });

    it('when filtered by category or municipality, then only those are listed and the choice stays selected', async () => {
      const byCategory = await getPage(ctx.app, '/uppdrag?category=tradgard', 200);
      expect(cards(byCategory.text).map((card) => card.id)).to.deep.equal([gardenId]);
      expect(findTag(byCategory.text, 'input', { name: 'category', value: 'tradgard' })?.attributes.has('checked')).to.equal(
        true,
      );

      const byMunicipality = await getPage(ctx.app, '/uppdrag?municipality=2481&q=sn%C3%B6skottning', 200);
      expect(cards(byMunicipality.text).map((card) => card.id)).to.deep.equal([snowId]);
      expect(findTag(byMunicipality.text, 'input', { name: 'municipality', value: '2481' })?.attributes.has('checked')).to.equal(
        true,
      );

      const none = await getPage(ctx.app, '/uppdrag?municipality=0188&category=snorojning', 200);
      expect(cards(none.text)).to.deep.equal([]);
    });

    const badInputs: Array<[string, string, string]> = [
      ['municipality=abc&q=sn%C3%B6', 'municipality', 'snö'],
      ['municipality=9999&q=gr%C3%A4s', 'municipality', 'gräs'],
      ['category=finns-inte&q=ved', 'category', 'ved'],
      ['sort=price&q=ved', 'sort', 'ved'],
      [`q=${encodeURIComponent('å'.repeat(201))}`, 'q', 'å'.repeat(201)],
      ['q=a&q=b', 'q', ''],
      ['page=0&q=ved', 'page', 'ved'],
      ['page=abc', 'page', ''],
    ];
    for (const [query, field, keptQ] of badInputs) {
      it(`when given ${query.slice(0, 40)}, then 400 with a message beside ${field} and the words kept`, async () => {
        const res = await getPage(ctx.app, `/uppdrag?${query}`, 400);
        expect(htmlLang(res.text)).to.equal('sv');
        expect(findTag(res.text, 'div', { class: 'error-summary', role: 'alert' }), 'error summary').to.not.equal(undefined);
        const q = findTag(res.text, 'input', { id: 'q' });
        expect(q?.attributes.get('value'), 'the words stay in the field').to.equal(keptQ);
        expect(cards(res.text)).to.deep.equal([]);
        const control = parseTags(res.text).find(
          (tag) => ['input', 'select'].includes(tag.name) && tag.attributes.get('name') === field,
        );
        if (control) {
          // A field on the form: the message sits beside it and is tied to it.
          expect(control.attributes.get('aria-invalid')).to.equal('true');
          expect(control.attributes.get('aria-describedby')).to.equal(`${field}-error`);
          expect(findTag(res.text, 'p', { class: 'field-error', id: `${field}-error` }), 'field error').to.not.equal(undefined);
          expect(textOfId(res.text, `${field}-error`))
            .to.be.a('string')
            .and.not.equal('');
        }
      });
    }

    it('when bad input is shown in Swedish, then the message beside the field is not the English one', async () => {
      const swedish = await getPage(ctx.app, '/uppdrag?municipality=abc', 400);
      const english = await getPage(ctx.app, '/uppdrag?municipality=abc&lang=en', 400);
      const swedishMessage = textOfId(swedish.text, 'municipality-error');
      const englishMessage = textOfId(english.text, 'municipality-error');
      expect(englishMessage).to.be.a('string').and.not.equal('');
      expect(swedishMessage, 'the field message is translated like every other text on the page').to.not.equal(englishMessage);
    });

    it('when q carries markup, then it is echoed escaped and never raw', async () => {
      for (const payload of [
        `${IMG}${SCRIPT}`,
        `'><svg onload=alert(1)>`,
        '</textarea><script src=//evil.example/x.js></script>',
      ]) {
        const res = await getPage(ctx.app, `/uppdrag?q=${encodeURIComponent(payload)}`, 200);
        expect(findTag(res.text, 'input', { id: 'q' })?.attributes.get('value')).to.equal(payload);
        expect(res.text).not.to.include(payload);
        // Nothing from the payload became an element or a script source.
        const injected = parseTags(res.text).filter(
          (tag) =>
            ['svg', 'textarea', 'img'].includes(tag.name) ||
            (tag.name === 'script' && tag.attributes.get('src')?.includes('evil')),
        );
        expect(injected).to.deep.equal([]);
      }
      const invalid = await getPage(ctx.app, `/uppdrag?municipality=abc&q=${encodeURIComponent(IMG + SCRIPT)}`, 400);
      expect(invalid.text).not.to.include(IMG).and.not.include(SCRIPT);
      expect(findTag(invalid.text, 'input', { id: 'q' })?.attributes.get('value')).to.equal(IMG + SCRIPT);
    });

    it('when paged, then next and previous links keep every other parameter', async () => {
      const first = await getPage(
        ctx.app,
        '/uppdrag?municipality=2481&category=ovrigt&category=snorojning&sort=newest&perPage=2&lang=sv',
        200,
      );
      const open2481 = await ctx
        .db('assignments as a')
        .join('categories as c', 'c.id', 'a.category_id')
        .where({ 'a.status': 'published', 'a.municipality_code': '2481' })
        .whereIn('c.slug', ['ovrigt', 'snorojning'])
        .whereNull('a.hidden_at')
        .where((q) => q.whereNull('a.apply_by').orWhereRaw('a.apply_by >= CURRENT_DATE'))
        .orderBy('a.published_at', 'desc')
        .select<Array<{ id: number }>>('a.id');
      expect(open2481.length).to.equal(7);
      expect(cards(first.text).map((card) => card.id)).to.deep.equal(open2481.slice(0, 2).map((row) => row.id));
      expect(findTag(first.text, 'a', { rel: 'prev' })).to.equal(undefined);

      const next = findTag(first.text, 'a', { rel: 'next' })?.attributes.get('href');
      expect(next).to.be.a('string');
      const nextUrl = new URL(next!, 'http://x');
      expect(nextUrl.pathname).to.equal('/uppdrag');
      expect(nextUrl.searchParams.getAll('municipality')).to.deep.equal(['2481']);
      expect(nextUrl.searchParams.getAll('category')).to.have.members(['ovrigt', 'snorojning']);
      expect(nextUrl.searchParams.get('sort')).to.equal('newest');
      expect(nextUrl.searchParams.get('perPage')).to.equal('2');
      expect(nextUrl.searchParams.get('lang')).to.equal('sv');
      expect(nextUrl.searchParams.getAll('page')).to.deep.equal(['2']);

      const second = await getPage(ctx.app, next!, 200);
      expect(cards(second.text).map((card) => card.id)).to.deep.equal(open2481.slice(2, 4).map((row) => row.id));
      expect(second.text).to.include('Sida 2 av 4');
      const previousUrl = new URL(findTag(second.text, 'a', { rel: 'prev' })!.attributes.get('href')!, 'http://x');
      expect(previousUrl.searchParams.getAll('page'), 'page 1 needs no page parameter').to.deep.equal([]);
      expect(previousUrl.searchParams.getAll('category')).to.have.members(['ovrigt', 'snorojning']);
      expect(previousUrl.searchParams.get('municipality')).to.equal('2481');
    });
  });

  describe('GET /uppdrag/:id', () => {
    const canonical = () => `/uppdrag/${snowId}-snoskottning-vid-bygdegarden`;

    it('when the assignment is published, then its title, description and facts are shown', async () => {
      const res = await getPage(ctx.app, canonical(), 200);
      const html = res.text;
      expect(htmlLang(html)).to.equal('sv');
      expect(textOfId(html, 'main')).to.include('Snöskottning vid bygdegården');
      expect(/<h1>([^<]*)<\/h1>/.exec(html)?.[1]).to.equal('Snöskottning vid bygdegården');
      expect(findTag(html, 'link', { rel: 'canonical' })?.attributes.get('href')).to.equal(
        `http://uppdragsbanken.test${canonical()}`,
      );
      expect(html).to.include('<strong>Rusksele byaförening</strong>');
      expect(html).not.to.include('Ej verifierad organisation');

      // Paragraphs (lines joined with <br>) and "- " lists, from a CRLF text.
      expect(html).to.include('<p>Bygdegården behöver skottas efter varje snöfall.<br>Från trappan till parkeringen.</p>');
      expect(html).to.include('<p>Det här ingår:</p>');
      expect(html).to.include('<ul><li>Trappan och rampen</li><li>Parkeringen &amp; infarten</li></ul>');
      expect(html).to.include('<p>Ring ordföranden om du undrar något.</p>');
      // The visible page shows no raw list markers (the JSON-LD in <head> carries the text as written).
      expect(html.slice(html.indexOf('<main'))).not.to.include('- Trappan');

      const facts = /<dl>([\s\S]*?)<\/dl>/.exec(html)?.[1] ?? '';
      const fact = (label: string) => new RegExp(`<dt>${label}</dt><dd>([\\s\\S]*?)</dd>`).exec(facts)?.[1];
      expect(fact('Kategori')).to.equal('Snöröjning');
      expect(fact('Plats')).to.equal('Lycksele');
      expect(fact('Ersättning')).to.equal('250 kr/timme');
      expect(fact('Uppskattad tid')).to.equal('3,5 timmar');
      expect(fact('Period'))
        .to.include(`<time datetime="${isoDay(7)}">`)
        .and.include(`<time datetime="${isoDay(60)}">`);
      expect(fact('Sista dag att anmäla intresse')).to.include(`<time datetime="${isoDay(14)}">`);
      expect(fact('Antal personer')).to.equal('2');
      expect(fact('Krav')).to.equal('Egen snöskyffel');
      expect(fact('Passar för arbetsträning')).to.equal('Ja, handledare finns');
      expect(html).not.to.include('Uppdraget tar inte emot fler intresseanmälningar.');
    });

    it("when opened, then the page title and meta description are the assignment's", async () => {
      const res = await getPage(ctx.app, canonical(), 200);
      expect(/<title>([^<]*)<\/title>/.exec(res.text)?.[1]).to.equal('Snöskottning vid bygdegården – Uppdragsbanken');
      // The first paragraph, flattened: list markers and line breaks make no sense in a search snippet.
      expect(findTag(res.text, 'meta', { name: 'description' })?.attributes.get('content')).to.equal(
        'Bygdegården behöver skottas efter varje snöfall. Från trappan till parkeringen.',
      );
    });

    it('when asked in English, then the page and its facts are English', async () => {
      const res = await getPage(ctx.app, `${canonical()}?lang=en`, 200);
      expect(htmlLang(res.text)).to.equal('en');
      expect(res.text).to.include('Snow clearing');
      expect(res.text).to.include('Snöskottning vid bygdegården');
    });

    it('when a bare id is asked for, then 301 to the canonical path', async () => {
      const res = await request(ctx.app).get(`/uppdrag/${snowId}`).expect(301);
      expect(res.headers.location).to.equal(canonical());
    });

    it('when the slug is wrong or old, then 301 to the canonical path with the query string kept', async () => {
      const res = await request(ctx.app).get(`/uppdrag/${snowId}-gammal-rubrik?utm_source=nyhetsbrev&lang=en`).expect(301);
      expect(res.headers.location).to.equal(`${canonical()}?utm_source=nyhetsbrev&lang=en`);
      const padded = await request(ctx.app).get(`/uppdrag/000${snowId}`).expect(301);
      expect(padded.headers.location).to.equal(canonical());
      const followed = await getPage(ctx.app, res.headers.location!, 200);
      expect(htmlLang(followed.text)).to.equal('en');
    });

    it('when the title has no letters or digits, then the bare id is the canonical path', async () => {
      const res = await getPage(ctx.app, `/uppdrag/${symbolsId}`, 200);
      expect(findTag(res.text, 'link', { rel: 'canonical' })?.attributes.get('href')).to.equal(
        `http://uppdragsbanken.test/uppdrag/${symbolsId}`,
      );
      const redirected = await request(ctx.app).get(`/uppdrag/${symbolsId}-old-title`).expect(301);
      expect(redirected.headers.location).to.equal(`/uppdrag/${symbolsId}`);
    });

    it('when the assignment is closed, then its page stays but says it takes no applications', async () => {
      const res = await getPage(ctx.app, `/uppdrag/${closedId}-ett-stangt-uppdrag-med-sida-kvar`, 200);
      expect(res.text).to.include('Uppdraget tar inte emot fler intresseanmälningar.');
    });

    it('when the assignment is a draft, hidden or unknown, then the Swedish 404 page', async () => {
      const [row] = (await ctx.db('assignments').max({ max: 'id' })) as Array<{ max: number }>;
      for (const id of [draftId, hiddenId, row!.max + 1000]) {
        const res = await getPage(ctx.app, `/uppdrag/${id}`, 404);
        expectNotFoundPage(res);
      }
      const hidden = await ctx.db('assignments').where('id', hiddenId).first('hidden_at', 'status');
      expect(hidden.status).to.equal('published');
      expect(hidden.hidden_at).to.be.instanceOf(Date);
    });

    for (const ref of [
      'abc',
      '1.5',
      '-1',
      '0',
      '1e3',
      '99999999999999999999',
      '999999999999999',
      '1%00',
      '1%2F2',
      '%20',
      `1-${'a'.repeat(300)}`,
    ]) {
      it(`when the id is ${ref.slice(0, 24)}, then 404, never 500`, async () => {
        const res = await getPage(ctx.app, `/uppdrag/${ref}`, 404);
        expectNotFoundPage(res);
      });
    }

    for (const ref of ['%ff', '1-%E0%A4%A', '%']) {
      it(`when the id is the malformed escape ${ref}, then a 4xx page, never 500`, async () => {
        const res = await request(ctx.app).get(`/uppdrag/${ref}`);
        expect(res.status).to.be.within(400, 499);
        expect(res.type).to.equal('text/html');
        expectSafeHtml(res.text, ref);
      });
    }

    it('when opened, then it carries Open Graph tags and a schema.org JobPosting that parses and escapes markup', async () => {
      for (const id of [snowId, xssId]) {
        const detail = await request(ctx.app).get(`/uppdrag/${id}`).expect(301);
        const res = await getPage(ctx.app, detail.headers.location!, 200);
        const block = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(res.text)![1]!;
        expect(block).to.not.match(/[<>]/);
        const data = JSON.parse(block);
        expect(data).to.include({ '@context': 'https://schema.org', '@type': 'JobPosting' });
        const stored = await ctx.db('assignments').where({ id }).first('title', 'description');
        expect(data).to.include({ title: stored.title, description: stored.description });
        expect(data.hiringOrganization['@type']).to.equal('Organization');
        expect(data.jobLocation.address.addressCountry).to.equal('SE');
        expect(findTag(res.text, 'meta', { property: 'og:title' })?.attributes.get('content')).to.equal(stored.title);
        expect(findTag(res.text, 'meta', { property: 'og:url' })?.attributes.get('content')).to.match(
          /^http:\/\/uppdragsbanken\.test\/uppdrag\//,
        );
      }
    });

    it('when title, description and organisation carry markup, then it is shown as text on every page', async () => {
      const detail = await request(ctx.app).get(`/uppdrag/${xssId}`).expect(301);
      const pages = [
        (await getPage(ctx.app, detail.headers.location!, 200)).text,
        (await getPage(ctx.app, '/', 200)).text,
        (await getPage(ctx.app, '/uppdrag', 200)).text,
        (await getPage(ctx.app, '/uppdrag?q=beskrivning', 200)).text,
      ];
      for (const html of pages) {
        expect(html).not.to.include(SCRIPT);
        expect(html).not.to.include('<img src=x');
        expect(html).not.to.include('<b>fet');
        expect(html).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
        // Payload text may stand escaped inside an attribute value (the meta description);
        // what must never appear is an element or attribute that the payload created.
        expect(
          parseTags(html).filter((tag) => tag.name === 'img' || [...tag.attributes.keys()].some((name) => name.startsWith('on'))),
        ).to.deep.equal([]);
      }
      const [detailHtml] = pages;
      expect(/<h1>([^<]*)<\/h1>/.exec(detailHtml!)?.[1]).to.equal(
        `Hjälp &lt;script&gt;alert(1)&lt;/script&gt; med &#34;&gt;&lt;img src=x onerror=alert(1)&gt;`,
      );
      expect(detailHtml).to.include(
        `<strong>Förening &lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x onerror=alert(1)&gt;</strong>`,
      );
      expect(detailHtml).to.include('Ej verifierad organisation');
      expect(detailHtml).to.include('<li>&lt;b&gt;fet&lt;/b&gt; &#34;&gt;&lt;img src=x onerror=alert(1)&gt;</li>');
      const stored = await ctx.db('assignments').where('id', xssId).first('title');
      expect(stored.title).to.equal(`Hjälp ${SCRIPT} med ${IMG}`);
    });
  });

  describe('language', () => {
    it('when nothing says otherwise, then Swedish', async () => {
      const res = await getPage(ctx.app, '/', 200);
      expect(htmlLang(res.text)).to.equal('sv');
      expect(res.text).to.include('Lokala uppdrag nära dig');
      expect(String(res.headers.vary)).to.match(/accept-language/i);
    });

    it('when ?lang=en, then English', async () => {
      const res = await getPage(ctx.app, '/?lang=en', 200);
      expect(htmlLang(res.text)).to.equal('en');
      expect(res.headers['content-language']).to.equal('en');
      expect(res.text).to.include('Local assignments near you');
      expect(res.text).not.to.include('Lokala uppdrag nära dig');
    });

    it('when the browser prefers English, then English; ?lang wins over the browser', async () => {
      expect(htmlLang((await getPage(ctx.app, '/uppdrag', 200, { 'Accept-Language': 'en' })).text)).to.equal('en');
      expect(
        htmlLang((await getPage(ctx.app, '/uppdrag', 200, { 'Accept-Language': 'de-DE, en-GB;q=0.8, sv;q=0.5' })).text),
      ).to.equal('en');
      expect(htmlLang((await getPage(ctx.app, '/uppdrag?lang=sv', 200, { 'Accept-Language': 'en' })).text)).to.equal('sv');
      expect(htmlLang((await getPage(ctx.app, '/uppdrag?lang=xx', 200, { 'Accept-Language': ';;;q=,,,' })).text)).to.equal('sv');
    });

    it('when the language is switched on a search, then the link keeps the whole search', async () => {
      const search = '/uppdrag?q=ved&category=ovrigt&category=snorojning&municipality=2481';
      const res = await getPage(ctx.app, search, 200);
      const link = findTag(res.text, 'a', { hreflang: 'en' })?.attributes.get('href');
      expect(link).to.be.a('string');
      const url = new URL(link!, 'http://x');
      expect(url.searchParams.get('lang')).to.equal('en');
      expect(url.searchParams.get('q')).to.equal('ved');
      expect(url.searchParams.get('municipality')).to.equal('2481');
      expect(url.searchParams.getAll('category')).to.have.members(['ovrigt', 'snorojning']);
      const english = await getPage(ctx.app, link!, 200);
      expect(cards(english.text).map((card) => card.id)).to.deep.equal(cards(res.text).map((card) => card.id));
    });
  });

  describe('unknown addresses', () => {
    it('when a page does not exist, then the 404 HTML page', async () => {
      const res = await getPage(ctx.app, '/finns-inte/alls', 404);
      expectNotFoundPage(res);
      const english = await getPage(ctx.app, '/finns-inte?lang=en', 404);
      expect(htmlLang(english.text)).to.equal('en');
    });

    it('when a page does not exist, then its title says so', async () => {
      const res = await getPage(ctx.app, '/finns-inte', 404);
      expect(/<title>([^<]*)<\/title>/.exec(res.text)?.[1]).to.equal(`${sv.errors.notFoundTitle} – Uppdragsbanken`);
    });

    it('when an API path does not exist, then a 404 JSON error', async () => {
      const res = await request(ctx.app).get('/api/unknown').expect(404);
      expect(res.type).to.equal('application/json');
      expect(res.body.error).to.include({ code: 'not_found' });
      expect(res.body.error.requestId).to.equal(res.headers['x-request-id']);
    });
  });
});

describe('HTML pages while Meilisearch is unreachable', () => {
  const ctx = useTestApp(() => ({ search: createSearchClient({ host: 'http://127.0.0.1:9', timeoutMs: 500 }) }));
  let ids: number[];

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Norsjö hembygdsförening' });
    const first = await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: 'Servering på midsommarfesten',
      municipalityCode: '2417',
      publishedAt: new Date(Date.now() - 2 * DAY),
    });
    const second = await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: 'Måla hembygdsgården',
      municipalityCode: '2417',
      publishedAt: new Date(Date.now() - DAY),
    });
    await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Ett utkast som inte syns', status: 'draft' });
    ids = [second, first];
  });

  it('when /uppdrag is opened, then 200 with the notice and the open assignments from the database', async () => {
    const res = await getPage(ctx.app, '/uppdrag', 200);
    expect(res.text).to.include(sv.searchPage.engineFallback);
    expect(cards(res.text).map((card) => card.id)).to.deep.equal(ids);
    expect(textOfId(res.text, 'results-heading')).to.equal('2 uppdrag');
  });

  it('when words are searched, then the database answers the same search', async () => {
    const res = await getPage(ctx.app, '/uppdrag?q=midsommar&municipality=2417', 200);
    expect(res.text).to.include(sv.searchPage.engineFallback);
    expect(cards(res.text).map((card) => card.id)).to.deep.equal([ids[1]]);
    expect(findTag(res.text, 'input', { id: 'q' })?.attributes.get('value')).to.equal('midsommar');
  });

  it('when the input is bad, then 400 with the message beside the field, as usual', async () => {
    const res = await getPage(ctx.app, '/uppdrag?municipality=abc', 400);
    expect(findTag(res.text, 'fieldset', { id: 'facet-municipality' })?.attributes.get('aria-describedby')).to.equal(
      'municipality-error',
    );
  });

  it('when the home page and an assignment page are opened, then both work from the database', async () => {
    const home = await getPage(ctx.app, '/', 200);
    expect(cards(home.text).map((card) => card.id)).to.deep.equal(ids);
    await getPage(ctx.app, `/uppdrag/${ids[0]}-mala-hembygdsgarden`, 200);
  });
});

describe('HTML pages before the search index exists', () => {
  const ctx = useTestApp();
  let id: number;

  before(async () => {
    const org = await createOrganisation(ctx.db);
    id = await createTestAssignment(ctx.db, { organisationId: org.id, title: 'Skjuts till vårdcentralen' });
    // No ctx.runJobs(): the index has not been created yet (a fresh deployment).
  });

  it('when /uppdrag is opened, then 200 with the notice and the assignments from the database', async () => {
    const res = await getPage(ctx.app, '/uppdrag?q=skjuts', 200);
    expect(res.text).to.include(sv.searchPage.engineFallback);
    expect(cards(res.text).map((card) => card.id)).to.deep.equal([id]);
  });
});
