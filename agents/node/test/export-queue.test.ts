// The bounded export queue against a scripted receiver function (the queue's only collaborator),
// and the OTLP exporter adapter against a real exporter and a local HTTP receiver.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { type ReadableSpan, TracerProvider } from '@opentelemetry/sdk-trace';
import type { AgentLogger } from '../src/logger.js';
import type { QueueSettings } from '../src/settings.js';
import { type ExportOutcome, ExportQueue } from '../src/telemetry/export-queue.js';
import { exportWith } from '../src/telemetry/processors.js';
import { keepEventLoopAlive } from './helpers/event-loop.js';

keepEventLoopAlive();

const quiet: AgentLogger = { debug() {}, info() {}, warn() {}, error() {} };

function settings(overrides: Partial<QueueSettings> = {}): QueueSettings {
  return {
    maxQueueSize: 100,
    maxBatchSize: 10,
    exportIntervalMs: 20,
    exportTimeoutMs: 1_000,
    retryInitialMs: 10,
    retryMaxMs: 40,
    ...overrides,
  };
}

/** A receiver that answers each batch with the next scripted outcome (success once the script runs out). */
function scripted(outcomes: ExportOutcome[]) {
  const batches: number[][] = [];
  const send = async (batch: number[]): Promise<ExportOutcome> => {
    batches.push([...batch]);
    return outcomes.shift() ?? { code: 'success' };
  };
  return { batches, send };
}

async function until(predicate: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('ExportQueue', () => {
  it('holds at most maxQueueSize items and counts every one it drops', async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sent: number[][] = [];
    const queue = new ExportQueue<number>(
      'test',
      async (batch) => {
        sent.push([...batch]);
        await gate;
        return { code: 'success' };
      },
      settings({ maxQueueSize: 5, maxBatchSize: 5 }),
      quiet,
    );
    const accepted = Array.from({ length: 20 }, (_, i) => queue.push(i));
    assert.equal(accepted.filter(Boolean).length, 5);
    assert.deepEqual(queue.stats().queued, 5);
    assert.equal(queue.stats().dropped, 15);
    release?.();
    await until(() => queue.stats().exported === 5);
    assert.deepEqual(sent, [[0, 1, 2, 3, 4]]);
    assert.equal(queue.stats().queued, 0);
  });

  it('keeps a failed batch at the head and retries it, in order, after a backoff', async () => {
    const receiver = scripted([
      { code: 'retryable', error: 'ECONNREFUSED' },
      { code: 'retryable', error: 'ECONNREFUSED' },
    ]);
    const queue = new ExportQueue<number>('test', receiver.send, settings({ maxBatchSize: 3 }), quiet);
    for (let i = 0; i < 6; i++) queue.push(i);
    await until(() => queue.stats().exported === 6);
    assert.deepEqual(receiver.batches, [
      [0, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
      [3, 4, 5],
    ]);
    const stats = queue.stats();
    assert.equal(stats.failedExports, 2);
    assert.equal(stats.dropped, 0);
    assert.equal(stats.lastError, 'ECONNREFUSED');
  });

  it('drops and counts a batch the receiver refuses, without retrying it', async () => {
    const receiver = scripted([{ code: 'rejected', error: '400 bad payload' }]);
    const queue = new ExportQueue<number>('test', receiver.send, settings({ maxBatchSize: 2 }), quiet);
    for (let i = 0; i < 4; i++) queue.push(i);
    await until(() => queue.stats().exported === 2);
    assert.deepEqual(receiver.batches, [
      [0, 1],
      [2, 3],
    ]);
    assert.equal(queue.stats().rejected, 2);
  });

  it('sends a partial batch once the export interval has passed', async () => {
    const receiver = scripted([]);
    const queue = new ExportQueue<number>('test', receiver.send, settings({ exportIntervalMs: 30 }), quiet);
    queue.push(1);
    assert.equal(receiver.batches.length, 0);
    await until(() => receiver.batches.length === 1);
    assert.deepEqual(receiver.batches[0], [1]);
  });

  it('flush() gives up at its deadline when the receiver hangs, and shutdown() counts what is left', async () => {
    const queue = new ExportQueue<number>('test', () => new Promise<ExportOutcome>(() => {}), settings(), quiet);
    for (let i = 0; i < 15; i++) queue.push(i);
    const started = Date.now();
    assert.equal(await queue.flush(100), false);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 95 && elapsed < 400, `flush returned after ${elapsed} ms`);
    assert.equal(await queue.shutdown(50), false);
    assert.equal(queue.stats().dropped, 15);
    assert.equal(queue.push(99), false);
    assert.equal(queue.stats().dropped, 16);
  });

  it('flush() sends everything queued, ignoring the retry backoff', async () => {
    const receiver = scripted([{ code: 'retryable', error: 'down' }]);
    const queue = new ExportQueue<number>(
      'test',
      receiver.send,
      settings({ maxBatchSize: 4, exportIntervalMs: 60_000, retryInitialMs: 60_000, retryMaxMs: 60_000 }),
      quiet,
    );
    for (let i = 0; i < 4; i++) queue.push(i);
    await until(() => queue.stats().failedExports === 1);
    // The next retry is a minute away; flush does not wait for it.
    for (let i = 4; i < 10; i++) queue.push(i);
    assert.equal(await queue.flush(1_000), true);
    assert.equal(queue.stats().exported, 10);
  });
});

describe('exportWith (OTLP exporter outcomes)', () => {
  let server: Server;
  let url: string;
  let status = 200;

  before(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function oneSpan(): ReadableSpan[] {
    const spans: ReadableSpan[] = [];
    const provider = new TracerProvider({
      spanProcessors: [
        {
          onStart() {},
          onEnd: (span: ReadableSpan) => spans.push(span),
          forceFlush: async () => {},
          shutdown: async () => {},
        },
      ],
    });
    provider.getTracer('test').startSpan('work').end();
    return spans;
  }

  it('maps 200 to success, 400 to rejected, and refused connections to retryable', async () => {
    const exporter = new OTLPTraceExporter({ url, timeoutMillis: 500 });
    const send = exportWith(exporter);
    status = 200;
    assert.deepEqual(await send(oneSpan()), { code: 'success' });
    status = 400;
    assert.equal((await send(oneSpan())).code, 'rejected');
    await exporter.shutdown();

    const refused = new OTLPTraceExporter({ url: 'http://127.0.0.1:9/v1/traces', timeoutMillis: 300 });
    const outcome = await exportWith(refused)(oneSpan());
    assert.equal(outcome.code, 'retryable');
    assert.match((outcome as { error: string }).error, /ECONNREFUSED/);
    await refused.shutdown();
  });
});
