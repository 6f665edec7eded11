// The trace and log query API on both stores, over data sent through the OTLP receiver: search
// filters and summaries, a 10,000-span trace sent in several batches out of order, operations
// and suggestions, log search with cursor pagination, and span ↔ log correlation.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { type RunningServer, startServer } from './helpers/server.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';
import {
  type ApiLog,
  type ApiSpan,
  type ApiSummary,
  type ApiTrace,
  getJson,
  hexId,
  nowNs,
  postOtlp,
  specLog,
  specLogs,
  specSpan,
  specTraces,
  toProtobuf,
} from './telemetry-fixtures.js';

const MS = 1_000_000n;

interface Shop {
  /** Trace ids by what they are. */
  ok: string[];
  failed: string[];
  slow: string;
  old: string;
  orphan: string;
  rootSpans: Map<string, string>;
}

function resource(service: string, host: string): Record<string, unknown> {
  return {
    attributes: [
      { key: 'service.name', value: { stringValue: service } },
      { key: 'host.name', value: { stringValue: host } },
    ],
  };
}

/** frontend GET /home → frontend client → backend GET /api → backend db client. */
function shopTrace(traceId: string, o: { startNs: bigint; error?: boolean; slow?: boolean; rootId: string }) {
  const ids = { root: o.rootId, call: hexId(8), api: hexId(8), db: hexId(8) };
  const status = o.error ? { code: 2, message: 'boom' } : { code: 0 };
  const code = o.error ? 500 : 200;
  const frontend = [
    specSpan({
      traceId,
      spanId: ids.root,
      name: 'GET /home',
      kind: 2,
      startNs: o.startNs,
      durationNs: o.slow ? 3000n * MS : 40n * MS,
      status,
      attributes: [
        { key: 'http.route', value: { stringValue: '/home' } },
        { key: 'http.response.status_code', value: { intValue: String(code) } },
        { key: 'http.status_text', value: { stringValue: String(code) } },
        { key: 'retry', value: { boolValue: Boolean(o.error) } },
      ],
    }),
    specSpan({
      traceId,
      spanId: ids.call,
      parentSpanId: ids.root,
      name: 'GET backend',
      kind: 3,
      startNs: o.startNs + 1n * MS,
      durationNs: 30n * MS,
    }),
  ];
  const backend = [
    specSpan({
      traceId,
      spanId: ids.api,
      parentSpanId: ids.call,
      name: 'GET /api',
      kind: 2,
      startNs: o.startNs + 2n * MS,
      durationNs: 25n * MS,
      status,
      attributes: [{ key: 'http.route', value: { stringValue: '/api' } }],
    }),
    specSpan({
      traceId,
      spanId: ids.db,
      parentSpanId: ids.api,
      name: 'SELECT items',
      kind: 3,
      startNs: o.startNs + 3n * MS,
      durationNs: 10n * MS,
      attributes: [{ key: 'db.system', value: { stringValue: 'postgresql' } }],
    }),
  ];
  return {
    resourceSpans: [
      { resource: resource('frontend', 'web-1'), scopeSpans: [{ scope: { name: 'http' }, spans: frontend }] },
      { resource: resource('backend', 'api-1'), scopeSpans: [{ scope: { name: 'http' }, spans: backend }] },
    ],
  };
}

interface CompactTrace {
  trace_id: string;
  summary: ApiSummary;
  resources: Record<string, unknown>[];
  scopes: { name: string; version: string }[];
  spans: (Omit<ApiSpan, 'trace_id' | 'start_ns' | 'start_at' | 'duration_ns' | 'duration_ms' | 'resource' | 'scope'> & {
    start_offset_ns: number;
    duration_ns: number;
    resource: number;
    scope: number;
  })[];
}

/** The full spans a compact trace stands for, field by field as GET /traces/{id} shows them. */
function inflate(trace: CompactTrace): ApiSpan[] {
  const start = BigInt(trace.summary.start_ns);
  return trace.spans.map((s) => {
    const startNs = start + BigInt(s.start_offset_ns);
    return {
      trace_id: trace.trace_id,
      span_id: s.span_id,
      parent_span_id: s.parent_span_id,
      service: s.service,
      name: s.name,
      kind: s.kind,
      start_at: Number(startNs / MS),
      start_ns: startNs.toString(),
      duration_ns: String(s.duration_ns),
      duration_ms: s.duration_ns / 1e6,
      status: s.status,
      status_message: s.status_message ?? '',
      attributes: s.attributes,
      events: s.events ?? [],
      links: s.links ?? [],
      resource: trace.resources[s.resource] as Record<string, unknown>,
      scope: trace.scopes[s.scope] as { name: string; version: string },
      log_count: s.log_count,
    };
  });
}

/** GET without fetch's transparent decoding: the bytes and headers as the server sent them. */
function rawGet(url: string, acceptEncoding: string): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

