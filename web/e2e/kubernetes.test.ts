// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, not DOM nodes
// The Kubernetes section in a real browser: the real server's Kubernetes source (client-node
// informers) pointed at the fake API server from server/test/fakes, seeded with a crash-looping
// pod, an OOMKilled container, image-pull and scheduling problems and a Deployment that the test
// rolls to a new image while the page is open. Pod logs are followed over SSE through the
// dashboard's proxy. A second server without --kubernetes shows the "source is off" state.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import {
  type FakeKubeApiServer,
  kubeconfigFor,
  startFakeKubeApiServer,
} from '../../server/test/fakes/kube-apiserver.js';
import { crashLoop, oomKilled, problemPods, rollingUpdate } from '../../server/test/fakes/kube-scenarios.js';
import { startServer } from '../../server/test/helpers/server.js';
import { createTestStore } from '../../server/test/helpers/stores.js';
import { newContext, screenshot, watchErrors } from './harness/browser.js';
import { startDashboard } from './harness/dashboard.js';
import { type Stack, startStack } from './harness/stack.js';

describe('dashboard: Kubernetes section against the fake API server', { timeout: 300_000 }, () => {
  let fake: FakeKubeApiServer;
  let stack: Stack;
  let dir: string;
  let light: BrowserContext;
  let dark: BrowserContext;
  const watched: string[][] = [];
  const rollout = rollingUpdate();
  const crash = crashLoop();
  const scenarios = [rollout, crash, oomKilled(), problemPods()];

  before(async () => {
    fake = await startFakeKubeApiServer({
      seed: (server) => {
        for (const scenario of scenarios) scenario.seed(server);
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'signalbox-e2e-kube-'));
    const kubeconfig = join(dir, 'kubeconfig.json');
    writeFileSync(kubeconfig, kubeconfigFor(fake.url));
    stack = await startStack({ kubernetes: { mode: 'kubeconfig', path: kubeconfig } });
    light = await newContext(stack.browser);
    dark = await newContext(stack.browser, { colorScheme: 'dark' });
  });
  after(async () => {
    await light?.close();
    await dark?.close();
    await stack?.close();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const open = async (path: string, context = light): Promise<Page> => {
    const page = await context.newPage();
    watched.push(watchErrors(page));
    await page.goto(stack.at(path));
    return page;
  };
  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${stack.server.apiUrl}/api/v1${path}`);
    assert.equal(response.status, 200, path);
    return (await response.json()) as T;
  };
  /** The pod of a scenario's Deployment, by the app label. */
  const podOf = async (app: string) => {
    const { items } = await api<{ items: { name: string; namespace: string }[] }>(`/kubernetes/pods?app=${app}`);
    assert.ok(items[0], `a pod of ${app}`);
    return items[0];
  };

  it('lists namespaces worst first and reaches the section from the navigation', async () => {
    const page = await open('/services');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Kubernetes' }).click();
    await page.waitForURL(/\/kubernetes$/);
    const table = page.getByRole('table', { name: 'Namespaces' });
    const first = table.getByRole('row').nth(1);
    await first.getByRole('link', { name: 'shop' }).waitFor();
    await first.getByText(/problem pods/).waitFor();
    await screenshot(page, 'kubernetes-namespaces');
    const darkPage = await open('/kubernetes', dark);
    await darkPage.getByRole('table', { name: 'Namespaces' }).getByRole('link', { name: 'shop' }).waitFor();
    await screenshot(darkPage, 'kubernetes-namespaces-dark');
    await darkPage.close();
    await page.close();
  });

  it('shows pods with problems first: CrashLoopBackOff, OOMKilled, restarts', async () => {
    const page = await open('/kubernetes/pods?namespace=shop');
    const table = page.getByRole('table', { name: 'Pods' });
    const rows = table.getByRole('row');
    await rows.nth(1).waitFor();
    // Every problem pod comes before the first healthy one.
    const problemCodes = await rows.evaluateAll((trs) =>
      trs.slice(1).map((tr) => tr.querySelector('[data-testid="pod-problem"]')?.getAttribute('data-code') ?? null),
    );
    const firstHealthy = problemCodes.indexOf(null);
    assert.ok(firstHealthy > 0, `problem pods first: ${problemCodes.join(',')}`);
    assert.ok(
      problemCodes.slice(firstHealthy).every((c) => c === null),
      `no problem after a healthy pod: ${problemCodes}`,
    );
    assert.ok(problemCodes.includes('crash_loop') && problemCodes.includes('oom_killed'), String(problemCodes));

    const crashing = rows.filter({ hasText: 'CrashLoopBackOff' }).first();
    await crashing.getByText('crash-looping').waitFor();
    // Cells: pod, status, ready, restarts (no namespace column inside one namespace).
    assert.match((await crashing.getByRole('cell').nth(3).textContent()) ?? '', /^4\b/, 'restarts of the crash loop');
    const oom = rows.filter({ hasText: 'OOMKilled' }).first();
    await oom.getByText(/memory limit 128Mi/).waitFor();
    await screenshot(page, 'kubernetes-pods');

    // The problem filter lives in the URL and survives a reload.
    await page.getByLabel('Problems').selectOption('critical');
    await page.waitForURL(/severity=critical/);
    await page.reload();
    assert.equal(await page.getByLabel('Problems').inputValue(), 'critical');
    await table.getByRole('row').nth(1).waitFor();
    assert.equal(await table.getByText('Probe failing').count(), 0, 'warning-only pods are filtered out');
    const darkPage = await open('/kubernetes/pods?namespace=shop', dark);
    await darkPage.getByRole('table', { name: 'Pods' }).getByText('CrashLoopBackOff').first().waitFor();
    await screenshot(darkPage, 'kubernetes-pods-dark');
    await darkPage.close();
    await page.close();
  });

  it('shows a rolling update in progress, then complete', async () => {
    const page = await open('/kubernetes/workloads?namespace=shop&kind=Deployment&refresh=off');
    const row = page.getByRole('table', { name: 'Workloads' }).getByRole('row').filter({ hasText: 'orders' });
    const state = row.getByTestId('rollout');
    await page.waitForFunction(() => document.querySelector('[data-testid="rollout"]'));
    assert.equal(await state.getAttribute('data-state'), 'complete');
    // New revision, one new pod surging: the page shows the rollout moving.
    rollout.steps[0]!.apply(fake);
    rollout.steps[1]!.apply(fake);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await row.locator('[data-state="progressing"]').waitFor();
    await row.getByText('updated 1').waitFor();
    await row.getByText('orders:1.5.0').waitFor();
    await screenshot(page, 'kubernetes-workloads-rollout');
    for (const step of rollout.steps.slice(2)) step.apply(fake);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await row.locator('[data-state="complete"]').waitFor();
    await row.getByText('updated 3').waitFor();
    await page.close();
  });

  it('shows a crash-looping pod: problems, last termination, events, and a log that follows', async () => {
    const pod = await podOf('payments');
    const page = await open(`/kubernetes/pods/${pod.namespace}/${pod.name}`);
    await page.getByRole('region', { name: 'Problems' }).getByText('CrashLoopBackOff', { exact: true }).waitFor();
    await page.getByTestId('last-termination').getByText('Error').waitFor();
    await page.getByRole('table', { name: 'Events' }).getByText('BackOff').waitFor();
    // The waiting container's log is the last instance's; the stream ends at once.
    await page.getByTestId('pod-log-line').getByText('cannot connect to postgres').first().waitFor();

    // The kubelet restarts it: follow again, and see new lines as the container writes them.
    crash.steps[0]!.apply(fake); // running again, "payments starting"
    await page.getByRole('button', { name: 'Follow again' }).click();
    const status = page.getByTestId('pod-log-status');
    await page.locator('[data-testid="pod-log-status"][data-state="open"]').waitFor();
    fake.appendLog(pod.namespace, pod.name, 'payments', ['{"level":"info","msg":"line written while watching"}']);
    await page.getByText('line written while watching').waitFor();

    // Pause holds new lines back and counts them; Resume shows them.
    await page.getByRole('button', { name: 'Pause' }).click();
    fake.appendLog(pod.namespace, pod.name, 'payments', ['{"level":"info","msg":"line written while paused"}']);
    await status.getByText('paused · 1 new line').waitFor();
    assert.equal(await page.getByText('line written while paused').count(), 0);
    await screenshot(page, 'kubernetes-pod-crashloop');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByText('line written while paused').waitFor();

    // It crashes again: the stream says the container stopped.
    crash.steps[1]!.apply(fake);
    await page.locator('[data-testid="pod-log-status"][data-state="ended"]').waitFor();

    // The previous instance: read once, and the choice is in the URL.
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.waitForURL(/previous=1/);
    await page.locator('[data-testid="pod-log-status"][data-state="previous"]').waitFor();
    await page.getByTestId('pod-log-line').filter({ hasText: 'ECONNREFUSED' }).first().waitFor();
    await page.close();
  });

  it('shows an OOMKilled container with its exit code and the previous log', async () => {
    const pod = await podOf('inventory');
    const page = await open(`/kubernetes/pods/${pod.namespace}/${pod.name}?previous=1`, dark);
    await page.getByRole('region', { name: 'Problems' }).getByText('OOMKilled', { exact: true }).waitFor();
    const termination = page.getByTestId('last-termination');
    await termination.getByText('OOMKilled', { exact: true }).waitFor();
    await termination.getByText('exit 137').waitFor();
    await page.getByTestId('pod-log-line').getByText('cache warmed: 180000 items').waitFor();
    await screenshot(page, 'kubernetes-pod-oomkilled-dark');
    await page.close();
  });

  it('lists warning events with links to their objects', async () => {
    const page = await open('/kubernetes/events?type=Warning');
    const table = page.getByRole('table', { name: 'Events' });
    const backOff = table.getByRole('row').filter({ hasText: 'BackOff' }).first();
    await backOff.waitFor();
    assert.equal(await table.getByRole('row').filter({ hasText: 'ScalingReplicaSet' }).count(), 0, 'Normal hidden');
    await screenshot(page, 'kubernetes-events');
    await backOff.getByRole('link', { name: /payments-/ }).click();
    await page.waitForURL(/\/kubernetes\/pods\/shop\/payments-/);
    await page.getByRole('region', { name: 'Problems' }).waitFor();
    await page.close();
  });

  it('says how to turn the source on when the server runs without --kubernetes', async () => {
    const store = await createTestStore('sqlite');
    const server = await startServer({ store: store.url });
    const dashboard = await startDashboard(server.apiUrl);
    try {
      const context = await newContext(stack.browser);
      const page = await context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${dashboard.url}/kubernetes/pods`);
      await page.getByRole('heading', { name: 'The Kubernetes source is off' }).waitFor();
      await screenshot(page, 'kubernetes-off');
      // The 404 of the status route is expected here; nothing else may fail.
      assert.deepEqual(
        errors.filter((e) => !/404/.test(e)),
        [],
      );
      await context.close();
    } finally {
      await dashboard.stop();
      await server.close();
      await store.cleanup();
    }
  });

  it('raised no page errors', () => {
    assert.deepEqual(watched.flat(), []);
  });
});
