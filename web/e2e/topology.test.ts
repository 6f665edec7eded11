// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, not DOM nodes
// The topology's grouping and filters against the real demo fleet: the six shop services run in
// two environments and four namespaces (the agent's DEMO_ENVIRONMENT and the downward-API
// variable K8S_NAMESPACE_NAME, sent with each registration), inventory fails half its requests.
// Group by environment and see both groups with their members inside; filter by environment and
// to the failing part; collapse a namespace into one node and open it again; open an edge's RED
// charts. Screenshots in light and dark.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { newContext, screenshot, watchErrors } from './harness/browser.js';
import { MORE_LOAD, type RunningFleet, startFleet, until, untilLoaded } from './harness/fleet.js';
import { type Stack, startStack } from './harness/stack.js';

// K8S_POD_NAME makes the agent read the downward-API variables (as in a pod); the health
// server stays on loopback, as everywhere in these tests.
const pod = (service: string, environment: string, namespace: string) => ({
  DEMO_ENVIRONMENT: environment,
  K8S_NAMESPACE_NAME: namespace,
  K8S_POD_NAME: `${service}-0`,
  SIGNALBOX_HEALTH_HOST: '127.0.0.1',
});
const PLACEMENT = {
  gateway: pod('gateway', 'prod', 'edge'),
  users: pod('users', 'prod', 'shop'),
  orders: pod('orders', 'prod', 'shop'),
  inventory: { ...pod('inventory', 'staging', 'shop'), FAULT_ERROR_RATE: '0.5' },
  payments: pod('payments', 'staging', 'billing'),
  notifications: pod('notifications', 'staging', 'events'),
};

