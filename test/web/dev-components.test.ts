import { expect } from 'chai';
import ejs from 'ejs';
import { parseHTML } from 'linkedom';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { formatDate } from '../../src/platform/calendar.js';
import { createI18n, type TFunction } from '../../src/platform/i18n.js';
import { designSystemComponents, includeCall, toSource } from '../../src/web/dev-components.js';
import { VIEWS_DIR } from '../../src/web/views.js';
import { useTestApp } from '../support/test-app.js';
import { csrfFrom } from '../support/users.js';

// The design system (issue 14): the partials in views/partials/ui/, the confirmation step and the table pattern,
// documented at /dev/komponenter. The issue asks that "the design-system page lists every component used": a page
// that includes a component the page does not show fails here.

const UI_DIR = path.join(VIEWS_DIR, 'partials', 'ui');
const HOSTILE = `"><img src=x onerror=alert(1)><script>alert('x')</script>&`;

let t: TFunction;
before(async () => {
  t = (await createI18n()).getFixedT('sv');
});

/** Renders a partial the way a page includes it, with the view helpers every page has. */
function render(partial: string, locals: Record<string, unknown>, page: Record<string, unknown> = {}): string {
  const file = path.join(VIEWS_DIR, `${partial}.ejs`);
  return ejs.render(
    fs.readFileSync(file, 'utf8'),
    { t, page, formatDate: (value: string | Date) => formatDate(value, 'sv'), csrfToken: () => 'csrf-token', ...locals },
    { filename: file },
  );
}

const documentOf = (html: string) => parseHTML(`<!doctype html><html><body>${html}</body></html>`).document;
const text = (html: string) => (documentOf(html).body.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Every view file under views/, as paths from views/. */
function viewFiles(dir = VIEWS_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return viewFiles(full);
    return entry.name.endsWith('.ejs') ? [path.relative(VIEWS_DIR, full)] : [];
  });
}

/** The components a view includes: partials/ui/<name>, and partials/confirm as "confirm". */
function componentsIncludedBy(source: string): string[] {
  return [...source.matchAll(/include\(\s*[`'"](?:\.\.\/|\.\/)*partials\/(ui\/([\w-]+)|confirm)[`'"]/g)].map(
    (match) => match[2] ?? 'confirm',
  );
}

/** Every string in a value replaced by the hostile text, except the keys whose values are not text. */
function hostile(value: unknown, key = ''): unknown {
  if (['tone', 'state', 'date', 'headingLevel', 'page', 'pages', 'announce', 'valueHtml', 'bodyHtml', 'html'].includes(key))
    return value;
  if (typeof value === 'string') return HOSTILE;
  if (Array.isArray(value)) return value.map((item) => hostile(item));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, hostile(item, name)]));
  return value;
}

