// PostgreSQL plans each query on a partition from that partition's statistics. Autovacuum
// gathers them when a table has changed by 10 % — when it runs: it can be switched off, and
// falls behind a bulk load. Without statistics the planner takes the spans of 20 traces
// (`trace_id in (…)`, every search's summaries) for a tenth of the partition and scans it whole:
// 120 ms instead of 1 ms over a million spans, measured. So the writer reports the rows it
// commits, and every so many rows (and on a timer while rows come: PostgreSQL's counters lag
// the writes by a second or more) this looks for our partitions changed by more than
// autovacuum's own threshold since they were last analyzed (by anyone) and analyzes them, off
// the commit path. Where autovacuum keeps up, it finds nothing to do.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Store } from '../../store/store.js';
import { PARTITIONED_TABLES } from './partitions.js';

/** Names of our daily partitions (partitions.ts partitionName), as a PostgreSQL regex. */
const PARTITION_NAME = `^(${PARTITIONED_TABLES.join('|')})_d[0-9]{8}$`;

export interface PartitionStatisticsOptions {
  /** Rows committed between two looks at the partitions' statistics. */
  rowsBetweenChecks: number;
  /** A partition is analyzed once this share of its rows changed since it last was… */
  changedShare: number;
  /** …and at least this many rows. */
  minChangedRows: number;
}

export const DEFAULT_PARTITION_STATISTICS: PartitionStatisticsOptions = {
  rowsBetweenChecks: 100_000,
  changedShare: 0.1,
  minChangedRows: 1000,
};

export class PartitionStatistics {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #options: PartitionStatisticsOptions;
  #rows = 0;
  #lastWrittenMs = Number.NEGATIVE_INFINITY;
  #running: Promise<string[]> | null = null;
  #timer: NodeJS.Timeout | undefined;

  constructor(store: Store, logger: Logger, options: PartitionStatisticsOptions = DEFAULT_PARTITION_STATISTICS) {
    this.#store = store;
    this.#logger = logger;
    this.#options = options;
  }

  /** Counts committed rows; starts a check (in the background) every `rowsBetweenChecks`. */
  written(rows: number): void {
    this.#rows += rows;
    this.#lastWrittenMs = Date.now();
    if (this.#rows < this.#options.rowsBetweenChecks || this.#running) return;
    this.#rows = 0;
    this.#checkInBackground();
  }

  /**
   * Also checks every `intervalMs` until a while after the last write: a backend that has gone
   * idle reports its last changes up to 10 s late.
   */
  start(intervalMs: number): void {
    const trailingMs = Math.max(3 * intervalMs, 15_000);
    this.#timer = setInterval(() => {
      if (Date.now() - this.#lastWrittenMs > trailingMs || this.#running) return;
      this.#checkInBackground();
    }, intervalMs);
    this.#timer.unref();
  }

  #checkInBackground(): void {
    void this.check().catch((error) => this.#logger.warn({ err: error }, 'analyzing telemetry partitions failed'));
  }

  /** Analyzes the partitions whose statistics are stale; resolves with their names. */
  check(): Promise<string[]> {
    this.#running ??= this.#analyzeStale().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #analyzeStale(): Promise<string[]> {
    const { changedShare, minChangedRows } = this.#options;
    // n_live_tup counts the rows as of the last statistics; a partition never analyzed has
    // only its changes.
    const stale = await sql<{ name: string }>`
      select relname as name from pg_stat_user_tables
      where schemaname = current_schema() and relname ~ ${PARTITION_NAME}
        and n_mod_since_analyze >= ${minChangedRows}
        and n_mod_since_analyze > ${changedShare}::float8 * greatest(n_live_tup - n_mod_since_analyze, 0)
      order by relname`.execute(this.#store.db);
    const analyzed: string[] = [];
    for (const { name } of stale.rows) {
      try {
        await sql`analyze ${sql.id(name)}`.execute(this.#store.db);
        analyzed.push(name);
      } catch (error) {
        // undefined_table: retention dropped it meanwhile.
        if ((error as { code?: string }).code !== '42P01') throw error;
      }
    }
    return analyzed;
  }

  /** Stops the timer and waits for a check in progress. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running?.catch(() => {});
  }
}
