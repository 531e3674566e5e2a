/**
 * The site in a real browser: playwright-core driving Chromium (/usr/bin/chromium, or
 * DOSSIER_CHROMIUM). Skips, saying why, when either is missing. Screenshots of every page go to
 * /tmp/site-shots/ (or DOSSIER_SITE_SHOTS) for a person to look at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { type SiteData, siteData } from '../src/site/data.js';
import { type SiteServer, startSiteServer } from '../src/site/server.js';
import { siteFile, sitePaths } from '../src/site/site.js';
import { type Watcher, watchProject } from '../src/site/watch.js';
import { EXAMPLE, EXAMPLE_TRUST_ROOT, loadOk } from './helpers.js';
import { dataOf, hostileProject } from './site-fixtures.js';

const CHROMIUM = process.env.DOSSIER_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.DOSSIER_SITE_SHOTS ?? '/tmp/site-shots';

interface Dialog {
  message(): string;
  dismiss(): Promise<void>;
}
interface BrowserPage {
  goto(url: string): Promise<unknown>;
  on(event: 'dialog', handler: (d: Dialog) => void): void;
  click(selector: string): Promise<void>;
  fill(selector: string, value: string): Promise<void>;
  press(selector: string, key: string): Promise<void>;
  waitForURL(url: RegExp): Promise<void>;
  textContent(selector: string): Promise<string | null>;
  evaluate<T>(fn: string): Promise<T>;
  url(): string;
  keyboard: { press(key: string): Promise<void> };
  screenshot(options: { path: string; fullPage: boolean }): Promise<unknown>;
}
interface Browser {
  newPage(options?: { viewport: { width: number; height: number } }): Promise<BrowserPage>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: { launch(options: { executablePath: string; args?: string[] }): Promise<Browser> };
}

async function loadPlaywright(): Promise<Playwright | undefined> {
  const name = process.env.DOSSIER_PLAYWRIGHT ?? 'playwright-core';
  try {
    return (await import(/* @vite-ignore */ name)) as Playwright;
  } catch {
    return undefined;
  }
}

const playwright = await loadPlaywright();
const why = !playwright
  ? 'playwright-core is not installed (npm install --save-dev playwright-core, or DOSSIER_PLAYWRIGHT=<path>)'
  : !fs.existsSync(CHROMIUM)
    ? `no Chromium at ${CHROMIUM} (apt-get install chromium, or DOSSIER_CHROMIUM=<path>)`
    : undefined;
if (why) console.warn(`SKIPPED: site browser tests: ${why}`);

/**
 * Polls an expression in the page (page.evaluate goes through the DevTools protocol; Playwright's
 * waitForFunction would compile the string in the page, which the site's CSP forbids).
 */
async function waitFor(page: BrowserPage, expression: string, timeout = 10_000): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      if (await page.evaluate<boolean>(expression)) return;
    } catch {
      // navigating: the page's context is being replaced
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Writes the static site of `data` into a fresh folder, as the build's site stage does. */
function writeStatic(data: SiteData): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-site-'));
  for (const p of sitePaths(data)) {
    const file = siteFile(data, p)!;
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), typeof file.body === 'string' ? file.body : [...file.body].join(''));
  }
  return dir;
}

