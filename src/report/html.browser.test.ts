import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from './html.js';
import { fixtureReport } from './test-fixtures.js';

// report.html in a real headless Chromium (Debian's, through playwright-core: no browser download).
// .ci/run installs it; elsewhere set HOLDUP_CHROMIUM to a Chromium or Chrome binary.
const CANDIDATES = [process.env['HOLDUP_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((file): file is string => Boolean(file));

let dir: string;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const requests: string[] = [];
let url: string;

beforeAll(async () => {
  const executablePath = CANDIDATES.find((file) => existsSync(file));
  if (!executablePath) throw new Error(`no Chromium to test report.html in (looked at ${CANDIDATES.join(', ')}): apt-get install chromium, or set HOLDUP_CHROMIUM`);
  dir = await mkdtemp(path.join(tmpdir(), 'holdup-html-'));
  const file = path.join(dir, 'report.html');
  await writeFile(file, renderHtml(fixtureReport()));
  url = pathToFileURL(file).href;
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  await page.goto(url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('report.html in Chromium', () => {
  it('renders without a console error or warning, and loads nothing', async () => {
    expect(await page.title()).toBe('holdup: gate FAILED — 2025-03-14T09-26-53Z-7f3a');
    expect(await page.locator('article.card').count()).toBe(2);
    expect(await page.locator('table.grid tbody tr').count()).toBe(2);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('is usable from the keyboard: Tab reaches a finding, Enter opens it and shows its timeline, Enter folds it again', async () => {
    const first = page.locator('details.finding').first();
    expect(await first.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(false);
    expect(await first.locator('svg.timeline').isVisible()).toBe(false);
    // Tab through the page (bounded) until a finding's summary has the focus
    let tabs = 0;
    while (tabs < 60 && !(await page.evaluate(() => document.activeElement?.matches('details.finding > summary') ?? false))) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    expect(tabs).toBeLessThan(60);
    const focused = page.locator('details.finding:has(> summary:focus)');
    await page.keyboard.press('Enter');
    expect(await focused.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(true);
    const svg = focused.locator('svg.timeline');
    expect(await svg.isVisible()).toBe(true);
    expect((await svg.boundingBox())?.width ?? 0).toBeGreaterThan(200);
    expect(await svg.getAttribute('aria-label')).toMatch(/^Requests of .+ on a time axis$/);
    await page.keyboard.press('Enter');
    expect(await page.locator('details.finding[open]').count()).toBe(0);
  });

  it("a connector card's link takes the keyboard to that connector's findings", async () => {
    await page.locator('article.card a').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#c-billing-naive');
    expect(await page.locator('#c-billing-naive').isVisible()).toBe(true);
    expect(problems).toEqual([]);
  });
});
