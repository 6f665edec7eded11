// Trace requests answered once journaled: the answer does not wait for the commit, a store that
// fails is tried again from the journal until it takes the spans, what is journaled and not yet
// stored is bounded, and the next start stores what a run that died had not.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { deserialize } from 'node:v8';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { SpanDecodeThreads } from '../src/telemetry/ingest/decode-thread.js';
import { QueueFullError } from '../src/telemetry/ingest/group-commit-queue.js';
import { IngestService } from '../src/telemetry/ingest/ingest-service.js';
import { JournaledSpanIngest } from '../src/telemetry/ingest/journaled-ingest.js';
import type { EncodedSpanBatch } from '../src/telemetry/ingest/span-decoding.js';
import { TraceJournal } from '../src/telemetry/ingest/trace-journal.js';
import type { CommittedSpan } from '../src/telemetry/model.js';
import { defaultIngestLimits } from '../src/telemetry/otlp/limits.js';
import { TelemetryCatalog } from '../src/telemetry/storage/catalog.js';
import type { TelemetryWriter, WriteGroup } from '../src/telemetry/storage/write-group.js';
import { hexId, specSpan, specTraces, toProtobuf } from './telemetry-fixtures.js';

const logger = pino({ level: 'silent' });

/** A store whose first `failures` writes fail; it keeps the span ids of each write that succeeds. */
class FlakyStore implements TelemetryWriter {
  attempts = 0;
  readonly spanIds = new Set<string>();
  constructor(public failures: number) {}
  async write(group: WriteGroup): Promise<number> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('disk I/O error');
    }
    let added = 0;
    for (const chunk of group.spanChunks) {
      for (const row of deserialize(chunk) as unknown[][]) {
        const id = row[1] as string;
        if (!this.spanIds.has(id)) added++;
        this.spanIds.add(id);
      }
    }
    return added;
  }
}

function request(count: number): Buffer {
  const traceId = hexId(16);
  return toProtobuf(
    'traces',
    specTraces(
      Array.from({ length: count }, () => specSpan({ traceId })),
      'checkout',
    ),
  );
}

let dir: string;
let decoder: SpanDecodeThreads;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signalbox-journaled-'));
  decoder = new SpanDecodeThreads({
    threads: 1,
    limits: defaultIngestLimits(72),
    attributeKeys: null,
    attributeSpanKinds: null,
    samplesPerRequest: 8,
    maxPendingBytes: 64 * 1024 * 1024,
    logger,
  });
});
afterEach(async () => {
  await decoder.close();
  rmSync(dir, { recursive: true, force: true });
});

function journaledOver(
  store: TelemetryWriter,
  heard: CommittedSpan[] = [],
  maxUnstoredSpans = 10_000,
  registry = new Registry(),
) {
  const ingest = new IngestService(store, new TelemetryCatalog(), {
    maxQueuedItems: 10_000,
    maxItemsPerCommit: 1_000,
    maxConcurrentCommits: 2,
    spanListeners: [{ onSpans: (spans) => heard.push(...spans) }],
    logListeners: [],
    logger,
    registry: new Registry(),
  });
  const journal = new TraceJournal(dir);
  const journaled = new JournaledSpanIngest(journal, ingest, decoder, {
    maxUnstoredSpans,
    logger,
    retryMs: 10,
    registry,
  });
  return { ingest, journal, journaled };
}

async function accept(journaled: JournaledSpanIngest, spans: number): Promise<void> {
  const batch = (await decoder.decode(request(spans), 'protobuf')) as EncodedSpanBatch;
  assert.ok(batch.body, 'the decode thread hands the body back');
  journaled.accept(batch, batch.body, 'protobuf');
}

