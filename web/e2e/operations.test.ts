// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, not DOM nodes
// The operations pages in a real browser against the real control plane with tokens required,
// and a real agent (in this process) that holds a breaker and live configuration: an operator
// forces the breaker open on the board and the board shows the agent's report of it; publishes
// a configuration after seeing its diff, the agent applies it, and rolls it back; the audit log
// shows both; a viewer sees no actions; an admin creates a token that is shown once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { type Agent, start } from '../../agents/node/src/index.js';
import { firstLoadJs, newContext, screenshot, watchErrors } from './harness/browser.js';
import { type Stack, startStack } from './harness/stack.js';

const ADMIN_TOKEN = 'sbx_e2e_operations_admin_token_0123456789';
const INGEST_TOKEN = 'e2e-operations-ingest-token';
const SERVICE = 'checkout';
const ENVIRONMENT = 'production';
const INSTANCE = 'checkout-1';

interface Shape {
  timeout_ms: number;
  fault: { error_rate: number };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(200);
  }
}

describe('operations pages', { timeout: 300_000 }, () => {
  let stack: Stack;
  let agent: Agent<Shape>;
  let admin: BrowserContext;
  const cacheDir = mkdtempSync(join(tmpdir(), 'signalbox-e2e-config-'));
  const watched: string[][] = [];
  let calls = 0;
  let breaker: { fire(): Promise<string> };

  const api = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    token = ADMIN_TOKEN,
  ) => {
    const response = await fetch(`${stack.server.apiUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const contextWith = async (token: string, colorScheme: 'light' | 'dark' = 'light') => {
    const context = await newContext(stack.browser, { colorScheme });
    await context.addCookies([{ name: 'signalbox_token', value: token, url: stack.dashboard.url }]);
    return context;
  };
  const open = async (context: BrowserContext, path: string): Promise<Page> => {
    const page = await context.newPage();
    watched.push(watchErrors(page));
    await page.goto(stack.at(path));
    return page;
  };

  before(async () => {
    stack = await startStack({ adminToken: ADMIN_TOKEN, ingestToken: INGEST_TOKEN });
    // The first version and its schema, so the editor has something to validate against.
    assert.equal(
      (
        await api('POST', `/config/${SERVICE}/${ENVIRONMENT}/versions`, {
          base_version: 0,
          content: { timeout_ms: 500, fault: { error_rate: 0 } },
          message: 'first version',
        })
      ).status,
      201,
    );
    const schema = {
      type: 'object',
      properties: {
        timeout_ms: { type: 'integer', minimum: 1, maximum: 60000 },
        fault: {
          type: 'object',
          properties: { error_rate: { type: 'number', minimum: 0, maximum: 1 } },
          required: ['error_rate'],
        },
      },
      required: ['timeout_ms', 'fault'],
      additionalProperties: false,
    };
    assert.equal((await api('PUT', `/config/${SERVICE}/${ENVIRONMENT}/schema`, { schema })).status, 200);

    agent = start<Shape>({
      service: SERVICE,
      environment: ENVIRONMENT,
      instanceId: INSTANCE,
      version: '1.0.0',
      controlPlane: stack.server.apiUrl,
      address: '127.0.0.1:1',
      env: { SIGNALBOX_TOKEN: INGEST_TOKEN },
      telemetry: { enabled: false },
      liveConfig: { cacheDir, breakerReportIntervalMs: 300 },
      parseConfig: (doc) => doc as Shape,
    });
    breaker = agent.breaker(
      'payments',
      async () => {
        calls += 1;
        return 'paid';
      },
      { dependency: 'payments', fallback: () => 'fallback', minimumCalls: 5 },
    );
    for (let i = 0; i < 3; i++) assert.equal(await breaker.fire(), 'paid');
    await until('v1 applied', () => (agent.config.version === 1 ? true : undefined));
    await until('breaker reported', async () => {
      const fleet = await api<{ services: { breakers: { instances: unknown[] }[] }[] }>(
        'GET',
        `/breakers?service=${SERVICE}`,
      );
      return fleet.body.services[0]?.breakers[0]?.instances.length === 1 ? true : undefined;
    });
    admin = await contextWith(ADMIN_TOKEN);
  });

  after(async () => {
    await admin?.close();
    await agent?.shutdown({ timeoutMs: 1_000 });
    await stack?.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('forces a breaker open from the board, with a confirm step, and the board shows the agent holding it open', async () => {
    const page = await open(admin, '/breakers?refresh=5s');
    const row = page
      .getByRole('table', { name: 'Breakers', exact: true })
      .getByRole('row')
      .filter({ hasText: INSTANCE });
    await row.getByText('closed', { exact: true }).waitFor();
    await screenshot(page, 'breakers');

    await row.getByRole('button', { name: `Command breaker payments of ${INSTANCE}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Breaker command' });
    await dialog.getByRole('radio', { name: /Force open/ }).check();
    // No reason, no review: the button stays disabled.
    assert.equal(await dialog.getByRole('button', { name: 'Review' }).isDisabled(), true);
    await dialog.getByLabel(/Reason/).fill('payments maintenance');
    await dialog.getByLabel('Expires after').selectOption('30m');
    await dialog.getByRole('button', { name: 'Review' }).click();
    const confirm = page.getByRole('dialog', { name: 'Confirm breaker command' });
    await confirm.getByText(/Force open.*breaker “payments” of instance checkout-1.*for 30m/).waitFor();
    await screenshot(page, 'breakers-confirm');
    await confirm.getByRole('button', { name: 'Confirm: force open' }).click();
    await confirm.waitFor({ state: 'hidden' });

    // The command is in force at once; the agent applies it and its next report turns the row.
    const commands = page.locator('section').filter({ hasText: 'Commands in force' });
    await page.getByText('Commands in force (1)').waitFor();
    assert.ok(await commands.getByText('payments maintenance').first().isVisible());
    await row.getByText('forced open').waitFor({ timeout: 20_000 });
    await row.getByText('open', { exact: true }).waitFor();
    assert.equal(await row.getByText('closed', { exact: true }).count(), 0);
    // And the agent really short-circuits: the function is not called, the fallback answers.
    const before = calls;
    assert.equal(await breaker.fire(), 'fallback');
    assert.equal(calls, before);

    // The history shows the transition with the operator's reason.
    await row.getByRole('button', { name: 'payments', exact: true }).click();
    await page.waitForURL(/breaker=checkout%2Fpayments|breaker=checkout\/payments/);
    const history = page.getByRole('table', { name: 'Breaker transitions' });
    await history.getByText(/forced open: payments maintenance/).waitFor({ timeout: 20_000 });
    await screenshot(page, 'breakers-forced');

    const dark = await contextWith(ADMIN_TOKEN, 'dark');
    const darkPage = await dark.newPage();
    await darkPage.goto(stack.at('/breakers?breaker=checkout%2Fpayments'));
    await darkPage.getByText('forced open').first().waitFor();
    await screenshot(darkPage, 'breakers-dark');
    await dark.close();
  });

  it('publishes a configuration after an as-you-type check and its diff, then rolls it back', async () => {
    const page = await open(admin, `/config/${SERVICE}/${ENVIRONMENT}?refresh=5s`);
    const editor = page.getByRole('textbox', { name: 'Configuration document (JSON)' });
    await page.getByText('Valid JSON that satisfies the schema.').waitFor();

    // As you type: broken JSON, then a value the schema refuses, each said where.
    await editor.fill('{ "timeout_ms": 800, ');
    await page.getByText('Not valid JSON').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Review changes' }).isDisabled(), true);
    await editor.fill(JSON.stringify({ timeout_ms: 800, fault: { error_rate: 2 }, retries: 1 }, null, 2));
    await page.getByText('Breaks the schema in 2 place(s)').waitFor();
    assert.ok(await page.getByText('has unknown property "retries"').isVisible());
    assert.ok(await page.getByText('/fault/error_rate').isVisible());
    await screenshot(page, 'config-invalid');

    await editor.fill(JSON.stringify({ timeout_ms: 800, fault: { error_rate: 0.25 } }, null, 2));
    await page.getByText('Valid JSON that satisfies the schema.').waitFor();
    await page.getByRole('button', { name: 'Review changes' }).click();
    const changes = page.getByRole('list', { name: 'Changes to publish' });
    await changes.getByText('/timeout_ms').waitFor();
    assert.equal(await changes.getByRole('listitem').count(), 2);
    assert.ok(await changes.getByText('500', { exact: true }).isVisible());
    assert.ok(await changes.getByText('800', { exact: true }).isVisible());
    await page.getByLabel(/Message/).fill('slower payments, some injected errors');
    await screenshot(page, 'config-diff');
    await page.getByRole('button', { name: 'Publish v2' }).click();
    await page.getByText('Editing from v2').waitFor();

    // The agent received and applied it; the drift table says so.
    await until('agent on v2', () => (agent.config.version === 2 ? true : undefined), 5_000);
    assert.deepEqual(agent.config.get(), { timeout_ms: 800, fault: { error_rate: 0.25 } });
    const instances = page.getByRole('table', { name: 'Configuration per instance' });
    await instances.getByRole('row').filter({ hasText: INSTANCE }).getByText('v2 applied').waitFor({ timeout: 15_000 });

    // Roll back to v1 from the history, after seeing what the rollback changes.
    await page.getByRole('button', { name: 'Roll back to v1…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll back to v1' });
    const rollbackDiff = dialog.getByRole('list', { name: 'Changes the rollback makes' });
    await rollbackDiff.getByText('/timeout_ms').waitFor();
    await screenshot(page, 'config-rollback');
    await dialog.getByRole('button', { name: 'Confirm rollback' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const versions = page.getByRole('table', { name: 'Versions' });
    await versions.getByText('rollback to v1').waitFor();
    const current = await api<{ latest_version: number; content: unknown }>('GET', `/config/${SERVICE}/${ENVIRONMENT}`);
    assert.equal(current.body.latest_version, 3);
    assert.deepEqual(current.body.content, { timeout_ms: 500, fault: { error_rate: 0 } });
    await until('agent on v3', () => (agent.config.version === 3 ? true : undefined), 5_000);
    assert.deepEqual(agent.config.get(), { timeout_ms: 500, fault: { error_rate: 0 } });

    // A version's own diff from the history, selected in the URL.
    await versions.getByRole('button', { name: 'v2', exact: true }).click();
    await page.waitForURL(/[?&]v=2/);
    await page.getByRole('list', { name: 'Changes in v2' }).getByText('/fault/error_rate').waitFor();
    await screenshot(page, 'config');

    const dark = await contextWith(ADMIN_TOKEN, 'dark');
    const darkPage = await dark.newPage();
    await darkPage.goto(stack.at(`/config/${SERVICE}/${ENVIRONMENT}?v=3`));
    await darkPage.getByRole('list', { name: 'Changes in v3' }).waitFor();
    await screenshot(darkPage, 'config-dark');
    await dark.close();

    // The list page links to it.
    const list = await open(admin, '/config');
    await list.getByRole('link', { name: SERVICE }).click();
    await list.waitForURL(new RegExp(`/config/${SERVICE}/${ENVIRONMENT}`));
  });

  it('the audit log shows the breaker command, the publish and the rollback, and filters them', async () => {
    const page = await open(admin, '/audit');
    const table = page.getByRole('table', { name: 'Audit entries' });
    await table.getByText('config.publish').first().waitFor();
    assert.ok(await table.getByText('config.rollback').isVisible());
    assert.ok((await table.getByText(/^breaker/).count()) >= 1, 'the breaker command is recorded');
    await screenshot(page, 'audit');

    await page.getByLabel('Action').fill('config.*');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=config\.\*/);
    await table.getByText('config.rollback').waitFor();
    await until('only config entries', async () =>
      (await table.getByText(/^breaker/).count()) === 0 ? true : undefined,
    );
    // An entry opens to its before and after.
    await table.getByRole('row').filter({ hasText: 'config.rollback' }).getByRole('button').click();
    await page
      .getByRole('list', { name: /Changes of audit entry/ })
      .getByText('/content/timeout_ms')
      .waitFor();
    await screenshot(page, 'audit-entry');

    const dark = await contextWith(ADMIN_TOKEN, 'dark');
    const darkPage = await dark.newPage();
    await darkPage.goto(stack.at('/audit'));
    await darkPage.getByRole('table', { name: 'Audit entries' }).waitFor();
    await screenshot(darkPage, 'audit-dark');
    await dark.close();
  });

  it('the service page shows its breakers, its configuration version and its timeline', async () => {
    const page = await open(admin, `/services/${SERVICE}`);
    const breakers = page
      .getByRole('region', { name: 'Circuit breakers' })
      .or(page.locator('section').filter({ hasText: 'Circuit breakers' }));
    await breakers.getByText('forced open').first().waitFor();
    const config = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Configuration' }) });
    await config.getByText('v3', { exact: true }).waitFor();
    const timeline = page.getByRole('list', { name: `Timeline of ${SERVICE}` });
    await timeline
      .getByText(/config/i)
      .first()
      .waitFor();
    await screenshot(page, 'service-operations');
  });

  it('a viewer sees no actions; an admin creates a token that is shown once, and revokes it', async () => {
    const created = await api<{ token: string }>('POST', '/tokens', { name: 'e2e-viewer', role: 'viewer' });
    assert.equal(created.status, 201);
    const viewer = await contextWith(created.body.token);
    const board = await open(viewer, '/breakers');
    await board.getByRole('row').filter({ hasText: INSTANCE }).first().waitFor();
    assert.equal(await board.getByRole('button', { name: /Command/ }).count(), 0);
    assert.equal(await board.getByRole('button', { name: /End now/ }).count(), 0);
    const doc = await open(viewer, `/config/${SERVICE}/${ENVIRONMENT}`);
    await doc.getByRole('table', { name: 'Versions' }).waitFor();
    assert.equal(await doc.getByRole('textbox', { name: /Configuration document/ }).getAttribute('readonly'), '');
    assert.equal(await doc.getByRole('button', { name: /Review changes|Roll back/ }).count(), 0);
    const tokens = await open(viewer, '/settings/tokens');
    await tokens.getByText('Only admins manage tokens').waitFor();
    await viewer.close();

    const page = await open(admin, '/settings/tokens');
    await page.getByRole('table', { name: 'API tokens' }).getByText('e2e-viewer').waitFor();
    await page.getByLabel(/Name/).fill('ci-deploy');
    await page.getByLabel('Role').selectOption('operator');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByTestId('new-token');
    await shown.waitFor();
    const token = (await shown.textContent()) ?? '';
    assert.match(token, /^sbx_/);
    await screenshot(page, 'tokens-created');
    const who = await api<{ role: string }>('GET', '/whoami', undefined, token);
    assert.equal(who.body.role, 'operator');
    await page.getByRole('button', { name: 'Done' }).click();
    // The token is not shown again (waited for: the dialog closes on the next render).
    await page.getByText(token).first().waitFor({ state: 'detached', timeout: 5_000 });

    await page.getByRole('button', { name: 'Revoke ci-deploy' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke token' });
    await dialog.getByLabel(/Reason/).fill('e2e');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await until('revoked', async () =>
      (await api('GET', '/whoami', undefined, token)).status === 401 ? true : undefined,
    );
    await screenshot(page, 'tokens');
  });

  it('first-load JavaScript of each page stays under 300 kB, and no page logged an error', async () => {
    for (const path of ['/breakers', `/config/${SERVICE}/${ENVIRONMENT}`, '/audit', '/settings/tokens']) {
      const { bytes } = await firstLoadJs(admin, stack.at(path));
      console.log(`# first-load JS ${path}: ${(bytes / 1024).toFixed(1)} kB`);
      assert.ok(bytes < 300 * 1024, `${path}: ${bytes} bytes`);
    }
    const errors = watched.flat().filter((e) => !/401|Failed to load resource/.test(e));
    assert.deepEqual(errors, []);
  });
});
