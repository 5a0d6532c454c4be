import { expect } from 'chai';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { todayInStockholm } from '../../src/platform/calendar.js';
import { accessibilityViolations, BROWSER_TEST_TIMEOUT_MS, logInWithForm, useBrowser } from '../support/browser.js';
import { registeredRoutes, routePattern } from '../support/routes.js';
import { createSignedInWorld, type SignedInWorld } from '../support/signed-in-world.js';
import { useTestApp } from '../support/test-app.js';

// Issue 14, "Done when": every signed-in page, as each role sees it with something on it, photographed at a
// phone's and a laptop's width into test-results/screens/<role>-<page>-<width>.png for a reviewer, with no axe
// violation at either width, no text in its background's colour and no console error. The list of pages is checked against the app's routes: a GET
// route that a visitor cannot open (sent to the login, or refused) must be visited below or excluded with a
// reason, so a new signed-in page cannot go unphotographed. At the phone's width no page may scroll sideways.

const SCREENS = 'test-results/screens';
const WIDTHS = [390, 1280] as const;
const TILES = 'https://tile.openstreetmap.org/**';

type Role = 'resident' | 'orgAdmin' | 'orgMember' | 'admin' | 'payroll' | 'officer';

interface SignedInPage {
  role: Role;
  /** The file name's middle part: what the page is. */
  name: string;
  /** The route it shows, as registeredRoutes names it. */
  route: string;
  path: (world: SignedInWorld) => string;
}

const org = (world: SignedInWorld) => `/organisationer/${world.organisation.slug}`;

