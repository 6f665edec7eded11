// biome-ignore-all lint/performance/useDomNodeTextContent: these are Playwright locators, not DOM nodes
// A whole trace from the API to the trace page through the dashboard, with API tokens: the
// compact trace passes through Next compressed once (the API's gzip, not inflated and deflated
// again), with the cookie's token and without the cookie; a trace of 10,000+ spans arrives
// intact and opens with its waterfall; every other /api/v1 request still takes the route handler.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { newContext, screenshot, watchErrors } from './harness/browser.js';
import { bigTrace, sendSpans } from './harness/otlp.js';
import { type Stack, startStack } from './harness/stack.js';

const ADMIN = 'sbx-e2e-admin-trace-0123456789ab';
const SPANS = 10_050;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET that keeps the bytes as sent (fetch would inflate them). */
function rawGet(url: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

const decoded = (raw: Raw) =>
  JSON.parse((raw.headers['content-encoding'] === 'gzip' ? gunzipSync(raw.body) : raw.body).toString());

describe('a whole trace through the dashboard', { timeout: 240_000 }, () => {
  let stack: Stack;
  let traceId: string;
  let small: string;
  const cookie = `signalbox_token=${ADMIN}`;
  before(async () => {
    stack = await startStack({ adminToken: ADMIN });
    const now = BigInt(Date.now()) * 1_000_000n;
    const trace = bigTrace(SPANS, now);
    traceId = trace.traceId;
    // The OTLP receiver takes no token here (none configured for ingest).
    for (let i = 0; i < trace.spans.length; i += 2500)
      await sendSpans(stack.server.otlpUrl, trace.spans.slice(i, i + 2500));
    const few = bigTrace(3, now);
    small = few.traceId;
    await sendSpans(stack.server.otlpUrl, few.spans);
    const auth = { authorization: `Bearer ${ADMIN}` };
    for (const deadline = Date.now() + 30_000; ; ) {
      const found = await fetch(`${stack.server.apiUrl}/api/v1/traces/${traceId}`, { headers: auth });
      if (found.ok && ((await found.json()) as { spans: unknown[] }).spans.length === SPANS) break;
      if (Date.now() > deadline) throw new Error('the trace was not stored within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  after(async () => {
    await stack?.close();
  });

  it('passes the API gzip through with the token from the cookie, the same bytes the API sends', async () => {
    const path = `/api/v1/traces/${traceId}/compact`;
    const viaDashboard = await rawGet(stack.at(path), { cookie, 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(viaDashboard.status, 200);
    assert.equal(viaDashboard.headers['content-encoding'], 'gzip');
    const direct = await rawGet(`${stack.server.apiUrl}${path}`, {
      authorization: `Bearer ${ADMIN}`,
      'accept-encoding': 'gzip',
    });
    // Compressed once, by the API: Next did not inflate and deflate it again.
    assert.deepEqual(viaDashboard.body, direct.body);
    const trace = decoded(viaDashboard) as { spans: { span_id: string }[]; summary: { span_count: number } };
    assert.equal(trace.spans.length, SPANS);
    assert.equal(trace.summary.span_count, SPANS);
    assert.equal(new Set(trace.spans.map((s) => s.span_id)).size, SPANS);
  });

  it('refuses without the cookie, with the API problem', async () => {
    const refused = await rawGet(stack.at(`/api/v1/traces/${traceId}/compact`), { 'accept-encoding': 'identity' });
    assert.equal(refused.status, 401);
    assert.match(String(refused.headers['content-type']), /problem\+json/);
    assert.ok(decoded(refused).detail, 'the problem says what is wrong');
  });

  it('serves a small trace (below the compression threshold of the API) compressed by Next', async () => {
    const raw = await rawGet(stack.at(`/api/v1/traces/${small}/compact`), { cookie, 'accept-encoding': 'gzip' });
    assert.equal(raw.status, 200);
    assert.equal((decoded(raw) as { spans: unknown[] }).spans.length, 3);
  });

  it('keeps the route handler for the rest of /api/v1 (full trace, logs)', async () => {
    const full = await fetch(stack.at(`/api/v1/traces/${traceId}`), { headers: { cookie } });
    assert.equal(full.status, 200);
    assert.equal(((await full.json()) as { spans: unknown[] }).spans.length, SPANS);
    const logs = await fetch(stack.at(`/api/v1/traces/${traceId}/logs`), { headers: { cookie } });
    assert.equal(logs.status, 200);
  });

  it('opens the trace page with every span in the waterfall', async () => {
    const context = await newContext(stack.browser);
    await context.addCookies([{ name: 'signalbox_token', value: ADMIN, url: stack.at('/') }]);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(stack.at(`/traces/${traceId}`));
    await page.getByText(`${SPANS} of ${SPANS} spans shown`).waitFor({ timeout: 30_000 });
    await page.getByRole('treeitem').first().click();
    await page.getByRole('region', { name: 'Span details' }).getByText('Resource').waitFor();
    await screenshot(page, 'trace-10k-signed-in');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
