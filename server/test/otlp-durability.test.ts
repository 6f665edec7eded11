// "200 means durable": a server process is killed with SIGKILL right after it acknowledged
// requests, while more are in flight; every span and log record it acknowledged is in the
// store once a server has started again on it (on SQLite, trace requests are answered once
// journaled, and the start stores what the journal holds). On both stores.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStore } from '../src/store/store.js';
import { TraceJournal } from '../src/telemetry/ingest/trace-journal.js';
import { spawnServer, startServer } from './helpers/server.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions } from './helpers/stores.js';
import { getJson, hexId, postOtlp, specLog, specLogs, specSpan, specTraces, toProtobuf } from './telemetry-fixtures.js';

const SPANS = 500;
const LOGS = 200;

for (const kind of STORE_KINDS) {
  describe(`durability of acknowledged data [${kind}]`, storeSuiteOptions(kind), () => {
    it('keeps everything acknowledged when killed -9 right after replying', async () => {
      const store = await createTestStore(kind);
      const server = await spawnServer(['--store', store.url]);
      const acknowledged = { traces: [] as string[], logs: [] as string[] };
      let killed = false;
      const ACKS_BEFORE_KILL = 40;
      try {
        const client = async (n: number) => {
          for (let i = 0; !killed; i++) {
            const traceId = hexId(16);
            const logs = (n + i) % 3 === 0;
            const payload = logs
              ? specLogs(
                  Array.from({ length: LOGS }, () => specLog({ traceId, spanId: hexId(8) })),
                  'durable',
                )
              : specTraces(
                  Array.from({ length: SPANS }, () => specSpan({ traceId })),
                  'durable',
                );
            let status: number;
            try {
              const response = await postOtlp(
                server.otlpUrl,
                logs ? 'logs' : 'traces',
                i % 2 ? toProtobuf(logs ? 'logs' : 'traces', payload) : payload,
              );
              status = response.status;
            } catch {
              return; // the connection died with the server
            }
            if (killed) return;
            assert.equal(status, 200);
            (logs ? acknowledged.logs : acknowledged.traces).push(traceId);
            if (acknowledged.logs.length + acknowledged.traces.length >= ACKS_BEFORE_KILL) {
              // Straight after an acknowledgement, with other requests still in flight.
              killed = true;
              server.child.kill('SIGKILL');
              return;
            }
          }
        };
        // Enough concurrent load that commits queue up: a reply sent before its commit would be lost.
        await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(client));
        await server.kill();
        assert.equal(server.child.signalCode, 'SIGKILL');
      } finally {
        await server.kill();
      }
      // The next start stores what the killed one journaled; then it stops cleanly.
      const restarted = await spawnServer(['--store', store.url]);
      assert.equal(await restarted.stop(), 0);
      const reopened = await openStore(store.url);
      try {
        for (const traceId of acknowledged.traces) {
          const { rows } = await sql<{ n: number | string }>`
            select count(*) as n from spans where trace_id = ${traceId}`.execute(reopened.db);
          assert.equal(
            Number(rows[0]?.n),
            SPANS,
            `trace ${traceId} was acknowledged but has ${rows[0]?.n} of its spans`,
          );
        }
        for (const traceId of acknowledged.logs) {
          const { rows } = await sql<{ n: number | string }>`
            select count(*) as n from logs where trace_id = ${traceId}`.execute(reopened.db);
          assert.equal(Number(rows[0]?.n), LOGS, `logs of ${traceId} were acknowledged but are not all there`);
        }
        assert.ok(acknowledged.traces.length > 0 && acknowledged.logs.length > 0);
      } finally {
        await reopened.close();
        await store.cleanup();
      }
    });
  });
}

describe('the ingest journal at start [sqlite]', () => {
  it('stores what a run that died before its commit journaled, then empties the journal', async () => {
    const store = await createTestStore('sqlite');
    const journalDir = join(dirname(store.url.slice('sqlite:'.length)), 'ingest-journal');
    // What a killed server left: a request answered 200, journaled, never committed.
    const traceId = hexId(16);
    const body = toProtobuf(
      'traces',
      specTraces(
        Array.from({ length: 25 }, () => specSpan({ traceId })),
        'durable',
      ),
    );
    const left = new TraceJournal(journalDir);
    left.append(body, 'protobuf', 25);
    left.close();
    assert.equal(readdirSync(journalDir).length, 1);
    const server = await startServer({ store: store.url });
    try {
      const { status, body: trace } = await getJson<{ spans: unknown[] }>(`${server.apiUrl}/api/v1/traces/${traceId}`);
      assert.equal(status, 200);
      assert.equal(trace.spans.length, 25, 'stored before the server reported itself started');
      assert.deepEqual(readdirSync(journalDir), [], 'the earlier run’s journal is gone once stored');
    } finally {
      await server.close();
      await store.cleanup();
    }
  });
});