describe('The design system at /dev/komponenter', () => {
  const ctx = useTestApp();

  /** The announced notices of the page itself, not of its examples. */
  const pageNotices = (html: string) =>
    [...documentOf(html).querySelectorAll('main [role="status"]')]
      .filter((notice) => !notice.closest('.ds-example-render'))
      .map((notice) => notice.textContent!.replace(/\s+/g, ' ').trim());

  it('when /dev/komponenter is opened, then every component is shown with its name, when to use it and the call to copy, never cached', async () => {
    const res = await request(ctx.app).get('/dev/komponenter').expect(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    const document = documentOf(res.text);
    const sections = [...document.querySelectorAll('section[data-component]')];
    expect(sections.map((section) => section.getAttribute('data-component'))).to.deep.equal([
      'page-header',
      'badge',
      'card',
      'summary-list',
      'timeline',
      'notice',
      'confirm',
      'empty-state',
      'pagination',
      'table',
    ]);
    for (const section of sections) {
      const id = section.getAttribute('data-component')!;
      expect(section.querySelector('h2')?.textContent, id).to.contain(t(`designSystem.components.${id}.name`));
      expect(section.textContent, id).to.contain(t(`designSystem.components.${id}.when`));
      expect(section.querySelector('.ds-example-render')?.innerHTML.trim(), id).not.to.equal('');
      expect(section.querySelector('.ds-code')?.textContent, id).to.match(
        id === 'table' ? /class="data-table"/ : /<%- include\('\.\.\/partials\//,
      );
    }
    // The examples render the real components, and the page keeps its own title.
    expect(document.querySelector('title')?.textContent).to.match(/^Komponenter \(utvecklingsläge\)/);
    expect(document.querySelectorAll('.ds-example-render .badge')).to.have.length.greaterThanOrEqual(5);
    expect(document.querySelector('.ds-example-render [aria-current="step"]')).not.to.equal(null);
  });

  it('when a partial is added to views/partials/ui/, then the page has a section for it', async () => {
    const res = await request(ctx.app).get('/dev/komponenter').expect(200);
    const shown = [...documentOf(res.text).querySelectorAll('section[data-component]')].map((section) =>
      section.getAttribute('data-component'),
    );
    const partials = fs.readdirSync(UI_DIR).map((file) => file.replace(/\.ejs$/, ''));
    expect(partials).to.have.length.greaterThanOrEqual(8);
    for (const partial of partials) expect(shown, `views/partials/ui/${partial}.ejs`).to.include(partial);
  });

  it('when any page includes a component, then /dev/komponenter shows that component', async () => {
    const res = await request(ctx.app).get('/dev/komponenter').expect(200);
    const shown = new Set(
      [...documentOf(res.text).querySelectorAll('section[data-component]')].map((section) =>
        section.getAttribute('data-component'),
      ),
    );
    const missing: string[] = [];
    for (const file of viewFiles()) {
      if (file.startsWith(`dev${path.sep}`)) continue;
      for (const component of componentsIncludedBy(fs.readFileSync(path.join(VIEWS_DIR, file), 'utf8')))
        if (!shown.has(component)) missing.push(`${file} includes partials/ui/${component}`);
    }
    expect(missing).to.deep.equal([]);
    // The scan itself finds includes written the ways views write them.
    expect(
      componentsIncludedBy(
        `<%- include('../partials/ui/badge', {}) %> <%- include("partials/ui/notice") %> <%- include('../partials/confirm', {}) %> <%- include('ui/card') %>`,
      ),
    ).to.deep.equal(['badge', 'notice', 'confirm']);
  });

  it("when an example's button is pressed, then nothing changes and the page says so", async () => {
    const agent = request.agent(ctx.app);
    const page = await agent.get('/dev/komponenter').expect(200);
    const res = await agent
      .post('/dev/komponenter/exempel')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    expect(res.headers.location).to.equal('/dev/komponenter?done=example');
    const back = await agent.get('/dev/komponenter?done=example').expect(200);
    expect(pageNotices(back.text)).to.deep.equal([t('designSystem.exampleDone')]);
    // Without the token it is refused like every other form.
    await request(ctx.app).post('/dev/komponenter/exempel').type('form').send({}).expect(403);
    // Only the page's own value shows the notice.
    const other = await agent.get('/dev/komponenter?done=%3Cscript%3E').expect(200);
    expect(pageNotices(other.text)).to.deep.equal([]);
  });

  it('when the page is asked for in English, then its texts are English', async () => {
    const res = await request(ctx.app).get('/dev/komponenter?lang=en').expect(200);
    expect(res.text).to.contain('Components (development)').and.contain('Call to copy');
  });
});

describe('The design system in production', () => {
  const ctx = useTestApp((deps) => ({ config: { ...deps.config, isProduction: true } }));

  it('when /dev/komponenter is asked for, then it does not exist', async () => {
    await request(ctx.app).get('/dev/komponenter').expect(404);
    await request(ctx.app)
      .post('/dev/komponenter/exempel')
      .expect((res) => expect(res.status).to.be.oneOf([403, 404]));
  });
});

describe('The design system partials', () => {
  it('when every text local holds markup, then each component writes it as text', () => {
    for (const component of designSystemComponents(t)) {
      for (const example of component.examples) {
        if (!example.partial) continue;
        const locals = hostile(example.locals) as Record<string, unknown>;
        if (component.id === 'pagination') (locals.pagination as Record<string, unknown>).query = { q: HOSTILE, [HOSTILE]: 'x' };
        const html = render(example.partial, locals);
        const where = `${example.partial} ${toSource(locals)}`;
        expect(html, where).not.to.contain('<script');
        expect(html, where).not.to.contain('<img');
        expect(html, where).not.to.match(/"\s*onerror=/);
        expect(html, where).to.match(/&lt;script&gt;|%3Cscript%3E/);
      }
    }
  });

  it('when a tone or a state is not one of the known ones, then rendering fails instead of showing a wrong state', () => {
    expect(() => render('partials/ui/badge', { badge: { text: 'Ok', tone: 'green' } })).to.throw(/unknown tone green/);
    expect(() => render('partials/ui/notice', { notice: { tone: 'danger', heading: 'Fel' } })).to.throw(/unknown tone danger/);
    expect(() => render('partials/ui/timeline', { timeline: { steps: [{ label: 'Skickad', state: 'sent' }] } })).to.throw(
      /unknown state sent/,
    );
  });

  it('when a badge has no tone, then it is neutral, and its text is always in it', () => {
    const badge = documentOf(render('partials/ui/badge', { badge: { text: 'Utkast' } })).querySelector('span')!;
    expect(badge.getAttribute('class')).to.equal('badge badge-neutral');
    expect(badge.textContent).to.equal('Utkast');
  });

  it('when a timeline is shown, then only the current step carries aria-current="step" and every step says its state in words', () => {
    const html = render('partials/ui/timeline', {
      timeline: {
        steps: [
          { label: 'Skickad', state: 'done', date: '2026-11-20' },
          { label: 'På kortlistan', state: 'skipped' },
          { label: 'Accepterad', state: 'current', note: 'Föreningen hör av sig.' },
          { label: 'Utfört', state: 'upcoming' },
        ],
      },
    });
    const document = documentOf(html);
    const list = document.querySelector('ol')!;
    expect(list.getAttribute('aria-label')).to.equal('Så långt har det kommit');
    const steps = [...list.querySelectorAll('li')];
    expect(steps.map((step) => step.getAttribute('aria-current'))).to.deep.equal([null, null, 'step', null]);
    expect(steps.map((step) => step.querySelector('.timeline-state')?.textContent)).to.deep.equal([
      'Klart',
      'Hoppades över',
      'Nu',
      'Kommer',
    ]);
    expect(steps[0]!.querySelector('time')?.getAttribute('datetime')).to.equal('2026-11-20');
    expect(steps[0]!.querySelector('time')?.textContent).to.equal(formatDate('2026-11-20', 'sv'));
    expect(steps[2]!.textContent).to.contain('Föreningen hör av sig.');
  });

  describe('pagination', () => {
    const pagination = (locals: Record<string, unknown>) => documentOf(render('partials/ui/pagination', { pagination: locals }));
    const links = (document: Document) =>
      [...document.querySelectorAll('a')].map((a) => ({
        text: a.textContent!.replace(/\s+/g, ' ').trim(),
        href: a.getAttribute('href'),
        current: a.getAttribute('aria-current'),
        rel: a.getAttribute('rel'),
      }));

    it('when page 5 of 12 is shown, then previous, first, neighbours, last and next are links, with the current page marked', () => {
      const document = pagination({ page: 5, pages: 12, path: '/konto/notiser', query: { sort: 'new', page: '5' } });
      expect(document.querySelector('nav')?.getAttribute('aria-label')).to.equal('Sidor');
      expect(links(document)).to.deep.equal([
        { text: 'Föregående sida', href: '/konto/notiser?sort=new&page=4', current: null, rel: 'prev' },
        { text: 'Sida 1', href: '/konto/notiser?sort=new', current: null, rel: null },
        { text: 'Sida 4', href: '/konto/notiser?sort=new&page=4', current: null, rel: null },
        { text: 'Sida 5', href: '/konto/notiser?sort=new&page=5', current: 'page', rel: null },
        { text: 'Sida 6', href: '/konto/notiser?sort=new&page=6', current: null, rel: null },
        { text: 'Sida 12', href: '/konto/notiser?sort=new&page=12', current: null, rel: null },
        { text: 'Nästa sida', href: '/konto/notiser?sort=new&page=6', current: null, rel: 'next' },
      ]);
      expect(document.querySelectorAll('.pagination-ellipsis')).to.have.length(2);
    });

    it('when the first or the last page is shown, then there is no link before or after it', () => {
      const first = links(pagination({ page: 1, pages: 2, path: '/p', query: {} }));
      expect(first.map((link) => link.text)).to.deep.equal(['Sida 1', 'Sida 2', 'Nästa sida']);
      const last = links(pagination({ page: 2, pages: 2, path: '/p', query: {} }));
      expect(last.map((link) => link.text)).to.deep.equal(['Föregående sida', 'Sida 1', 'Sida 2']);
    });

    it('when the caller builds the addresses, then hrefFor gives each link, and a page name is kept', () => {
      const document = pagination({
        page: 2,
        pages: 3,
        hrefFor: (page: number) => `/sok?sida=${page}`,
        label: 'Sidor med notiser',
      });
      expect(links(document).map((link) => link.href)).to.deep.equal([
        '/sok?sida=1',
        '/sok?sida=1',
        '/sok?sida=2',
        '/sok?sida=3',
        '/sok?sida=3',
      ]);
      expect(document.querySelector('nav')?.getAttribute('aria-label')).to.equal('Sidor med notiser');
    });

    it('when a repeated query parameter and another page parameter are given, then both survive', () => {
      const document = pagination({
        page: 1,
        pages: 2,
        path: '/uppdrag',
        query: { kategori: ['snow', 'garden'] },
        param: 'sida',
      });
      expect(links(document).at(-1)?.href).to.equal('/uppdrag?kategori=snow&kategori=garden&sida=2');
    });

    it('when there is one page, or the numbers are nonsense, then nothing or a page in range is shown', () => {
      expect(render('partials/ui/pagination', { pagination: { page: 1, pages: 1, path: '/p' } }).trim()).to.equal('');
      expect(render('partials/ui/pagination', { pagination: { page: 'x', pages: 'y', path: '/p' } }).trim()).to.equal('');
      const beyond = pagination({ page: 99, pages: 3, path: '/p', query: {} });
      expect(beyond.querySelector('[aria-current="page"]')?.textContent).to.contain('3');
      expect(beyond.querySelector('[rel="next"]')).to.equal(null);
    });
  });

  it('when a summary list row has no value, then it says so; a change link names what it changes', () => {
    const document = documentOf(
      render('partials/ui/summary-list', {
        summaryList: {
          rows: [
            {
              key: 'Telefon',
              value: '',
              action: { href: '/konto/profil', label: 'Lägg till', visuallyHiddenContext: 'telefonnummer' },
            },
            { key: 'Adress', value: ['Byvägen 12', '921 93 Rusksele'] },
            { key: 'Status', valueHtml: '<span class="badge badge-success">Verifierad</span>' },
          ],
        },
      }),
    );
    const rows = [...document.querySelectorAll('dl > div')];
    expect(rows.map((row) => row.querySelector('dt')?.textContent)).to.deep.equal(['Telefon', 'Adress', 'Status']);
    expect(rows[0]!.querySelector('.summary-list-value')?.textContent?.trim()).to.equal('Inte angivet');
    expect(rows[0]!.querySelector('a')?.textContent).to.equal('Lägg till telefonnummer');
    expect(rows[1]!.querySelector('.summary-list-value')?.innerHTML.trim()).to.equal('Byvägen 12<br>921 93 Rusksele');
    expect(rows[1]!.querySelectorAll('dd')).to.have.length(1);
    expect(rows[2]!.querySelector('.badge')?.textContent).to.equal('Verifierad');
  });

  it('when a notice reports an action just done, then it is announced; otherwise it is not a live region', () => {
    const announced = documentOf(
      render('partials/ui/notice', { notice: { tone: 'success', heading: 'Sparat', announce: true } }),
    );
    expect(announced.querySelector('.notice')?.getAttribute('role')).to.equal('status');
    const info = documentOf(render('partials/ui/notice', { notice: { tone: 'info', heading: 'Granskas', headingLevel: 3 } }));
    expect(info.querySelector('.notice')?.hasAttribute('role')).to.equal(false);
    expect(info.querySelector('h3')?.textContent).to.equal('Granskas');
    const warning = render('partials/ui/notice', { notice: { tone: 'warning', heading: 'Kontot saknas' } });
    expect(text(warning)).to.equal('Varning: Kontot saknas');
  });

  it('when a page header has a POST action, then it is a form with the CSRF token; it names the page unless the page did', () => {
    const page: Record<string, unknown> = {};
    const html = render(
      'partials/ui/page-header',
      {
        pageHeader: {
          title: 'Fakturaunderlag',
          back: { href: '/konto', label: 'Tillbaka till Mitt konto' },
          primary: { label: 'Skicka underlaget', action: '/underlag/1/skicka', hidden: { month: '2026-11' } },
          secondary: [{ label: 'Avbryt uppdraget', href: '/u/1/avbryt', tone: 'warning', context: 'Skotta trappan' }],
        },
      },
      page,
    );
    const document = documentOf(html);
    expect(document.querySelectorAll('h1')).to.have.length(1);
    const form = document.querySelector('form')!;
    expect(form.getAttribute('action')).to.equal('/underlag/1/skicka');
    expect(form.getAttribute('method')).to.equal('post');
    expect(form.querySelector('input[name="_csrf"]')?.getAttribute('value')).to.equal('csrf-token');
    expect(form.querySelector('input[name="month"]')?.getAttribute('value')).to.equal('2026-11');
    const warning = document.querySelector('.page-header-secondary a')!;
    expect(warning.getAttribute('class')).to.equal('action-warning');
    expect(warning.textContent).to.equal('Avbryt uppdraget Skotta trappan');
    expect(page.title).to.equal('Fakturaunderlag');

    const named = { title: 'Sidans egen titel' };
    render('partials/ui/page-header', { pageHeader: { title: 'Rubrik', primary: { label: 'Gå', href: '/x' } } }, named);
    expect(named.title).to.equal('Sidans egen titel');
  });

  it('when a card and an empty state are shown, then the heading is the link and the one action is there', () => {
    const card = documentOf(
      render('partials/ui/card', {
        card: {
          title: 'Skotta',
          href: '/uppdrag/1',
          meta: ['Föreningen', '', 'Lycksele'],
          badges: [{ text: 'Publicerat', tone: 'success' }],
        },
      }),
    );
    expect(card.querySelector('h3 a')?.getAttribute('href')).to.equal('/uppdrag/1');
    expect(card.querySelector('.card-meta')?.textContent).to.equal('Föreningen · Lycksele');
    expect(card.querySelector('.badge-list .badge-success')?.textContent).to.equal('Publicerat');
    const empty = documentOf(
      render('partials/ui/empty-state', {
        emptyState: { heading: 'Inga notiser', action: { href: '/uppdrag', label: 'Sök uppdrag' } },
      }),
    );
    expect(empty.querySelector('h2')?.textContent).to.equal('Inga notiser');
    expect([...empty.querySelectorAll('a')].map((a) => a.getAttribute('href'))).to.deep.equal(['/uppdrag']);
  });

  it('when the call to copy is shown, then it is the include that renders the example', () => {
    const [example] = designSystemComponents(t).find((component) => component.id === 'badge')!.examples;
    expect(includeCall(example!)).to.equal(`<%- include('../partials/ui/badge', { badge: { text: 'Skickad' } }) %>`);
    expect(toSource({ text: "Kerstin's", list: [1, 'a'] })).to.equal(`{ text: 'Kerstin\\'s', list: [1, 'a'] }`);
  });
});