const PAGES: SignedInPage[] = [
  // The resident
  { role: 'resident', name: 'mitt-konto', route: 'GET /konto', path: () => '/konto' },
  { role: 'resident', name: 'intresseanmalningar', route: 'GET /konto/ansokningar', path: () => '/konto/ansokningar' },
  ...(['submitted', 'shortlisted', 'accepted', 'declined', 'withdrawn', 'completed'] as const).map((state): SignedInPage => ({
    role: 'resident',
    name: `intresseanmalan-${state}`,
    route: 'GET /ansokningar/:applicationId',
    path: (world) => `/ansokningar/${world.applications[state]}`,
  })),
  {
    role: 'resident',
    name: 'aterkalla-intresseanmalan',
    route: 'GET /ansokningar/:applicationId/aterkalla',
    path: (world) => `/ansokningar/${world.applications.submitted}/aterkalla`,
  },
  {
    role: 'resident',
    name: 'meddelanden',
    route: 'GET /ansokningar/:applicationId/meddelanden',
    path: (world) => `/ansokningar/${world.applications.accepted}/meddelanden`,
  },
  {
    role: 'resident',
    name: 'omdome',
    route: 'GET /ansokningar/:applicationId/omdome',
    path: (world) => `/ansokningar/${world.applications.completed}/omdome`,
  },
  {
    role: 'resident',
    name: 'uppdrag-inloggad',
    route: 'GET /uppdrag/:ref',
    path: (world) => `/uppdrag/${world.assignments.published}`,
  },
  { role: 'resident', name: 'notiser', route: 'GET /konto/notiser', path: () => '/konto/notiser' },
  {
    role: 'resident',
    name: 'notisinstallningar',
    route: 'GET /konto/notiser/installningar',
    path: () => '/konto/notiser/installningar',
  },
  { role: 'resident', name: 'profil', route: 'GET /konto/profil', path: () => '/konto/profil' },
  { role: 'resident', name: 'min-kompetens', route: 'GET /konto/kompetens', path: () => '/konto/kompetens' },
  {
    role: 'resident',
    name: 'kompetens-nytt-erbjudande',
    route: 'GET /konto/kompetens/erbjudanden/ny',
    path: () => '/konto/kompetens/erbjudanden/ny',
  },
  {
    role: 'resident',
    name: 'kompetens-inbjudningar',
    route: 'GET /konto/kompetens/inbjudningar',
    path: () => '/konto/kompetens/inbjudningar',
  },
  { role: 'resident', name: 'lara-av-varandra', route: 'GET /konto/lara-av-varandra', path: () => '/konto/lara-av-varandra' },
  { role: 'resident', name: 'losenord', route: 'GET /konto/losenord', path: () => '/konto/losenord' },
  { role: 'resident', name: 'epost', route: 'GET /konto/epost', path: () => '/konto/epost' },
  { role: 'resident', name: 'mina-uppgifter', route: 'GET /konto/mina-uppgifter', path: () => '/konto/mina-uppgifter' },
  { role: 'resident', name: 'egenanstallning', route: 'GET /konto/egenanstallning', path: () => '/konto/egenanstallning' },
  { role: 'resident', name: 'fakturaunderlag', route: 'GET /konto/fakturaunderlag', path: () => '/konto/fakturaunderlag' },
  {
    role: 'resident',
    name: 'fakturaunderlag-uppdrag',
    route: 'GET /konto/fakturaunderlag/:applicationId',
    path: (world) => `/konto/fakturaunderlag/${world.applications.accepted}`,
  },
  { role: 'resident', name: 'fakturor', route: 'GET /konto/fakturor', path: () => '/konto/fakturor' },
  { role: 'resident', name: 'lonebesked', route: 'GET /konto/lonebesked', path: () => '/konto/lonebesked' },
  { role: 'resident', name: 'bevakningar', route: 'GET /konto/bevakningar', path: () => '/konto/bevakningar' },
  { role: 'resident', name: 'ny-bevakning', route: 'GET /konto/bevakningar/ny', path: () => '/konto/bevakningar/ny' },
  {
    role: 'resident',
    name: 'andra-bevakning',
    route: 'GET /konto/bevakningar/:savedSearchId/redigera',
    path: (world) => `/konto/bevakningar/${world.savedSearchId}/redigera`,
  },
  {
    role: 'resident',
    name: 'ta-bort-bevakning',
    route: 'GET /konto/bevakningar/:savedSearchId/ta-bort',
    path: (world) => `/konto/bevakningar/${world.savedSearchId}/ta-bort`,
  },
  { role: 'resident', name: 'mina-organisationer', route: 'GET /konto/organisationer', path: () => '/konto/organisationer' },
  { role: 'resident', name: 'ny-organisation', route: 'GET /organisationer/ny', path: () => '/organisationer/ny' },

  // The organisation's admin
  { role: 'orgAdmin', name: 'mitt-konto', route: 'GET /konto', path: () => '/konto' },
  {
    role: 'orgAdmin',
    name: 'mina-uppdrag',
    route: 'GET /organisationer/:slug/uppdrag',
    path: (world) => `${org(world)}/uppdrag`,
  },
  {
    role: 'orgAdmin',
    name: 'nytt-uppdrag',
    route: 'GET /organisationer/:slug/uppdrag/nytt',
    path: (world) => `${org(world)}/uppdrag/nytt`,
  },
  {
    role: 'orgAdmin',
    name: 'redigera-utkast',
    route: 'GET /organisationer/:slug/uppdrag/:assignmentId/redigera',
    path: (world) => `${org(world)}/uppdrag/${world.assignments.draft}/redigera`,
  },
  {
    role: 'orgAdmin',
    name: 'forhandsgranska',
    route: 'GET /organisationer/:slug/uppdrag/:assignmentId/forhandsgranska',
    path: (world) => `${org(world)}/uppdrag/${world.assignments.draft}/forhandsgranska`,
  },
  {
    role: 'orgAdmin',
    name: 'sokande',
    route: 'GET /organisationer/:slug/uppdrag/:assignmentId/ansokningar',
    path: (world) => `${org(world)}/uppdrag/${world.assignments.published}/ansokningar`,
  },
  {
    role: 'orgAdmin',
    name: 'intresseanmalan-submitted',
    route: 'GET /ansokningar/:applicationId',
    path: (world) => `/ansokningar/${world.applications.submitted}`,
  },
  {
    role: 'orgAdmin',
    name: 'intresseanmalan-accepted',
    route: 'GET /ansokningar/:applicationId',
    path: (world) => `/ansokningar/${world.applications.accepted}`,
  },
  {
    role: 'orgAdmin',
    name: 'meddelanden',
    route: 'GET /ansokningar/:applicationId/meddelanden',
    path: (world) => `/ansokningar/${world.applications.accepted}/meddelanden`,
  },
  {
    role: 'orgAdmin',
    name: 'omdome',
    route: 'GET /ansokningar/:applicationId/omdome',
    path: (world) => `/ansokningar/${world.applications.completed}/omdome`,
  },
  {
    role: 'orgAdmin',
    name: 'avbryt-uppdrag',
    route: 'GET /organisationer/:slug/uppdrag/:assignmentId/avbryt',
    path: (world) => `${org(world)}/uppdrag/${world.assignments.published}/avbryt`,
  },
  {
    role: 'orgAdmin',
    name: 'ta-bort-utkast',
    route: 'GET /organisationer/:slug/uppdrag/:assignmentId/ta-bort',
    path: (world) => `${org(world)}/uppdrag/${world.assignments.draft}/ta-bort`,
  },
  {
    role: 'orgAdmin',
    name: 'bekrafta-kompetens',
    route: 'GET /kompetens/bekrafta/:assignmentId',
    path: (world) => `/kompetens/bekrafta/${world.assignments.completed}`,
  },
  {
    role: 'orgAdmin',
    name: 'markera-utfort',
    route: 'GET /organisationer/:slug/uppdrag/:assignmentId/klar',
    path: (world) => `${org(world)}/uppdrag/${world.assignments.assigned}/klar`,
  },
  { role: 'orgAdmin', name: 'organisation', route: 'GET /organisationer/:slug', path: org },
  {
    role: 'orgAdmin',
    name: 'redigera-organisation',
    route: 'GET /organisationer/:slug/redigera',
    path: (world) => `${org(world)}/redigera`,
  },
  {
    role: 'orgAdmin',
    name: 'medlemmar',
    route: 'GET /organisationer/:slug/medlemmar',
    path: (world) => `${org(world)}/medlemmar`,
  },
  {
    role: 'orgAdmin',
    name: 'ta-bort-medlem',
    route: 'GET /organisationer/:slug/medlemmar/:userId/ta-bort',
    path: (world) => `${org(world)}/medlemmar/${world.users.orgMember.id}/ta-bort`,
  },
  {
    role: 'orgAdmin',
    name: 'aterkalla-inbjudan',
    route: 'GET /organisationer/:slug/medlemmar/inbjudningar/:inviteId/aterkalla',
    path: (world) => `${org(world)}/medlemmar/inbjudningar/${world.inviteId}/aterkalla`,
  },
  {
    role: 'orgAdmin',
    name: 'fakturaunderlag',
    route: 'GET /organisationer/:slug/fakturaunderlag',
    path: (world) => `${org(world)}/fakturaunderlag`,
  },
  {
    role: 'orgAdmin',
    name: 'fakturaunderlag-granska',
    route: 'GET /organisationer/:slug/fakturaunderlag/:basisId',
    path: (world) => `${org(world)}/fakturaunderlag/${world.basisId}`,
  },
  {
    role: 'orgAdmin',
    name: 'godkann-fakturaunderlag',
    route: 'GET /organisationer/:slug/fakturaunderlag/:basisId/godkann',
    path: (world) => `${org(world)}/fakturaunderlag/${world.basisId}/godkann`,
  },
  { role: 'orgAdmin', name: 'fakturor', route: 'GET /organisationer/:slug/fakturor', path: (world) => `${org(world)}/fakturor` },
  { role: 'orgAdmin', name: 'notiser', route: 'GET /konto/notiser', path: () => '/konto/notiser' },

  // A member who is not the organisation's admin
  { role: 'orgMember', name: 'mitt-konto', route: 'GET /konto', path: () => '/konto' },
  {
    role: 'orgMember',
    name: 'mina-uppdrag',
    route: 'GET /organisationer/:slug/uppdrag',
    path: (world) => `${org(world)}/uppdrag`,
  },
  {
    role: 'orgMember',
    name: 'sokande',
    route: 'GET /organisationer/:slug/uppdrag/:assignmentId/ansokningar',
    path: (world) => `${org(world)}/uppdrag/${world.assignments.published}/ansokningar`,
  },
  { role: 'orgMember', name: 'organisation', route: 'GET /organisationer/:slug', path: org },
  // Find people (issue 15): a member sees organisations-only profiles too.
  { role: 'orgMember', name: 'kompetens', route: 'GET /kompetens', path: () => '/kompetens?q=mot&kind=certificate' },

  // The platform admin
  { role: 'admin', name: 'oversikt', route: 'GET /admin', path: () => '/admin' },
  {
    role: 'admin',
    name: 'granska-uppdrag',
    route: 'GET /admin/uppdrag/:assignmentId/granska',
    path: (world) => `/admin/uppdrag/${world.assignmentInReview}/granska`,
  },
  { role: 'admin', name: 'handlaggare', route: 'GET /admin/handlaggare', path: () => '/admin/handlaggare' },
  { role: 'admin', name: 'lonepersonal', route: 'GET /admin/lon', path: () => '/admin/lon' },
  { role: 'admin', name: 'kompetensord', route: 'GET /admin/kompetens', path: () => '/admin/kompetens' },
  {
    role: 'admin',
    name: 'kompetensord-sammanfoga',
    route: 'GET /admin/kompetens/sammanfoga',
    path: () => '/admin/kompetens/sammanfoga',
  },
  { role: 'admin', name: 'moderering', route: 'GET /admin/moderering', path: () => '/admin/moderering' },
  { role: 'admin', name: 'logg', route: 'GET /admin/logg', path: () => '/admin/logg' },
  { role: 'admin', name: 'operator', route: 'GET /admin/operator', path: () => '/admin/operator' },
  { role: 'admin', name: 'mitt-konto', route: 'GET /konto', path: () => '/konto' },

  // Payroll
  { role: 'payroll', name: 'lon', route: 'GET /lon', path: () => '/lon' },
  { role: 'payroll', name: 'loner', route: 'GET /lon/loner', path: () => '/lon/loner' },
  { role: 'payroll', name: 'fakturor', route: 'GET /lon/fakturor', path: () => '/lon/fakturor' },
  {
    role: 'payroll',
    name: 'faktura',
    route: 'GET /lon/fakturor/:invoiceId',
    path: (world) => `/lon/fakturor/${world.paidInvoiceId}`,
  },
  { role: 'payroll', name: 'logg', route: 'GET /lon/logg', path: () => '/lon/logg' },
  { role: 'payroll', name: 'bokforing', route: 'GET /lon/bokforing', path: () => '/lon/bokforing' },
  {
    role: 'payroll',
    name: 'bokforing-perioden',
    route: 'GET /lon/bokforing',
    path: () => `/lon/bokforing?from=${todayInStockholm().slice(0, 7)}-01&to=${todayInStockholm()}`,
  },
  {
    role: 'payroll',
    name: 'arbetsgivardeklaration',
    route: 'GET /lon/arbetsgivardeklaration',
    path: () => '/lon/arbetsgivardeklaration',
  },
  {
    role: 'payroll',
    name: 'arbetsgivardeklaration-manaden',
    route: 'GET /lon/arbetsgivardeklaration',
    path: () => `/lon/arbetsgivardeklaration?month=${todayInStockholm().slice(0, 7)}`,
  },

  // The municipality officer
  {
    role: 'officer',
    name: 'statistik',
    route: 'GET /statistik/kommun/:code',
    path: (world) => `/statistik/kommun/${world.municipalityCode}`,
  },
  { role: 'officer', name: 'mitt-konto', route: 'GET /konto', path: () => '/konto' },
];

