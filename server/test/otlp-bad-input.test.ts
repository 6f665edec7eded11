// Bad input at the OTLP receiver, on both stores: ids of the wrong length, times far in the past
// or future, huge and deeply nested values, millions of attributes, truncated or garbage
// protobuf, JSON with wrong types. Each gets the right status (or a partial success naming what
// was refused), nothing of a refused record is stored, and the server stays up. Then a few
// thousand random mutations of valid payloads: every one is answered with 200/400/413/415,
// nothing of a refused request is stored, and the server is healthy afterwards.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { otlpSchema } from '../src/telemetry/otlp/schema.js';
import type { TelemetryModule } from '../src/telemetry/telemetry-module.js';
import { type RunningServer, startServer } from './helpers/server.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';
import {
  type ApiTrace,
  errorStatus,
  exportResult,
  getJson,
  hexId,
  nowNs,
  type OtlpResponse,
  postOtlp,
  specLog,
  specLogs,
  specSpan,
  specTraces,
  toProtobuf,
} from './telemetry-fixtures.js';

async function spansOf(server: RunningServer, traceId: string): Promise<number> {
  // Answered once journaled (SQLite): stored right after.
  await (server.app.modules.get('telemetry') as TelemetryModule).caughtUp();
  const result = await sql<{ n: number | string }>`select count(*) as n from spans where trace_id = ${traceId}`.execute(
    server.app.context.store.db,
  );
  return Number(result.rows[0]?.n);
}

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { stringValue: 'bottom' };
  for (let i = 0; i < depth; i++) value = { arrayValue: { values: [value] } };
  return value;
}

