// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, not DOM nodes
// The dashboard frame in a real browser against the real server: navigation and keyboard,
// time window and refresh in the URL, theme, token sign-in, the API proxy, and start-up
// validation of SIGNALBOX_API_URL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { NEXT_BIN, WEB_DIR } from '../scripts/production-build.js';
import { newContext, screenshot, watchErrors } from './harness/browser.js';
import { freePort, startDashboard } from './harness/dashboard.js';
import { type Stack, startStack } from './harness/stack.js';

describe('dashboard frame', { timeout: 240_000 }, () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.close();
  });

  async function open(path: string, options: { colorScheme?: 'light' | 'dark' } = {}) {
    const context = await newContext(stack.browser, options);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(stack.at(path));
    return { context, page, errors };
  }

  const params = (page: Page) => new URL(page.url()).searchParams;

  it('renders the frame, keyboard first: skip link, navigation, controls', async () => {
    const { context, page, errors } = await open('/services');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    // A same-document navigation: Playwright learns of the new URL from an event that can come
    // after the key press has returned, so wait for it rather than read page.url() at once.
    await page.waitForURL((url) => url.hash === '#main', { timeout: 5_000 });
    // Every top-bar control is reachable with Tab and has an accessible name.
    for (const name of [/time range/i, /refresh now/i, /theme/i]) {
      assert.ok(await page.getByRole('button', { name }).isVisible(), String(name));
    }
    assert.ok(await page.getByRole('combobox', { name: 'Auto-refresh' }).isVisible());
    await screenshot(page, 'frame');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('keeps the time window and refresh in the URL, and carries them across pages', async () => {
    const { context, page } = await open('/services');
    const picker = page.getByRole('button', { name: /time range/i });
    await picker.click();
    await page.getByRole('dialog', { name: /time range/i }).waitFor();
    await screenshot(page, 'frame-time-picker');
    await page.getByRole('button', { name: 'Last 6 hours' }).click();
    await page.waitForURL(/range=6h/);
    assert.equal(await picker.evaluate((el) => el === document.activeElement), true, 'focus returns to the picker');

    await page.getByRole('combobox', { name: 'Auto-refresh' }).selectOption('off');
    await page.waitForURL(/refresh=off/);
    await page.reload();
    await page.getByText('Last 6 hours').waitFor();
    assert.equal(await page.getByRole('combobox', { name: 'Auto-refresh' }).inputValue(), 'off');

    // A navigation link keeps both.
    const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Topology' });
    const href = new URL((await nav.getAttribute('href')) ?? '', stack.dashboard.url);
    assert.equal(href.searchParams.get('range'), '6h');
    assert.equal(href.searchParams.get('refresh'), 'off');

    // A custom window: from/to replace the preset; Escape closes the dialog.
    await picker.click();
    const dialog = page.getByRole('dialog', { name: /time range/i });
    await dialog.getByLabel('From').fill('2025-03-01T10:00');
    await dialog.getByLabel('To').fill('2025-03-01T09:00');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.getByRole('alert').getByText('The start must be before the end.').waitFor();
    await dialog.getByLabel('To').fill('2025-03-01T12:30');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/from=/);
    const fixed = params(page);
    assert.equal(fixed.get('range'), null);
    assert.equal(Date.parse(fixed.get('to')!) - Date.parse(fixed.get('from')!), 150 * 60_000);
    assert.equal(await page.getByRole('combobox', { name: 'Auto-refresh' }).isDisabled(), true);
    await picker.click();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').first().waitFor({ state: 'detached', timeout: 5_000 });
    // Back undoes the window change.
    await page.goBack();
    await page.waitForURL((url) => url.searchParams.get('range') === '6h');
    await context.close();
  });

  it('follows the system theme, and the toggle overrides it across reloads', async () => {
    const { context, page } = await open('/services', { colorScheme: 'dark' });
    const dark = () => page.evaluate(() => document.documentElement.classList.contains('dark'));
    assert.equal(await dark(), true, 'system dark');
    await screenshot(page, 'frame-dark');
    await page.getByRole('button', { name: /theme/i }).click(); // system → light
    assert.equal(await dark(), false);
    await page.reload({ waitUntil: 'domcontentloaded' });
    assert.equal(await dark(), false, 'the stored choice applies before hydration');
    await page.getByRole('button', { name: /light theme/i }).click(); // light → dark
    assert.equal(await dark(), true);
    await context.close();
  });

  it('signs in with a token into an httpOnly cookie and signs out', async () => {
    const { context, page } = await open('/sign-in?next=%2Fservices%3Frange%3D3h');
    // This server has no tokens: the page says so instead of asking for one.
    await page.getByText(/runs in open mode/).waitFor();
    await screenshot(page, 'sign-in');
    await page.getByLabel('API token').fill('sbx_test_token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/services\?range=3h/);
    const cookie = (await context.cookies()).find((c) => c.name === 'signalbox_token');
    assert.equal(cookie?.value, 'sbx_test_token');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(await page.evaluate(() => document.cookie.includes('signalbox_token')), false);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in\?signed_out=1/);
    await page.getByText('You are signed out.').waitFor();
    assert.equal(
      (await context.cookies()).find((c) => c.name === 'signalbox_token'),
      undefined,
    );
    // An open redirect through ?next= is refused.
    await page.goto(stack.at('/sign-in?next=https%3A%2F%2Fevil.example'));
    await page.getByLabel('API token').fill('x');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(stack.at('/**'));
    assert.equal(new URL(page.url()).host, new URL(stack.dashboard.url).host);
    await context.close();
  });

  it('sends a request for /favicon.ico to the dashboard icon', async () => {
    const favicon = await fetch(stack.at('/favicon.ico'), { redirect: 'manual' });
    assert.equal(favicon.status, 308);
    assert.equal(favicon.headers.get('location'), '/icon.svg');
    const icon = await fetch(stack.at('/favicon.ico'));
    assert.equal(icon.status, 200);
    assert.match(icon.headers.get('content-type') ?? '', /^image\/svg\+xml/);
  });

  it('proxies /api/v1 to the server and reports an unreachable server as problem+json', async () => {
    const viaProxy = await fetch(stack.at('/api/v1/no-such-route'));
    assert.equal(viaProxy.status, 404);
    const problem = (await viaProxy.json()) as { type: string; detail: string };
    assert.equal(problem.type, 'https://signalbox.dev/problems/sb-route-not-found');
    assert.match(problem.detail, /GET \/api\/v1\/no-such-route/);

    const deadPort = await freePort();
    const orphan = await startDashboard(`http://127.0.0.1:${deadPort}`);
    try {
      const down = await fetch(`${orphan.url}/api/v1/services`);
      assert.equal(down.status, 502);
      const body = (await down.json()) as { title: string; detail: string };
      assert.equal(body.title, 'API unreachable');
      assert.match(body.detail, new RegExp(`127\\.0\\.0\\.1:${deadPort} does not answer`));
      // The sign-in page says the same in words.
      const context = await newContext(stack.browser);
      const page = await context.newPage();
      await page.goto(`${orphan.url}/sign-in`);
      await page
        .getByRole('alert')
        .getByText(/does not answer/)
        .waitFor();
      // A whole trace goes through Next's own proxy (src/proxy.ts), which answers a bare 500
      // when the API is down; the page says what happened all the same.
      await page.goto(`${orphan.url}/traces/4bf92f3577b34da6a3ce929d0e0e4736`);
      await page
        .getByRole('alert')
        .getByText(/could not reach the Signalbox API/)
        .waitFor();
      await context.close();
    } finally {
      await orphan.stop();
    }
  });

  it('refuses to start with a bad SIGNALBOX_API_URL and names the setting', async () => {
    const child = spawn(
      process.execPath,
      [NEXT_BIN, 'start', '--hostname', '127.0.0.1', '--port', String(await freePort())],
      {
        cwd: WEB_DIR,
        env: { ...process.env, SIGNALBOX_API_URL: 'ftp://nowhere' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 2, output);
    assert.match(output, /invalid setting SIGNALBOX_API_URL: expected an http:\/\/ or https:\/\/ URL/);
  });
});

describe('dashboard frame with API tokens', { timeout: 240_000 }, () => {
  const ADMIN = 'sbx-e2e-admin-0123456789abcdef';
  let stack: Stack;
  before(async () => {
    stack = await startStack({ adminToken: ADMIN });
  });
  after(async () => {
    await stack?.close();
  });

  it('a 401 sends the user to sign in; the token then opens every page, live tail included', async () => {
    const context = await newContext(stack.browser);
    const page = await context.newPage();
    await page.goto(stack.at('/services?range=3h'));
    // The page's API request is refused: the client goes to sign in, remembering where it was.
    await page.waitForURL(/\/sign-in\?next=%2Fservices%3Frange%3D3h/);
    assert.equal(await page.getByText(/runs in open mode/).count(), 0);
    await page.getByLabel('API token').fill('sbx-wrong-token-0000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .getByText(/does not accept this token/)
      .waitFor();
    await screenshot(page, 'sign-in-refused');

    await page.getByLabel('API token').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/services\?range=3h/);
    await page.getByText('No services yet').waitFor();
    assert.match((await page.getByTestId('identity').textContent()) ?? '', /admin/);

    // Server-Sent Events go through the proxy with the cookie's token too.
    await page.goto(stack.at('/logs?live=1'));
    await page.locator('[data-testid=tail-status][data-state=open]').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in\?signed_out=1/);
    await page.goto(stack.at('/'));
    await page.waitForURL(/\/sign-in\?next=%2F/);
    await context.close();
  });
});