/** Signed-in routes no page of the list shows, each with why. */
const NOT_PAGES: Record<string, string> = {
  'GET /konto/mina-uppgifter.json': 'a JSON download',
  'GET /konto/profil/cv': 'a file download (the own CV)',
  'GET /konto/kompetens/erbjudanden/:offerId':
    'an offer of the resident: the world’s resident has none; test/skills/profile-competence.test.ts opens it with one',
  'GET /konto/kompetens/erbjudanden/:offerId/ta-bort':
    'the confirmation step of removing an offer: the world’s resident has none; test/skills/profile-competence.test.ts opens it',
  'GET /kompetens/person/:publicId/bjud-in':
    'the invitation form on a person card: the world has no public id to name it by; test/skills/invite-person.test.ts opens it',
  'GET /kompetens/person/:publicId':
    'a person card: the world has no public id to name it by; test/skills/profile-person.test.ts opens it for every viewer',
  'GET /konto/profil/cv/ta-bort':
    'the confirmation step of removing a CV: the world’s resident has none (303 to the profile); test/web/uploads.test.ts opens it with one',
  'GET /ansokningar/:applicationId/cv': 'a file download (the applicant’s CV)',
  'GET /fakturor/:invoiceId/pdf': 'a PDF download',
  'GET /konto/lonebesked/:salaryId/pdf': 'a PDF download',
  'GET /konto/lonebesked/ar/:year/pdf': 'a PDF download',
  'GET /konto/lonebesked/ar/:year/csv': 'a CSV download',
  'GET /fakturaunderlag/:basisId/kvitton/:expenseId': 'a file download (a receipt)',
  'GET /lon/arbetsgivardeklaration.xml': 'an XML download',
  'GET /lon/loner/csv': 'a CSV download',
  'GET /lon/bokforing.se': 'an SIE download',
  'GET /lon/bokforing/fakturor.csv': 'a CSV download',
  'GET /lon/bokforing/betalningar.csv': 'a CSV download',
  'GET /lon/bokforing/loner.csv': 'a CSV download',
  'GET /statistik/kommun/:code/export.csv': 'a CSV download',
  'GET /statistik/kommun/:code/export.xlsx': 'an XLSX download',
  'GET /statistik/kommun': 'a redirect to the officer’s own municipality (or a chooser when there are several)',
  'GET /organisationer/:slug/logo': 'an image file (public, but the world’s organisation has no logo)',
  'GET /uppdrag/:ref/bilagor/:attachmentId': 'an image file (public, but the world has no attachment)',
  'GET /uppdrag/:ref/bilagor/:attachmentId/miniatyr': 'an image file (public, but the world has no attachment)',
  'GET /dev/mail/:id': 'a development page (public, but the world has no stored mail)',
  'GET /dev/mail/:id/html': 'a development page (public, but the world has no stored mail)',
};

