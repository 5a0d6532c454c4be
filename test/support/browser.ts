import { AxeBuilder } from '@axe-core/playwright';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestApp } from './test-app.js';
import { TEST_PASSWORD } from './users.js';

// Browser tests drive Debian's Chromium through playwright-core (Playwright's
// own browser download is not available here). Without Chromium they are
// skipped on a developer machine, but fail in CI (CI=true), so a missing
// install can never pass as green.

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserContext {
  browser: Browser;
  baseUrl: string;
  newPage(options?: { javaScriptEnabled?: boolean }): Promise<Page>;
}

/** Call inside a describe, after useTestApp(): serves the app on a free port and opens Chromium. */
export function useBrowser(ctx: TestApp): BrowserContext {
  const context = {} as BrowserContext;
  let server: Server | undefined;

  before(async function () {
    this.timeout(60_000);
    if (!fs.existsSync(CHROMIUM_PATH)) {
      if (process.env.CI === 'true')
        throw new Error(`Chromium not found at ${CHROMIUM_PATH}: CI must install it (apt-get install chromium)`);
      console.error(`Skipping browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
      this.skip();
    }
    server = ctx.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    context.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    context.browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    context.newPage = async (options = {}) => {
      const browserContext = await context.browser.newContext({
        javaScriptEnabled: options.javaScriptEnabled ?? true,
        locale: 'sv-SE',
      });
      return browserContext.newPage();
    };
  });

  after(async () => {
    await context.browser?.close();
    if (server) await new Promise((resolve) => server!.close(resolve));
  });

  return context;
}

/** WCAG 2.1 A and AA violations on the page, as readable lines. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
}

/** Logs in through the real login form, as a person would. */
export async function logInWithForm(page: Page, baseUrl: string, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(baseUrl + '/logga-in');
  await page.getByLabel('E-postadress', { exact: true }).fill(email);
  await page.getByLabel('Lösenord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.waitForURL(baseUrl + '/');
}
