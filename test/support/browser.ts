import { AxeBuilder } from '@axe-core/playwright';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { assignmentChangedJob } from '../../src/modules/assignments/index.js';
import { assignmentIndexName, checkAssignmentIndex, indexDiffers } from '../../src/modules/search/index.js';
import type { TestApp } from './test-app.js';
import { TEST_PASSWORD } from './users.js';

// Browser tests drive Debian's Chromium through playwright-core (Playwright's
// own browser download is not available here). Without Chromium they are
// skipped on a developer machine, but fail in CI (CI=true), so a missing
// install can never pass as green.

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Mocha's limit for one browser test: a test of many steps takes 5–40 s on a
 * loaded 2-core machine, so the limit leaves room for several times that. A
 * step that hangs still fails sooner, at Playwright's own 30 s, with the step named.
 */
export const BROWSER_TEST_TIMEOUT_MS = 120_000;

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
    this.timeout(120_000); // Chromium starts in about a second, but far slower on a loaded machine
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

/**
 * WCAG 2.1 A and AA violations on the page, as readable lines. The page is
 * checked once it has loaded: a click that opens a page returns as soon as the
 * new page starts, and axe must judge the whole page, not the part that has arrived.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.waitForLoadState('load');
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
  // Logged in, not merely sent on: the page after the login must know the session.
  await page.getByRole('button', { name: 'Logga ut' }).waitFor();
}

/**
 * Clicks a link or button that opens a page, and waits until that page has
 * loaded: a click returns when the new page starts to arrive, so a count or an
 * attribute read at once could come from half a page.
 */
export async function clickAndLoad(target: Locator): Promise<void> {
  await target.click();
  await target.page().waitForLoadState('load');
}

/**
 * Runs the queued background jobs until the search index holds exactly the
 * open assignments of the database (what `npm run search:check` compares), so
 * a search right after a publish finds it. Meilisearch indexes asynchronously
 * and an index job waits for its task only so long: on a loaded machine the
 * wait can run out, the job fails and graphile-worker would retry it after a
 * back-off, which no worker runs in the tests. So the engine's queued tasks
 * are waited for, and an index job still queued is run again at once.
 */
export async function runJobsUntilIndexed(ctx: TestApp, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const deps = { db: ctx.db, search: ctx.search, indexPrefix: ctx.config.meili.indexPrefix, log: ctx.deps.log };
  const indexUid = assignmentIndexName(deps.indexPrefix);
  for (;;) {
    await ctx.runJobs();
    while (
      (await ctx.search.tasks.getTasks({ indexUids: [indexUid], statuses: ['enqueued', 'processing'], limit: 1 })).results.length
    ) {
      if (Date.now() > deadline) throw new Error(`Meilisearch did not finish the tasks of ${indexUid} in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const check = await checkAssignmentIndex(deps);
    if (!indexDiffers(check)) return;
    if (Date.now() > deadline) throw new Error(`The search index differs from the database: ${JSON.stringify(check)}`);
    await ctx.db.raw(
      'select graphile_worker.reschedule_jobs(array(select id from graphile_worker.jobs where task_identifier = ?), run_at => now())',
      [assignmentChangedJob.name],
    );
  }
}