/**
 * Text drawn in (nearly) its background's colour, as "tag: text". axe leaves such text "incomplete" (to be
 * reviewed by a person) when it cannot be sure of the background, e.g. for a button without one of its own:
 * notification texts in white on white cards passed it. Text over an image or a gradient is left to axe.
 */
function invisibleTexts(page: Page): Promise<string[]> {
  // No named function inside: the test runner's compiler (tsx) would wrap it in a helper the page does not have.
  return page.evaluate(() => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const element = node.parentElement;
      if (!text || !element) continue;
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
      let background: string | undefined;
      for (let holder: Element | null = element; holder; holder = holder.parentElement) {
        const own = getComputedStyle(holder);
        if (own.backgroundImage !== 'none') break;
        const [, , , alpha = 1] = (own.backgroundColor.match(/[\d.]+/g) ?? []).map(Number);
        if (alpha > 0) {
          background = own.backgroundColor;
          break;
        }
      }
      if (!background) continue;
      const [lighter, darker] = [style.color, background]
        .map((colour) =>
          (colour.match(/[\d.]+/g) ?? [])
            .slice(0, 3)
            .map(Number)
            .map((value) => (value / 255 <= 0.03928 ? value / 255 / 12.92 : ((value / 255 + 0.055) / 1.055) ** 2.4))
            .reduce((sum, channel, index) => sum + [0.2126, 0.7152, 0.0722][index]! * channel, 0),
        )
        .sort((a, b) => b - a);
      if ((lighter! + 0.05) / (darker! + 0.05) < 2) found.push(`${element.tagName.toLowerCase()}: ${text.slice(0, 60)}`);
    }
    return found;
  });
}

