// Trace requests decoded off the server's thread: what a decode thread hands back describes the
// accepted spans exactly as the records decoded inline do (rows for the writer, the listeners'
// view with only the attributes they read, catalog samples, resources, rejections), and the
// threads themselves answer, refuse undecodable bodies, bound what they hold and close cleanly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import { sql } from 'kysely';
import { pino } from 'pino';
import { SpanDecodeThreads } from '../src/telemetry/ingest/decode-thread.js';
import { encodedBatch, ownBuffer, SpanEncoder } from '../src/telemetry/ingest/span-encoding.js';
import { defaultIngestLimits } from '../src/telemetry/otlp/limits.js';
import { decodeTraces } from '../src/telemetry/otlp/protobuf-decode.js';
import { UndecodablePayload } from '../src/telemetry/otlp/rejections.js';
import { spanRow } from '../src/telemetry/storage/sqlite-writer.js';
import type { TelemetryModule } from '../src/telemetry/telemetry-module.js';
import { startServer } from './helpers/server.js';
import { createTestStore } from './helpers/stores.js';
import { hexId, nowNs, specSpan, specTraces, toProtobuf } from './telemetry-fixtures.js';

const limits = defaultIngestLimits(72);

function request(count: number): Buffer {
  const traceId = hexId(16);
  const root = hexId(8);
  const spans = Array.from({ length: count }, (_, i) =>
    specSpan({
      traceId,
      spanId: i === 0 ? root : hexId(8),
      ...(i === 0 ? {} : { parentSpanId: root }),
      kind: i === 0 ? 2 : 3,
      name: `op-${i % 3}`,
      status: { code: i % 5 === 0 ? 2 : 0 },
      attributes: [
        { key: 'db.system', value: { stringValue: 'postgresql' } },
        { key: 'server.address', value: { stringValue: `db-${i % 2}` } },
        { key: 'http.route', value: { stringValue: '/items/:id' } },
        { key: 'retries', value: { intValue: String(i) } },
      ],
    }),
  );
  // One span no receiver accepts: it is counted, not described.
  spans.push(specSpan({ traceId, startNs: nowNs(-400 * 3_600_000) }));
  return toProtobuf('traces', specTraces(spans, 'checkout'));
}

describe('SpanEncoder', () => {
  it('describes the accepted spans as the inline decoder records them', () => {
    const body = request(40);
    const inline = decodeTraces(body, limits);
    const encoder = new SpanEncoder({
      limits,
      attributeKeys: ['db.system', 'server.address'],
      attributeSpanKinds: [3],
      samplesPerRequest: 8,
    });
    const encoded = encoder.encode(body, 'protobuf');
    const batch = encodedBatch(structuredClone(encoded));

    assert.equal(batch.received, 41);
    assert.equal(batch.rejections.count, 1);
    assert.equal(batch.rejections.message('spans'), inline.rejections.message('spans'));
    assert.match(batch.rejections.message('spans'), /older than the retention/);
    assert.deepEqual(
      deserialize(encoded.rows),
      inline.spans.map((s, i) => spanRow(s, inline.resourceIds[i] as string)),
    );
    assert.deepEqual(
      batch.resources,
      inline.resources.map((r) => ({ id: r.id, service: r.service, json: r.json })),
    );
    assert.equal(batch.spans.length, 40);
    batch.spans.forEach((span, i) => {
      const record = inline.spans[i];
      assert.ok(record);
      const { attributes, ...rest } = span;
      assert.deepEqual(rest, {
        traceId: record.traceId,
        spanId: record.spanId,
        parentSpanId: record.parentSpanId,
        service: record.service,
        name: record.name,
        kind: record.kind,
        startNs: record.startNs,
        durationNs: record.durationNs,
        statusCode: record.statusCode,
      });
      // Only the keys listeners read travel, of the kinds of spans they read them of (here
      // CLIENT: the root is a SERVER span); the rest stays in the stored row.
      assert.deepEqual(
        attributes,
        i === 0
          ? {}
          : { 'db.system': record.attributes['db.system'], 'server.address': record.attributes['server.address'] },
      );
    });
    assert.equal(batch.samples.length, 8);
    for (const sample of batch.samples) {
      assert.equal(sample.signal, 'spans');
      assert.equal(sample.service, 'checkout');
      assert.deepEqual(Object.keys(sample.attributes), ['db.system', 'server.address', 'http.route', 'retries']);
    }
  });

  it('hands over every attribute when a listener reads them all, and samples other spans next time', () => {
    const body = request(40);
    const encoder = new SpanEncoder({ limits, attributeKeys: null, attributeSpanKinds: null, samplesPerRequest: 8 });
    const first = encodedBatch(encoder.encode(body, 'protobuf'));
    assert.equal(Object.keys(first.spans[0]?.attributes ?? {}).length, 4);
    assert.equal(Object.keys(first.spans[3]?.attributes ?? {}).length, 4);
    const second = encodedBatch(encoder.encode(body, 'protobuf'));
    const retries = (samples: typeof first.samples) => samples.map((s) => s.attributes.retries);
    assert.notDeepEqual(retries(first.samples), retries(second.samples));
  });
});

