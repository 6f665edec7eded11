// Span listeners (the topology roll-up) run after a commit's requests are answered, not before:
// what a client waits for is the commit alone. Closing ingest still hands every committed span
// to the listeners before it resolves, so a shutdown's last roll-up flush counts them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import { IngestService } from '../src/telemetry/ingest/ingest-service.js';
import { type CommittedSpan, SpanKind } from '../src/telemetry/model.js';
import { TelemetryCatalog } from '../src/telemetry/storage/catalog.js';
import type { TelemetryWriter, WriteGroup } from '../src/telemetry/storage/write-group.js';
import { span } from './topology-spans.js';

function ingestWith(writer: TelemetryWriter, heard: CommittedSpan[]): IngestService {
  return new IngestService(writer, new TelemetryCatalog(), {
    maxQueuedItems: 10_000,
    maxItemsPerCommit: 1_000,
    maxConcurrentCommits: 2,
    spanListeners: [{ onSpans: (spans) => heard.push(...spans) }],
    logListeners: [],
    logger: pino({ level: 'silent' }),
    registry: new Registry(),
  });
}

describe('ingest listeners', () => {
  it('hears committed spans after their requests are answered, and all of them by the time ingest closes', async () => {
    const written: WriteGroup[] = [];
    const heard: CommittedSpan[] = [];
    const ingest = ingestWith(
      {
        write: async (group) => {
          written.push(group);
          return null;
        },
      },
      heard,
    );
    const spans = Array.from({ length: 5 }, (_, i) =>
      span({ service: 'checkout', kind: SpanKind.SERVER, startMs: Date.now() - i, durationMs: 3 }),
    );
    await Promise.all([ingest.storeRecords(spans.slice(0, 3), []), ingest.storeRecords(spans.slice(3), [])]);
    assert.equal(written.flatMap((g) => g.spans).length, 5, 'committed');
    assert.equal(heard.length, 0, 'answered before the listeners ran');
    await ingest.storeRecords(
      [span({ service: 'cart', kind: SpanKind.SERVER, startMs: Date.now(), durationMs: 1 })],
      [],
    );
    await ingest.close();
    assert.deepEqual(heard.map((s) => s.service).sort(), [
      'cart',
      'checkout',
      'checkout',
      'checkout',
      'checkout',
      'checkout',
    ]);
  });

  it('hands nothing to listeners from a commit that failed', async () => {
    const heard: CommittedSpan[] = [];
    const ingest = ingestWith(
      {
        write: async () => {
          throw new Error('disk full');
        },
      },
      heard,
    );
    const one = span({ service: 'checkout', kind: SpanKind.SERVER, startMs: Date.now(), durationMs: 1 });
    await assert.rejects(ingest.storeRecords([one], []), /disk full/);
    await ingest.close();
    assert.equal(heard.length, 0);
  });
});