/**
 * Whether the page scrolls sideways (WCAG 2.1 1.4.10 Reflow: a table may scroll inside its own region, the page may
 * not) and, if it does, what reaches furthest right, as "tag.class "text" reaching N px": an element or a run of
 * text that no scrolling region clips. Something absolutely placed is clipped only by a region it is placed in, so a
 * region that is not itself positioned lets a visually hidden label at a table's far end widen the page.
 */
async function sidewaysScroll(page: Page): Promise<string | undefined> {
  // No named function inside: the test runner's compiler (tsx) would wrap it in a helper the page does not have.
  return page.evaluate(() => {
    const width = document.documentElement.scrollWidth;
    if (width <= window.innerWidth) return undefined;
    let widest = { right: 0, what: '' };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const isText = node.nodeType === Node.TEXT_NODE;
      const element = (isText ? node.parentElement : node) as Element | null;
      if (!element || (isText && !node.textContent?.trim()) || !element.checkVisibility()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const right = (isText ? range : element).getBoundingClientRect().right;
      if (right <= widest.right || right <= window.innerWidth) continue;
      // Text is clipped by its own element, an element by its ancestors: those it is placed in, if it is absolute.
      let position = isText ? 'static' : getComputedStyle(element).position;
      let clipped = position === 'fixed';
      for (
        let holder = isText ? element : element.parentElement;
        holder && holder !== document.body && !clipped;
        holder = holder.parentElement
      ) {
        const style = getComputedStyle(holder);
        if (position === 'absolute' && style.position === 'static' && style.transform === 'none') continue;
        clipped = style.overflowX !== 'visible' || style.position === 'fixed';
        position = style.position;
      }
      if (clipped) continue;
      const text = (node.textContent ?? '').trim().replace(/\s+/g, ' ');
      const name = [element.tagName.toLowerCase(), ...element.classList].join('.');
      widest = { right, what: `${name} "${text.length > 60 ? text.slice(0, 60) + '…' : text}" reaching ${Math.round(right)} px` };
    }
    return `the page is ${width} px wide; widest: ${widest.what || 'not found'}`;
  });
}

