// Once the server says it has started, the receiver is ready: the decode and SQLite writer
// threads (and the checkpointer) load before that line, so the first request after a start or
// restart is answered in milliseconds. Loading them on that request took over a second, enough
// for an exporter with a short timeout to give up on its first batch after a restart.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawnServer } from './helpers/server.js';
import { createTestStore } from './helpers/stores.js';
import { hexId, postOtlp, specSpan, specTraces, toProtobuf } from './telemetry-fixtures.js';

/** Well above a warm request on a busy machine, well below loading the threads on demand. */
const FIRST_REQUEST_BUDGET_MS = 750;

describe('OTLP receiver right after start [sqlite file]', () => {
  it('answers the first trace request without waiting for its threads to load', async () => {
    const store = await createTestStore('sqlite');
    const server = await spawnServer(['--store', store.url]);
    try {
      const traceId = hexId(16);
      const body = toProtobuf('traces', specTraces([specSpan({ traceId })], 'first'));
      const started = performance.now();
      const response = await postOtlp(server.otlpUrl, 'traces', body);
      const elapsed = performance.now() - started;
      assert.equal(response.status, 200);
      assert.ok(elapsed < FIRST_REQUEST_BUDGET_MS, `the first request took ${elapsed.toFixed(0)} ms`);
      const stored = await fetch(`${server.apiUrl}/api/v1/traces/${traceId}`);
      assert.equal(stored.status, 200);
    } finally {
      await server.stop();
      await store.cleanup();
    }
  });
});
