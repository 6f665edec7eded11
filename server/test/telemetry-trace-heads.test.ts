// SQLite finds a trace's spans through one index entry per trace per commit, its head (see
// storage/span-trace-heads.ts). These tests hold the writer and the readers to it: traces whose
// spans came in many commits and out of order are found whole, a retried batch stores nothing
// twice (also within one commit, and against spans stored before the heads existed), retention
// never strands spans of a trace, and every read by trace id is an index search.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serialize } from 'node:v8';
import type Sqlite from 'better-sqlite3';
import { openStore, type Store } from '../src/store/store.js';
import { TraceQueries } from '../src/telemetry/query/trace-queries.js';
import { headedRows, TRACE_ROWS } from '../src/telemetry/storage/span-trace-heads.js';
import { SqliteTelemetryOps, type SqliteWriteRows } from '../src/telemetry/storage/sqlite-telemetry-ops.js';
import { planOf, type Recorded, recordStatements } from './helpers/sqlite-statements.js';

const SECOND = 1_000_000_000n;
const now = BigInt(Date.now()) * 1_000_000n;

function hex(n: number, length: number): string {
  return n.toString(16).padStart(length, '0');
}

/** A span row in the order of SqliteWriteRows.spans. */
function row(traceId: string, spanId: string, startNs: bigint, service = 'checkout', parent: string | null = null) {
  return [traceId, spanId, parent, service, 'op', 2, startNs, 1000n, 0, '', '{}', '[]', '[]', 'r', 's', '1'];
}

const NOTHING = { spanChunks: [], logs: [], operations: [], attributeKeys: [], attributeValues: [] };

describe('headedRows', () => {
  it('puts each trace together in start order, marks its last row with the count, and drops repeats', () => {
    const rows = [
      row('a', '1', 30n),
      row('b', '1', 10n),
      row('a', '2', 10n),
      row('a', '1', 30n), // the same span again in the same commit
      row('c', '9', 5n),
      row('a', '3', 20n),
      row('c', '8', 1n), // stored already
    ];
    const out = headedRows(rows, (traceId) => (traceId === 'c' ? ['8'] : []));
    assert.deepEqual(
      out.map((r) => [r[0], r[1], r[TRACE_ROWS]]),
      [
        ['a', '2', null],
        ['a', '3', null],
        ['a', '1', 3],
        ['b', '1', 1],
        ['c', '9', 1],
      ],
    );
  });
});