/** Deterministic pseudo-random numbers, so a failing mutation can be replayed. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

for (const kind of STORE_KINDS) {
  describe(`OTLP bad input [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let server: RunningServer;
    before(async () => {
      store = await createTestStore(kind);
      server = await startServer({ store: store.url });
    });
    after(async () => {
      await server?.close();
      await store?.cleanup();
    });

    /** Posts one valid span beside the bad ones; checks the partial success and what was stored. */
    async function refusedBeside(
      bad: Record<string, unknown>,
      reason: RegExp,
      encoding: 'json' | 'protobuf' = 'json',
    ): Promise<void> {
      const traceId = hexId(16);
      const goodSpan = specSpan({ traceId });
      const badSpan = { ...bad, traceId: bad.traceId ?? traceId.toUpperCase() };
      const json = specTraces([goodSpan, badSpan]);
      const response = await postOtlp(
        server.otlpUrl,
        'traces',
        encoding === 'json' ? json : toProtobuf('traces', json),
      );
      assert.equal(response.status, 200, response.body.toString());
      const result = exportResult('traces', response);
      assert.equal(result.rejected, 1);
      assert.match(result.message, reason);
      assert.equal(await spansOf(server, traceId), 1, 'only the valid span is stored');
    }

    for (const encoding of ['json', 'protobuf'] as const) {
      it(`refuses spans with ids of the wrong length or all zeroes (${encoding})`, async () => {
        const json = encoding === 'json';
        await refusedBeside(
          specSpan({ traceId: hexId(16).slice(0, 30) }),
          json ? /traceId must be 32 hex characters/ : /trace_id must be 16 bytes, got 15/,
          encoding,
        );
        await refusedBeside(
          specSpan({ spanId: `${hexId(8)}ab` }),
          json ? /spanId must be 16 hex characters/ : /span_id must be 8 bytes, got 9/,
          encoding,
        );
        await refusedBeside(
          specSpan({ parentSpanId: 'abcd' }),
          json ? /parentSpanId must be 16 hex/ : /parent_span_id must be 8 bytes, got 2/,
          encoding,
        );
        await refusedBeside(specSpan({ traceId: '0'.repeat(32) }), /all zeroes/, encoding);
      });

      it(`refuses spans with times far in the past or future, or ending before they start (${encoding})`, async () => {
        const hour = 3_600_000;
        await refusedBeside(specSpan({ startNs: 1_544_712_660_000_000_000n }), /older than the retention/, encoding);
        await refusedBeside(specSpan({ startNs: nowNs(-73 * hour) }), /older than the retention \(72 h/, encoding);
        await refusedBeside(specSpan({ startNs: nowNs(2 * hour) }), /in the future/, encoding);
        await refusedBeside(specSpan({ startNs: 0n }), /missing \(0\)/, encoding);
        const backwards = specSpan();
        backwards.endTimeUnixNano = (BigInt(backwards.startTimeUnixNano as string) - 1n).toString();
        await refusedBeside(backwards, /before start/, encoding);
      });

      it(`refuses spans with huge or deeply nested values (${encoding})`, async () => {
        await refusedBeside(
          specSpan({ attributes: [{ key: 'blob', value: { stringValue: 'x'.repeat(70_000) } }] }),
          /value of 70000 characters, more than 65536/,
          encoding,
        );
        await refusedBeside(
          specSpan({ attributes: [{ key: 'deep', value: nested(20) }] }),
          /deeper than 16 levels/,
          encoding,
        );
        await refusedBeside(
          specSpan({
            attributes: [
              {
                key: 'wide',
                value: {
                  kvlistValue: {
                    values: Array.from({ length: 20_000 }, (_, i) => ({ key: `k${i}`, value: { intValue: i } })),
                  },
                },
              },
            ],
          }),
          /more than 16384 values/,
          encoding,
        );
      });
    }

    it('refuses a span with a million attributes quickly and stays up', async () => {
      // ~10 MB of protobuf: decoded once, counted, refused whole.
      const attributes = Array.from({ length: 1_000_000 }, (_, i) => ({
        key: i.toString(36),
        value: { boolValue: true },
      }));
      const traceId = hexId(16);
      const body = toProtobuf('traces', specTraces([specSpan({ traceId, attributes })]));
      const started = Date.now();
      const response = await postOtlp(server.otlpUrl, 'traces', body);
      assert.equal(response.status, 400);
      assert.match(errorStatus(response).message, /has 1000000 attributes, more than 1024/);
      assert.ok(Date.now() - started < 20_000);
      assert.equal(await spansOf(server, traceId), 0);
      // As JSON the same span is over the body limit.
      const json = await postOtlp(server.otlpUrl, 'traces', specTraces([specSpan({ traceId, attributes })]));
      assert.equal(json.status, 413);
      assert.equal((await fetch(`${server.apiUrl}/readyz`)).status, 200);
    });

    it('refuses log records with a wrong trace id, a huge body or a bad severity', async () => {
      const traceId = hexId(16);
      const response = await postOtlp(
        server.otlpUrl,
        'logs',
        specLogs([
          specLog({ traceId, body: 'fine' }),
          specLog({ traceId: 'abc', body: 'wrong id' }),
          specLog({ traceId, body: 'y'.repeat(300_000) }),
          specLog({ traceId, severityNumber: 99 }),
        ]),
      );
      assert.equal(response.status, 200);
      const result = exportResult('logs', response);
      assert.equal(result.rejected, 3);
      assert.match(result.message, /traceId must be 32 hex/);
      assert.match(result.message, /body has a value of 300000 characters, more than 262144/);
      assert.match(result.message, /severityNumber 99/);
      const { body } = await getJson<{ logs: { body: string }[] }>(`${server.apiUrl}/api/v1/logs?trace_id=${traceId}`);
      assert.deepEqual(
        body.logs.map((l) => l.body),
        ['fine'],
      );
    });

    it('answers truncated or garbage protobuf with 400 and stores nothing', async () => {
      const traceId = hexId(16);
      const valid = toProtobuf('traces', specTraces([specSpan({ traceId }), specSpan({ traceId })]));
      for (const body of [
        valid.subarray(0, Math.floor(valid.length / 2)),
        Buffer.from('not protobuf at all'),
        Buffer.alloc(64, 0xff),
      ]) {
        const response = await postOtlp(server.otlpUrl, 'traces', body);
        assert.equal(response.status, 400);
        assert.equal(errorStatus(response).code, 3);
      }
      assert.equal(await spansOf(server, traceId), 0);
    });

    it('answers JSON of the wrong shape with 400, and wrong types inside a span by refusing it', async () => {
      for (const body of [
        '[]',
        '"resourceSpans"',
        '{"resourceSpans": "x"}',
        '{"resourceSpans": [{"scopeSpans": [{"spans": [1, 2]}]}]}',
        '{"resourceSpans": [{"scopeSpans": {"spans": []}}]}',
      ]) {
        const response = await postOtlp(server.otlpUrl, 'traces', body, { contentType: 'application/json' });
        assert.equal(response.status, 400, body);
        assert.match(errorStatus(response).message, /must be|JSON object/);
      }
      await refusedBeside({ ...specSpan(), kind: 'banana' }, /kind must be an enum integer/);
      await refusedBeside(
        { ...specSpan(), startTimeUnixNano: 'soon' },
        /startTimeUnixNano must be an unsigned 64-bit integer/,
      );
      await refusedBeside({ ...specSpan(), attributes: { a: 1 } }, /span attributes must be an array/);
      await refusedBeside(
        { ...specSpan(), attributes: [{ key: 'n', value: { intValue: '1.5' } }] },
        /intValue must be a 64-bit integer/,
      );
      await refusedBeside({ ...specSpan(), status: { code: 7 } }, /status.code 7 is not a StatusCode/);
    });

    it('answers every one of thousands of random mutations, stores nothing of a refused request, stays healthy', async () => {
      const random = rng(kind === 'sqlite' ? 1 : 2);
      const schema = otlpSchema();
      const cases: { prefix: string; status: number; accepted: number }[] = [];
      const allowed = new Set([200, 400, 413, 415]);

      /** A valid request whose trace ids all start with the case's 4-byte prefix. */
      const base = (prefix: string) => {
        const spans = Array.from({ length: 12 }, (_, i) =>
          specSpan({
            traceId: prefix + hexId(16).slice(8),
            parentSpanId: i % 3 === 0 ? undefined : hexId(8),
            kind: i % 6,
            status: { code: i % 3, message: i % 3 === 2 ? 'failed' : '' },
            attributes: [
              { key: 'http.route', value: { stringValue: `/r/${i}` } },
              { key: 'n', value: { intValue: String(i) } },
              { key: 'ratio', value: { doubleValue: i / 7 } },
              { key: 'ok', value: { boolValue: i % 2 === 0 } },
              { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } } },
              { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { bytesValue: 'AAEC' } }] } } },
            ],
          }),
        );
        for (const span of spans.slice(0, 4)) {
          span.events = [{ timeUnixNano: span.startTimeUnixNano, name: 'ev', attributes: [] }];
          span.links = [{ traceId: hexId(16), spanId: hexId(8), attributes: [] }];
        }
        const payload = specTraces(spans.slice(0, 6), 'fuzz-a');
        (payload.resourceSpans as unknown[]).push(...(specTraces(spans.slice(6), 'fuzz-b').resourceSpans as unknown[]));
        return payload;
      };

      const mutateBytes = (bytes: Buffer): Buffer => {
        const b = Buffer.from(bytes);
        const at = Math.floor(random() * b.length);
        switch (Math.floor(random() * 7)) {
          case 0:
            b[at] = (b[at] as number) ^ (1 << Math.floor(random() * 8));
            return b;
          case 1:
            b[at] = Math.floor(random() * 256);
            return b;
          case 2:
            return b.subarray(0, at);
          case 3:
            return Buffer.concat([
              b.subarray(0, at),
              Buffer.from(Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256))),
              b.subarray(at),
            ]);
          case 4:
            return Buffer.concat([
              b.subarray(0, at),
              b.subarray(Math.min(b.length, at + 1 + Math.floor(random() * 40))),
            ]);
          case 5: {
            const end = Math.min(b.length, at + 1 + Math.floor(random() * 60));
            return Buffer.concat([b.subarray(0, end), b.subarray(at, end), b.subarray(end)]);
          }
          default:
            b[at] = 0xff;
            if (at + 1 < b.length) b[at + 1] = 0xff;
            return b;
        }
      };

      const randomValue = (): unknown => {
        switch (Math.floor(random() * 10)) {
          case 0:
            return null;
          case 1:
            return 'x'.repeat(Math.floor(random() * 100_000));
          case 2:
            return -Math.floor(random() * 1e12);
          case 3:
            return random() < 0.5;
          case 4:
            return [];
          case 5:
            return {};
          case 6:
            return nested(Math.floor(random() * 40));
          case 7:
            return '18446744073709551616';
          case 8:
            return 'SPAN_KIND_NONSENSE';
          default:
            return 1.5;
        }
      };

      const mutateJson = (payload: Record<string, unknown>): string => {
        if (random() < 0.2) {
          const text = JSON.stringify(payload);
          const at = Math.floor(random() * text.length);
          return random() < 0.5
            ? text.slice(0, at)
            : `${text.slice(0, at)}${'{}[],:"0a'.charAt(Math.floor(random() * 10))}${text.slice(at)}`;
        }
        // Walk to a random node and replace, delete or rename it.
        let node: unknown = payload;
        for (let depth = 0; depth < 8; depth++) {
          const entries = node && typeof node === 'object' ? Object.keys(node) : [];
          if (entries.length === 0) break;
          const key = entries[Math.floor(random() * entries.length)] as string;
          const child = (node as Record<string, unknown>)[key];
          if (random() < 0.3 || !child || typeof child !== 'object') {
            const parent = node as Record<string, unknown>;
            const action = random();
            if (action < 0.6) parent[key] = randomValue();
            else if (action < 0.8) delete parent[key];
            else {
              parent[`${key}_x`] = parent[key];
              delete parent[key];
            }
            break;
          }
          node = child;
        }
        return JSON.stringify(payload);
      };

      const post = async (i: number): Promise<void> => {
        // Prefixes far apart (a hash, not a counter), so a mutated byte of one case's
        // trace id does not turn it into another case's prefix.
        const prefix = createHash('sha256').update(`${kind}-${i}`).digest('hex').slice(0, 8);
        const json = base(prefix);
        const asJson = i % 3 === 2;
        let response: OtlpResponse;
        let received = 0;
        if (asJson) {
          const text = mutateJson(json);
          response = await postOtlp(server.otlpUrl, 'traces', text, { contentType: 'application/json' });
          if (response.status === 200) {
            const parsed = JSON.parse(text) as { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] };
            for (const rs of parsed.resourceSpans ?? [])
              for (const ss of rs.scopeSpans ?? []) received += ss.spans?.length ?? 0;
          }
        } else {
          const bytes = mutateBytes(toProtobuf('traces', json));
          response = await postOtlp(server.otlpUrl, 'traces', bytes);
          if (response.status === 200) {
            const decoded = schema.exportTraceRequest.decode(bytes) as unknown as {
              resourceSpans: { scopeSpans: { spans: unknown[] }[] }[];
            };
            for (const rs of decoded.resourceSpans) for (const ss of rs.scopeSpans) received += ss.spans.length;
          }
        }
        assert.ok(
          allowed.has(response.status),
          `case ${i}: status ${response.status}: ${response.body.toString().slice(0, 300)}`,
        );
        const accepted = response.status === 200 ? received - exportResult('traces', response).rejected : 0;
        cases.push({ prefix, status: response.status, accepted });
      };

      const total = 3000;
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < total) await post(next++);
        }),
      );
      assert.equal(cases.length, total);
      assert.ok(cases.some((c) => c.status === 200 && c.accepted > 0));
      assert.ok(cases.some((c) => c.status === 400));

      // Nothing of a refused request was stored; no request stored more than it accepted.
      const rows = await sql<{ prefix: string; n: number | string }>`
        select substr(trace_id, 1, 8) as prefix, count(*) as n from spans group by substr(trace_id, 1, 8)`.execute(
        server.app.context.store.db,
      );
      const stored = new Map(rows.rows.map((r) => [r.prefix, Number(r.n)]));
      for (const c of cases) {
        const n = stored.get(c.prefix) ?? 0;
        if (c.status !== 200) assert.equal(n, 0, `refused case ${c.prefix} (${c.status}) stored ${n} spans`);
        else assert.ok(n <= c.accepted, `case ${c.prefix} stored ${n} spans but accepted ${c.accepted}`);
      }

      // Still healthy, and still ingesting.
      assert.equal((await fetch(`${server.apiUrl}/readyz`)).status, 200);
      const traceId = hexId(16);
      assert.equal((await postOtlp(server.otlpUrl, 'traces', specTraces([specSpan({ traceId })]))).status, 200);
      assert.equal((await getJson<ApiTrace>(`${server.apiUrl}/api/v1/traces/${traceId}`)).body.spans.length, 1);
    });
  });
}
