import { expect } from 'chai';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { accessibilityViolations, BROWSER_TEST_TIMEOUT_MS, logInWithForm, useBrowser } from '../support/browser.js';
import { createOrganisation } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';
import { createUser } from '../support/users.js';

// The posting form's map in Chromium: clicks, typing and the keyboard set the
// typed point field and the marker both ways, with zero axe violations, with
// tiles and without (this machine has no internet: tile requests are answered
// here, or refused as they would be offline). Without JavaScript the field alone works.

const TILES = 'https://tile.openstreetmap.org/**';
const POINT_FORMAT = /^-?\d{1,3}\.\d{6}, -?\d{1,3}\.\d{6}$/;
const RUSKSELE = [64.815066, 18.899262] as const;

describe('Browser: the map picker on the posting form', function () {
  this.timeout(BROWSER_TEST_TIMEOUT_MS);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);
  let email: string;
  let formPath: string;
  let tile: Buffer;

  before(async () => {
    const org = await createOrganisation(ctx.db, { name: 'Rusksele byaförening', municipality_code: '2481' });
    const slug = (await ctx.db('organisations').where('id', org.id).first('slug')).slug as string;
    const member = await createUser(ctx.db, { name: 'Karin Kartritare' });
    await ctx.db('organisation_members').insert({ organisation_id: org.id, user_id: member.id, role: 'admin' });
    email = member.email;
    formPath = `/organisationer/${slug}/uppdrag/nytt`;
    tile = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#cfe3c8' } })
      .png()
      .toBuffer();
  });

  /** The form, logged in, with the tile server answering (served) or unreachable (offline). */
  async function openForm(tiles: 'served' | 'offline', options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const page = await browser.newPage(options);
    await page.route(TILES, (route) =>
      tiles === 'served'
        ? route.fulfill({ status: 200, contentType: 'image/png', body: tile })
        : route.abort('internetdisconnected'),
    );
    await logInWithForm(page, browser.baseUrl, email);
    await page.goto(browser.baseUrl + formPath);
    if (options.javaScriptEnabled !== false) await page.locator('#point-map.leaflet-container').waitFor();
    return page;
  }

  const pointField = (page: Page) => page.getByLabel('Exakt plats (valfritt)');
  const marker = (page: Page) => page.getByRole('img', { name: 'Vald plats' });
  const typedPoint = async (page: Page) => (await pointField(page).inputValue()).split(', ').map(Number) as [number, number];

  /** The map's box on the screen, scrolled into view (clicks outside the viewport hit nothing). */
  async function mapBox(page: Page) {
    await page.locator('#point-map').scrollIntoViewIfNeeded();
    return (await page.locator('#point-map').boundingBox())!;
  }

  /** Where the marker's tip is, relative to the map's middle, in pixels. */
  async function markerOffset(page: Page): Promise<[number, number]> {
    const map = (await page.locator('#point-map').boundingBox())!;
    const icon = (await marker(page).boundingBox())!;
    return [icon.x + icon.width / 2 - (map.x + map.width / 2), icon.y + icon.height - (map.y + map.height / 2)];
  }

  /**
   * Waits until the map stands still, before its middle is read: Leaflet starts
   * a zoom in the next animation frame and then animates it, and pans with an
   * animation; the map pane carries a class while either runs.
   */
  async function mapAtRest(page: Page) {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.waitForFunction(() => !document.querySelector('#point-map .leaflet-zoom-anim, #point-map .leaflet-pan-anim'));
  }

  const fillTheRest = async (page: Page) => {
    await page.locator('#title').fill('Skotta taket på bygdegården');
    await page.locator('#description').fill('Taket behöver skottas innan nästa snöfall. Stege finns.');
    await page.locator('#category').selectOption('snorojning');
    await page.getByLabel('Ideellt, utan ersättning').check();
  };

  const savedPoint = async (title: string) => {
    const row = await ctx.db('assignments').where('title', title).orderBy('id', 'desc').first('lat', 'lng');
    return [Number(row.lat), Number(row.lng)];
  };

  it('when the member types a point, then the marker moves there; when they click the map, then the field holds the clicked spot and is saved', async () => {
    const page = await openForm('served');
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    // Tiles load: the CSP lets images come from the tile server.
    await page.locator('img.leaflet-tile-loaded').first().waitFor();
    expect(await marker(page).count()).to.equal(0);

    await pointField(page).fill(`${RUSKSELE[0]}, ${RUSKSELE[1]}`);
    await marker(page).waitFor();
    let [dx, dy] = await markerOffset(page);
    expect(Math.abs(dx), 'marker x from the middle').to.be.below(2);
    expect(Math.abs(dy), 'marker y from the middle').to.be.below(2);

    await pointField(page).fill('64.8, 18.85');
    await page.waitForFunction(() => document.querySelector('.leaflet-marker-icon') !== null);
    [dx, dy] = await markerOffset(page);
    expect(Math.abs(dx)).to.be.below(2);
    expect(Math.abs(dy)).to.be.below(2);

    // 120 px right of the middle, at zoom 13: 120 × 360° / (256 × 2^13) ≈ 0.0206° further east.
    const map = await mapBox(page);
    await page.mouse.click(map.x + map.width / 2 + 120, map.y + map.height / 2);
    expect(await pointField(page).inputValue()).to.match(POINT_FORMAT);
    const [lat, lng] = await typedPoint(page);
    expect(lat).to.be.closeTo(64.8, 0.0005);
    expect(lng).to.be.closeTo(18.85 + (120 * 360) / (256 * 2 ** 13), 0.0005);
    [dx, dy] = await markerOffset(page);
    expect(Math.abs(dx - 120)).to.be.below(2);
    expect(Math.abs(dy)).to.be.below(2);
    expect(await page.locator('#point-map-status').textContent()).to.equal(
      `Platsen är satt: ${await pointField(page).inputValue()}`,
    );

    expect(await accessibilityViolations(page)).to.deep.equal([]);
    expect(problems, 'console errors (CSP included)').to.deep.equal([]);

    await fillTheRest(page);
    const chosen = await typedPoint(page);
    await page.getByRole('button', { name: 'Spara utkast' }).click();
    await page.waitForURL(/\/uppdrag\?done=saved$/);
    expect(await savedPoint('Skotta taket på bygdegården')).to.deep.equal(chosen);
    await page.close();
  });

  it('when a keyboard user tabs from the field into the map, pans and presses Enter, then the middle of the map is chosen, and Tab leaves the map', async () => {
    const page = await openForm('offline');
    // No point yet: typing the village moves the map there.
    await page.getByLabel('By eller ort (valfritt)').fill('Rusksele');
    await page.getByLabel('By eller ort (valfritt)').press('Tab'); // change event
    await mapAtRest(page);
    await pointField(page).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('point-map');
    expect(await page.locator('#point-map').evaluate((element) => getComputedStyle(element).outlineStyle)).to.equal('solid');

    await page.keyboard.press('Enter');
    expect(await pointField(page).inputValue()).to.match(POINT_FORMAT);
    const [lat, lng] = await typedPoint(page);
    expect(lat).to.be.closeTo(RUSKSELE[0], 0.0005);
    expect(lng).to.be.closeTo(RUSKSELE[1], 0.0005);
    await marker(page).waitFor();

    await page.keyboard.press('ArrowRight');
    await mapAtRest(page);
    await page.keyboard.press('Enter');
    const [, lngAfterPan] = await typedPoint(page);
    expect(lngAfterPan).to.be.greaterThan(lng + 0.001);

    // Not a trap: Tab goes on through the zoom buttons and the attribution to the clear button.
    let reachedClear = false;
    for (let i = 0; i < 8 && !reachedClear; i++) {
      await page.keyboard.press('Tab');
      reachedClear = await page.evaluate(() => document.activeElement?.id === 'point-clear');
    }
    expect(reachedClear, 'Tab reaches the clear button').to.equal(true);
    await page.keyboard.press('Enter');
    expect(await pointField(page).inputValue()).to.equal('');
    expect(await marker(page).count()).to.equal(0);
    expect(await page.locator('#point-map-status').textContent()).to.equal('Platsen är rensad.');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('#point-map-picker'))).to.equal(null);
    await page.close();
  });

  it('when the municipality is changed and no point is chosen, then the map moves to that municipality', async () => {
    const page = await openForm('offline');
    await page.getByLabel('Kommun').selectOption('0188'); // Norrtälje: villages 59.61–60.13 N, 18.30–19.12 E
    await mapAtRest(page);
    await page.locator('#point-map').focus();
    await page.keyboard.press('Enter');
    const [lat, lng] = await typedPoint(page);
    expect(lat).to.be.within(59.6, 60.14);
    expect(lng).to.be.within(18.3, 19.12);
    await page.close();
  });

  it('when the tiles cannot load (offline), then the form with the map has zero axe violations, with and without a marker', async () => {
    const page = await openForm('offline');
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    const map = await mapBox(page);
    await page.mouse.click(map.x + map.width / 3, map.y + map.height / 3);
    await marker(page).waitFor();
    expect(await pointField(page).inputValue()).to.match(POINT_FORMAT);
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    // The form with errors, the map included.
    await page.getByRole('button', { name: 'Spara utkast' }).click();
    await page.locator('#title-error').waitFor();
    await page.locator('#point-map.leaflet-container').waitFor();
    expect(await marker(page).count(), 'the kept point is shown again').to.equal(1);
    expect(await accessibilityViolations(page)).to.deep.equal([]);
    await page.close();
  });

  it('when JavaScript is off, then no map is shown and the typed point is saved', async () => {
    const page = await openForm('offline', { javaScriptEnabled: false });
    expect(await page.locator('#point-map-picker').isVisible()).to.equal(false);
    await fillTheRest(page);
    await page.locator('#title').fill('Skotta trappan utan karta');
    await pointField(page).fill('64.6, 18.7');
    await page.getByRole('button', { name: 'Spara utkast' }).click();
    await page.waitForURL(/\/uppdrag\?done=saved$/);
    expect(await savedPoint('Skotta trappan utan karta')).to.deep.equal([64.6, 18.7]);
    await page.close();
  });
});