describe('spans by trace through heads [sqlite]', () => {
  let dir: string;
  let store: Store;
  let sqlite: Sqlite.Database;
  let ops: SqliteTelemetryOps;
  let traces: TraceQueries;
  const write = (spans: unknown[][]) =>
    ops.write({ ...NOTHING, resources: [['r', 'checkout', '{}']], spans, nowMs: Date.now() } as SqliteWriteRows);
  const spanIds = async (traceId: string) => (await traces.trace(traceId))?.map((s) => s.spanId).sort() ?? [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'signalbox-heads-'));
    store = await openStore(`sqlite:${join(dir, 'signalbox.db')}`);
    await store.migrate();
    sqlite = store.sqlite as Sqlite.Database;
    ops = new SqliteTelemetryOps(sqlite, 'telemetry');
    traces = new TraceQueries(store);
  });
  after(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds a trace whose spans came in many commits, interleaved with other traces, out of order', async () => {
    const big = hex(1, 32);
    const expected: string[] = [];
    // 12,000 spans in 40 commits, each also holding spans of 50 other traces; starts shuffled.
    for (let commit = 0; commit < 40; commit++) {
      const rows: unknown[][] = [];
      for (let i = 0; i < 300; i++) {
        const spanId = hex(commit * 300 + i, 16);
        expected.push(spanId);
        rows.push(row(big, spanId, now - BigInt((commit * 7919 + i * 104_729) % 100_000) * 1000n));
        if (i % 6 === 0) rows.push(row(hex(1000 + commit * 50 + i / 6, 32), hex(i, 16), now - BigInt(i) * 1000n));
      }
      write(rows);
    }
    const found = await traces.trace(big);
    assert.equal(found?.length, 12_000);
    assert.deepEqual(found?.map((s) => s.spanId).sort(), expected.sort());
    assert.ok(
      found?.every((s, i) => i === 0 || s.startNs >= (found[i - 1]?.startNs ?? 0n)),
      'oldest first',
    );
    // One head per commit, not one per span.
    const heads = sqlite.prepare(
      'select count(*) as n from telemetry.spans where trace_id = ? and trace_rows is not null',
    );
    assert.equal((heads.get(big) as { n: number }).n, 40);
    assert.deepEqual(await spanIds(hex(1000 + 3 * 50 + 2, 32)), [hex(12, 16)]);
    const [summary] = await traces.summaries([big]);
    assert.equal(summary?.spanCount, 12_000);
  });

  it('stores a retried batch once, whether it comes alone, twice in one commit, or overlapping', async () => {
    const traceId = hex(2, 32);
    const batch = [0, 1, 2].map((i) => row(traceId, hex(i, 16), now - BigInt(i) * SECOND));
    write(batch.map((r) => [...r]));
    write(batch.map((r) => [...r]));
    write([...batch.map((r) => [...r]), ...batch.map((r) => [...r]), row(traceId, hex(3, 16), now)]);
    assert.deepEqual(
      await spanIds(traceId),
      [0, 1, 2, 3].map((i) => hex(i, 16)),
    );
  });

  it('gives a trace one head per commit, also when its spans came in several requests of it', async () => {
    // Decode threads hand their requests' rows over serialized, one chunk per request.
    const traceId = hex(5, 32);
    const chunk = (ids: number[]) =>
      new Uint8Array(serialize(ids.map((i) => row(traceId, hex(i, 16), now - BigInt(i)))));
    ops.write({
      ...NOTHING,
      resources: [],
      spans: [row(traceId, hex(9, 16), now - 9n)],
      spanChunks: [chunk([0, 1]), chunk([2, 3, 1])],
      nowMs: Date.now(),
    } as SqliteWriteRows);
    assert.deepEqual(
      await spanIds(traceId),
      [0, 1, 2, 3, 9].map((i) => hex(i, 16)),
    );
    const heads = sqlite.prepare(
      'select trace_rows as n from telemetry.spans where trace_id = ? and trace_rows is not null',
    );
    assert.deepEqual(heads.all(traceId), [{ n: 5 }]);
  });

  it('reads spans stored before the heads existed, and does not store them again', async () => {
    // Rows from before migration 0008: trace_rows is the column's default (1), each its own head.
    const traceId = hex(3, 32);
    const insert = sqlite.prepare(`insert into telemetry.spans (trace_id, span_id, parent_span_id, service, name, kind,
      start_ns, duration_ns, status_code, status_message, attributes, events, links, resource_id, scope_name,
      scope_version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    insert.run(row(traceId, hex(0, 16), now - SECOND));
    insert.run(row(traceId, hex(1, 16), now - 2n * SECOND));
    write([row(traceId, hex(1, 16), now - 2n * SECOND), row(traceId, hex(2, 16), now)]);
    assert.deepEqual(
      await spanIds(traceId),
      [0, 1, 2].map((i) => hex(i, 16)),
    );
  });

  it('keeps what retention leaves of a trace findable (the head is its latest start)', async () => {
    const traceId = hex(4, 32);
    const old = now - 3600n * SECOND;
    // One commit: two old spans of `cart`, two new ones of `checkout`; a cutoff between them.
    write([
      row(traceId, hex(0, 16), old + 1n, 'checkout'),
      row(traceId, hex(1, 16), old, 'cart'),
      row(traceId, hex(2, 16), now, 'checkout'),
      row(traceId, hex(3, 16), now - SECOND, 'cart'),
    ]);
    for (const service of ['cart', 'checkout']) while (ops.deleteBefore('spans', service, old + SECOND, 100) > 0);
    assert.deepEqual(
      await spanIds(traceId),
      [2, 3].map((i) => hex(i, 16)),
    );
  });

  it('reads by trace id through the head index, never scanning spans', async () => {
    const recorded: Recorded[] = [];
    const stop = recordStatements(sqlite, recorded);
    try {
      sqlite.exec('analyze telemetry');
      await traces.trace(hex(2, 32));
      await traces.summaries([hex(2, 32), hex(3, 32)]);
    } finally {
      stop();
    }
    const onSpans = recorded.filter((r) => /\bfrom spans\b/i.test(r.sql));
    assert.ok(onSpans.length >= 3, `${onSpans.length} span queries recorded`);
    for (const statement of onSpans) {
      const { sql } = statement;
      const plan = planOf(sqlite, statement);
      assert.ok(!plan.some((line) => /^SCAN /.test(line)), `${sql}\n${plan.join('\n')}`);
      assert.ok(
        plan.some((line) => /USING (COVERING )?INDEX spans_trace_head/.test(line)),
        `${sql}\n${plan.join('\n')}`,
      );
    }
  });
});
