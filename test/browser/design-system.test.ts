import { mkdir } from 'node:fs/promises';
import { expect } from 'chai';
import { useTestApp } from '../support/test-app.js';
import { accessibilityViolations, BROWSER_TEST_TIMEOUT_MS, useBrowser } from '../support/browser.js';

// The design system's page (/dev/komponenter) in a real browser: every component at a phone's and a laptop's width
// with no WCAG 2.1 AA violation, nothing wider than the screen, a visible focus, and states that do not rest on colour.

const SCREENS = 'test-results/screens';

describe('Browser: the design system page', function () {
  this.timeout(BROWSER_TEST_TIMEOUT_MS);
  const ctx = useTestApp();
  const browser = useBrowser(ctx);

  for (const width of [390, 1280]) {
    it(`when /dev/komponenter is opened ${width} px wide, then it has no accessibility violation and nothing is wider than the screen`, async () => {
      const page = await browser.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${browser.baseUrl}/dev/komponenter`);
      expect(await accessibilityViolations(page)).to.deep.equal([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, 'the page scrolls sideways').to.be.at.most(0);
      await mkdir(SCREENS, { recursive: true });
      await page.screenshot({ path: `${SCREENS}/dev-komponenter-${width}.png`, fullPage: true });
      await page.context().close();
    });
  }

  it('when the table is reached by Tab on a phone, then its scrolling region takes the focus, shows the ring and scrolls by arrow key', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto(`${browser.baseUrl}/dev/komponenter#component-table`);
    const region = page.getByRole('region', { name: 'Fakturor i november 2026' });
    expect(
      await region.evaluate((element) => element.scrollWidth > element.clientWidth),
      'the table is wider than a phone',
    ).to.equal(true);
    let reached = false;
    for (let presses = 0; presses < 300 && !reached; presses++) {
      await page.keyboard.press('Tab');
      reached = await region.evaluate((element) => element === document.activeElement);
    }
    expect(reached, 'Tab reaches the table region').to.equal(true);
    expect(await region.evaluate((element) => getComputedStyle(element).outlineStyle)).to.equal('solid');
    const scrolledBy = async () => region.evaluate((element) => element.scrollLeft);
    for (let presses = 0; presses < 10 && (await scrolledBy()) === 0; presses++) await page.keyboard.press('ArrowRight');
    expect(await scrolledBy(), 'the arrow key scrolls the table').to.be.greaterThan(0);
    await page.context().close();
  });

  it('when the five badge tones are compared, then each differs from the others in more than colour', async () => {
    const page = await browser.newPage();
    await page.goto(`${browser.baseUrl}/dev/komponenter#component-badge`);
    const shapes = await page.$$eval('#component-badge .ds-example-render .badge', (badges) =>
      badges.map((badge) => {
        const style = getComputedStyle(badge);
        const mark = getComputedStyle(badge, '::before');
        return {
          tone: badge.className,
          text: badge.textContent?.trim(),
          shape: [
            style.borderTopLeftRadius,
            style.borderTopWidth,
            mark.content,
            mark.width,
            mark.borderRadius,
            mark.clipPath,
            mark.transform,
          ].join(' '),
        };
      }),
    );
    expect(shapes.map((badge) => badge.tone)).to.deep.equal([
      'badge badge-neutral',
      'badge badge-info',
      'badge badge-success',
      'badge badge-warning',
      'badge badge-danger',
    ]);
    for (const badge of shapes) expect(badge.text, badge.tone).not.to.equal('');
    expect(new Set(shapes.map((badge) => badge.shape)).size).to.equal(5);
    await page.context().close();
  });
});