describe('topology: grouping, filters and edge charts with the demo fleet', { timeout: 420_000 }, () => {
  let stack: Stack;
  let fleet: RunningFleet;
  const contexts: BrowserContext[] = [];
  const watched: string[][] = [];

  before(async () => {
    stack = await startStack({ topologyPairWaitMs: 1000, topologyFlushMs: 500 });
    fleet = await startFleet({ apiUrl: stack.server.apiUrl, otlpUrl: stack.server.otlpUrl, serviceEnv: PLACEMENT });
    const report = await fleet.load({ rate: 15, durationMs: 6_000 });
    assert.ok(report.requests > 40, JSON.stringify(report));
    let seen = '';
    // Payments is called only by orders whose inventory reservation passed, and inventory fails
    // half its calls here: a short load can leave payments with no call (seen once in CI).
    await untilLoaded(fleet, 'the edges and where each service runs', async () => {
      const response = await fetch(`${stack.server.apiUrl}/api/v1/topology?from=${Date.now() - 600_000}`);
      const topology = (await response.json()) as {
        nodes: { id: string; error_rate: number; environments: string[]; namespaces: string[] }[];
        edges: { source: string; target: string }[];
      };
      seen = JSON.stringify({
        nodes: topology.nodes.map((n) => `${n.id} ${n.environments} ${n.namespaces}`),
        edges: topology.edges.map((e) => `${e.source}>${e.target}`),
      });
      const node = (id: string) => topology.nodes.find((n) => n.id === id);
      const edge = (s: string, t: string) => topology.edges.some((e) => e.source === s && e.target === t);
      if (!node('payments')) return MORE_LOAD;
      return edge('gateway', 'orders') &&
        node('inventory')?.error_rate &&
        node('inventory')?.environments.join() === 'staging' &&
        node('payments')?.namespaces.join() === 'billing'
        ? true
        : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; last topology: ${seen}`);
    });
  });

  after(async () => {
    for (const context of contexts) await context.close();
    await fleet?.stop();
    await stack?.close();
    const errors = watched.flat();
    assert.deepEqual(errors, [], `errors in the pages:\n${errors.join('\n')}`);
  });

  const open = async (path: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> => {
    const context = await newContext(stack.browser, { colorScheme });
    contexts.push(context);
    const page = await context.newPage();
    watched.push(watchErrors(page));
    await page.goto(stack.at(path));
    await page.locator('[data-testid=topology-canvas][data-layout-ready=true]').waitFor();
    return page;
  };
  const node = (page: Page, id: string) => page.getByTestId(`rf__node-${id}`);
  const inside = async (page: Page, id: string, group: string) => {
    const a = (await node(page, id).boundingBox())!;
    const g = (await page.getByTestId(`topology-group-${group}`).boundingBox())!;
    return a.x >= g.x && a.y >= g.y && a.x + a.width <= g.x + g.width && a.y + a.height <= g.y + g.height;
  };

  it('groups by environment: labelled areas with their services (and databases) inside', async () => {
    const page = await open('/topology?group=environment');
    await page.getByTestId('topology-group-prod').waitFor();
    await page.getByTestId('topology-group-staging').waitFor();
    for (const [service, env] of [
      ['gateway', 'prod'],
      ['orders', 'prod'],
      ['inventory', 'staging'],
      ['payments', 'staging'],
    ] as const) {
      await node(page, service).waitFor();
      assert.ok(await inside(page, service, env), `${service} is drawn inside ${env}`);
    }
    // The orders database is used by orders only, so it sits in orders' group.
    const ordersDb = page.locator('[data-testid^="rf__node-database:"][data-testid*="orders"]').first();
    const dbId = (await ordersDb.getAttribute('data-testid'))!.replace('rf__node-', '');
    assert.ok(await inside(page, dbId, 'prod'), `${dbId} is drawn inside prod`);
    assert.match(await page.getByTestId('topology-counts').innerText(), /in 2 groups/);
    await screenshot(page, 'topology-group-environment');

    // The choice is in the URL: a reload draws the same groups.
    await page.reload();
    await page.getByTestId('topology-group-staging').waitFor();
    assert.equal(await page.getByLabel('Group by', { exact: true }).inputValue(), 'environment');
  });

  it('filters before drawing: one environment, then only what fails', async () => {
    const page = await open('/topology?group=environment');
    await page.getByLabel('Environment', { exact: true }).selectOption('staging');
    await page.waitForURL(/env=staging/);
    await until('staging only', async () => ((await node(page, 'gateway').count()) === 0 ? true : undefined));
    for (const service of ['inventory', 'payments', 'notifications']) await node(page, service).waitFor();
    assert.equal(await page.getByTestId('topology-group-prod').count(), 0);

    await page.getByLabel('Only unhealthy').check();
    await page.waitForURL(/unhealthy=1/);
    // Inventory fails half its requests; the notifications database answers every call.
    const quietDb = node(page, 'database:sqlite/notifications');
    await until('the failing part', async () => ((await quietDb.count()) === 0 ? true : undefined));
    await node(page, 'inventory').waitFor();
    await screenshot(page, 'topology-filter-unhealthy');

    // A filter that matches nothing says so and offers the way back.
    await page.getByLabel('Filter nodes by name').fill('no-such-service');
    await page.getByText('Nothing matches the filters').waitFor();
    await page.getByRole('button', { name: 'Clear the filters' }).click();
    await node(page, 'gateway').waitFor();
    // The box shows what the URL now filters by: nothing.
    assert.equal(await page.getByLabel('Filter nodes by name').inputValue(), '');
  });

  it('collapses a namespace into one node with its totals, and opens it again', async () => {
    const page = await open('/topology?group=namespace', 'dark');
    const shop = page.getByTestId('topology-group-shop');
    await shop.waitFor();
    for (const service of ['users', 'orders', 'inventory']) assert.ok(await inside(page, service, 'shop'));
    await screenshot(page, 'topology-group-namespace-dark');

    // The header is drawn above the edges, outside the area's own element.
    await page.getByTestId('topology-group-header-shop').getByRole('button', { name: 'Collapse' }).click();
    await page.waitForURL(/shut=shop/);
    // The collapsed group keeps the area's id; its node type says which it is.
    const collapsed = page.locator('.react-flow__node-group[data-id="group:namespace:shop"]');
    await collapsed.waitFor();
    assert.equal(await node(page, 'orders').count(), 0, 'its members are not drawn one by one');
    assert.match(await collapsed.innerText(), /shop\s*×\d+/);
    await collapsed.click();
    const aside = page.getByRole('complementary', { name: 'Selection' });
    await aside.getByText('Busiest members').waitFor();
    await aside.getByRole('button', { name: 'orders', exact: true }).waitFor();
    await screenshot(page, 'topology-group-collapsed-dark');
    await aside.getByRole('button', { name: /Open the group/ }).click();
    await node(page, 'orders').waitFor();
    assert.equal(await collapsed.count(), 0);
    await shop.waitFor();
    assert.equal(await aside.count(), 0, 'the selection went with the collapsed node');
  });

  it("clicking an edge opens its RED charts, from the edge's own series", async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await open('/topology', scheme);
      const edge = page.getByTestId('rf__edge-gateway->orders');
      await edge.waitFor({ state: 'attached' });
      // Click the edge itself, three quarters along (near orders, whose only caller is gateway;
      // at the start it runs together with gateway's other calls). A straight path's box has no
      // height, so Playwright's own click would refuse it.
      await sleep(300); // the first fit of the view
      const at = await edge.locator('path.react-flow__edge-path').evaluate((element) => {
        const path = element as SVGPathElement;
        const p = path.getPointAtLength(path.getTotalLength() * 0.75);
        const m = path.getScreenCTM()!;
        return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f };
      });
      await page.mouse.click(at.x, at.y);
      await page.waitForURL(/edge=gateway-%3Eorders|edge=gateway->orders/);
      const aside = page.getByRole('complementary', { name: 'Selection' });
      await aside.getByRole('heading', { name: 'gateway → orders' }).waitFor();
      const charts = aside.getByTestId('edge-red');
      for (const caption of ['Requests', 'Error rate', 'Latency'])
        await charts.locator('figcaption', { hasText: caption }).waitFor();
      // An edge's steps do not open traces (the charts say so by offering nothing to click).
      assert.equal(await charts.getByText(/Click a point/).count(), 0);
      await screenshot(page, `topology-edge-${scheme}`);
    }
  });
});
