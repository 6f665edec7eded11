// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, not DOM nodes
// Every page against the real demo fleet: the six shop services as processes under the agent,
// sending registrations, traces and logs to the real control plane, driven by the demo's load
// generator. Inventory is made to fail half its requests and notifications to hang (its health
// checks time out), so the pages have something true to show.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { firstLoadJs, newContext, screenshot, watchErrors } from './harness/browser.js';
import { LOADGEN_TOKEN, MORE_LOAD, type RunningFleet, startFleet, until, untilLoaded } from './harness/fleet.js';
import { type Stack, startStack } from './harness/stack.js';

describe('dashboard pages with the demo fleet', { timeout: 420_000 }, () => {
  let stack: Stack;
  let fleet: RunningFleet;
  let context: BrowserContext;
  /** Uncaught errors and console errors of every page opened, checked at the end. */
  const watched: string[][] = [];

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${stack.server.apiUrl}/api/v1${path}`);
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return (await response.json()) as T;
  };
  const open = async (path: string): Promise<Page> => {
    const page = await context.newPage();
    watched.push(watchErrors(page));
    await page.goto(stack.at(path));
    return page;
  };
  const signUp = async (name: string) => {
    const response = await fetch(`${fleet.gateway}/api/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LOADGEN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${name}-${Date.now()}@example.test`, name }),
    });
    assert.equal(response.status, 201, await response.text());
  };

  before(async () => {
    stack = await startStack({ topologyPairWaitMs: 1000, topologyFlushMs: 500 });
    fleet = await startFleet({
      apiUrl: stack.server.apiUrl,
      otlpUrl: stack.server.otlpUrl,
      serviceEnv: {
        inventory: { FAULT_ERROR_RATE: '0.5' },
        notifications: { FAULT_HANG: 'true' },
        // One service elsewhere, so the services page has two environments to tell apart.
        users: { DEMO_ENVIRONMENT: 'staging' },
      },
    });
    const report = await fleet.load({ rate: 15, durationMs: 6_000 });
    assert.ok(report.requests > 40, JSON.stringify(report));
    // What the pages will show must be in the API first.
    await until('notifications critical', async () => {
      const { services } = await api<{ services: { name: string; status: string }[] }>('/services');
      return services.find((s) => s.name === 'notifications')?.status === 'critical' ? true : undefined;
    });
    // On a timeout, say which edges there were and what the load did (a flake seen once in CI).
    let seen = 'none yet';
    // Payments is called only by orders whose inventory reservation passed (half fail here).
    await untilLoaded(fleet, 'topology edges', async () => {
      const topology = await api<{ edges: { source: string; target: string; requests: number }[] }>(
        `/topology?from=${Date.now() - 600_000}`,
      );
      seen = topology.edges.map((e) => `${e.source}→${e.target} ${e.requests}`).join(', ');
      const has = (s: string, t: string) => topology.edges.some((e) => e.source === s && e.target === t);
      if (!has('orders', 'payments')) return MORE_LOAD;
      return has('gateway', 'orders') && has('orders', 'inventory') ? true : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; edges: ${seen}; load: ${JSON.stringify(report)}`);
    });
    context = await newContext(stack.browser);
  });

  after(async () => {
    await context?.close();
    await fleet?.stop();
    await stack?.close();
  });

  /**
   * Clicks the newest step of a RED chart that had requests and returns the trace search it
   * opened. The load ran in the last minutes, so steps are tried from the plot's right edge
   * leftwards (a click on an empty step does nothing); the plot's box is read before each click
   * where the page itself places it, since the page may still be settling.
   */
  async function openNewestStep(page: Page, caption: string, hint: string): Promise<URLSearchParams> {
    const chart = page.locator('figure', { has: page.locator('figcaption', { hasText: caption }) }).first();
    await chart.getByText(hint).waitFor();
    const plot = chart.locator('.u-over');
    const onTraces = (url: URL) => url.pathname === '/traces';
    for (let back = 0; back < 24 && !onTraces(new URL(page.url())); back++) {
      const { right, top } = await plot.evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
      await page.mouse.click(right - 1 - back * 4, top + 40);
      await page.waitForURL(onTraces, { timeout: 750 }).catch(() => {});
    }
    await page.waitForURL(onTraces, { timeout: 5_000 });
    return new URL(page.url()).searchParams;
  }

  it('overview: the failing services first, each a link that explains it', async () => {
    const page = await open('/');
    const attention = page.locator('section', { hasText: 'Instances needing attention' });
    await attention.getByRole('link', { name: 'notifications' }).waitFor();
    assert.match(await attention.innerText(), /critical/);
    const rising = page.locator('section', { hasText: 'Rising error rate or latency' });
    await rising.getByRole('link', { name: 'inventory' }).waitFor();
    assert.match(await rising.innerText(), /inventory\s+\d+% errors/);
    await page.locator('section', { hasText: 'Slowest calls' }).getByRole('link').first().waitFor();
    // Warnings and errors logged: inventory's injected faults are there.
    const logged = page.locator('section', { hasText: 'Warnings and errors logged' });
    await logged.getByTestId('log-volume').locator('canvas').waitFor();
    assert.match(await logged.locator('figcaption').innerText(), /error \d+/);
    assert.doesNotMatch(await logged.locator('figcaption').innerText(), /info \d+/);
    await logged.getByTestId('log-pattern').filter({ hasText: 'injected fault' }).first().waitFor();
    await screenshot(page, 'overview');
    await logged.getByRole('link', { name: 'Open in logs' }).click();
    await page.waitForURL((url) => url.pathname === '/logs' && url.searchParams.get('min_severity') === 'warn');
    await page.goBack();

    await attention.getByRole('link', { name: 'notifications' }).click();
    await page.waitForURL(/\/services\/notifications\?.*instance=/);
    const detail = page.getByRole('region', { name: /^Instance / });
    await detail.getByText('status history').waitFor();
    await detail
      .getByText(/passing → critical|→ critical/)
      .first()
      .waitFor();
    await screenshot(page, 'service-notifications');
    await page.close();
  });

  it('services: status first, filters in the URL', async () => {
    const page = await open('/services');
    const rows = page.locator('tbody tr');
    await until('six rows', async () => ((await rows.count()) === 6 ? true : undefined));
    assert.match(await rows.first().innerText(), /notifications[\s\S]*critical/);
    await page.locator('tbody svg[role=img]').first().waitFor(); // RED sparklines arrived
    await screenshot(page, 'services');
    await page.getByLabel('Filter services by name').fill('inv');
    await page.waitForURL(/q=inv/);
    // The URL changes first; the filtered table renders right after it.
    await until('one row for "inv"', async () => ((await rows.count()) === 1 ? true : undefined));
    await page.reload();
    assert.equal(await page.getByLabel('Filter services by name').inputValue(), 'inv');
    await rows.first().getByRole('link', { name: 'inventory' }).waitFor();
    assert.equal(await rows.count(), 1);
    // A filter that matches nothing offers the way back, and the box then shows no filter.
    await page.getByLabel('Filter services by name').fill('no-such-service');
    await page.getByRole('button', { name: 'Clear the filters' }).click();
    await until('six rows after clearing', async () => ((await rows.count()) === 6 ? true : undefined));
    assert.equal(await page.getByLabel('Filter services by name').inputValue(), '');
    await page.goto(stack.at('/services?status=critical'));
    await until('critical only', async () => ((await rows.count()) === 1 ? true : undefined));
    assert.match(await rows.first().innerText(), /notifications/);
    // Environments: a column, and a filter whose choice is in the URL.
    await page.goto(stack.at('/services'));
    await until('six rows again', async () => ((await rows.count()) === 6 ? true : undefined));
    assert.match(await rows.filter({ hasText: 'users' }).innerText(), /staging/);
    assert.match(await rows.filter({ hasText: 'orders' }).innerText(), /\bdemo\b/);
    await page.getByLabel('Environment').selectOption('staging');
    await page.waitForURL(/env=staging/);
    await until('users only', async () => ((await rows.count()) === 1 ? true : undefined));
    assert.match(await rows.first().innerText(), /users/);
    await page.reload();
    await until('still users only', async () => ((await rows.count()) === 1 ? true : undefined));
    assert.equal(await page.getByLabel('Environment').inputValue(), 'staging');
    await screenshot(page, 'services-environment');
    await page.close();
  });

  it('service page: RED per operation, instances, dependencies, logged errors by pattern, recent errors', async () => {
    const page = await open('/services/orders');
    for (const caption of ['Requests', 'Error rate', 'Latency'])
      await page.locator('figcaption', { hasText: caption }).first().waitFor();
    const operations = page.locator('section', { hasText: /^Operations/ });
    await operations.getByRole('button', { name: 'saga place-order', exact: true }).click();
    await page.waitForURL(/op=saga\+place-order|op=saga%20place-order/);
    await page.getByText('Operation saga place-order').waitFor();
    const deps = page.locator('section', { hasText: 'Dependencies' });
    await deps.getByRole('link', { name: 'gateway' }).waitFor();
    await deps.getByRole('link', { name: 'inventory' }).waitFor();
    await deps.getByRole('link', { name: 'payments' }).waitFor();
    // Its failed sagas, logged once per order, are one pattern.
    const logged = page.locator('section', { hasText: 'Warnings and errors logged' });
    const cancelled = logged.getByTestId('log-pattern').filter({ hasText: /order <\*> was cancelled/ });
    await cancelled.waitFor();
    assert.match(await cancelled.innerText(), /^\d+\s+ERROR/);
    await page
      .locator('section', { hasText: 'Recent errors' })
      .getByRole('link', { name: /gateway: POST/ })
      .first()
      .waitFor();
    await screenshot(page, 'service-orders');

    // A point of a chart opens the traces behind it: the operation's spans of that step.
    const requests = await openNewestStep(page, 'Requests', 'Click a point for its traces');
    assert.equal(requests.get('service'), 'orders');
    assert.equal(requests.get('operation'), 'saga place-order');
    assert.equal(requests.get('min_duration'), null);
    // One step of the chart: whole minutes (two for the last hour).
    const stepMs = Date.parse(requests.get('to') ?? '') - Date.parse(requests.get('from') ?? '');
    assert.ok(stepMs >= 60_000 && stepMs % 60_000 === 0, String(stepMs));
    const results = page.locator('[data-testid=trace-results] tbody tr');
    await results.first().waitFor();
    assert.match(await results.first().innerText(), /saga place-order|POST/);
    // From the latency chart: the spans at least as slow as the step's p95 (a microsecond under
    // it, as the API rounds it), of which there is always one: the step's slowest.
    await page.goBack();
    const slow = await openNewestStep(page, 'Latency', 'Click a point for its traces slower than p95');
    assert.match(slow.get('min_duration') ?? '', /^[0-9]+us$/);
    await page
      .locator(`[data-testid=trace-results][aria-busy=false][data-for*="min_duration"] tbody tr`)
      .first()
      .waitFor();
    await screenshot(page, 'service-latency-traces');
    await page.close();
  });

  it('topology: the expected nodes and edges; click for figures, focus on neighbours', async () => {
    const page = await open('/topology');
    await page.locator('[data-testid=topology-canvas][data-layout-ready=true]').waitFor();
    for (const node of ['gateway', 'orders', 'inventory', 'payments', 'users', 'notifications']) {
      await page.getByTestId(`rf__node-${node}`).waitFor();
    }
    assert.ok((await page.locator('[data-testid^="rf__node-database:"]').count()) >= 4, 'a database per service');
    for (const edge of ['gateway->orders', 'orders->inventory', 'orders->payments']) {
      await page.getByTestId(`rf__edge-${edge}`).waitFor({ state: 'attached' });
    }
    await screenshot(page, 'topology');
    await page.getByTestId('rf__node-orders').click();
    await page.waitForURL(/node=orders/);
    const aside = page.getByRole('complementary', { name: 'Selection' });
    await aside.getByRole('link', { name: 'Service page' }).waitFor();
    await aside.locator('figcaption', { hasText: 'Requests' }).waitFor();
    const before = await page.getByTestId('topology-counts').innerText();
    await aside.getByRole('button', { name: 'Focus on its neighbours' }).click();
    await page.waitForURL(/focus=orders/);
    await until('fewer nodes', async () =>
      (await page.getByTestId('topology-counts').innerText()) !== before ? true : undefined,
    );
    await page.getByTestId('rf__node-orders').waitFor();
    await screenshot(page, 'topology-focus');
    // The node's charts open its traces, as the service page's do.
    const traces = await openNewestStep(page, 'Requests', 'Click a point for its traces');
    assert.equal(traces.get('service'), 'orders');
    assert.equal(traces.get('operation'), null);
    await page.close();
  });

  let traceUrl = '';
  it('traces: search round-trips through the URL; a trace opens with its waterfall and logs', async () => {
    const page = await open('/traces');
    await page.getByLabel('Service').fill('orders');
    await page.getByLabel('Errors only').check();
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/service=orders.*errors=1|errors=1.*service=orders/);
    await page.locator('[data-testid=trace-results][aria-busy=false][data-for*="errors=1"]').waitFor();
    const rows = page.locator('tbody tr');
    await rows.first().waitFor();
    for (const text of await rows.allInnerTexts()) assert.doesNotMatch(text.split('\t').at(-3) ?? '', /^0$/);
    await page.locator('figure circle').first().waitFor();
    await screenshot(page, 'traces');

    // The same URL in a fresh page gives the same form and results.
    const copy = await open(new URL(page.url()).pathname + new URL(page.url()).search);
    assert.equal(await copy.getByLabel('Service').inputValue(), 'orders');
    assert.equal(await copy.getByLabel('Errors only').isChecked(), true);
    await copy.locator('tbody tr').first().waitFor();
    await copy.close();

    // Compare two results.
    await rows.nth(0).getByRole('checkbox').check();
    await rows.nth(1).getByRole('checkbox').check();
    await page.getByRole('link', { name: 'Compare' }).click();
    await page.waitForURL(/\/traces\/compare\?a=[0-9a-f]{32}&b=[0-9a-f]{32}/);
    await page.getByText(/operations differ/).waitFor();
    await screenshot(page, 'trace-compare');
    await page.goBack();

    await rows.first().getByRole('link').first().click();
    await page.waitForURL(/\/traces\/[0-9a-f]{32}/);
    traceUrl = new URL(page.url()).pathname;
    const waterfall = page.getByTestId('waterfall');
    await waterfall.getByRole('treeitem').nth(5).waitFor();
    await page.getByText(/Critical path \(\d+ spans\)/).waitFor();
    const logs = page.getByRole('list', { name: 'Log records of the trace' });
    await logs.getByRole('listitem').first().waitFor();
    assert.match(await logs.innerText(), /ERROR|WARN/);
    await waterfall.getByRole('treeitem').filter({ hasText: 'saga place-order' }).first().click();
    await page.waitForURL(/span=[0-9a-f]{16}/);
    await page
      .getByRole('region', { name: 'Span details' })
      .getByText(/Attributes \(\d+\)/)
      .waitFor();
    // The saga span has children: its own time is shown beside its duration.
    await page
      .getByRole('region', { name: 'Span details' })
      .getByText(/· self \d/)
      .waitFor();
    // Keyboard: the list moves the selection.
    const selected = new URL(page.url()).searchParams.get('span');
    await waterfall.focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForURL((url) => url.searchParams.get('span') !== selected);
    await screenshot(page, 'trace');
    await page.close();
  });

  it('go to trace: a traceparent pasted in the top bar opens its trace; a non-id says why', async () => {
    const traceId = traceUrl.split('/').at(-1) as string;
    const page = await open('/services?range=6h');
    const lookup = page.getByRole('search', { name: 'Go to trace' }).getByLabel('Trace ID');
    await lookup.fill('not-a-trace');
    await lookup.press('Enter');
    await page
      .getByRole('alert')
      .getByText(/Not a trace ID/)
      .waitFor();
    assert.equal(await lookup.getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'trace-lookup-invalid');
    assert.equal(new URL(page.url()).pathname, '/services');

    await lookup.fill(`traceparent: 00-${traceId.toUpperCase()}-00f067aa0ba902b7-01`);
    await lookup.press('Enter');
    await page.waitForURL((url) => url.pathname === `/traces/${traceId}`);
    assert.equal(new URL(page.url()).searchParams.get('range'), '6h', 'the time window goes along');
    await page.getByTestId('waterfall').getByRole('treeitem').first().waitFor();
    await page.close();

    // An id nothing was stored for: the page says what may have happened, and links back. (Not a
    // watched page: the browser logs the API's 404 as a console error, and here it is expected.)
    const missing = await context.newPage();
    await missing.goto(stack.at('/services'));
    const field = missing.getByRole('search', { name: 'Go to trace' }).getByLabel('Trace ID');
    await field.fill('0af7651916cd43dd8448eb211c80319c');
    await field.press('Enter');
    await missing.getByRole('heading', { name: 'Trace not found' }).waitFor();
    await screenshot(missing, 'trace-not-found');
    await missing.getByRole('link', { name: 'Search traces' }).click();
    await missing.waitForURL((url) => url.pathname === '/traces');
    await missing.close();
  });

  it('trace page: find spans, time by operation, download as OTLP/JSON', async () => {
    const traceId = traceUrl.split('/').at(-1) as string;
    const trace = await api<{ summary: { span_count: number; services: { name: string; span_count: number }[] } }>(
      `/traces/${traceId}`,
    );
    const ordersSpans = trace.summary.services.find((s) => s.name === 'orders')?.span_count ?? 0;
    assert.ok(ordersSpans > 0);
    const page = await open(traceUrl);
    const waterfall = page.getByTestId('waterfall');
    await waterfall.getByRole('treeitem').first().waitFor();

    // key=value on the resource: exactly the spans of one service; Enter selects the first.
    await page.getByLabel('Find in trace').fill('service.name=orders');
    const count = page.locator('output[for=trace-find]');
    await count.getByText(`${ordersSpans} match${ordersSpans === 1 ? '' : 'es'}`).waitFor();
    await page.waitForURL((url) => url.searchParams.get('find') === 'service.name=orders');
    await page.getByLabel('Find in trace').press('Enter');
    await count.getByText(`1 of ${ordersSpans}`).waitFor();
    // The selection reaches the URL through the router, which may land after the count is drawn.
    await page.waitForURL((url) => url.searchParams.has('span'));
    const selected = new URL(page.url()).searchParams.get('span');
    assert.match(await waterfall.locator(`[data-span-id="${selected}"]`).innerText(), /orders/);
    assert.equal(await waterfall.locator(`[data-span-id="${selected}"]`).getAttribute('data-match'), 'true');
    assert.ok((await waterfall.locator('[data-match=false]').count()) > 0, 'the other spans are dimmed');
    await screenshot(page, 'trace-find');

    // Time by operation: every span counted once; an operation's name finds its spans.
    await page.getByRole('tab', { name: 'Time by operation' }).click();
    await page.waitForURL((url) => url.searchParams.get('view') === 'statistics');
    const table = page.getByTestId('trace-statistics');
    const rows = table.locator('tbody tr');
    await rows.first().waitFor();
    const counts = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.children[2]?.textContent)));
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      trace.summary.span_count,
    );
    await screenshot(page, 'trace-statistics');
    const operation = rows.first().getByRole('button');
    const name = await operation.innerText();
    await operation.click();
    await page.waitForURL((url) => url.searchParams.get('view') === null && url.searchParams.get('find') !== null);
    assert.equal(await page.getByLabel('Find in trace').inputValue(), `"${name}"`);
    await waterfall.locator('[data-match=true]').first().waitFor();

    // Download: OTLP/JSON with every span, through the dashboard's API proxy.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download OTLP/JSON' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `trace-${traceId}.json`);
    const otlp = JSON.parse(await readFile(await download.path(), 'utf8')) as {
      resourceSpans: { scopeSpans: { spans: { traceId: string }[] }[] }[];
    };
    const spans = otlp.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    assert.equal(spans.length, trace.summary.span_count);
    assert.ok(spans.every((s) => s.traceId === traceId));
    await page.close();
  });

  it('logs: search with severity colours, expand a line, jump to its trace', async () => {
    const page = await open('/logs?service=inventory&min_severity=error');
    const line = page.getByTestId('log-line').first();
    await line.waitFor();
    assert.match(await line.innerText(), /ERROR[\s\S]*inventory[\s\S]*injected fault/);
    await line.getByRole('button', { name: /injected fault/ }).click();
    await line.getByRole('table', { name: 'Log attributes' }).waitFor();
    await screenshot(page, 'logs');
    await line.getByRole('link', { name: /Open the trace/ }).click();
    await page.waitForURL(/\/traces\/[0-9a-f]{32}/);
    await page.getByTestId('waterfall').getByRole('treeitem').first().waitFor();
    await page.close();

    // The volume chart counts what the list shows, by severity; dragging across it zooms in.
    const volumePage = await open('/logs?service=inventory&min_severity=error');
    const volume = volumePage.getByTestId('log-volume');
    await volume.locator('canvas').waitFor();
    const counted = await api<{ total: number; series: { severity: string }[] }>(
      '/logs/volume?service=inventory&min_severity=error',
    );
    assert.ok(counted.total > 0);
    assert.match(await volume.locator('figcaption').innerText(), / records · error \d+/);
    const over = await volume.locator('.u-over').boundingBox();
    assert.ok(over);
    await volumePage.mouse.move(over.x + over.width * 0.5, over.y + over.height / 2);
    await volumePage.mouse.down();
    await volumePage.mouse.move(over.x + over.width - 1, over.y + over.height / 2, { steps: 5 });
    await volumePage.mouse.up();
    await volumePage.waitForURL((url) => url.searchParams.has('from') && url.searchParams.has('to'));
    const zoomed = new URL(volumePage.url()).searchParams;
    const span = Date.parse(zoomed.get('to') ?? '') - Date.parse(zoomed.get('from') ?? '');
    assert.ok(span > 20 * 60_000 && span < 35 * 60_000, `about half the hour, got ${span} ms`);
    await volumePage.getByTestId('log-line').first().waitFor();
    await screenshot(volumePage, 'logs-zoomed');
    await volumePage.close();

    // Show in context: the same instance around the record, the record marked and in view.
    const contextPage = await open('/logs?service=inventory&min_severity=error');
    const first = contextPage.getByTestId('log-line').first();
    await first.getByRole('button', { name: /injected fault/ }).click();
    await first.getByRole('link', { name: 'Show in context' }).click();
    await contextPage.waitForURL((url) => url.searchParams.has('focus') && url.searchParams.has('from'));
    const context = new URL(contextPage.url()).searchParams;
    assert.equal(context.get('min_severity'), null, 'other filters are dropped');
    assert.match(context.get('attribute') ?? '', /^service\.instance\.id="inventory-/);
    const marked = contextPage.locator('[data-testid=log-line][aria-current=true]');
    await marked.waitFor();
    assert.match(await marked.innerText(), /inventory[\s\S]*injected fault/);
    assert.ok(await marked.isVisible());
    await screenshot(contextPage, 'logs-context');
    await contextPage.close();
  });

  it('logs: patterns group repeated lines, the most frequent first; one opens its records', async () => {
    const page = await open('/logs?min_severity=error&view=patterns');
    const rows = page.getByTestId('log-pattern');
    const injected = rows.filter({ hasText: 'injected fault' }).first();
    await injected.waitFor();
    assert.match(
      await injected.innerText(),
      /^\d+[\s\S]*ERROR[\s\S]*injected fault \(FAULT_ERROR_RATE\)[\s\S]*inventory/,
    );
    const counts = (await rows.allInnerTexts()).map((text) => Number(text.match(/^[\d,]+/)?.[0].replace(/,/g, '')));
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => b - a),
      'most frequent first',
    );
    assert.match(await page.getByText(/patterns in all \d+ matching records/).innerText(), /of the window/);
    // The fleet started within the hour: nothing in the hour before, so every pattern is new.
    assert.match(await injected.innerText(), /ERROR\s+new\s*injected fault/i);
    // Its trend over the window: a line of its records per step.
    await injected
      .getByRole('img', { name: /^injected fault \(FAULT_ERROR_RATE\): records per 2 min over the window$/ })
      .waitFor();
    await screenshot(page, 'logs-patterns');
    await injected.getByRole('link', { name: /^Show the \d+ records of the pattern injected fault/ }).click();
    await page.waitForURL(
      (url) => url.searchParams.get('pattern') === 'injected fault (FAULT_ERROR_RATE)' && !url.searchParams.has('view'),
    );
    const lines = page.getByTestId('log-line');
    await lines.first().waitFor();
    for (const text of await lines.allInnerTexts()) assert.match(text, /injected fault \(FAULT_ERROR_RATE\)/);
    // The pattern shows among the filters, to be removed.
    await page.getByRole('button', { name: 'Remove the pattern' }).waitFor();
    await page.close();
  });

  it('logs: the live tail shows a line logged after the page opened; pause holds, resume shows', async () => {
    const page = await open('/logs?live=1&service=users');
    await page.locator('[data-testid=tail-status][data-state=open]').waitFor();
    await signUp('tail-one');
    const lines = page.getByTestId('log-line');
    await lines.filter({ hasText: 'user signed up' }).first().waitFor();
    const shown = await lines.count();
    await page.getByRole('button', { name: 'Pause' }).click();
    await signUp('tail-two');
    await page
      .getByTestId('tail-status')
      .getByText(/paused · [1-9]\d* new/)
      .waitFor();
    assert.equal(await lines.count(), shown, 'nothing added while paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await until('held lines shown', async () => ((await lines.count()) > shown ? true : undefined));
    await screenshot(page, 'logs-live');
    await page.close();
  });

  it('every page in dark mode, without errors', async () => {
    const dark = await newContext(stack.browser, { colorScheme: 'dark' });
    const pageErrors: string[][] = [];
    for (const [path, name, ready] of [
      ['/', 'overview', 'Instances needing attention'],
      ['/services', 'services', 'notifications'],
      ['/services/orders', 'service-orders', 'Operations'],
      ['/topology', 'topology', 'nodes,'],
      ['/traces?service=orders', 'traces', 'Traces'],
      [`${traceUrl}?find=inventory`, 'trace', 'Critical path'],
      [`${traceUrl}?view=statistics&find=orders`, 'trace-statistics', 'Self time'],
      ['/logs', 'logs', 'Live tail'],
      ['/logs?view=patterns&min_severity=warn', 'logs-patterns', 'matching records'],
    ] as const) {
      const page = await dark.newPage();
      pageErrors.push(watchErrors(page));
      await page.goto(stack.at(path));
      await page.getByText(ready).first().waitFor();
      await sleep(400);
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('dark')), true);
      await screenshot(page, `${name}-dark`);
      await page.close();
    }
    await dark.close();
    assert.deepEqual(pageErrors.flat(), []);
    assert.deepEqual(watched.flat(), []);
  });

  it('first-load JavaScript of every page stays under 300 kB compressed', async () => {
    const budget = 300 * 1024;
    const report: string[] = [];
    for (const path of ['/', '/services', '/services/orders', '/topology', '/traces', traceUrl, '/logs', '/sign-in']) {
      // A new context each time: a cold cache, as a first visit.
      const cold = await newContext(stack.browser);
      const { bytes, files } = await firstLoadJs(cold, stack.at(path));
      await cold.close();
      report.push(
        `${path.startsWith('/traces/') ? '/traces/[id]' : path}: ${(bytes / 1024).toFixed(1)} kB in ${files} files`,
      );
      assert.ok(bytes < budget, `${path}: ${bytes} bytes of JavaScript (budget ${budget})`);
      assert.ok(bytes > 10_000, `${path}: ${bytes} bytes is too little to be a measurement`);
    }
    console.log(`# first-load JS (compressed):\n# ${report.join('\n# ')}`);
  });
});
