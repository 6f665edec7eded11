// The OTLP/HTTP receiver as the specification describes it, on both stores: hand-made payloads
// in the shape of the specification's examples (JSON with hex ids and string int64s, the
// protobuf encoding of the same), gzip, partial success, error statuses with a google.rpc.Status
// body in the request's encoding, the ingest token, and backpressure with Retry-After.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import pg from 'pg';
import type { TelemetryModule } from '../src/telemetry/telemetry-module.js';
import { type RunningServer, startServer } from './helpers/server.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';
import {
  type ApiLog,
  type ApiTrace,
  errorStatus,
  exportResult,
  getJson,
  hexId,
  postOtlp,
  specLog,
  specLogs,
  specSpan,
  specTraces,
  toProtobuf,
} from './telemetry-fixtures.js';

async function spanCount(server: RunningServer): Promise<number> {
  // Answered once journaled (SQLite): stored right after.
  await (server.app.modules.get('telemetry') as TelemetryModule).caughtUp();
  const result = await sql<{ n: number | string }>`select count(*) as n from spans`.execute(
    server.app.context.store.db,
  );
  return Number(result.rows[0]?.n);
}

for (const kind of STORE_KINDS) {
  describe(`OTLP/HTTP receiver [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let server: RunningServer;
    before(async () => {
      store = await createTestStore(kind);
      server = await startServer({ store: store.url, otlpBodyLimit: 256 * 1024, ingestQueueMaxItems: 20 });
    });
    after(async () => {
      await server?.close();
      await store?.cleanup();
    });

    it('takes the specification example JSON: upper-case hex ids, string int64, enum integers', async () => {
      const traceId = hexId(16);
      const rootId = hexId(8);
      const childId = hexId(8);
      const response = await postOtlp(
        server.otlpUrl,
        'traces',
        specTraces([
          specSpan({ traceId, spanId: rootId }),
          specSpan({ traceId, spanId: childId, parentSpanId: rootId, name: 'child', kind: 3 }),
        ]),
      );
      assert.equal(response.status, 200);
      assert.match(response.contentType, /^application\/json/);
      assert.deepEqual(JSON.parse(response.body.toString()), {});
      const { body } = await getJson<ApiTrace>(`${server.apiUrl}/api/v1/traces/${traceId.toUpperCase()}`);
      assert.equal(body.trace_id, traceId);
      const child = body.spans.find((s) => s.span_id === childId);
      assert.equal(child?.parent_span_id, rootId);
      assert.equal(child?.kind, 'client');
      assert.equal(child?.duration_ns, '1000000000');
      assert.deepEqual(child?.attributes, { 'my.span.attr': 'some value' });
      assert.equal(child?.resource['service.name'], 'my.service');
      assert.deepEqual(child?.scope, { name: 'my.library', version: '1.0.0' });
    });

    it('takes the original field names and enum names as well as lowerCamelCase and integers', async () => {
      const traceId = hexId(16);
      const start = BigInt(Date.now() - 5000) * 1_000_000n;
      const payload = {
        resource_spans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { string_value: 'snake' } }] },
            scope_spans: [
              {
                scope: { name: 'lib' },
                spans: [
                  {
                    trace_id: traceId,
                    span_id: hexId(8),
                    name: 'snake-span',
                    kind: 'SPAN_KIND_PRODUCER',
                    start_time_unix_nano: start.toString(),
                    end_time_unix_nano: Number(start / 1_000_000n + 5n) * 1_000_000, // a JSON number works too
                    attributes: [
                      { key: 'n', value: { int_value: 7 } },
                      { key: 'big', value: { intValue: '9007199254740993' } },
                    ],
                    status: { code: 'STATUS_CODE_ERROR', message: 'no' },
                  },
                ],
              },
            ],
          },
        ],
      };
      const response = await postOtlp(server.otlpUrl, 'traces', payload);
      assert.equal(response.status, 200, response.body.toString());
      const { body } = await getJson<ApiTrace>(`${server.apiUrl}/api/v1/traces/${traceId}`);
      const span = body.spans[0];
      assert.equal(span?.kind, 'producer');
      assert.equal(span?.status, 'error');
      assert.equal(span?.service, 'snake');
      // Beyond 2^53 an int64 is kept exact, as text, never rounded.
      assert.deepEqual(span?.attributes, { n: 7, big: '9007199254740993' });
    });

    it('takes the specification example logs with typed attributes and correlation ids', async () => {
      const traceId = hexId(16);
      const spanId = hexId(8);
      const response = await postOtlp(server.otlpUrl, 'logs', specLogs([specLog({ traceId, spanId })]));
      assert.equal(response.status, 200);
      const { body } = await getJson<{ logs: ApiLog[] }>(`${server.apiUrl}/api/v1/logs?trace_id=${traceId}`);
      const log = body.logs[0];
      assert.equal(log?.span_id, spanId);
      assert.equal(log?.severity_number, 10);
      assert.equal(log?.severity_text, 'Information');
      assert.equal(log?.body, 'Example log record');
      assert.deepEqual(log?.attributes, {
        'string.attribute': 'some string',
        'boolean.attribute': true,
        'int.attribute': 10,
        'double.attribute': 637.704,
        'array.attribute': ['many', 'values'],
        'map.attribute': { 'some.map.key': 'some value' },
      });
    });

    for (const encoding of ['protobuf', 'json'] as const) {
      it(`takes gzip-compressed ${encoding}`, async () => {
        const traceId = hexId(16);
        const json = specTraces([specSpan({ traceId })]);
        const response = await postOtlp(
          server.otlpUrl,
          'traces',
          encoding === 'protobuf' ? toProtobuf('traces', json) : json,
          { gzip: true },
        );
        assert.equal(response.status, 200);
        assert.match(response.contentType, encoding === 'protobuf' ? /^application\/x-protobuf/ : /^application\/json/);
        assert.deepEqual(exportResult('traces', response), { rejected: 0, message: '' });
        assert.equal((await getJson(`${server.apiUrl}/api/v1/traces/${traceId}`)).status, 200);
      });

      it(`answers partial success naming what it refused (${encoding}) and stores only the rest`, async () => {
        const good = hexId(16);
        const json = specTraces([
          specSpan({ traceId: good }),
          specSpan({ traceId: 'abcd' }),
          specSpan({ traceId: good, startNs: BigInt(Date.now() + 86_400_000) * 1_000_000n }),
        ]);
        const body = encoding === 'protobuf' ? toProtobuf('traces', json) : json;
        const response = await postOtlp(server.otlpUrl, 'traces', body);
        assert.equal(response.status, 200);
        const result = exportResult('traces', response);
        assert.equal(result.rejected, 2);
        assert.match(result.message, /rejected 2 spans/);
        assert.match(
          result.message,
          encoding === 'protobuf' ? /trace_id must be 16 bytes, got 2/ : /traceId must be 32 hex/,
        );
        assert.match(
          result.message,
          /in the future \(first at resource_?[sS]pans\[0\]\.scope_?[sS]pans\[0\]\.spans\[2\]\)/,
        );
        const { body: trace } = await getJson<ApiTrace>(`${server.apiUrl}/api/v1/traces/${good}`);
        assert.equal(trace.spans.length, 1);
      });

      it(`answers an undecodable ${encoding} body with 400 and a Status in the same encoding`, async () => {
        const before = await spanCount(server);
        const response =
          encoding === 'protobuf'
            ? await postOtlp(server.otlpUrl, 'traces', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]))
            : await postOtlp(server.otlpUrl, 'traces', '{"resourceSpans": [', { contentType: 'application/json' });
        assert.equal(response.status, 400);
        assert.match(response.contentType, encoding === 'protobuf' ? /^application\/x-protobuf/ : /^application\/json/);
        const status = errorStatus(response);
        assert.equal(status.code, 3); // INVALID_ARGUMENT
        assert.match(status.message, encoding === 'protobuf' ? /cannot be decoded/ : /not valid JSON/);
        assert.equal(await spanCount(server), before);
      });
    }

    it('answers 400 when every record is refused, and stores nothing', async () => {
      const before = await spanCount(server);
      const response = await postOtlp(server.otlpUrl, 'traces', specTraces([specSpan({ spanId: '00' })]));
      assert.equal(response.status, 400);
      assert.match(errorStatus(response).message, /spanId must be 16 hex characters/);
      assert.equal(await spanCount(server), before);
    });

    it('answers 413 for a body over the limit, compressed or once decompressed', async () => {
      const big = Buffer.alloc(300 * 1024, 0x20);
      const raw = await postOtlp(server.otlpUrl, 'traces', big, { contentType: 'application/json' });
      assert.equal(raw.status, 413);
      assert.match(errorStatus(raw).message, /larger than the limit/);
      // 300 KiB of spaces gzip to a few hundred bytes: the limit applies after decompression too.
      const bomb = await fetch(`${server.otlpUrl}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
        body: gzipSync(big),
      });
      assert.equal(bomb.status, 413);
      assert.match(bomb.headers.get('content-type') ?? '', /^application\/x-protobuf/);
    });

    it('answers 415 for other content types and encodings', async () => {
      const text = await postOtlp(server.otlpUrl, 'traces', 'hello', { contentType: 'text/plain' });
      assert.equal(text.status, 415);
      assert.match(errorStatus(text).message, /application\/x-protobuf or application\/json/);
      const brotli = await postOtlp(server.otlpUrl, 'logs', specLogs([specLog()]), {
        headers: { 'content-encoding': 'br' },
      });
      assert.equal(brotli.status, 415);
      assert.match(errorStatus(brotli).message, /Content-Encoding "br" is not supported/);
    });

    it('stores a batch sent twice (an exporter retry) once', async () => {
      const traceId = hexId(16);
      const payload = toProtobuf('traces', specTraces([specSpan({ traceId }), specSpan({ traceId })]));
      assert.equal((await postOtlp(server.otlpUrl, 'traces', payload)).status, 200);
      assert.equal((await postOtlp(server.otlpUrl, 'traces', payload)).status, 200);
      const { body } = await getJson<ApiTrace>(`${server.apiUrl}/api/v1/traces/${traceId}`);
      assert.equal(body.spans.length, 2);
    });

    it('answers 429 with Retry-After when the write queue is full, and takes the data once it drains', async () => {
      // Hold the telemetry tables' write lock from another session, so commits wait: on SQLite
      // the shared connection writes in a transaction it keeps open (the writer thread then
      // waits for the lock), on PostgreSQL another session locks the spans table.
      let release!: () => void;
      const released = new Promise<void>((r) => {
        release = r;
      });
      let holding: Promise<unknown> = Promise.resolve();
      let locker: pg.Client | undefined;
      try {
        if (kind === 'sqlite') {
          let held!: () => void;
          const isHeld = new Promise<void>((r) => {
            held = r;
          });
          holding = server.app.context.store.db.transaction().execute(async (trx) => {
            await sql`update telemetry_operations set last_seen_ms = last_seen_ms`.execute(trx);
            held();
            await released;
          });
          await isHeld;
        } else {
          const url = new URL(store.url);
          const schema = url.searchParams.get('schema');
          url.searchParams.delete('schema');
          locker = new pg.Client({ connectionString: url.toString() });
          await locker.connect();
          await locker.query(`set search_path = ${schema}`);
          await locker.query('begin');
          await locker.query('lock table spans in access exclusive mode');
          holding = released.then(() => locker?.query('commit'));
        }
        const traceId = hexId(16);
        const first = postOtlp(
          server.otlpUrl,
          'traces',
          specTraces(Array.from({ length: 15 }, () => specSpan({ traceId }))),
        );
        // Wait until the first batch is held in the queue.
        const started = Date.now();
        while (Date.now() - started < 10_000) {
          const metrics = await (await fetch(`${server.apiUrl}/metrics`)).text();
          if (/signalbox_ingest_queue_records 15/.test(metrics)) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        const refused = await postOtlp(
          server.otlpUrl,
          'traces',
          toProtobuf('traces', specTraces(Array.from({ length: 10 }, () => specSpan()))),
        );
        assert.equal(refused.status, 429);
        assert.equal(refused.headers.get('retry-after'), '1');
        assert.equal(errorStatus(refused).code, 8); // RESOURCE_EXHAUSTED
        release();
        await holding;
        const accepted = await first;
        assert.equal(accepted.status, 200);
        const { body } = await getJson<ApiTrace>(`${server.apiUrl}/api/v1/traces/${traceId}`);
        assert.equal(body.spans.length, 15);
        const retried = await postOtlp(server.otlpUrl, 'traces', specTraces([specSpan()]));
        assert.equal(retried.status, 200);
      } finally {
        release();
        await holding.catch(() => {});
        await locker?.end();
      }
    });

    it('answers 503 with Retry-After when the store cannot commit, and recovers', async () => {
      const db = server.app.context.store.db;
      await sql`alter table logs rename to logs_away`.execute(db);
      try {
        const failed = await postOtlp(server.otlpUrl, 'logs', specLogs([specLog()]));
        assert.equal(failed.status, 503);
        assert.equal(failed.headers.get('retry-after'), '1');
        assert.equal(errorStatus(failed).code, 14); // UNAVAILABLE
      } finally {
        await sql`alter table logs_away rename to logs`.execute(db);
      }
      const traceId = hexId(16);
      const ok = await postOtlp(server.otlpUrl, 'logs', specLogs([specLog({ traceId })]));
      assert.equal(ok.status, 200);
      const { body } = await getJson<{ logs: ApiLog[] }>(`${server.apiUrl}/api/v1/logs?trace_id=${traceId}`);
      assert.equal(body.logs.length, 1);
    });

    it('counts stored and refused records on /metrics', async () => {
      const text = await (await fetch(`${server.apiUrl}/metrics`)).text();
      assert.match(text, /signalbox_ingest_records_total\{signal="spans",outcome="stored"\} \d+/);
      assert.match(text, /signalbox_ingest_records_total\{signal="spans",outcome="rejected"\} \d+/);
      assert.match(text, /signalbox_ingest_commit_seconds_bucket\{/);
    });
  });
}

describe('OTLP ingest token', () => {
  let store: TestStore;
  let server: RunningServer;
  before(async () => {
    store = await createTestStore('sqlite');
    server = await startServer({ store: store.url, ingestToken: 's3cret-ingest' });
  });
  after(async () => {
    await server?.close();
    await store?.cleanup();
  });

  it('refuses requests without the token or with another one, with 401', async () => {
    const none = await postOtlp(server.otlpUrl, 'traces', specTraces([specSpan()]));
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal(errorStatus(none).code, 16); // UNAUTHENTICATED
    const wrong = await postOtlp(server.otlpUrl, 'traces', toProtobuf('traces', specTraces([specSpan()])), {
      headers: { authorization: 'Bearer nope' },
    });
    assert.equal(wrong.status, 401);
    assert.match(wrong.contentType, /^application\/x-protobuf/);
  });

  it('takes requests with the token', async () => {
    const ok = await postOtlp(server.otlpUrl, 'traces', specTraces([specSpan()]), {
      headers: { authorization: 'Bearer s3cret-ingest' },
    });
    assert.equal(ok.status, 200);
  });
});
