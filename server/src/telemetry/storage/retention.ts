// Deletes telemetry older than the retention and, when a size cap is set, the oldest telemetry
// until the store is under it. Runs in the background on a timer and never holds the store
// for long: SQLite deletes go service by service through the (service, time) indexes in chunks
// of a few thousand rows, each its own short transaction, with a turn of the event loop
// between them so ingest commits interleave;
// PostgreSQL detaches whole expired day partitions CONCURRENTLY (no lock that blocks inserts)
// and drops them.
//
// Granularity: on PostgreSQL a day partition goes once all of it is expired, so data is kept
// up to one day longer than the retention, and the size cap never drops the current day. On
// SQLite the file does not shrink (no VACUUM); freed pages are reused by new data.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Store } from '../../store/store.js';
import { DAY_NS, PARTITIONED_TABLES, type PartitionedTable, type PartitionManager } from './partitions.js';
import { servicesOf } from './services.js';
import type { SqliteTelemetryAccess } from './sqlite-telemetry-ops.js';

const CHUNK = 5000;
/** Size-cap passes delete this much of the oldest data at a time, measuring as they go. */
const SIZE_STEP_NS = 15n * 60_000_000_000n;
const MAX_SIZE_STEPS = 2000;
/**
 * Resources outlive the retention by this much: their spans and logs may start up to the
 * refresh interval plus the clock-skew allowance after the resource was last written, and the
 * per-service deletes find services through their resources.
 */
const RESOURCE_GRACE_MS = 2 * 3_600_000;

export interface RetentionResult {
  deletedSpans: number;
  deletedLogs: number;
  droppedPartitions: string[];
}

export interface RetentionOptions {
  retentionHours: number;
  /** 0 = no size cap. */
  maxBytes: number;
  logger: Logger;
  registry: Registry;
  /** PostgreSQL only. */
  partitions: PartitionManager | null;
  /** SQLite only: the telemetry database's writer (retention deletes go through it too). */
  sqlite: SqliteTelemetryAccess | null;
}

export class RetentionService {
  readonly #store: Store;
  readonly #options: RetentionOptions;
  readonly #deleted: Counter<'signal' | 'reason'>;
  #timer: NodeJS.Timeout | undefined;
  #first: NodeJS.Timeout | undefined;
  #running: Promise<RetentionResult> | null = null;
  #stopping = false;

