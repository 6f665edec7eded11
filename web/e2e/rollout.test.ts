// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, not DOM nodes
// Staged rollouts in a real browser: the real control plane (temp SQLite) and two real
// inventory instances of the demo (processes under the agent, with the event broker) that
// apply pushed configuration and send their spans over OTLP. From the config page an operator
// starts a rollout to one instance, sees it bake with canary and baseline figures from real
// traffic on both instances, promotes it through the confirm step, aborts a second one, watches a
// third that injects errors roll back by itself, and reopens each from the rollouts history.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { type FleetProcess, fleetProcesses, portsFrom } from '../../demo-services/src/fleet.js';
import { freePortBlock, freePorts, type ProcessGroup, spawnFleet } from '../../demo-services/test/helpers/processes.js';
import { newContext, screenshot, watchErrors } from './harness/browser.js';
import { type Stack, startStack } from './harness/stack.js';

const SERVICE = 'inventory';
const ENVIRONMENT = 'demo';
const CANARY = 'inventory-a';
const BASELINE = 'inventory-b';
/** Requests each side shows before the test looks at the comparison. */
const FIGURES = 20;
/**
 * "Min requests per side" for the rollouts an operator decides: more than the test sends, so
 * the evaluator gives no verdict of its own (a loaded machine's latency noise on one instance
 * must not roll them back) while the figures are still computed and shown.
 */
const NO_VERDICT = 1000;