describe('SpanDecodeThreads', () => {
  const threads = (maxPendingBytes = 64 * 1024 * 1024) =>
    new SpanDecodeThreads({
      threads: 2,
      limits,
      attributeKeys: ['db.system'],
      attributeSpanKinds: null,
      samplesPerRequest: 16,
      maxPendingBytes,
      logger: pino({ level: 'silent' }),
    });

  it('decodes on its threads, protobuf and JSON, and refuses what is not a request', async () => {
    const decoder = threads();
    try {
      const bodies = Array.from({ length: 6 }, () => request(100));
      const batches = await Promise.all(bodies.map((b) => decoder.decode(Buffer.from(b), 'protobuf')));
      batches.forEach((batch, i) => {
        assert.equal(batch.spans.length, 100);
        assert.equal(batch.spans[0]?.traceId, decodeTraces(bodies[i] as Buffer, limits).spans[0]?.traceId);
        assert.equal((deserialize(batch.rows) as unknown[][]).length, 100);
      });
      const json = Buffer.from(JSON.stringify(specTraces([specSpan({ name: 'from json' })])));
      const fromJson = await decoder.decode(json, 'json');
      assert.equal(fromJson.spans[0]?.name, 'from json');
      await assert.rejects(decoder.decode(Buffer.from([0x0a, 0xff, 0xff]), 'protobuf'), UndecodablePayload);
      await assert.rejects(decoder.decode(Buffer.from('{"resourceSpans": 7'), 'json'), UndecodablePayload);
      // A slice of a larger buffer is copied, not taken away from its owner.
      const shared = Buffer.concat([Buffer.alloc(16), request(10)]);
      const slice = shared.subarray(16);
      assert.equal((await decoder.decode(slice, 'protobuf')).spans.length, 10);
      assert.equal(shared.length, slice.length + 16);
    } finally {
      await decoder.close();
    }
  });

  it('warm() starts every thread and returns once each has loaded, so no request waits for it', async () => {
    const decoder = threads();
    try {
      assert.equal(decoder.readyThreads, 0, 'threads start on demand');
      await decoder.warm();
      assert.equal(decoder.readyThreads, 2);
      assert.equal((await decoder.decode(request(10), 'protobuf')).spans.length, 10);
      await decoder.warm(); // again: nothing more to start
      assert.equal(decoder.readyThreads, 2);
    } finally {
      await decoder.close();
    }
    assert.equal(decoder.readyThreads, 0);
  });

  it('is saturated while more bytes than its bound wait, and waits for them on close', async () => {
    const body = request(200);
    const decoder = threads(body.length * 2);
    const pending = [decoder.decode(Buffer.from(body), 'protobuf'), decoder.decode(Buffer.from(body), 'protobuf')];
    assert.equal(decoder.saturated, true);
    const closing = decoder.close();
    const batches = await Promise.all(pending);
    assert.deepEqual(
      batches.map((b) => b.spans.length),
      [200, 200],
    );
    assert.equal(decoder.saturated, false);
    await closing;
    await assert.rejects(decoder.decode(Buffer.from(body), 'protobuf'), /shutting down/);
  });
});

describe('encoded spans on the SQLite writer thread', () => {
  it('moves the rows to the writer and back, so a batch of a failed group commits alone', async () => {
    const store = await createTestStore('sqlite');
    const server = await startServer({ store: store.url });
    try {
      const telemetry = server.app.modules.get('telemetry') as TelemetryModule;
      const encoder = new SpanEncoder({ limits, attributeKeys: [], attributeSpanKinds: [], samplesPerRequest: 4 });
      const good = encodedBatch(encoder.encode(request(30), 'protobuf'));
      const bad = encodedBatch(encoder.encode(request(30), 'protobuf'));
      // A row SQLite refuses (no name): the group holding both fails, then each goes alone.
      const rows = deserialize(bad.rows) as unknown[][];
      (rows[0] as unknown[])[4] = null;
      bad.rows = ownBuffer(serialize(rows));
      const [stored, refused] = await Promise.allSettled([
        telemetry.ingest.storeSpans(good),
        telemetry.ingest.storeSpans(bad),
      ]);
      assert.equal(stored.status, 'fulfilled');
      assert.equal(refused.status, 'rejected');
      assert.match(String((refused as PromiseRejectedResult).reason), /NOT NULL/);
      const { rows: counted } = await sql<{ trace_id: string; n: number }>`
        select trace_id, count(*) as n from spans group by trace_id`.execute(server.app.context.store.db);
      assert.deepEqual(counted, [{ trace_id: good.spans[0]?.traceId, n: 30 }]);
    } finally {
      await server.close();
      await store.cleanup();
    }
  });
});