  constructor(store: Store, options: RetentionOptions) {
    this.#store = store;
    this.#options = options;
    this.#deleted = new Counter({
      name: 'signalbox_telemetry_retention_deleted_total',
      help: 'Spans and log records deleted by retention (partitions dropped on PostgreSQL count as one each)',
      labelNames: ['signal', 'reason'],
      registers: [options.registry],
    });
  }

  /** Runs a pass every `intervalMs` until `stop()`; a stopped service does not start again. */
  start(intervalMs: number): void {
    if (this.#stopping || this.#timer) return;
    const tick = () => {
      // A tick already queued when stop() ran must not touch a store that is closing.
      if (this.#stopping) return;
      this.runOnce().catch((error) => this.#options.logger.error({ err: error }, 'telemetry retention failed'));
    };
    this.#timer = setInterval(tick, intervalMs);
    this.#timer.unref();
    // First pass soon after start, off the start-up path.
    this.#first = setTimeout(tick, Math.min(intervalMs, 5000));
    this.#first.unref();
  }

  /** Stops the timer and waits for a running pass; call it before the store closes. */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    clearTimeout(this.#first);
    await this.#running?.catch(() => {});
  }

  /** One pass (passes never overlap: a second call waits for the running one and returns its result). */
  runOnce(nowMs = Date.now()): Promise<RetentionResult> {
    if (this.#running) return this.#running;
    this.#running = this.#run(nowMs).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** Bytes telemetry uses (SQLite: pages in use in its database; PostgreSQL: the span and log partitions). */
  async sizeBytes(): Promise<number> {
    if (this.#options.sqlite) return this.#options.sqlite.sizeBytes();
    const result = await sql<{ bytes: string | number | null }>`
      select sum(pg_total_relation_size(i.inhrelid))::bigint as bytes from pg_inherits i
      where i.inhparent in ('spans'::regclass, 'logs'::regclass)`.execute(this.#store.db);
    return Number(result.rows[0]?.bytes ?? 0);
  }

  async #run(nowMs: number): Promise<RetentionResult> {
    const result: RetentionResult = { deletedSpans: 0, deletedLogs: 0, droppedPartitions: [] };
    const cutoffNs = BigInt(nowMs - this.#options.retentionHours * 3_600_000) * 1_000_000n;
    if (this.#options.sqlite) await this.#sqliteAge(cutoffNs, result);
    else await this.#postgresAge(cutoffNs, result);
    if (this.#options.maxBytes > 0) {
      if (this.#options.sqlite) await this.#sqliteSize(result);
      else await this.#postgresSize(nowMs, result);
    }
    await this.#catalogs(nowMs - this.#options.retentionHours * 3_600_000);
    if (result.deletedSpans + result.deletedLogs + result.droppedPartitions.length > 0) {
      this.#options.logger.info(result, 'telemetry retention deleted old data');
    }
    return result;
  }

  async #sqliteAge(cutoffNs: bigint, result: RetentionResult): Promise<void> {
    const spans = await this.#sqliteDelete('spans', cutoffNs);
    const logs = await this.#sqliteDelete('logs', cutoffNs);
    result.deletedSpans += spans;
    result.deletedLogs += logs;
    this.#deleted.inc({ signal: 'spans', reason: 'age' }, spans);
    this.#deleted.inc({ signal: 'logs', reason: 'age' }, logs);
  }

  /**
   * Deletes rows older than the cutoff in short transactions, service by service through the
   * (service, time) index; returns how many. `whileOver` stops early once the store is back
   * under the size cap.
   */
  async #sqliteDelete(table: PartitionedTable, cutoffNs: bigint, whileOver = false): Promise<number> {
    const access = this.#options.sqlite as SqliteTelemetryAccess;
    let total = 0;
    for (const service of await servicesOf(this.#store)) {
      while (!this.#stopping) {
        if (whileOver && (await this.sizeBytes()) <= this.#options.maxBytes) return total;
        const changes = await access.deleteBefore(table, service, cutoffNs, CHUNK);
        total += changes;
        if (changes < CHUNK) break;
        await nextTurn();
      }
    }
    return total;
  }

  /** Deletes the oldest data, a slice of time at a time, until the store is under the cap. */
  async #sqliteSize(result: RetentionResult): Promise<void> {
    const access = this.#options.sqlite as SqliteTelemetryAccess;
    for (let step = 0; step < MAX_SIZE_STEPS && !this.#stopping; step++) {
      if ((await this.sizeBytes()) <= this.#options.maxBytes) return;
      let oldestNs: bigint | null = null;
      for (const service of await servicesOf(this.#store)) {
        for (const table of PARTITIONED_TABLES) {
          const t = await access.oldest(table, service);
          if (t !== null && (oldestNs === null || BigInt(t) < oldestNs)) oldestNs = BigInt(t);
        }
      }
      if (oldestNs === null) return;
      const cutoffNs = oldestNs + SIZE_STEP_NS;
      const spans = await this.#sqliteDelete('spans', cutoffNs, true);
      const logs = await this.#sqliteDelete('logs', cutoffNs, true);
      result.deletedSpans += spans;
      result.deletedLogs += logs;
      this.#deleted.inc({ signal: 'spans', reason: 'size' }, spans);
      this.#deleted.inc({ signal: 'logs', reason: 'size' }, logs);
    }
  }

  async #postgresAge(cutoffNs: bigint, result: RetentionResult): Promise<void> {
    const partitions = this.#options.partitions as PartitionManager;
    for (const table of PARTITIONED_TABLES) {
      for (const p of await partitions.list(table)) {
        if (BigInt(p.day + 1) * DAY_NS > cutoffNs || this.#stopping) break;
        await this.#dropPartition(table, p.name, 'age', result);
      }
    }
  }

  async #postgresSize(nowMs: number, result: RetentionResult): Promise<void> {
    const partitions = this.#options.partitions as PartitionManager;
    const today = Math.floor(nowMs / 86_400_000);
    while (!this.#stopping && (await this.sizeBytes()) > this.#options.maxBytes) {
      const [spans, logs] = await Promise.all(PARTITIONED_TABLES.map((t) => partitions.list(t)));
      const days = [...(spans ?? []), ...(logs ?? [])].map((p) => p.day).filter((d) => d < today);
      if (days.length === 0) return;
      const oldest = Math.min(...days);
      for (const [table, list] of [
        ['spans', spans],
        ['logs', logs],
      ] as const) {
        for (const p of list ?? []) if (p.day === oldest) await this.#dropPartition(table, p.name, 'size', result);
      }
    }
  }

  async #dropPartition(
    table: PartitionedTable,
    name: string,
    reason: 'age' | 'size',
    result: RetentionResult,
  ): Promise<void> {
    const db = this.#store.db;
    try {
      // CONCURRENTLY: inserts into other partitions go on while this one is detached.
      await sql`alter table ${sql.id(table)} detach partition ${sql.id(name)} concurrently`.execute(db);
    } catch (error) {
      const message = (error as Error).message;
      if (/pending detach|being detached/i.test(message)) {
        // An earlier detach (here or on another replica) was interrupted: finish it.
        await sql`alter table ${sql.id(table)} detach partition ${sql.id(name)} finalize`.execute(db);
      } else if (/is not a partition|does not exist/i.test(message)) {
        // Another replica got there first.
      } else {
        throw error;
      }
    }
    await sql`drop table if exists ${sql.id(name)}`.execute(db);
    this.#options.partitions?.forget(name);
    result.droppedPartitions.push(name);
    this.#deleted.inc({ signal: table, reason });
  }

  /** Resources and suggestion entries not seen within the retention. */
  async #catalogs(cutoffMs: number): Promise<void> {
    if (this.#options.sqlite) {
      await this.#options.sqlite.pruneCatalogs(cutoffMs, cutoffMs - RESOURCE_GRACE_MS);
      return;
    }
    const db = this.#store.db;
    await db
      .deleteFrom('telemetry_resources')
      .where('last_seen_ms', '<', cutoffMs - RESOURCE_GRACE_MS)
      .execute();
    await db.deleteFrom('telemetry_operations').where('last_seen_ms', '<', cutoffMs).execute();
    await db.deleteFrom('telemetry_attribute_keys').where('last_seen_ms', '<', cutoffMs).execute();
    await db.deleteFrom('telemetry_attribute_values').where('last_seen_ms', '<', cutoffMs).execute();
  }
}