interface RolloutBody {
  id: string;
  status: string;
  version: number;
  comparison: { canary: { requests: number }; baseline: { requests: number } } | null;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
  diag?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${diag?.() ?? ''}`);
    await sleep(200);
  }
}

describe('staged rollout pages', { timeout: 400_000 }, () => {
  let stack: Stack;
  let fleet: ProcessGroup;
  let context: BrowserContext;
  let page: Page;
  const urls: Record<string, string> = {};
  const dataDir = mkdtempSync(join(tmpdir(), 'signalbox-e2e-rollout-'));
  const watched: string[][] = [];
  /** Rollout ids in the order the tests started them. */
  const started: { id: string; version: number; outcome: string }[] = [];

  const api = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.server.apiUrl}/api/v1${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const rollout = async (id: string) =>
    (await api<RolloutBody>('GET', `/config/${SERVICE}/${ENVIRONMENT}/rollouts/${id}`)).body;
  const appliedVersions = async () => {
    const view = await api<{ instances: { instance_id: string; applied_version: number | null }[] }>(
      'GET',
      `/config/${SERVICE}/${ENVIRONMENT}/instances`,
    );
    return Object.fromEntries(view.body.instances.map((i) => [i.instance_id, i.applied_version]));
  };

  /**
   * Requests on both instances, a few at a time, until stopped: each instance's SERVER spans are
   * its side's figures. Returns the HTTP statuses seen per instance.
   */
  const drive = () => {
    let stopped = false;
    const statuses: Record<string, number[]> = { [CANARY]: [], [BASELINE]: [] };
    const done = (async () => {
      while (!stopped) {
        await Promise.all(
          Object.entries(urls).map(async ([instance, url]) => {
            const response = await fetch(`${url}/products`).catch(() => undefined);
            await response?.body?.cancel();
            statuses[instance]?.push(response?.status ?? 0);
          }),
        );
        await sleep(25);
      }
    })();
    return {
      statuses,
      async stop() {
        stopped = true;
        await done;
      },
    };
  };

  /** Drives traffic until both sides of the rollout have `FIGURES` requests in its comparison (or it ended). */
  const loadUntilFigures = async (id: string) => {
    const load = drive();
    try {
      return await until(
        'canary and baseline figures',
        async () => {
          const body = await rollout(id);
          const c = body.comparison;
          if (body.status !== 'baking') return body;
          return c && c.canary.requests >= FIGURES && c.baseline.requests >= FIGURES ? body : undefined;
        },
        60_000,
        () => fleet.tail(),
      );
    } finally {
      await load.stop();
    }
  };

  /** Every panel of the config page loaded, so a full-page screenshot is not taken over skeletons. */
  const loaded = async (target: Page) => {
    for (const table of ['Versions', 'Configuration per instance', 'Rollouts']) {
      await target.getByRole('table', { name: table, exact: true }).waitFor();
    }
  };
  const panel = () => page.locator('section').filter({ has: page.getByRole('heading', { name: /^Rollout of v\d+$/ }) });
  const state = () => page.getByRole('status', { name: 'Rollout state' });
  const comparisonRow = (side: 'Canary' | 'Baseline'): Locator =>
    page
      .getByRole('table', { name: 'Canary versus baseline figures' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: side, exact: true }) });
  /** The requests a comparison row shows (third column). */
  const requestsIn = async (row: Locator) =>
    Number((await row.getByRole('cell').nth(1).innerText()).replace(/\D/g, ''));

  /** Edits the document, reviews it, and starts a rollout to the canary instance from the dialog. */
  const startRollout = async (options: {
    content: unknown;
    message: string;
    canary: string;
    bake: string;
    p95Ratio: string;
    minRequests: number;
    autoPromote: boolean;
  }) => {
    const editor = page.getByRole('textbox', { name: 'Configuration document (JSON)' });
    await editor.fill(JSON.stringify(options.content, null, 2));
    await page.getByRole('button', { name: 'Review changes' }).click();
    await page.getByLabel(/Message/).fill(options.message);
    await page.getByRole('button', { name: 'Start rollout…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start staged rollout' });
    await dialog.getByRole('radio', { name: /^Instances/ }).check();
    await dialog.getByLabel('Canary instances (comma separated)').fill(options.canary);
    await dialog.getByLabel(/^Bake/).fill(options.bake);
    await dialog.getByLabel(/Max p95 ratio/).fill(options.p95Ratio);
    await dialog.getByLabel(/Min requests per side/).fill(String(options.minRequests));
    await dialog.getByRole('checkbox', { name: /Promote by itself/ }).setChecked(options.autoPromote);
    return dialog;
  };

  before(async () => {
    stack = await startStack();
    const base = await freePortBlock(6);
    const [brokerPort, secondPort] = await freePorts(2);
    const ports = portsFrom(base);
    const specs = fleetProcesses({
      controlPlaneUrl: stack.server.apiUrl,
      otlpEndpoint: stack.server.otlpUrl,
      dataDir,
      ports,
      brokerAddress: `127.0.0.1:${brokerPort}`,
      load: false,
      // Spans exported every 200 ms, so the evaluator sees them within a second or two.
      extraEnv: { LOG_LEVEL: 'warn', SIGNALBOX_AGENT_LOG_LEVEL: 'warn', OTEL_BSP_SCHEDULE_DELAY: '200' },
    });
    const broker = specs.find((s) => s.name === 'broker') as FleetProcess;
    const inventory = specs.find((s) => s.name === 'inventory') as FleetProcess;
    // Two inventory instances with their own ids, databases and last-good config files.
    const instance = (id: string, port: number): FleetProcess => ({
      ...inventory,
      name: id,
      env: {
        ...inventory.env,
        PORT: String(port),
        SIGNALBOX_INSTANCE_ID: id,
        DEMO_DATA_DIR: join(dataDir, id),
        SIGNALBOX_CONFIG_DIR: join(dataDir, id, 'config'),
      },
    });
    urls[CANARY] = `http://127.0.0.1:${ports.inventory}`;
    urls[BASELINE] = `http://127.0.0.1:${secondPort}`;
    fleet = spawnFleet([broker, instance(CANARY, ports.inventory), instance(BASELINE, secondPort as number)]);
    for (const [id, url] of Object.entries(urls)) {
      await until(
        `${id} serves products`,
        async () => ((await fetch(`${url}/products`)).status === 200 ? true : undefined),
        90_000,
        () => fleet.tail(),
      );
    }
    const first = await api('POST', `/config/${SERVICE}/${ENVIRONMENT}/versions`, {
      base_version: 0,
      content: { faults: {} },
      message: 'no faults',
    });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    await until(
      'both instances on v1',
      async () => {
        const applied = await appliedVersions();
        return applied[CANARY] === 1 && applied[BASELINE] === 1 ? true : undefined;
      },
      20_000,
      () => fleet.tail(),
    );
    context = await newContext(stack.browser);
    page = await context.newPage();
    watched.push(watchErrors(page));
  });

  after(async () => {
    await context?.close();
    await fleet?.stopAll();
    await stack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts a rollout to one instance; it bakes with canary and baseline figures; promoted through the confirm step', async () => {
    await page.goto(stack.at(`/config/${SERVICE}/${ENVIRONMENT}`));
    await page.getByText('Editing from v1').waitFor();
    await page.getByText('No staged rollouts').waitFor();

    // Some latency on the canary: a visible difference in the p95 bars, within a ratio of 10.
    const dialog = await startRollout({
      content: { faults: { latencyMs: 5 } },
      message: 'some latency on the canary',
      canary: CANARY,
      bake: '10m',
      p95Ratio: '10',
      minRequests: NO_VERDICT,
      autoPromote: false,
    });
    await dialog.getByRole('button', { name: 'Start rollout' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForURL(/[?&]rollout=[0-9a-f-]{36}/);
    const id = new URL(page.url()).searchParams.get('rollout') as string;
    started.push({ id, version: 2, outcome: 'promoted' });
    await panel().getByRole('heading', { name: 'Rollout of v2' }).waitFor();
    await state().getByText('baking').waitFor();
    await panel().getByText('manual promotion', { exact: true }).waitFor();
    await page.getByText('Editing from v2').waitFor();

    // Only the canary gets v2; the drift table marks it.
    await until('the canary on v2, the baseline on v1', async () => {
      const applied = await appliedVersions();
      return applied[CANARY] === 2 && applied[BASELINE] === 1 ? true : undefined;
    });
    const instances = page.getByRole('table', { name: 'Configuration per instance' });
    await instances.getByRole('row').filter({ hasText: CANARY }).getByText('canary', { exact: true }).waitFor();

    // Traffic on both instances until each side has enough requests; the panel's poll shows them.
    const figures = await loadUntilFigures(id);
    assert.equal(figures.status, 'baking', JSON.stringify(figures));
    const canaryRow = comparisonRow('Canary');
    const baselineRow = comparisonRow('Baseline');
    await canaryRow.getByText(CANARY, { exact: true }).waitFor({ timeout: 20_000 });
    await baselineRow.getByText(BASELINE, { exact: true }).waitFor();
    await until('both sides’ requests in the table', async () =>
      (await requestsIn(canaryRow)) >= FIGURES && (await requestsIn(baselineRow)) >= FIGURES ? true : undefined,
    );
    // The bars carry the figures, the limit among them.
    const errorBars = page.getByRole('figure').filter({ hasText: 'Error rate' });
    await errorBars.getByRole('img', { name: /Error rate canary: 0(\.0)?\s?%/ }).waitFor();
    const p95Bars = page.getByRole('figure').filter({ hasText: 'p95 latency' });
    assert.equal(await p95Bars.getByRole('img', { name: /no data/ }).count(), 0, 'both sides have a p95');
    await loaded(page);
    await screenshot(page, 'rollout-baking');

    const dark = await newContext(stack.browser, { colorScheme: 'dark' });
    const darkPage = await dark.newPage();
    watched.push(watchErrors(darkPage));
    await darkPage.goto(stack.at(`/config/${SERVICE}/${ENVIRONMENT}?rollout=${id}`));
    await darkPage
      .getByRole('table', { name: 'Canary versus baseline figures' })
      .getByText(CANARY, { exact: true })
      .waitFor();
    await loaded(darkPage);
    await screenshot(darkPage, 'rollout-baking-dark');
    await dark.close();

    // Promote, through the confirm step.
    await panel().getByRole('button', { name: 'Promote…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Promote rollout' });
    await confirm.getByText('v2 becomes current for every instance now').waitFor();
    await confirm.getByLabel(/Reason/).fill('canary looks fine');
    await confirm.getByRole('button', { name: 'Confirm promote' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await state().getByText('promoted', { exact: true }).waitFor();
    const steps = page.getByRole('region', { name: 'Rollout steps' });
    await steps.getByRole('listitem').filter({ hasText: 'promoted' }).getByText('canary looks fine').waitFor();
    // Started, the canary's agent acknowledged v2 (figures count from then), promoted.
    await steps
      .getByRole('listitem')
      .filter({ hasText: 'canary applied' })
      .getByText(/figures count from/)
      .waitFor();
    assert.equal(await steps.getByRole('listitem').count(), 3);
    assert.equal(
      await panel().getByRole('button', { name: 'Promote…' }).count(),
      0,
      'a finished rollout has no actions',
    );
    await until('both instances on v2', async () => {
      const applied = await appliedVersions();
      return applied[CANARY] === 2 && applied[BASELINE] === 2 ? true : undefined;
    });
    assert.equal((await rollout(id)).status, 'promoted');
  });

  it('aborts a baking rollout through the confirm step; the canary returns to the stable content', async () => {
    const dialog = await startRollout({
      content: { faults: { latencyMs: 0 } },
      message: 'no latency again',
      canary: BASELINE,
      bake: '10m',
      p95Ratio: '10',
      minRequests: NO_VERDICT,
      autoPromote: true,
    });
    await dialog.getByRole('button', { name: 'Start rollout' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await panel().getByRole('heading', { name: 'Rollout of v3' }).waitFor();
    const id = new URL(page.url()).searchParams.get('rollout') as string;
    assert.notEqual(id, started[0]?.id);
    started.push({ id, version: 3, outcome: 'aborted' });
    await state().getByText('baking').waitFor();

    await panel().getByRole('button', { name: 'Abort…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Abort rollout' });
    await confirm.getByText('The canary instances return to v2; v3 is not promoted.').waitFor();
    // Cancel first: nothing changes.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    assert.equal((await rollout(id)).status, 'baking');
    await panel().getByRole('button', { name: 'Abort…' }).click();
    await confirm.getByLabel(/Reason/).fill('changed my mind');
    await confirm.getByRole('button', { name: 'Confirm abort' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await state().getByText('aborted', { exact: true }).waitFor();
    await page
      .getByRole('region', { name: 'Rollout steps' })
      .getByRole('listitem')
      .filter({ hasText: 'aborted' })
      .getByText('changed my mind')
      .waitFor();
    // The abort publishes v2's content again as v4, which every instance runs.
    await until('both instances on v4', async () => {
      const applied = await appliedVersions();
      return applied[CANARY] === 4 && applied[BASELINE] === 4 ? true : undefined;
    });
    const doc = await api<{ content: unknown; stable_version: number }>('GET', `/config/${SERVICE}/${ENVIRONMENT}`);
    assert.deepEqual(doc.body.content, { faults: { latencyMs: 5 } });
    assert.equal(doc.body.stable_version, 4);
  });

  it('a rollout that injects errors into the canary is rolled back by itself; the panel shows why', async () => {
    await page.getByText('Editing from v4').waitFor();
    const dialog = await startRollout({
      content: { faults: { latencyMs: 5, errorRate: 0.5 } },
      message: 'a risky change',
      canary: CANARY,
      bake: '10m',
      // The error rate is judged first: half the canary's requests failing rolls it back.
      p95Ratio: '3',
      minRequests: FIGURES,
      autoPromote: false,
    });
    await dialog.getByRole('button', { name: 'Start rollout' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await panel().getByRole('heading', { name: 'Rollout of v5' }).waitFor();
    const id = new URL(page.url()).searchParams.get('rollout') as string;
    started.push({ id, version: 5, outcome: 'rolled back' });
    await until('the canary on v5', async () => ((await appliedVersions())[CANARY] === 5 ? true : undefined));

    const load = drive();
    try {
      await until(
        'the rollout ended by itself',
        async () => ((await rollout(id)).status !== 'baking' ? true : undefined),
        60_000,
        () => fleet.tail(),
      );
    } finally {
      await load.stop();
    }
    assert.ok(
      load.statuses[CANARY]?.some((s) => s === 500),
      'the canary failed some requests',
    );
    assert.ok(
      load.statuses[BASELINE]?.every((s) => s === 200),
      'the baseline did not',
    );
    await state().getByText('rolled back', { exact: true }).waitFor({ timeout: 20_000 });
    await panel()
      .getByText(/error rate .* on the canary vs 0\.0 % on the baseline/)
      .first()
      .waitFor();
    const errorBars = page.getByRole('figure').filter({ hasText: 'Error rate' });
    await errorBars.getByText(/· over/).waitFor();
    assert.ok((await requestsIn(comparisonRow('Canary'))) >= FIGURES);
    await panel().getByText('returned as v6', { exact: true }).waitFor();

    // The rest of the page follows without a reload: the rollback published v6 and made it
    // stable, so the banner is gone, the history lists v6, the editor starts from it, the canary
    // should run it, and the rollouts history says how v5 ended.
    await page.getByText(/Staged rollout .* is baking/).waitFor({ state: 'hidden' });
    await page.getByRole('table', { name: 'Versions' }).getByRole('button', { name: 'v6', exact: true }).waitFor();
    await page.getByText('Editing from v6').waitFor();
    const canaryInstance = page
      .getByRole('table', { name: 'Configuration per instance' })
      .getByRole('row')
      .filter({ hasText: CANARY });
    await canaryInstance.getByRole('cell', { name: 'v6', exact: true }).first().waitFor();
    await page
      .getByRole('table', { name: 'Rollouts' })
      .getByRole('row')
      .filter({ has: page.getByRole('button', { name: 'v5', exact: true }) })
      .getByText('rolled back')
      .waitFor();
    await loaded(page);
    await screenshot(page, 'rollout-rolled-back');

    const dark = await newContext(stack.browser, { colorScheme: 'dark' });
    const darkPage = await dark.newPage();
    watched.push(watchErrors(darkPage));
    await darkPage.goto(stack.at(`/config/${SERVICE}/${ENVIRONMENT}?rollout=${id}`));
    await darkPage.getByRole('status', { name: 'Rollout state' }).getByText('rolled back').waitFor();
    await loaded(darkPage);
    await screenshot(darkPage, 'rollout-rolled-back-dark');
    await dark.close();
  });

  it('the rollouts history lists each rollout, and its link (rollout= in the URL) reopens it', async () => {
    const history = page.getByRole('table', { name: 'Rollouts' });
    for (const r of started) {
      await history
        .getByRole('row')
        .filter({ hasText: r.outcome })
        .getByRole('button', { name: `v${r.version}` })
        .waitFor();
    }
    // Newest first.
    const versions = await history.getByRole('button', { name: /^v\d+$/ }).allInnerTexts();
    assert.deepEqual(versions, ['v5', 'v3', 'v2']);

    const first = started[0] as (typeof started)[number];
    await history.getByRole('button', { name: 'v2', exact: true }).click();
    await page.waitForURL(new RegExp(`[?&]rollout=${first.id}`));
    await panel().getByRole('heading', { name: 'Rollout of v2' }).waitFor();
    await state().getByText('promoted', { exact: true }).waitFor();
    await comparisonRow('Canary').getByText(CANARY, { exact: true }).waitFor();

    // The URL alone reopens it, in a fresh page.
    const fresh = await context.newPage();
    watched.push(watchErrors(fresh));
    await fresh.goto(stack.at(`/config/${SERVICE}/${ENVIRONMENT}?rollout=${first.id}`));
    await fresh.getByRole('heading', { name: 'Rollout of v2' }).waitFor();
    await fresh.getByRole('status', { name: 'Rollout state' }).getByText('promoted', { exact: true }).waitFor();
    assert.equal(
      await fresh
        .getByRole('table', { name: 'Rollouts' })
        .getByRole('button', { name: 'v2', exact: true })
        .getAttribute('aria-pressed'),
      'true',
    );
    await loaded(fresh);
    await screenshot(fresh, 'rollout-history');
    await fresh.close();

    assert.deepEqual(watched.flat(), [], 'no page errors');
  });
});
