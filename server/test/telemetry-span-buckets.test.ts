// SQLite finds spans by service and start time through (service, start_ns >> 34) (see
// storage/span-start-buckets.ts). These tests hold the readers to that index: every query that
// search, retention and the canary comparison run on spans is an index search (an expression
// written differently from the index's would silently scan the table), and answers stay exact
// across bucket boundaries, for spans stored out of start order and for ties at chunk edges.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type Sqlite from 'better-sqlite3';
import { compareInstances } from '../src/config/instance-red.js';
import { openStore, type Store } from '../src/store/store.js';
import { TraceQueries } from '../src/telemetry/query/trace-queries.js';
import { startBucket } from '../src/telemetry/storage/span-start-buckets.js';
import { SqliteTelemetryOps } from '../src/telemetry/storage/sqlite-telemetry-ops.js';
import { planOf, type Recorded, recordStatements } from './helpers/sqlite-statements.js';

const SECOND = 1_000_000_000n;
/** Each start is shared by this many spans (of different traces): ties everywhere. */
const TIES = 3;
const STARTS = 800;

function hex(n: number, length: number): string {
  return n.toString(16).padStart(length, '0');
}

describe('spans by service and start bucket [sqlite]', () => {
  let dir: string;
  let store: Store;
  let ops: SqliteTelemetryOps;
  let traces: TraceQueries;
  const recorded: Recorded[] = [];
  // Starts one every 200 ms over 160 s: about ten buckets of 2^34 ns.
  const newest = ((BigInt(Date.now()) * 1_000_000n) / SECOND) * SECOND;
  const startOf = (i: number) => newest - BigInt(i) * (SECOND / 5n);
  /** checkout's trace ids by start index, newest (0) first. */
  const checkout: string[][] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'signalbox-buckets-'));
    store = await openStore(`sqlite:${join(dir, 'signalbox.db')}`);
    await store.migrate();
    const sqlite = store.sqlite as Sqlite.Database;
    ops = new SqliteTelemetryOps(sqlite, 'telemetry');
    traces = new TraceQueries(store);
    const rows: unknown[][] = [];
    const span = (traceId: string, service: string, kind: number, startNs: bigint) =>
      rows.push([
        traceId,
        hex(rows.length, 16),
        null,
        service,
        'op',
        kind,
        startNs,
        1000n,
        0,
        '',
        '{}',
        '[]',
        '[]',
        'r',
        's',
        '1',
      ]);
    for (let i = 0; i < STARTS; i++) {
      checkout[i] = [];
      for (let t = 0; t < TIES; t++) {
        const traceId = hex(i * TIES + t, 32);
        checkout[i]?.push(traceId);
        span(traceId, 'checkout', 2, startOf(i));
      }
    }
    // Other services, older than all of checkout's spans.
    for (let i = 0; i < 50; i++) span(hex(1_000_000 + i, 32), i % 2 ? 'cart' : 'payments', 3, startOf(STARTS + 10 + i));
    // Stored in no particular order of start (arrival order is not start order).
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [rows[i], rows[j]] = [rows[j] as unknown[], rows[i] as unknown[]];
    }
    // A search without a service goes through the services that have resources.
    const resources = ['checkout', 'cart', 'payments'].map((s): [string, string, string] => [s, s, '{}']);
    const nothing = { spanChunks: [], logs: [], operations: [], attributeKeys: [], attributeValues: [] };
    ops.write({ ...nothing, resources, spans: rows, nowMs: Date.now() });
    sqlite.exec('analyze telemetry');
    recordStatements(sqlite, recorded);
    assert.ok(startBucket(startOf(0)) - startBucket(startOf(STARTS - 1)) >= 8n, 'the spans cover several buckets');
  });
  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const search = (o: { service?: string; fromNs?: bigint; toNs?: bigint; limit: number }) =>
    traces.search({
      service: o.service,
      attributes: [],
      errorsOnly: false,
      fromNs: o.fromNs ?? newest - 3600n * SECOND,
      toNs: o.toNs ?? newest + SECOND,
      limit: o.limit,
    });

  const newestFirst = (starts: bigint[]) => starts.every((start, i) => i === 0 || start <= (starts[i - 1] as bigint));

  it('finds the newest traces of a service across buckets, whole tie groups, in start order', async () => {
    // 300 traces = the 100 newest starts; chunks of 1,200 rows and their ties cross many buckets.
    for (const limit of [300, 1500]) {
      const { traces: found, truncated } = await search({ service: 'checkout', limit });
      assert.equal(truncated, false);
      assert.deepEqual(
        new Set(found.map((t) => t.traceId)),
        new Set(checkout.slice(0, limit / TIES).flat()),
        `limit ${limit}`,
      );
      assert.ok(newestFirst(found.map((t) => t.startNs)));
    }
  });

  it('merges the services when the search names none', async () => {
    const { traces: found } = await search({ limit: 600 });
    assert.deepEqual(new Set(found.map((t) => t.traceId)), new Set(checkout.slice(0, 200).flat()));
    const all = await search({ limit: STARTS * TIES + 100 });
    assert.equal(all.traces.length, STARTS * TIES + 50);
    assert.ok(newestFirst(all.traces.map((t) => t.startNs)));
  });

  it('keeps to a window whose edges fall inside buckets', async () => {
    // [start 650, start 130): edges 1 ns off a bucket boundary would not change the answer.
    const { traces: found } = await search({
      service: 'checkout',
      fromNs: startOf(649),
      toNs: startOf(129),
      limit: 10_000,
    });
    assert.deepEqual(new Set(found.map((t) => t.traceId)), new Set(checkout.slice(130, 650).flat()));
  });

  it('serves every span query of search, retention and the canary comparison from an index', async () => {
    recorded.length = 0;
    await search({ service: 'checkout', limit: 300 });
    await search({ limit: 300 });
    ops.oldest('spans', 'checkout');
    ops.deleteBefore('spans', 'nobody', newest, 10);
    await compareInstances(store, 'checkout', Date.now() - 60_000, Date.now(), () => false);
    const onSpans = recorded.filter((r) => /\bfrom spans\b/i.test(r.sql));
    assert.ok(onSpans.length >= 6, `${onSpans.length} span queries recorded`);
    const sqlite = store.sqlite as Sqlite.Database;
    for (const statement of onSpans) {
      const { sql } = statement;
      const plan = planOf(sqlite, statement);
      assert.ok(!plan.some((line) => /^SCAN (spans|s)\b/.test(line)), `${sql}\n${plan.join('\n')}`);
      if (/\bservice = \?/.test(sql) && /start_ns/.test(sql)) {
        // Bounded by bucket, not only by service (which would read all of the service's spans).
        assert.ok(
          plan.some((line) => /spans_service_bucket \(service=\? AND <expr>/.test(line)),
          `${sql}\n${plan.join('\n')}`,
        );
      }
    }
  });

  it('retention finds the oldest start and deletes exactly the spans before a cutoff', async () => {
    assert.equal(ops.oldest('spans', 'checkout'), String(startOf(STARTS - 1)));
    assert.equal(ops.oldest('spans', 'nobody'), null);
    // Cut inside a bucket: start 700 goes, start 699 stays.
    const cutoff = startOf(699) - 1n;
    let deleted = 0;
    for (let n = -1; n !== 0; deleted += n) n = ops.deleteBefore('spans', 'checkout', cutoff, 64);
    assert.equal(deleted, (STARTS - 700) * TIES);
    assert.equal(ops.oldest('spans', 'checkout'), String(startOf(699)));
  });
});