for (const kind of STORE_KINDS) {
  describe(`trace and log queries [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let server: RunningServer;
    const shop: Shop = { ok: [], failed: [], slow: '', old: '', orphan: '', rootSpans: new Map() };
    const api = (path: string) => `${server.apiUrl}/api/v1${path}`;

    before(async () => {
      store = await createTestStore(kind);
      server = await startServer({ store: store.url });
      const base = nowNs(-60_000);
      for (let i = 0; i < 8; i++) {
        const traceId = hexId(16);
        const rootId = hexId(8);
        const error = i % 4 === 3;
        const slow = i === 5;
        (error ? shop.failed : shop.ok).push(traceId);
        if (slow) shop.slow = traceId;
        shop.rootSpans.set(traceId, rootId);
        const payload = shopTrace(traceId, { startNs: base + BigInt(i) * 1000n * MS, error, slow, rootId });
        const response = await postOtlp(server.otlpUrl, 'traces', i % 2 ? toProtobuf('traces', payload) : payload);
        assert.equal(response.status, 200);
      }
      shop.old = hexId(16);
      shop.rootSpans.set(shop.old, hexId(8));
      await postOtlp(
        server.otlpUrl,
        'traces',
        shopTrace(shop.old, { startNs: nowNs(-3 * 3_600_000), rootId: shop.rootSpans.get(shop.old) as string }),
      );
      // Only the backend half of a trace: its root never arrived.
      shop.orphan = hexId(16);
      const half = shopTrace(shop.orphan, { startNs: base, rootId: hexId(8) });
      (half.resourceSpans as unknown[]).splice(0, 1);
      await postOtlp(server.otlpUrl, 'traces', half);
    });
    after(async () => {
      await server?.close();
      await store?.cleanup();
    });

    const search = async (query: string) => {
      const { status, body } = await getJson<{ traces: ApiSummary[]; truncated: boolean }>(api(`/traces?${query}`));
      assert.equal(status, 200, JSON.stringify(body));
      return body.traces;
    };

    it('finds traces by service, newest first, within the limit', async () => {
      const frontend = await search('service=frontend');
      assert.deepEqual(new Set(frontend.map((t) => t.trace_id)), new Set([...shop.ok, ...shop.failed]));
      const starts = frontend.map((t) => BigInt(t.start_ns));
      assert.deepEqual(
        starts,
        [...starts].sort((a, b) => (a > b ? -1 : 1)),
      );
      assert.equal((await search('service=frontend&limit=3')).length, 3);
      // The orphan has backend spans only.
      assert.ok((await search('service=backend')).some((t) => t.trace_id === shop.orphan));
      assert.ok(!frontend.some((t) => t.trace_id === shop.orphan));
    });

    it('summarizes each trace: root, duration, counts, services', async () => {
      const [summary] = (await search('service=frontend&errors_only=true')).filter(
        (t) => t.trace_id === shop.failed[0],
      );
      assert.ok(summary);
      assert.equal(summary.root_service, 'frontend');
      assert.equal(summary.root_operation, 'GET /home');
      assert.equal(summary.has_root, true);
      assert.equal(summary.span_count, 4);
      assert.equal(summary.error_count, 2);
      assert.equal(summary.duration_ns, String(40n * MS));
      assert.equal(summary.duration_ms, 40);
      assert.deepEqual(summary.services, [
        { name: 'backend', span_count: 2, error_count: 1 },
        { name: 'frontend', span_count: 2, error_count: 1 },
      ]);
      assert.equal(summary.start_at, Number(BigInt(summary.start_ns) / MS));
      const [orphan] = (await search('service=backend')).filter((t) => t.trace_id === shop.orphan);
      assert.equal(orphan?.has_root, false);
      assert.equal(orphan?.root_service, 'backend');
      assert.equal(orphan?.root_operation, 'GET /api');
    });

    it('filters by operation, duration and errors', async () => {
      assert.equal((await search('service=backend&operation=SELECT%20items')).length, 9);
      assert.deepEqual(
        (await search('service=frontend&min_duration=1s')).map((t) => t.trace_id),
        [shop.slow],
      );
      assert.equal((await search('service=frontend&operation=GET%20%2Fhome&max_duration=100ms')).length, 7);
      assert.deepEqual(new Set((await search('errors_only=true')).map((t) => t.trace_id)), new Set(shop.failed));
      assert.equal((await search('service=nobody')).length, 0);
    });

    it('filters by typed attributes of spans and of their resource', async () => {
      const failed = new Set(shop.failed);
      // A number matches a number, not the string "500"; quotes force a string.
      assert.deepEqual(
        new Set((await search('attribute=http.response.status_code=500')).map((t) => t.trace_id)),
        failed,
      );
      assert.equal((await search('attribute=http.status_text=500')).length, 0);
      assert.deepEqual(new Set((await search('attribute=http.status_text=%22500%22')).map((t) => t.trace_id)), failed);
      assert.deepEqual(new Set((await search('attribute=retry=true')).map((t) => t.trace_id)), failed);
      assert.equal((await search('attribute=retry=false&attribute=http.response.status_code=500')).length, 0);
      // host.name is a resource attribute.
      assert.equal((await search('attribute=host.name=api-1&operation=SELECT%20items&service=backend')).length, 9);
      assert.equal((await search('attribute=host.name=web-1&service=backend')).length, 0);
    });

    it('limits to the time range (default: the last hour)', async () => {
      const ids = (await search('service=frontend&limit=100')).map((t) => t.trace_id);
      assert.ok(!ids.includes(shop.old));
      const from = Date.now() - 4 * 3_600_000;
      const to = Date.now() - 2 * 3_600_000;
      assert.deepEqual(
        (await search(`service=frontend&from=${from}&to=${to}`)).map((t) => t.trace_id),
        [shop.old],
      );
    });

    it('refuses bad search parameters with 400 naming them', async () => {
      for (const [query, field] of [
        ['min_duration=5parsecs', 'min_duration'],
        ['attribute=novalue', 'attribute'],
        ['from=2000&to=1000', 'from'],
        ['limit=0', 'limit'],
        ['min_duration=2s&max_duration=1s', 'min_duration'],
        ['colour=red', 'colour'],
      ] as const) {
        const { status, body } = await getJson<{ errors?: { path: string }[]; detail: string }>(
          api(`/traces?${query}`),
        );
        assert.equal(status, 400, query);
        assert.ok(JSON.stringify(body).includes(field), `${query}: ${JSON.stringify(body)}`);
      }
      assert.equal((await fetch(api('/traces/not-a-trace-id'))).status, 400);
      assert.equal((await fetch(api(`/traces/${hexId(16)}`))).status, 404);
    });

    it('returns a trace of 10,000+ spans sent in several batches, out of order, over both encodings', async () => {
      const traceId = hexId(16);
      const rootId = hexId(8);
      const start = nowNs(-30_000);
      const spans = [
        specSpan({ traceId, spanId: rootId, name: 'batch-job', startNs: start, durationNs: 20_000n * MS }),
      ];
      let parent = rootId;
      for (let i = 1; i < 10_050; i++) {
        const spanId = hexId(8);
        spans.push(
          specSpan({
            traceId,
            spanId,
            parentSpanId: i % 100 === 0 ? rootId : parent,
            name: `step-${i % 7}`,
            startNs: start + BigInt(i) * MS,
            durationNs: MS,
          }),
        );
        parent = i % 100 === 0 ? spanId : parent;
      }
      // Children first: the batches go newest first, the root last.
      const batches: Record<string, unknown>[][] = [];
      for (let i = spans.length; i > 0; i -= 2100) batches.push(spans.slice(Math.max(0, i - 2100), i));
      for (const [i, batch] of batches.entries()) {
        const payload = specTraces(batch, 'batcher');
        const response = await postOtlp(server.otlpUrl, 'traces', i % 2 ? toProtobuf('traces', payload) : payload);
        assert.equal(response.status, 200);
      }
      const { status, body } = await getJson<ApiTrace>(api(`/traces/${traceId}`));
      assert.equal(status, 200);
      assert.equal(body.spans.length, 10_050);
      assert.equal(body.summary.span_count, 10_050);
      assert.equal(body.summary.root_operation, 'batch-job');
      assert.equal(body.spans[0]?.span_id, rootId);
      const starts = body.spans.map((s) => BigInt(s.start_ns));
      assert.ok(
        starts.every((s, i) => i === 0 || s >= (starts[i - 1] as bigint)),
        'spans come by start time',
      );
      assert.equal(new Set(body.spans.map((s) => s.span_id)).size, 10_050);

      // The compact form carries the same spans, in fewer bytes.
      const compact = await getJson<CompactTrace>(api(`/traces/${traceId}/compact`));
      assert.equal(compact.status, 200);
      assert.deepEqual(compact.body.summary, body.summary);
      assert.equal(compact.body.resources.length, 1);
      assert.deepEqual(inflate(compact.body), body.spans);
      const full = await rawGet(api(`/traces/${traceId}`), 'identity');
      const small = await rawGet(api(`/traces/${traceId}/compact`), 'identity');
      assert.equal(full.headers['content-encoding'], undefined);
      assert.ok(small.body.length < full.body.length * 0.7, `${small.body.length} vs ${full.body.length} bytes`);

      // Compressed once by the server for a client that takes gzip, and only then.
      for (const path of [`/traces/${traceId}`, `/traces/${traceId}/compact`]) {
        const gzipped = await rawGet(api(path), 'br;q=1.0, gzip;q=0.8');
        assert.equal(gzipped.headers['content-encoding'], 'gzip', path);
        assert.match(String(gzipped.headers.vary), /accept-encoding/i);
        assert.equal(Number(gzipped.headers['content-length']), gzipped.body.length);
        const identity = path.endsWith('/compact') ? small : full;
        assert.deepEqual(JSON.parse(gunzipSync(gzipped.body).toString()), JSON.parse(identity.body.toString()));
        assert.ok(gzipped.body.length * 5 < identity.body.length, `${gzipped.body.length} bytes compressed`);
        const refused = await rawGet(api(path), 'gzip;q=0, br');
        assert.equal(refused.headers['content-encoding'], undefined, path);
      }
    });

    it('sends each resource and scope of a trace once in the compact form, with events, links and status', async () => {
      const traceId = hexId(16);
      const rootId = hexId(8);
      const start = nowNs(-20_000);
      const linked = { traceId: hexId(16), spanId: hexId(8) };
      const root = {
        ...specSpan({ traceId, spanId: rootId, name: 'checkout', startNs: start, durationNs: 50n * MS }),
        events: [
          {
            timeUnixNano: String(start + 5n * MS),
            name: 'cart loaded',
            attributes: [{ key: 'items', value: { intValue: '3' } }],
          },
        ],
        links: [{ traceId: linked.traceId, spanId: linked.spanId, attributes: [] }],
      };
      const child = (name: string, offsetMs: bigint, status?: { code: number; message: string }) =>
        specSpan({ traceId, parentSpanId: rootId, name, startNs: start + offsetMs * MS, durationNs: 5n * MS, status });
      const payload = {
        resourceSpans: [
          {
            resource: resource('frontend', 'web-1'),
            scopeSpans: [
              { scope: { name: 'http', version: '1' }, spans: [root, child('render', 1n)] },
              { scope: { name: 'db', version: '2' }, spans: [child('query', 2n, { code: 2, message: 'timeout' })] },
            ],
          },
          {
            resource: resource('frontend', 'web-2'),
            scopeSpans: [{ scope: { name: 'http', version: '1' }, spans: [child('render', 3n)] }],
          },
        ],
      };
      assert.equal((await postOtlp(server.otlpUrl, 'traces', payload)).status, 200);
      const full = await getJson<ApiTrace>(api(`/traces/${traceId}`));
      const compact = await getJson<CompactTrace>(api(`/traces/${traceId}/compact`));
      assert.equal(compact.status, 200);
      assert.deepEqual(inflate(compact.body), full.body.spans);
      assert.deepEqual(compact.body.summary, full.body.summary);
      assert.deepEqual(
        compact.body.resources.map((r) => r['host.name']),
        ['web-1', 'web-2'],
      );
      assert.deepEqual(compact.body.scopes, [
        { name: 'http', version: '1' },
        { name: 'db', version: '2' },
      ]);
      const [first, second, third, fourth] = compact.body.spans;
      assert.equal(first?.events?.[0]?.name, 'cart loaded');
      assert.deepEqual(first?.links?.[0] && [first.links[0].trace_id, first.links[0].span_id], [
        linked.traceId,
        linked.spanId,
      ]);
      assert.equal(third?.status_message, 'timeout');
      // Empty status messages, events and links are left out.
      assert.deepEqual(
        [second, fourth].map((s) => [s?.status_message, s?.events, s?.links]),
        [
          [undefined, undefined, undefined],
          [undefined, undefined, undefined],
        ],
      );
      assert.equal(first?.start_offset_ns, 0);
      assert.equal(third?.start_offset_ns, 2_000_000);
      assert.equal((await fetch(api(`/traces/${hexId(16)}/compact`))).status, 404);
      assert.equal((await fetch(api('/traces/nope/compact'))).status, 400);
    });

    it('exports a trace as OTLP/JSON that the receiver takes back as the same trace', async () => {
      const traceId = hexId(16);
      const rootId = hexId(8);
      const start = nowNs(-15_000);
      const typed = [
        { key: 'text', value: { stringValue: 'a "quoted" value' } },
        { key: 'count', value: { intValue: '42' } },
        { key: 'ratio', value: { doubleValue: 0.25 } },
        { key: 'cached', value: { boolValue: false } },
        { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } } },
        { key: 'nested', value: { kvlistValue: { values: [{ key: 'depth', value: { intValue: '1' } }] } } },
      ];
      const root = {
        ...specSpan({
          traceId,
          spanId: rootId,
          name: 'checkout',
          startNs: start,
          durationNs: 80n * MS,
          attributes: typed,
        }),
        events: [{ timeUnixNano: String(start + 3n * MS), name: 'retry', attributes: typed.slice(0, 2) }],
        links: [{ traceId: hexId(16), spanId: hexId(8), attributes: [] }],
      };
      const payload = {
        resourceSpans: [
          {
            resource: resource('shop', 'web-1'),
            scopeSpans: [
              { scope: { name: 'http', version: '1' }, spans: [root] },
              {
                scope: { name: 'db' },
                spans: [
                  specSpan({
                    traceId,
                    parentSpanId: rootId,
                    name: 'SELECT',
                    kind: 3,
                    startNs: start + MS,
                    durationNs: 9n * MS,
                    status: { code: 2, message: 'deadlock' },
                  }),
                ],
              },
            ],
          },
          {
            resource: resource('stock', 'db-1'),
            scopeSpans: [
              {
                scope: { name: 'http', version: '1' },
                spans: [specSpan({ traceId, parentSpanId: rootId, name: 'reserve', startNs: start + 2n * MS })],
              },
            ],
          },
        ],
      };
      assert.equal((await postOtlp(server.otlpUrl, 'traces', payload)).status, 200);

      const exported = await fetch(api(`/traces/${traceId}/otlp?download=true`));
      assert.equal(exported.status, 200);
      assert.equal(exported.headers.get('content-disposition'), `attachment; filename="trace-${traceId}.json"`);
      const text = await exported.text();
      const otlp = JSON.parse(text) as {
        resourceSpans: {
          scopeSpans: {
            scope: { name: string };
            spans: { name: string; traceId: string; startTimeUnixNano: string; attributes: { key: string }[] }[];
          }[];
        }[];
      };
      // Grouped as sent: by resource, then scope; ids as lower-case hex, times as decimal strings.
      assert.deepEqual(
        otlp.resourceSpans.map((r) => r.scopeSpans.map((s) => [s.scope.name, s.spans.map((x) => x.name)])),
        [
          [
            ['http', ['checkout']],
            ['db', ['SELECT']],
          ],
          [['http', ['reserve']]],
        ],
      );
      const [first] = otlp.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
      assert.equal(first?.traceId, traceId);
      assert.equal(first?.startTimeUnixNano, start.toString());
      // (PostgreSQL's jsonb keeps keys in its own order.)
      const byKey = (list: { key: string }[] = []) => [...list].sort((a, b) => a.key.localeCompare(b.key));
      assert.deepEqual(byKey(first?.attributes), byKey(typed));
      assert.equal((await fetch(api(`/traces/${traceId}/otlp`))).headers.get('content-disposition'), null);

      // Sent back under another trace id, it is stored as the same trace.
      const copyId = hexId(16);
      const copy = text.replaceAll(traceId, copyId);
      assert.equal((await postOtlp(server.otlpUrl, 'traces', copy)).status, 200);
      const original = await getJson<ApiTrace>(api(`/traces/${traceId}`));
      const again = await getJson<ApiTrace>(api(`/traces/${copyId}`));
      assert.equal(again.status, 200);
      const comparable = (t: ApiTrace) => t.spans.map((s) => ({ ...s, trace_id: 'x' }));
      assert.deepEqual(comparable(again.body), comparable(original.body));
      assert.equal((await fetch(api(`/traces/${hexId(16)}/otlp`))).status, 404);
      assert.equal((await fetch(api(`/traces/${traceId}/otlp?format=zip`))).status, 400);
    });

    it("summarizes a trace's page as its search result does", async () => {
      for (const [traceId, service] of [
        [shop.failed[0], 'frontend'],
        [shop.orphan, 'backend'],
      ] as const) {
        const [found] = (await search(`service=${service}&limit=100`)).filter((t) => t.trace_id === traceId);
        const { body } = await getJson<ApiTrace>(api(`/traces/${traceId}`));
        assert.deepEqual(body.summary, found, traceId);
      }
    });

    it('lists the operations of a service and suggests attribute keys and values', async () => {
      const { body } = await getJson<{ operations: { name: string; span_kind: string }[] }>(
        api('/services/backend/operations'),
      );
      assert.deepEqual(
        body.operations.map((o) => [o.name, o.span_kind]),
        [
          ['GET /api', 'server'],
          ['SELECT items', 'client'],
        ],
      );
      const keys = await getJson<{ keys: { key: string; value_type: string }[] }>(api('/attributes?service=frontend'));
      assert.deepEqual(
        keys.body.keys.map((k) => [k.key, k.value_type]),
        [
          ['http.response.status_code', 'number'],
          ['http.route', 'string'],
          ['http.status_text', 'string'],
          // The client span carries the example attribute of specSpan.
          ['my.span.attr', 'string'],
          ['retry', 'bool'],
        ],
      );
      const prefixed = await getJson<{ keys: { key: string }[] }>(api('/attributes?prefix=http.r'));
      assert.deepEqual(
        prefixed.body.keys.map((k) => k.key),
        ['http.response.status_code', 'http.route'],
      );
      const values = await getJson<{ values: string[] }>(api('/attributes/values?key=http.route'));
      assert.deepEqual(new Set(values.body.values), new Set(['/home', '/api']));
      const statuses = await getJson<{ values: string[] }>(
        api('/attributes/values?key=http.response.status_code&service=frontend'),
      );
      assert.deepEqual(new Set(statuses.body.values), new Set(['200', '500']));
    });

    describe('logs', () => {
      const traceId = hexId(16);
      const spanId = hexId(8);
      const base = nowNs(-120_000);
      before(async () => {
        const records = Array.from({ length: 25 }, (_, i) =>
          specLog({
            timeNs: base + BigInt(i) * 1000n * MS,
            severityNumber: [5, 9, 13, 17, 21][i % 5],
            severityText: ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'][i % 5],
            body: i === 7 ? 'Payment 100%_done for ORDER-7' : `line ${i} for order`,
            traceId: i < 5 ? traceId : undefined,
            spanId: i < 5 ? (i % 2 ? spanId : hexId(8)) : undefined,
            attributes: [{ key: 'tenant', value: { stringValue: i % 2 ? 'acme' : 'globex' } }],
          }),
        );
        const payload = specLogs(records, 'ledger');
        assert.equal((await postOtlp(server.otlpUrl, 'logs', toProtobuf('logs', payload))).status, 200);
        assert.equal((await postOtlp(server.otlpUrl, 'logs', specLogs([specLog()], 'other'))).status, 200);
      });
      const logs = async (query: string) => {
        const { status, body } = await getJson<{ logs: ApiLog[]; next_cursor: string | null }>(api(`/logs?${query}`));
        assert.equal(status, 200, JSON.stringify(body));
        return body;
      };

      it('searches by service, minimum severity, text and attribute', async () => {
        assert.equal((await logs('service=ledger')).logs.length, 25);
        const warn = await logs('service=ledger&min_severity=warn');
        assert.equal(warn.logs.length, 15);
        assert.ok(warn.logs.every((l) => l.severity_number >= 13));
        assert.equal((await logs('service=ledger&min_severity=21')).logs.length, 5);
        // Case-insensitive; % and _ are literal characters, not wildcards.
        assert.deepEqual(
          (await logs('contains=100%25_DONE')).logs.map((l) => l.body),
          ['Payment 100%_done for ORDER-7'],
        );
        assert.equal((await logs('contains=1%25')).logs.length, 0);
        assert.equal((await logs('service=ledger&attribute=tenant=acme')).logs.length, 12);
        assert.equal((await logs('attribute=service.name=other')).logs.length, 1);
      });

      it('counts matching records per step and severity for a volume chart', async () => {
        interface Volume {
          from: number;
          to: number;
          step_ms: number;
          timestamps: number[];
          total: number;
          series: { severity: string; counts: number[] }[];
        }
        const baseMs = Number(base / MS);
        const window = `from=${baseMs - 1000}&to=${baseMs + 30_000}`;
        const volume = async (query: string) => {
          const { status, body } = await getJson<Volume>(api(`/logs/volume?${query}`));
          assert.equal(status, 200, JSON.stringify(body));
          return body;
        };
        const all = await volume(`service=ledger&step=10s&${window}`);
        assert.equal(all.step_ms, 10_000);
        assert.equal(all.from % 10_000, 0, 'steps start at a multiple of the step');
        assert.deepEqual(
          all.timestamps,
          Array.from({ length: all.timestamps.length }, (_, i) => all.from + i * 10_000),
        );
        assert.ok(all.timestamps.at(-1)! < all.to && all.timestamps.at(-1)! + 10_000 >= all.to);
        assert.equal(all.total, 25);
        assert.deepEqual(
          all.series.map((s) => s.severity),
          ['debug', 'info', 'warn', 'error', 'fatal'],
        );
        // Record i was logged at base + i s with severity i % 5: count them into the same steps.
        for (const [k, series] of all.series.entries()) {
          const expected = all.timestamps.map(() => 0);
          for (let i = k; i < 25; i += 5) expected[Math.floor((baseMs + i * 1000 - all.from) / 10_000)]! += 1;
          assert.deepEqual(series.counts, expected, series.severity);
        }
        // The search's filters apply, with or without a service.
        const sum = (v: Volume) => v.series.map((s) => [s.severity, s.counts.reduce((a, b) => a + b, 0)]);
        assert.deepEqual(sum(await volume(`service=ledger&min_severity=error&${window}`)), [
          ['error', 5],
          ['fatal', 5],
        ]);
        assert.equal((await volume(`contains=order-7&${window}`)).total, 1);
        assert.equal((await volume(`attribute=tenant=acme&${window}`)).total, 12);
        assert.equal((await volume(`trace_id=${traceId}&${window}`)).total, 5);
        assert.equal((await volume(window)).total, 25);
        // The first step starts before the window, but counts only what is in it (as the list).
        const late = await volume(`service=ledger&step=1m&from=${baseMs + 10_500}&to=${baseMs + 30_000}`);
        assert.ok(late.from < baseMs + 10_500);
        assert.equal(late.total, 14, 'records 11 to 24');
        // By default about 60 round steps: a minute over an hour.
        const hour = await volume('service=ledger');
        assert.equal(hour.step_ms, 60_000);
        assert.ok(hour.timestamps.length >= 60 && hour.timestamps.length <= 61, String(hour.timestamps.length));
        assert.equal(hour.total, 25);
        for (const bad of ['step=500ms', 'step=1s', 'step=soon', 'min_severity=loud']) {
          const response = await fetch(api(`/logs/volume?service=ledger&${bad}`));
          assert.equal(response.status, 400, bad);
          assert.match(response.headers.get('content-type') ?? '', /problem\+json/);
        }
      });

      it('groups records by pattern, and lists and counts the records of one', async () => {
        interface Patterns {
          scanned: number;
          complete: boolean;
          total_patterns: number;
          series_from: number;
          series_step_ms: number;
          patterns: {
            pattern: string;
            count: number;
            series: (number | null)[];
            severity: string;
            max_severity_number: number;
            services: { service: string; count: number }[];
            first_at: number;
            last_at: number;
            example: { body: string; service: string; trace_id: string | null; time_ns: string };
          }[];
        }
        // Between the ledger records' window and now, so the tests above count none of these.
        const at = nowNs(-60_000);
        const bodies: [string, number][] = [
          ...Array.from({ length: 110 }, (_, i): [string, number] => [`job ${i} finished in ${i * 3}ms`, 9]),
          ['db error: connection refused 10.0.0.7:5432\n    at connect (net.js:1:2)', 17],
          ['db error: connection refused 10.0.0.8:5432\n    at connect (net.js:1:2)', 21],
          ['quota_exceeded: 100% of plan', 13],
          ['quotaXexceeded: 5 of plan', 13],
          ['cache hit% low', 9],
          ['cache hitXXX low', 9],
        ];
        const records = bodies.map(([body, severityNumber], i) =>
          specLog({ timeNs: at + BigInt(i) * MS, body, severityNumber, attributes: [] }),
        );
        const sweeperTrace = hexId(16);
        (records.at(-5) as { traceId?: string }).traceId = sweeperTrace.toUpperCase();
        assert.equal((await postOtlp(server.otlpUrl, 'logs', specLogs(records, 'sweeper'))).status, 200);
        assert.equal(
          (await postOtlp(server.otlpUrl, 'logs', specLogs([specLog({ body: 'job 7 finished in 1ms' })], 'cron')))
            .status,
          200,
        );
        // Three of them a second earlier, for the comparison with the window before.
        const earlier = [1, 2, 3].map((i) =>
          specLog({ timeNs: at - 1000n * MS + BigInt(i) * MS, body: `job ${i} finished in 2ms`, attributes: [] }),
        );
        assert.equal((await postOtlp(server.otlpUrl, 'logs', specLogs(earlier, 'sweeper'))).status, 200);

        const patterns = async (query: string) => {
          const { status, body } = await getJson<Patterns>(api(`/logs/patterns?${query}`));
          assert.equal(status, 200, JSON.stringify(body));
          return body;
        };
        const all = await patterns(`from=${Number(at / MS) - 1}`);
        assert.equal(all.complete, true);
        assert.equal(all.scanned, 118, "these and the 'other' service's record");
        // The most frequent first; then the most severe; then the newest.
        assert.deepEqual(
          all.patterns.map((p) => [p.pattern, p.count, p.severity]),
          [
            ['job <*> finished in <*>', 111, 'info'],
            ['db error: connection refused <*>', 2, 'fatal'],
            ['quotaXexceeded: <*> of plan', 1, 'warn'],
            ['quota_exceeded: <*> of plan', 1, 'warn'],
            ['Example log record', 1, 'info'],
            ['cache hitXXX low', 1, 'info'],
            ['cache hit% low', 1, 'info'],
          ],
        );
        // Per step (30 over the window): all of a pattern's records, in the steps of their times.
        for (const p of all.patterns) {
          assert.equal(p.series.length, 30);
          assert.equal(
            p.series.reduce((a, b) => (a ?? 0) + (b ?? 0), 0),
            p.count,
            p.pattern,
          );
        }
        const dbStep = Math.floor((Number((at + 110n * MS) / MS) - all.series_from) / all.series_step_ms);
        assert.equal(all.patterns[1]?.series[dbStep], 2);
        const [job, db] = all.patterns;
        assert.deepEqual(job?.services, [
          { service: 'sweeper', count: 110 },
          { service: 'cron', count: 1 },
        ]);
        assert.equal(db?.max_severity_number, 21);
        assert.equal(db?.example.body, 'db error: connection refused 10.0.0.8:5432\n    at connect (net.js:1:2)');
        assert.equal(db?.example.trace_id, sweeperTrace);
        assert.equal(db?.first_at, Number((at + 110n * MS) / MS));
        assert.equal(db?.last_at, Number((at + 111n * MS) / MS));

        // Only the newest `sample` records, and the filters of /logs apply.
        const sampled = await patterns(`service=sweeper&sample=100&from=${Number(at / MS) - 30_000}`);
        assert.equal(sampled.complete, false);
        assert.equal(sampled.scanned, 100);
        assert.equal(sampled.patterns[0]?.count, 94, 'the 6 newest are of other patterns');
        // Steps older than the oldest record scanned were not read: null, not 0.
        assert.equal(sampled.patterns[0]?.series[0], null);
        const errors = await patterns('service=sweeper&min_severity=error&limit=1');
        assert.equal(errors.total_patterns, 1);
        assert.deepEqual(
          errors.patterns.map((p) => p.pattern),
          ['db error: connection refused <*>'],
        );

        // A pattern passed back lists and counts its records; % and _ stay literal.
        const of = async (pattern: string) =>
          (await logs(`pattern=${encodeURIComponent(pattern)}&limit=1000`)).logs.map((l) => l.body);
        assert.deepEqual(await of('quota_exceeded: <*> of plan'), ['quota_exceeded: 100% of plan']);
        assert.deepEqual(await of('cache hit% low'), ['cache hit% low']);
        assert.equal((await of('db error: connection refused <*>')).length, 2);
        assert.equal((await of('job <*> finished in <*>')).length, 114);
        assert.equal((await logs('service=cron&pattern=job%20%3C*%3E%20finished%20in%20%3C*%3E')).logs.length, 1);
        const volume = await getJson<{ total: number }>(
          api(`/logs/volume?pattern=${encodeURIComponent('job <*> finished in <*>')}`),
        );
        assert.equal(volume.body.total, 114);

        // compare=true: each pattern's count in the window before, as long as this one.
        interface Compared extends Patterns {
          previous: { from: number; to: number; scanned: number; complete: boolean } | null;
          patterns: (Patterns['patterns'][number] & { previous_count: number | null })[];
        }
        const fromMs = Number(at / MS) - 1;
        const window = `service=sweeper&from=${fromMs}&to=${fromMs + 1000}`;
        const compared = (await getJson<Compared>(api(`/logs/patterns?${window}&compare=true`))).body;
        assert.deepEqual(compared.previous, { from: fromMs - 1000, to: fromMs, scanned: 3, complete: true });
        assert.deepEqual(compared.patterns.map((p) => [p.pattern, p.count, p.previous_count]).slice(0, 2), [
          ['job <*> finished in <*>', 110, 3],
          ['db error: connection refused <*>', 2, 0],
        ]);
        const plain = (await getJson<Compared>(api(`/logs/patterns?${window}`))).body;
        assert.equal(plain.previous, null);
        assert.equal(plain.patterns[0]?.previous_count, null);

        for (const bad of ['sample=5', 'sample=20000', 'limit=0', 'pattern=', 'compare=maybe']) {
          const response = await fetch(api(`/logs/patterns?${bad}`));
          assert.equal(response.status, 400, bad);
          assert.match(response.headers.get('content-type') ?? '', /problem\+json/);
        }
      });

      it('pages with a cursor, newest first, without gaps or repeats', async () => {
        const seen: ApiLog[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await logs(`service=ledger&limit=10${cursor ? `&cursor=${cursor}` : ''}`);
          seen.push(...page.logs);
          cursor = page.next_cursor;
          pages++;
        } while (cursor);
        assert.equal(pages, 3);
        assert.equal(seen.length, 25);
        assert.equal(new Set(seen.map((l) => l.id)).size, 25);
        const times = seen.map((l) => BigInt(l.time_ns));
        assert.ok(times.every((t, i) => i === 0 || t <= (times[i - 1] as bigint)));
        assert.equal((await fetch(api('/logs?cursor=bm9wZQ'))).status, 400);
        assert.equal((await fetch(api('/logs?min_severity=loud'))).status, 400);
      });

      it('links spans to their logs and logs to their trace', async () => {
        const ofTrace = await logs(`trace_id=${traceId}`);
        assert.equal(ofTrace.logs.length, 5);
        const ofSpan = await getJson<{ logs: ApiLog[] }>(api(`/traces/${traceId}/logs?span_id=${spanId}`));
        assert.equal(ofSpan.body.logs.length, 2);
        assert.ok(ofSpan.body.logs.every((l) => l.span_id === spanId));
        assert.equal((await logs(`span_id=${spanId}`)).logs.length, 2);
        // From a log of the shop to its trace.
        const shopTrace = shop.ok[0] as string;
        await postOtlp(
          server.otlpUrl,
          'logs',
          specLogs(
            [specLog({ traceId: shopTrace, spanId: shop.rootSpans.get(shopTrace), body: 'home rendered' })],
            'frontend',
          ),
        );
        const [log] = (await logs('contains=home%20rendered')).logs;
        assert.equal(log?.trace_id, shopTrace);
        const trace = await getJson<ApiTrace>(api(`/traces/${log?.trace_id}`));
        const root = trace.body.spans.find((s) => s.span_id === log?.span_id);
        assert.equal(root?.name, 'GET /home');
        assert.equal(root?.log_count, 1);
      });

      it('limits logs to the time range', async () => {
        const from = Number(base / MS) + 10_000;
        const to = from + 5_000;
        const inRange = await logs(`service=ledger&from=${from}&to=${to}`);
        assert.equal(inRange.logs.length, 5);
        assert.ok(inRange.logs.every((l) => l.time_at >= from && l.time_at < to));
      });
    });
  });
}
