import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { createSearchClient } from '../../src/platform/meilisearch.js';
import { createOrganisation, createTestAssignment } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';

// The search page /uppdrag through HTTP: every state in the URL and in the
// form, facets with counts, the distance from a typed village, highlights that
// can never carry markup, the empty state's suggestions, the htmx partial, and
// bad input answered with 400 beside the field, never 500.

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#34;': '"', '&#39;': "'" };
const decode = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#34|#39);/g, (entity) => ENTITIES[entity]!);

/** The attributes of the first start tag that has all of `attributes` (values decoded). */
function tag(html: string, name: string, attributes: Record<string, string>): Map<string, string> | undefined {
  for (const match of html.matchAll(new RegExp(`<${name}\\b([^>]*)>`, 'g'))) {
    const found = new Map<string, string>();
    for (const attribute of match[1]!.matchAll(/([a-zA-Z-:]+)(?:="([^"]*)")?/g))
      found.set(attribute[1]!, decode(attribute[2] ?? ''));
    if (Object.entries(attributes).every(([key, value]) => found.get(key) === value)) return found;
  }
  return undefined;
}

/** The text inside the element with this id (tags removed, entities decoded). */
function textOfId(html: string, id: string): string | undefined {
  const match = new RegExp(`<([a-z0-9]+)\\b[^>]*\\sid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return match
    ? decode(match[2]!.replace(/<[^>]*>/g, ''))
        .replace(/\s+/g, ' ')
        .trim()
    : undefined;
}

/** The result cards in order: link, title as text, and the title's inner HTML. */
function cards(html: string) {
  return [...html.matchAll(/<h3 class="card-title"><a href="([^"]*)">([\s\S]*?)<\/a><\/h3>/g)].map((match) => ({
    id: Number(/^\/uppdrag\/(\d+)/.exec(decode(match[1]!))?.[1]),
    title: decode(match[2]!.replace(/<[^>]*>/g, '')),
    html: match[2]!,
  }));
}

/** The labels of a facet's boxes, as shown ("Snöröjning (2)"). */
function facetLabels(html: string, name: string): string[] {
  const fieldset = new RegExp(`<fieldset class="facet[^"]*" id="facet-${name}"[\\s\\S]*?</fieldset>`).exec(html)?.[0] ?? '';
  return [...fieldset.matchAll(/<label for="[^"]*">([\s\S]*?)<\/label>/g)].map((match) =>
    decode(match[1]!.replace(/<[^>]*>/g, ''))
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

/** The empty state's suggestions: [link, text]. */
function suggestions(html: string): Array<[string, string]> {
  const list = /<ul class="suggestions">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].map((match) => [decode(match[1]!), decode(match[2]!)]);
}

const checked = (html: string, name: string, value: string) => tag(html, 'input', { name, value })?.has('checked') ?? false;

async function get(app: Express, path: string, status: number, headers: Record<string, string> = {}) {
  const res = await request(app).get(path).set(headers);
  expect(res.status, `${path}: ${res.text.slice(0, 300)}`).to.equal(status);
  expect(res.headers['content-type']).to.match(/^text\/html/);
  return res;
}

describe('The search page /uppdrag', () => {
  const ctx = useTestApp();
  let snowId: number;
  let gardenId: number;
  let hostileId: number;
  let lyckseleWoodIds: number[];

  before(async function () {
    this.timeout(60_000);
    const rusksele = await createOrganisation(ctx.db, { name: 'Rusksele byaförening', municipality_code: '2481' });
    const almsta = await createOrganisation(ctx.db, { name: 'Almsta IF', municipality_code: '0188' });
    snowId = await createTestAssignment(ctx.db, {
      organisationId: rusksele.id,
      title: 'Snöskottning vid bygdegården',
      description: 'Taket och trappan vid bygdegården behöver skottas efter varje snöfall.',
      categorySlug: 'snorojning',
      localitySlug: 'rusksele-lycksele',
      compensationType: 'hourly',
      amountSek: 250,
      workTraining: true,
      publishedAt: new Date(Date.now() - 2 * 86_400_000),
    });
    gardenId = await createTestAssignment(ctx.db, {
      organisationId: almsta.id,
      title: 'Gräsklippning av fotbollsplanen',
      description: 'Planen vid idrottsplatsen ska klippas varannan vecka under sommaren.',
      categorySlug: 'tradgard',
      municipalityCode: '0188',
      compensationType: 'fixed',
      amountSek: 1500,
      publishedAt: new Date(Date.now() - 86_400_000),
    });
    hostileId = await createTestAssignment(ctx.db, {
      organisationId: rusksele.id,
      title: `Skotta ${SCRIPT} garaget ${IMG}`,
      description: `Beskrivning ${IMG} och ${SCRIPT} i texten om garaget.`,
      categorySlug: 'snorojning',
      municipalityCode: '2417',
      compensationType: 'volunteer',
      amountSek: null,
      publishedAt: new Date(Date.now() - 3 * 86_400_000),
    });
    // 21 in Lycksele town (about 26 km from Rusksele): two pages of 20 together with the rest.
    lyckseleWoodIds = [];
    for (let n = 0; n < 21; n++) {
      lyckseleWoodIds.push(
        await createTestAssignment(ctx.db, {
          organisationId: rusksele.id,
          title: `Vedhuggning till bastun, omgång ${n + 1}`,
          localitySlug: 'lycksele-lycksele',
          publishedAt: new Date(Date.now() - (10 + n) * 86_400_000),
        }),
      );
    }
    await ctx.syncIndex();
  });

  describe('the form and the URL', () => {
    it('when every parameter is given, then each is kept in the form and the search uses them all', async () => {
      const res = await get(
        ctx.app,
        '/uppdrag?q=sn%C3%B6skottning&category=snorojning&category=tradgard&municipality=2481&compensation=hourly' +
          '&workTraining=true&from=rusksele&radiusKm=25&sort=distance',
        200,
      );
      expect(tag(res.text, 'input', { id: 'q' })?.get('value')).to.equal('snöskottning');
      expect(checked(res.text, 'category', 'snorojning')).to.equal(true);
      expect(checked(res.text, 'category', 'tradgard')).to.equal(true);
      expect(checked(res.text, 'municipality', '2481')).to.equal(true);
      expect(checked(res.text, 'compensation', 'hourly')).to.equal(true);
      expect(checked(res.text, 'workTraining', 'true')).to.equal(true);
      expect(tag(res.text, 'input', { id: 'from' })?.get('value')).to.equal('rusksele');
      expect(tag(res.text, 'option', { value: '25' })?.has('selected')).to.equal(true);
      const distance = tag(res.text, 'option', { value: 'distance' });
      expect(distance?.has('selected')).to.equal(true);
      expect(distance?.has('disabled'), 'a place is set, so distance may be chosen').to.equal(false);
      expect(cards(res.text).map((card) => card.id)).to.deep.equal([snowId]);
      expect(textOfId(res.text, 'results-heading')).to.equal('1 uppdrag');
      expect(res.text).to.include('0 km bort');
    });

    it('when no place is set, then "distance" is offered disabled saying what it needs, and sent anyway it is a 400 beside the sort', async () => {
      const plain = await get(ctx.app, '/uppdrag', 200);
      expect(tag(plain.text, 'option', { value: 'distance' })?.has('disabled')).to.equal(true);
      expect(textOfId(plain.text, 'sort')).to.include('Närmast (kräver en by, en ort eller din position)');

      const res = await get(ctx.app, '/uppdrag?q=ved&sort=distance', 400);
      expect(tag(res.text, 'select', { id: 'sort' })?.get('aria-invalid')).to.equal('true');
      expect(textOfId(res.text, 'sort-error')).to.equal('Sortering efter avstånd kräver en by, en ort eller din position.');
      expect(tag(res.text, 'input', { id: 'q' })?.get('value')).to.equal('ved');
    });

    it('when the words or the village hold a control character, then 400 beside that field, the rest kept', async () => {
      const res = await get(ctx.app, '/uppdrag?q=ved%00klyvning&sort=pay', 400);
      expect(tag(res.text, 'input', { id: 'q' })?.get('aria-invalid')).to.equal('true');
      expect(textOfId(res.text, 'q-error')).to.equal('Fältet innehåller tecken som inte kan sökas på, till exempel styrtecken.');
      expect(tag(res.text, 'option', { value: 'pay' })?.has('selected')).to.equal(true);
      const from = await get(ctx.app, '/uppdrag?from=Rusksele%1B&radiusKm=10', 400);
      expect(textOfId(from.text, 'from-error')).to.equal(
        'Fältet innehåller tecken som inte kan sökas på, till exempel styrtecken.',
      );
      // A message inside the filters opens them, also on a phone; one beside the words does not.
      expect(tag(from.text, 'details', { id: 'search-filters' })?.has('open')).to.equal(true);
      expect(tag(res.text, 'details', { id: 'search-filters' })?.has('open')).to.equal(false);
    });

    it('when sorted by pay, newest or last day, then the order follows and the choice stays selected', async () => {
      const byPay = await get(ctx.app, '/uppdrag?sort=pay', 200);
      expect(cards(byPay.text)[0]?.id).to.equal(gardenId);
      expect(tag(byPay.text, 'option', { value: 'pay' })?.has('selected')).to.equal(true);
      const newest = await get(ctx.app, '/uppdrag?sort=newest', 200);
      expect(
        cards(newest.text)
          .slice(0, 3)
          .map((card) => card.id),
      ).to.deep.equal([gardenId, snowId, hostileId]);
    });

    it('when a village is typed with a radius, then only assignments within it are found, nearest first', async () => {
      const near = await get(ctx.app, '/uppdrag?from=Rusksele&radiusKm=10', 200);
      expect(cards(near.text).map((card) => card.id)).to.deep.equal([snowId]);
      const wider = await get(ctx.app, '/uppdrag?from=RUSKSELE&radiusKm=50&sort=distance&perPage=100', 200);
      const ids = cards(wider.text).map((card) => card.id);
      expect(ids[0]).to.equal(snowId);
      expect(ids).to.include.members(lyckseleWoodIds);
      expect(ids).not.to.include(gardenId);
    });

    it('when a village name is shared by several municipalities, then 400 asks for the municipality, and with it the search runs', async () => {
      const ambiguous = await get(ctx.app, '/uppdrag?from=Berga&radiusKm=10', 400);
      expect(tag(ambiguous.text, 'input', { id: 'from' })?.get('aria-invalid')).to.equal('true');
      expect(tag(ambiguous.text, 'input', { id: 'from' })?.get('aria-describedby')).to.equal('from-hint from-error');
      expect(textOfId(ambiguous.text, 'from-error')).to.match(/^Flera orter heter så/);
      expect(tag(ambiguous.text, 'input', { id: 'from' })?.get('value')).to.equal('Berga');

      for (const typed of ['Berga, Högsby', 'berga (högsby)']) {
        const settled = await get(ctx.app, `/uppdrag?from=${encodeURIComponent(typed)}&radiusKm=10`, 200);
        expect(textOfId(settled.text, 'results-heading')).to.equal('0 uppdrag');
      }
      // A chosen municipality settles it too.
      await get(ctx.app, '/uppdrag?from=Berga&radiusKm=10&municipality=0821', 200);
    });

    it('when a radius is chosen before a place, then the search runs without it and a note beside it says what it waits for', async () => {
      const res = await get(ctx.app, '/uppdrag?q=vedhuggning&radiusKm=10&from=', 200);
      expect(textOfId(res.text, 'results-heading')).to.equal('21 uppdrag');
      expect(tag(res.text, 'option', { value: '10' })?.has('selected')).to.equal(true);
      expect(tag(res.text, 'select', { id: 'radiusKm' })?.get('aria-describedby')).to.equal('radiusKm-note');
      expect(textOfId(res.text, 'radiusKm-note')).to.equal(
        'Avståndet gäller när du har skrivit en by eller ort eller använt din position.',
      );
    });

    it('when the browser position is used, then the page says so and offers to stop', async () => {
      const res = await get(ctx.app, '/uppdrag?near=64.815,18.899&radiusKm=5&sort=distance', 200);
      expect(cards(res.text).map((card) => card.id)).to.deep.equal([snowId]);
      expect(tag(res.text, 'input', { id: 'near' })?.get('value')).to.equal('64.815,18.899');
      expect(res.text).to.include('Avståndet räknas från din position.');
      expect(tag(res.text, 'a', { href: '/uppdrag' }), 'the stop link drops the position, radius and sort').to.not.equal(
        undefined,
      );
    });

    it('when there are more results than a page, then page 2 keeps every parameter in its URL', async () => {
      const first = await get(ctx.app, '/uppdrag?q=vedhuggning&municipality=2481', 200);
      expect(textOfId(first.text, 'results-heading')).to.equal('21 uppdrag');
      // On a phone the filters wait closed behind "Filtrera (n)", n the filters chosen (here the municipality).
      const filters = tag(first.text, 'details', { id: 'search-filters' });
      expect(filters?.has('open'), 'the filters start closed').to.equal(false);
      expect(first.text).to.include('<summary>Filtrera (1)</summary>');
      expect(cards(first.text)).to.have.length(20);
      const next = tag(first.text, 'a', { rel: 'next' })?.get('href');
      expect(next).to.equal('/uppdrag?q=vedhuggning&municipality=2481&page=2');
      const second = await get(ctx.app, next!, 200);
      expect(cards(second.text)).to.have.length(1);
      expect(tag(second.text, 'a', { rel: 'prev' })?.get('href')).to.equal('/uppdrag?q=vedhuggning&municipality=2481');
      expect(textOfId(second.text, 'search-status')).to.equal('21 uppdrag');
    });
  });

  describe('facets', () => {
    it('when opened, then each facet lists its values with hits and their counts, and only municipalities with hits', async () => {
      const res = await get(ctx.app, '/uppdrag', 200);
      expect(facetLabels(res.text, 'category')).to.deep.equal(['Snöröjning (2)', 'Trädgård (1)', 'Övrigt (21)']);
      expect(facetLabels(res.text, 'municipality')).to.deep.equal(['Lycksele (22)', 'Norrtälje (1)', 'Norsjö (1)']);
      expect(facetLabels(res.text, 'locality')).to.deep.equal(['Alla byar och orter', 'Lycksele (21)', 'Rusksele (1)']);
      expect(facetLabels(res.text, 'compensation')).to.deep.equal([
        'Timlön (22)',
        'Fast pris (1)',
        'Ideellt, utan ersättning (1)',
      ]);
      expect(facetLabels(res.text, 'workTraining')).to.deep.equal(['Passar för arbetsträning (1)']);
      // Each box is labelled by its own label, in a fieldset with a legend.
      expect(tag(res.text, 'input', { id: 'category-snorojning', name: 'category', type: 'checkbox' })).to.not.equal(undefined);
      expect(res.text).to.match(/<fieldset class="facet" id="facet-category">\s*<legend>Kategori<\/legend>/);
    });

    it('when one category is chosen, then the other categories stay with their counts and a chosen value without hits stays tickable', async () => {
      const res = await get(ctx.app, '/uppdrag?category=snorojning&category=kultur', 200);
      expect(cards(res.text).map((card) => card.id)).to.have.members([snowId, hostileId]);
      expect(facetLabels(res.text, 'category')).to.deep.equal(['Snöröjning (2)', 'Trädgård (1)', 'Kultur (0)', 'Övrigt (21)']);
      expect(checked(res.text, 'category', 'kultur')).to.equal(true);
      // The other facets count within the chosen categories.
      expect(facetLabels(res.text, 'municipality')).to.deep.equal(['Lycksele (1)', 'Norsjö (1)']);
    });
  });

  describe('highlights', () => {
    it('when the words match a title with markup in it, then the markup is shown as text and <mark> wraps only the match', async () => {
      const res = await get(ctx.app, '/uppdrag?q=garaget', 200);
      const [card] = cards(res.text);
      expect(card?.id).to.equal(hostileId);
      expect(card?.title).to.equal(`Skotta ${SCRIPT} garaget ${IMG}`);
      expect(card?.html).to.include('<mark>garaget</mark>');
      expect([...card!.html.matchAll(/<(\w+)/g)].map((match) => match[1])).to.deep.equal(['mark']);
      expect(res.text).not.to.include(SCRIPT);
      expect(res.text).not.to.include('<img src=x');
    });
  });

  describe('the empty state', () => {
    it('when a filter leaves nothing, then each active filter is offered for removal with what it would find', async () => {
      const res = await get(ctx.app, '/uppdrag?q=bygdeg%C3%A5rden&municipality=0188&compensation=fixed', 200);
      expect(textOfId(res.text, 'results-heading')).to.equal('0 uppdrag');
      expect(res.text).to.include('Inga uppdrag matchar din sökning');
      // Neither filter alone is in the way (snow clearing here is paid by the hour, and in Lycksele): only dropping both finds.
      expect(suggestions(res.text)).to.deep.equal([['/uppdrag?q=bygdeg%C3%A5rden', 'Sök utan filter (1 uppdrag)']]);
    });

    it('when only one filter is in the way, then removing it is offered with its count', async () => {
      const res = await get(ctx.app, '/uppdrag?q=bygdeg%C3%A5rden&municipality=0188', 200);
      expect(suggestions(res.text)).to.deep.equal([['/uppdrag?q=bygdeg%C3%A5rden', 'Ta bort filtret för kommun (1 uppdrag)']]);
    });

    it('when the words have a typo and the filters find nothing, then "did you mean" offers the spelling that finds', async () => {
      const res = await get(ctx.app, '/uppdrag?q=snoskotning&municipality=0188', 200);
      expect(textOfId(res.text, 'results-heading')).to.equal('0 uppdrag');
      const suggestion = /<p class="did-you-mean">([\s\S]*?)<\/p>/.exec(res.text)?.[1] ?? '';
      expect(
        decode(suggestion.replace(/<[^>]*>/g, ''))
          .replace(/\s+/g, ' ')
          .trim(),
      ).to.equal('Menade du snöskottning? (1 uppdrag utan filter)');
      expect(tag(res.text, 'a', { href: '/uppdrag?q=sn%C3%B6skottning' })).to.not.equal(undefined);
    });

    it('when a village radius leaves nothing, then removing the place is offered', async () => {
      const res = await get(ctx.app, '/uppdrag?category=tradgard&from=Rusksele&radiusKm=10', 200);
      expect(textOfId(res.text, 'results-heading')).to.equal('0 uppdrag');
      expect(suggestions(res.text)).to.deep.equal([
        ['/uppdrag?from=Rusksele&radiusKm=10', 'Ta bort filtret för kategori (1 uppdrag)'],
        ['/uppdrag?category=tradgard', 'Ta bort valet av by, ort och avstånd (1 uppdrag)'],
        ['/uppdrag', 'Sök utan filter (24 uppdrag)'],
      ]);
    });
  });

  describe('htmx', () => {
    it('when asked with HX-Request, then only the region comes back, with the status for the live region, and Vary says so', async () => {
      const res = await get(ctx.app, '/uppdrag?q=vedhuggning', 200, { 'HX-Request': 'true' });
      expect(res.text).not.to.match(/<html|<head|<body|<h1/);
      expect(res.headers.vary).to.match(/\bHX-Request\b/i);
      expect(cards(res.text)).to.have.length(20);
      expect(res.text).to.match(/<span id="search-status" hx-swap-oob="innerHTML">\s*21 uppdrag\s*<\/span>/);
      expect(tag(res.text, 'fieldset', { id: 'facet-category' })).to.not.equal(undefined);
    });

    it('when opened normally or by the back button (history restore), then the whole page, also with Vary: HX-Request', async () => {
      for (const headers of [{}, { 'HX-Request': 'true', 'HX-History-Restore-Request': 'true' }] as Array<
        Record<string, string>
      >) {
        const res = await get(ctx.app, '/uppdrag?q=vedhuggning', 200, headers);
        expect(res.text).to.match(/^<!doctype html>/);
        expect(res.headers.vary).to.match(/\bHX-Request\b/i);
      }
    });

    it('when the page loads, then htmx comes from the site with a config that keeps it inside the CSP, and the live region is polite', async () => {
      const res = await get(ctx.app, '/uppdrag', 200);
      expect(tag(res.text, 'script', { src: '/vendor/htmx.org/htmx.min.js' })).to.not.equal(undefined);
      const config = JSON.parse(tag(res.text, 'meta', { name: 'htmx-config' })!.get('content')!);
      expect(config).to.include({ includeIndicatorStyles: false, allowEval: false });
      const form = tag(res.text, 'form', { id: 'search-form' })!;
      expect(form.get('action')).to.equal('/uppdrag');
      expect(form.get('method')).to.equal('get');
      expect(form.get('hx-push-url')).to.equal('true');
      expect(form.get('hx-trigger')).to.include('input changed delay:300ms from:#q');
      const status = tag(res.text, 'p', { id: 'search-status' })!;
      expect(status.get('aria-live')).to.equal('polite');
      expect(res.headers['content-security-policy']).to.match(/script-src 'self'[;]/);
      const vendored = await request(ctx.app).get('/vendor/htmx.org/htmx.min.js');
      expect(vendored.status).to.equal(200);
    });

    it('when the input is bad under htmx, then the region with the message comes back as a 400', async () => {
      const res = await get(ctx.app, '/uppdrag?radiusKm=abc', 400, { 'HX-Request': 'true' });
      expect(res.text).not.to.match(/<html/);
      expect(tag(res.text, 'select', { id: 'radiusKm' })?.get('aria-invalid')).to.equal('true');
      expect(res.text).to.match(/<span id="search-status" hx-swap-oob="innerHTML">\s*Sökningen kunde inte göras/);
    });
  });

  describe('the map', () => {
    it('when results have places, then their points and links are on the results region for the map script', async () => {
      const res = await get(ctx.app, '/uppdrag?q=sn%C3%B6skottning', 200);
      const points = JSON.parse(tag(res.text, 'section', { id: 'search-results' })!.get('data-map-points')!);
      expect(points).to.deep.equal([
        {
          lat: 64.815066,
          lng: 18.899262,
          title: 'Snöskottning vid bygdegården',
          url: `/uppdrag/${snowId}-snoskottning-vid-bygdegarden`,
        },
      ]);
      const panel = tag(res.text, 'div', { id: 'results-map-panel' })!;
      expect(panel.get('data-tile-url')).to.equal('https://tile.openstreetmap.org/{z}/{x}/{y}.png');
      expect(panel.has('hidden'), 'the map is an enhancement: hidden until the script shows it').to.equal(true);
      expect(tag(res.text, 'script', { src: '/js/results-map.js' })).to.not.equal(undefined);
    });
  });

  describe('bad input', () => {
    const cases: Array<[string, string, string]> = [
      [`q=${encodeURIComponent('å'.repeat(201))}`, 'q', 'å'.repeat(201)],
      [`q=${'x'.repeat(10_000)}`, 'q', 'x'.repeat(300)],
      ['q=a&q=b&category=tradgard', 'q', ''],
      ['q=ved&locality=rusksele-lycksele&locality=lycksele-lycksele', 'locality', 'ved'],
      ['q=ved&category=finns-inte', 'category', 'ved'],
      ['q=ved&compensation=gratis', 'compensation', 'ved'],
      ['q=ved&municipality=abc', 'municipality', 'ved'],
      ['q=ved&locality=atlantis', 'locality', 'ved'],
      ['q=ved&radiusKm=abc&from=Rusksele', 'radiusKm', 'ved'],
      ['q=ved&radiusKm=0', 'radiusKm', 'ved'],
      ['q=ved&radiusKm=5000&near=64.8,18.9', 'radiusKm', 'ved'],
      ['q=ved&near=64.8,18.9&radiusKm=25&near=1,1', 'near', 'ved'],
      ['q=ved&from=Atlantis&radiusKm=25', 'from', 'ved'],
      ['q=ved&from=a&from=b', 'from', 'ved'],
      ['q=ved&near=_geoRadius(1,2,3)', 'near', 'ved'],
      ['q=ved&workTraining=maybe', 'workTraining', 'ved'],
      ['q=ved&sort=price', 'sort', 'ved'],
      ['q=ved&page=0', 'page', 'ved'],
    ];
    for (const [query, field, keptQ] of cases) {
      it(`when given ${query.slice(0, 48)}, then 400 with the message for ${field} and the words kept`, async () => {
        const res = await get(ctx.app, `/uppdrag?${query}`, 400);
        expect(tag(res.text, 'div', { class: 'error-summary', role: 'alert' }), 'error summary').to.not.equal(undefined);
        expect(tag(res.text, 'input', { id: 'q' })?.get('value')).to.equal(keptQ);
        expect(cards(res.text)).to.deep.equal([]);
        const message = textOfId(res.text, `${field}-error`);
        if (['near', 'page'].includes(field)) {
          // Not fields of the form: the summary names the problem.
          expect(textOfId(res.text, 'search-region')).to.include(field === 'near' ? 'Positionen' : 'Sidnumret');
        } else {
          expect(message, `message beside ${field}`).to.be.a('string').and.not.equal('');
        }
      });
    }

    it('when the typed village is unknown, then the message sits beside the field, tied to it, and the text stays', async () => {
      const res = await get(ctx.app, `/uppdrag?from=${encodeURIComponent(`Atlantis${SCRIPT}`)}`, 400);
      const from = tag(res.text, 'input', { id: 'from' })!;
      expect(from.get('value')).to.equal(`Atlantis${SCRIPT}`);
      expect(from.get('aria-invalid')).to.equal('true');
      expect(textOfId(res.text, 'from-error')).to.equal('Vi hittar ingen by eller ort med det namnet. Kontrollera stavningen.');
      expect(res.text).not.to.include(SCRIPT);
    });

    it('when a checkbox value is bad, then the boxes of that facet point to the message', async () => {
      const res = await get(ctx.app, '/uppdrag?category=finns-inte', 400);
      const box = tag(res.text, 'input', { name: 'category', value: 'snorojning' })!;
      expect(box.get('aria-invalid')).to.equal('true');
      expect(box.get('aria-describedby')).to.equal('category-error');
      expect(tag(res.text, 'fieldset', { id: 'facet-category' })?.get('aria-describedby')).to.equal('category-error');
    });

    it('when the page is asked in English, then the messages are English', async () => {
      const res = await get(ctx.app, '/uppdrag?from=Atlantis&lang=en', 400);
      expect(textOfId(res.text, 'from-error')).to.equal('We find no village or locality by that name. Check the spelling.');
      expect(tag(res.text, 'input', { type: 'hidden', name: 'lang' })?.get('value')).to.equal('en');
    });
  });
});

describe('The search page while Meilisearch is unreachable', () => {
  const ctx = useTestApp(() => ({ search: createSearchClient({ host: 'http://127.0.0.1:9', timeoutMs: 500 }) }));
  let id: number;

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Norsjö hembygdsförening' });
    id = await createTestAssignment(ctx.db, {
      organisationId: org.id,
      title: 'Servering på midsommarfesten',
      categorySlug: 'evenemang',
      municipalityCode: '2417',
    });
  });

  it('when words are searched, then the database answers with the same filters and the page says search is limited', async () => {
    const res = await get(ctx.app, '/uppdrag?q=midsommarfesten&municipality=2417', 200);
    expect(textOfId(res.text, 'search-fallback')).to.match(/^Sökmotorn svarar inte just nu/);
    expect(cards(res.text).map((card) => card.id)).to.deep.equal([id]);
    expect(facetLabels(res.text, 'category')).to.deep.equal(['Evenemang (1)']);
    const none = await get(ctx.app, '/uppdrag?q=midsommarfesten&municipality=0188', 200);
    expect(cards(none.text)).to.deep.equal([]);
  });
});
