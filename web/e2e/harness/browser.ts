// Debian's Chromium driven by playwright-core (never a downloaded browser), plus the two things
// every walk needs: screenshots to look at, and the first-load JavaScript a page costs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { WEB_DIR } from '../../scripts/production-build.js';

export const CHROMIUM = process.env.SIGNALBOX_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(WEB_DIR, 'e2e', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A context at the smallest width the dashboard supports. */
export async function newContext(browser: Browser, options: { colorScheme?: 'light' | 'dark' } = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
  });
  // Fail a step within 15 s rather than Playwright's 30 s; the pages answer in well under one.
  context.setDefaultTimeout(15_000);
  return context;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  // From the top, so the sticky header is where a person sees it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Collects uncaught page errors and console errors so a walk can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // With where it came from: "Failed to load resource" alone does not name the resource.
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  return errors;
}

/**
 * Compressed bytes of JavaScript a cold load of `url` costs: every .js file fetched before the
 * load event (Next's scripts are async, so load waits for them), from Resource Timing's
 * encodedBodySize. Later prefetches of other routes are not counted.
 */
export async function firstLoadJs(context: BrowserContext, url: string): Promise<{ bytes: number; files: number }> {
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const sizes = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((entry) => new URL(entry.name).pathname.endsWith('.js'))
      .map((entry) => (entry as PerformanceResourceTiming).encodedBodySize),
  );
  await page.close();
  return { bytes: sizes.reduce((a, b) => a + b, 0), files: sizes.length };
}