/** A route's pattern with the world's ids in it, so a visitor can be sent to it. */
function samplePath(route: string, world: SignedInWorld): string {
  const values: Record<string, string> = {
    ':slug': world.organisation.slug,
    ':ref': String(world.assignments.published),
    ':assignmentId': String(world.assignments.published),
    ':applicationId': String(world.applications.submitted),
    ':userId': String(world.users.orgMember.id),
    ':inviteId': String(world.inviteId),
    ':basisId': String(world.basisId),
    ':invoiceId': String(world.paidInvoiceId),
    ':savedSearchId': String(world.savedSearchId),
    ':code': world.municipalityCode,
    ':year': '2026',
  };
  return route.replace(/^GET /, '').replace(/:[A-Za-z]+/g, (name) => values[name] ?? name);
}

describe('Browser: every signed-in page, photographed at 390 and 1280 px, without axe violations', function () {
  this.timeout(BROWSER_TEST_TIMEOUT_MS);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);
  let world: SignedInWorld;
  let tile: Buffer;

  before(async function () {
    this.timeout(180_000);
    world = await createSignedInWorld(ctx);
    tile = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#cfe3c8' } })
      .png()
      .toBuffer();
    await mkdir(SCREENS, { recursive: true });
  });

  it('when the app’s GET routes are listed, then each one a visitor cannot open is photographed below or excluded with a reason', async () => {
    const routes = registeredRoutes(ctx.app).filter((route) => route.startsWith('GET '));
    const visited = new Set(PAGES.map((page) => page.route));
    expect(
      [...visited, ...Object.keys(NOT_PAGES)].filter((route) => !routes.includes(route)),
      'pages or exclusions naming routes that do not exist',
    ).to.deep.equal([]);
    for (const page of PAGES)
      expect(
        routePattern(page.route.replace(/^GET /, '')).test(page.path(world).split('?')[0]!),
        `${page.name} is not ${page.route}`,
      ).to.equal(true);

    const unchecked: string[] = [];
    for (const route of routes) {
      if (visited.has(route) || route in NOT_PAGES) continue;
      const response = await fetch(browser.baseUrl + samplePath(route, world), { redirect: 'manual' });
      const location = response.headers.get('location') ?? '';
      await response.body?.cancel();
      const needsLogin = location.startsWith('/logga-in') || [401, 403, 404].includes(response.status);
      if (needsLogin) unchecked.push(`${route} (a visitor gets ${response.status}${location ? ` → ${location}` : ''})`);
    }
    expect(unchecked, 'signed-in routes neither photographed nor excluded').to.deep.equal([]);
  });

  for (const role of [...new Set(PAGES.map((page) => page.role))]) {
    it(`when the ${role} opens each of their pages at both widths, then each loads, has no axe violation and logs no error`, async function () {
      const pages = PAGES.filter((page) => page.role === role);
      this.timeout(BROWSER_TEST_TIMEOUT_MS + pages.length * 20_000);
      const problems: string[] = [];
      const tab: Page = await browser.newPage();
      let current = '';
      tab.on('console', (message) => {
        if (message.type() === 'error') problems.push(`${current}: console: ${message.text()}`);
      });
      tab.on('pageerror', (error) => problems.push(`${current}: script error: ${error.message}`));
      // This machine has no internet: the posting form's map gets a plain tile from here.
      await tab.route(TILES, (route) => route.fulfill({ status: 200, contentType: 'image/png', body: tile }));
      await logInWithForm(tab, browser.baseUrl, world.users[role].email);
      for (const page of pages) {
        const path = page.path(world);
        current = `${role} ${path}`;
        await tab.setViewportSize({ width: WIDTHS[0], height: 900 });
        const response = await tab.goto(browser.baseUrl + path);
        await tab.waitForLoadState('load');
        if (response?.status() !== 200) problems.push(`${current}: HTTP ${response?.status()}`);
        // Sent on only within the route (an assignment's address gains its title), never elsewhere.
        if (!routePattern(page.route.replace(/^GET /, '')).test(new URL(tab.url()).pathname))
          problems.push(`${current}: ended at ${tab.url()}`);
        for (const width of WIDTHS) {
          await tab.setViewportSize({ width, height: 900 });
          const sideways = width === WIDTHS[0] ? await sidewaysScroll(tab) : undefined;
          if (sideways) problems.push(`${current} at ${width} px scrolls sideways: ${sideways}`);
          await tab.screenshot({ path: `${SCREENS}/${role}-${page.name}-${width}.png`, fullPage: true, caret: 'initial' });
          for (const violation of await accessibilityViolations(tab)) problems.push(`${current} at ${width} px: ${violation}`);
          for (const text of await invisibleTexts(tab))
            problems.push(`${current} at ${width} px: text in its background’s colour: ${text}`);
        }
      }
      await tab.context().close();
      expect(problems).to.deep.equal([]);
    });
  }
});