describe.skipIf(why !== undefined)('the site in Chromium', () => {
  let browser: Browser;
  let server: SiteServer;
  let watcher: Watcher;
  let project: string;
  let base: string;
  const dialogs: string[] = [];

  const newPage = async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    return page;
  };

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    project = hostileProject();
    server = await startSiteServer({ data: dataOf(project) });
    watcher = watchProject(project, () => server.refresh(dataOf(project)));
    base = `http://127.0.0.1:${server.port}`;
    browser = await playwright!.chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 300_000);
  afterAll(async () => {
    watcher?.close();
    await browser?.close();
    await server?.close();
  });

  /** Opens the overview and waits until it is complete (it reloads itself once the gates are computed). */
  const completeOverview = async (page: BrowserPage, url: string) => {
    await page.goto(url);
    await waitFor(page, 'document.querySelector("meta[name=dossier-pending]") === null');
  };

  it('navigates overview → kind list → record → linked record', async () => {
    const page = await newPage();
    await completeOverview(page, `${base}/`);
    expect(await page.textContent('h1')).toBe('Overview');
    await page.click('a[href="kinds/software-requirement-1.html"]');
    await page.waitForURL(/kinds\/software-requirement-1\.html$/);
    await page.click('a[href="../records/SRS-001.html"]');
    await page.waitForURL(/records\/SRS-001\.html$/);
    expect(await page.textContent('h1')).toContain('Validate therapy parameters');
    await page.click('table a[href="../records/SYS-001.html"]');
    await page.waitForURL(/records\/SYS-001\.html$/);
    expect(await page.textContent('h1')).toContain('SYS-001');
  });

  it('searches from the header on the server', async () => {
    const page = await newPage();
    await completeOverview(page, `${base}/`);
    await page.fill('#site-q', 'therapy');
    await page.press('#site-q', 'Enter');
    await page.waitForURL(/search\.html\?q=therapy$/);
    expect(await page.textContent('#search-results')).toContain('SRS-001');
  });

  it('the graph view is reached with the keyboard: Tab to a record, Enter opens it', async () => {
    const page = await newPage();
    await page.goto(`${base}/records/SRS-001.html`);
    const node = 'svg.neighbourhood a[href="../records/SYS-001.html"]';
    expect(await page.evaluate<number>(`document.querySelectorAll('${node}').length`)).toBe(1);
    // Tab from the top of the page until the graph node has the focus (no script, no tabindex).
    let focused = false;
    for (let i = 0; i < 80 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate<boolean>(
        `document.activeElement?.closest?.('svg.neighbourhood') !== null && document.activeElement?.getAttribute('href') === '../records/SYS-001.html'`,
      );
    }
    expect(focused).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(/records\/SYS-001\.html$/);
    expect(await page.textContent('h1')).toContain('SYS-001');
  });

  it('runs nothing from a hostile record: no dialog, no image, the link is text', async () => {
    const page = await newPage();
    await page.goto(`${base}/records/SRS-002.html`);
    await page.goto(`${base}/search.html?q=onerror`);
    await page.goto(`${base}/kinds/software-requirement-1.html`);
    await page.goto(`${base}/records/SRS-002.html`);
    expect(await page.evaluate<number>('document.images.length')).toBe(0);
    expect(
      await page.evaluate<number>('document.querySelectorAll("a[href^=javascript], a[href^=data]").length'),
    ).toBe(0);
    expect(await page.textContent('h1')).toContain('"><img src=x onerror=alert(1)>');
    await page.screenshot({ path: path.join(SHOTS, 'xss-record.png'), fullPage: true });
    expect(dialogs).toEqual([]);
  });

  it('shows the overview and the trace before what they need is computed, then reloads them with it', async () => {
    const held = await startSiteServer({ data: dataOf(project), warmAfterMs: 1_500 });
    try {
      const page = await newPage();
      await page.goto(`http://127.0.0.1:${held.port}/`);
      expect(await page.textContent('main')).toContain('The release gates are being computed');
      const trace = await newPage();
      await trace.goto(`http://127.0.0.1:${held.port}/trace.html`);
      expect(await trace.textContent('main')).toContain('The trace matrices are being computed');
      await waitFor(page, 'document.querySelector("meta[name=dossier-pending]") === null', 20_000);
      const main = await page.textContent('main');
      expect(main).not.toContain('being computed');
      expect(await page.textContent('#h-rel + *')).toBeTruthy();
      await waitFor(trace, 'document.querySelector("meta[name=dossier-pending]") === null', 20_000);
      expect(await trace.textContent('main')).not.toContain('being computed');
      expect(
        await trace.evaluate<number>('document.querySelectorAll("main section h2").length'),
      ).toBeGreaterThan(0);
    } finally {
      await held.close();
    }
  });

  it('reloads an open page after a record file changes', async () => {
    const page = await newPage();
    await page.goto(`${base}/records/SRS-001.html`);
    await waitFor(page, 'document.getElementById("live-status") !== null');
    const file = path.join(project, 'records/software/SRS-001.md');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace('title: Validate therapy parameters', 'title: Validate therapy limits LIVE'),
    );
    await waitFor(page, 'document.querySelector("h1").textContent.includes("LIVE")', 20_000);
    expect(await page.textContent('h1')).toContain('Validate therapy limits LIVE');
  });

  it('the static site works from file://: styles, links, search, no script from records', async () => {
    const dir = writeStatic(dataOf(project));
    const page = await newPage();
    await page.goto(`file://${dir}/index.html`);
    expect(
      await page.evaluate<string>('getComputedStyle(document.querySelector("header.site")).display'),
    ).toBe('flex');
    await page.fill('#site-q', 'therapy');
    await page.press('#site-q', 'Enter');
    await waitFor(page, 'document.querySelectorAll("#search-results li").length > 0');
    expect(await page.textContent('#search-results')).toContain('SRS-001');
    await page.click('#search-results a[href="records/SRS-001.html"]');
    await page.waitForURL(/records\/SRS-001\.html$/);
    await page.goto(`file://${dir}/search.html?q=onerror`);
    await waitFor(page, 'document.querySelectorAll("#search-results li").length > 0');
    await page.goto(`file://${dir}/records/SRS-002.html`);
    expect(await page.evaluate<number>('document.images.length')).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('screenshots every kind of page of the example', { timeout: 180_000 }, async () => {
    process.env.DOSSIER_TRUST_ROOT = EXAMPLE_TRUST_ROOT;
    const data = siteData(analyze(loadOk(EXAMPLE), { today: '2026-12-01' }));
    const example = await startSiteServer({ data });
    try {
      const page = await newPage();
      const pages: [string, string][] = [
        ['overview', '/'],
        ['record', '/records/SRS-001'],
        ['hazardous-situation', '/records/HS-001'],
        ['history', '/history/SRS-001.html'],
        ['kind', '/kinds/software-requirement-1.html'],
        ['trace-index', '/trace.html'],
        ['trace', '/trace/requirements-1.html'],
        ['trace-gaps', '/trace/risk-controls-gaps-1.html'],
        ['risk', '/risk.html'],
        ['risk-trace', '/risk/trace-1.html'],
        ['test-record', '/records/TC-001'],
        ['soup', '/soup.html'],
        ['diagnostics', '/diagnostics/1.html'],
        ['releases', '/releases.html'],
        ['search', '/search.html?q=occlusion'],
      ];
      for (const [name, url] of pages) {
        await completeOverview(page, `http://127.0.0.1:${example.port}${url}`);
        expect(await page.textContent('h1'), url).toBeTruthy();
        await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
      }
    } finally {
      await example.close();
    }
    expect(dialogs).toEqual([]);
  });
});