describe('journaled trace ingest', () => {
  it('answers before the commit, and tries a failing store again from the journal until it stores', async () => {
    const store = new FlakyStore(2);
    const registry = new Registry();
    const { ingest, journal, journaled } = journaledOver(store, [], 10_000, registry);
    await accept(journaled, 40);
    assert.equal(store.spanIds.size, 0, 'accepted before anything was committed');
    assert.equal(journal.unstoredItems, 40);
    assert.match(await registry.metrics(), /^signalbox_ingest_journal_unstored_spans 40$/m);
    await journaled.caughtUp(10_000);
    const metrics = await registry.metrics();
    assert.match(metrics, /^signalbox_ingest_journal_unstored_spans 0$/m);
    assert.match(metrics, /^signalbox_ingest_journal_failed_commits_total 2$/m);
    assert.equal(store.spanIds.size, 40, 'stored once the store took it');
    assert.equal(store.attempts, 3, 'two failures, then the commit that worked');
    assert.equal(journal.unstoredItems, 0);
    journaled.close();
    await ingest.close();
    assert.deepEqual(readdirSync(dir), [], 'the journal is empty once everything is stored');
  });

  it('gives up, loudly, on spans the store refuses whatever the moment (a constraint)', async () => {
    const store: TelemetryWriter = {
      write: async () => {
        throw Object.assign(new Error('NOT NULL constraint failed: spans.name'), { code: 'SQLITE_CONSTRAINT_NOTNULL' });
      },
    };
    const { ingest, journal, journaled } = journaledOver(store);
    await accept(journaled, 25);
    await journaled.caughtUp(10_000);
    assert.equal(journal.unstoredItems, 0, 'not tried again at every start');
    journaled.close();
    await ingest.close();
    assert.deepEqual(readdirSync(dir), []);
  });

  it('keeps an earlier run’s journal for the next start when the store cannot take it now', async () => {
    const down = new FlakyStore(Number.POSITIVE_INFINITY);
    const first = journaledOver(down);
    await accept(first.journaled, 30);
    first.journaled.close();
    await first.ingest.close();
    const second = journaledOver(down);
    assert.equal(await second.journaled.replay(), 0, 'the store is still down');
    second.journaled.close();
    await second.ingest.close();
    const store = new FlakyStore(0);
    const third = journaledOver(store);
    assert.equal(await third.journaled.replay(), 30, 'stored at the start after');
    third.journaled.close();
    await third.ingest.close();
    assert.equal(store.spanIds.size, 30);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses more once the spans journaled and not yet stored reach the bound', async () => {
    const store = new FlakyStore(Number.POSITIVE_INFINITY);
    const { ingest, journaled } = journaledOver(store, [], 60);
    await accept(journaled, 40);
    await assert.rejects(accept(journaled, 40), QueueFullError);
    assert.equal(journaled.saturated, false, '40 of 60');
    await accept(journaled, 20);
    assert.equal(journaled.saturated, true);
    journaled.close();
    await ingest.close();
  });

  it('stores at the next start what a run that died had journaled, and tells listeners only of what is new', async () => {
    const down = new FlakyStore(Number.POSITIVE_INFINITY);
    const first = journaledOver(down);
    await accept(first.journaled, 30);
    await accept(first.journaled, 50);
    // The run ends without its store ever taking the spans (it was killed; they stay journaled).
    first.journaled.close();
    await first.ingest.close();
    assert.equal(down.spanIds.size, 0);

    const store = new FlakyStore(0);
    const heard: CommittedSpan[] = [];
    const second = journaledOver(store, heard);
    assert.equal(await second.journaled.replay(), 80);
    assert.equal(store.spanIds.size, 80);
    await new Promise((r) => setImmediate(r));
    assert.equal(heard.length, 80, 'listeners hear of spans stored for the first time');
    second.journaled.close();
    await second.ingest.close();

    // A run that stored one record and died before storing the next: the next start stores
    // both again; the first adds nothing, and listeners do not count its spans twice.
    const third = journaledOver(store, heard);
    await accept(third.journaled, 10);
    await third.journaled.caughtUp(10_000);
    store.failures = Number.POSITIVE_INFINITY;
    await accept(third.journaled, 20);
    third.journaled.close();
    await third.ingest.close();
    assert.equal(heard.length, 90);
    store.failures = 0;
    const fourth = journaledOver(store, heard);
    assert.equal(await fourth.journaled.replay(), 30, 'both records stored again');
    assert.equal(store.spanIds.size, 110);
    await new Promise((r) => setImmediate(r));
    assert.equal(heard.length, 110, 'listeners heard of the 20 new spans only');
    fourth.journaled.close();
    await fourth.ingest.close();
  });
});
