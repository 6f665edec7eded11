// PostgreSQL partitions get statistics from the writer's own checks when autovacuum has not
// (it is off on this machine, as it may be anywhere): without them the summaries of a search
// (`trace_id in (…)`) scan whole partitions. See storage/partition-statistics.ts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { openStore, type Store } from '../src/store/store.js';
import type { SpanRecord } from '../src/telemetry/model.js';
import { PartitionStatistics } from '../src/telemetry/storage/partition-statistics.js';
import { dayOfNs, PartitionManager, partitionName } from '../src/telemetry/storage/partitions.js';
import { PostgresTelemetryWriter } from '../src/telemetry/storage/postgres-writer.js';
import type { WriteGroup } from '../src/telemetry/storage/write-group.js';
import { createTestStore, storeSuiteOptions, type TestStore } from './helpers/stores.js';

const SPANS_PER_TRACE = 5;

function group(spans: SpanRecord[]): WriteGroup {
  return {
    spans,
    spanResourceIds: spans.map(() => 'r'),
    spanChunks: [],
    logs: [],
    logResourceIds: [],
    resources: [],
    operations: [],
    attributeKeys: [],
    attributeValues: [],
    nowMs: Date.now(),
  };
}

function trace(startNs: bigint): SpanRecord[] {
  const traceId = randomBytes(16).toString('hex');
  return Array.from({ length: SPANS_PER_TRACE }, (_, i) => ({
    traceId,
    spanId: randomBytes(8).toString('hex'),
    parentSpanId: null,
    service: `svc-${i}`,
    name: 'GET /items',
    kind: 2,
    startNs: startNs + BigInt(i),
    durationNs: 1000n,
    statusCode: 0,
    statusMessage: '',
    attributes: { 'http.route': '/items' },
    events: [],
    links: [],
    resource: {},
    scopeName: 's',
    scopeVersion: '1',
  }));
}

describe('statistics of telemetry partitions [postgres]', storeSuiteOptions('postgres'), () => {
  let testStore: TestStore;
  let store: Store;
  let writer: PostgresTelemetryWriter;
  let statistics: PartitionStatistics;
  const traceIds: string[] = [];
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const partition = partitionName('spans', dayOfNs(nowNs - 60_000_000_000n));

  const lastAnalyze = async () =>
    // Where autovacuum runs it may get there first (it is off on this machine and in CI).
    (
      await sql<{ at: Date | null }>`select coalesce(last_analyze, last_autoanalyze) as at from pg_stat_user_tables
        where schemaname = current_schema() and relname = ${partition}`.execute(store.db)
    ).rows[0]?.at ?? null;

  /**
   * Waits until PostgreSQL's statistics count `rows` inserts into the partition: a backend
   * reports its counts when idle, at most once a second and sometimes seconds later, and a check
   * that ran before that would find the late ones changed since its ANALYZE.
   */
  const insertsCounted = async (rows: number) => {
    const deadline = Date.now() + 20_000;
    let counted = 0;
    while (Date.now() < deadline) {
      const result = await sql<{ n: string | number }>`select n_tup_ins as n from pg_stat_user_tables
        where schemaname = current_schema() and relname = ${partition}`.execute(store.db);
      counted = Number(result.rows[0]?.n ?? 0);
      if (counted >= rows) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`PostgreSQL counted ${counted} of the ${rows} rows inserted into ${partition}`);
  };
  let written = 0;

  before(async () => {
    testStore = await createTestStore('postgres');
    store = await openStore(testStore.url);
    await store.migrate();
    const partitions = new PartitionManager(store);
    statistics = new PartitionStatistics(store, pino({ level: 'silent' }), {
      rowsBetweenChecks: 20_000,
      changedShare: 0.1,
      minChangedRows: 1000,
    });
    statistics.start(500);
    writer = new PostgresTelemetryWriter(store, partitions, statistics);
  });
  after(async () => {
    await statistics?.close();
    await store?.close();
    await testStore?.cleanup();
  });

  it('analyzes a partition the writer filled, in the background, once enough rows changed', async () => {
    // 30,000 spans in commits of 2,000, all in the last minute (one partition).
    for (let commit = 0; commit < 15; commit++) {
      const spans: SpanRecord[] = [];
      for (let t = 0; t < 2000 / SPANS_PER_TRACE; t++) {
        const spansOfTrace = trace(nowNs - BigInt(Math.floor(Math.random() * 60_000)) * 1_000_000n);
        if (traceIds.length < 20 && t % 7 === 0) traceIds.push(spansOfTrace[0]?.traceId as string);
        spans.push(...spansOfTrace);
      }
      await writer.write(group(spans));
      written += spans.length;
    }
    // Checks run beside the writes (PostgreSQL's counters lag them); wait for one to analyze.
    const deadline = Date.now() + 20_000;
    while ((await lastAnalyze()) === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.notEqual(await lastAnalyze(), null, `${partition} was analyzed`);
  });

  it('then finds the spans of a search’s traces through the index, not by scanning the partition', async () => {
    await statistics.close(); // no more background checks: the next ones are the test's
    // Whatever the background check saw, the rows written after it are analyzed by the next one,
    // once PostgreSQL counts them all.
    await insertsCounted(written);
    await statistics.check();
    const plan = await sql<{ 'QUERY PLAN': string }>`explain select trace_id, service, count(*) from spans
      where trace_id in (${sql.join(traceIds)}) group by trace_id, service`.execute(store.db);
    const lines = plan.rows.map((r) => r['QUERY PLAN']);
    assert.ok(!lines.some((line) => line.includes(`Seq Scan on ${partition}`)), lines.join('\n'));
    assert.ok(
      lines.some((line) => /Index (Only )?Scan|Bitmap Index Scan/.test(line)),
      lines.join('\n'),
    );
  });

  it('leaves alone partitions that changed little since their statistics', async () => {
    assert.deepEqual(await statistics.check(), []);
    await writer.write(group(trace(nowNs)));
    assert.deepEqual(await statistics.check(), []);
  });
});
