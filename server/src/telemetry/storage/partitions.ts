// Daily partitions of spans (by start_ns) and logs (by time_ns) on PostgreSQL. Partitions are
// created ahead of the data: the whole accepted window at start and hourly, and any missing
// day right before a commit that needs it (outside the commit's transaction, since DDL takes
// locks). Retention detaches and drops whole expired days (see retention.ts). Several replicas
// may create the same partition at once; the loser's error is recognized and ignored. What a
// replica believes exists can be stale (another replica's retention dropped a day): the writer
// then forgets, re-creates and retries once.
import { sql } from 'kysely';
import type { Store } from '../../store/store.js';

export type PartitionedTable = 'spans' | 'logs';
export const PARTITIONED_TABLES: readonly PartitionedTable[] = ['spans', 'logs'];

export const DAY_NS = 86_400_000_000_000n;
const DAY_MS = 86_400_000;

/** The UTC day number (days since the epoch) of a nanosecond time. */
export function dayOfNs(ns: bigint): number {
  return Number(ns / DAY_NS);
}

export function partitionName(table: PartitionedTable, day: number): string {
  const date = new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '');
  return `${table}_d${date}`;
}

/** The day of a partition from its name, or null when the name is not one of ours. */
export function dayOfPartition(table: PartitionedTable, name: string): number | null {
  const match = new RegExp(`^${table}_d(\\d{4})(\\d{2})(\\d{2})$`).exec(name);
  if (!match) return null;
  return Math.floor(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS);
}

function alreadyExists(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  // duplicate_table, or a unique violation in the catalog when two sessions race.
  return code === '42P07' || code === '23505';
}

export class PartitionManager {
  readonly #store: Store;
  readonly #known = new Set<string>();

  constructor(store: Store) {
    this.#store = store;
  }

  /** Makes sure partitions exist for every day from `fromNs` to `toNs` (inclusive). */
  async ensure(table: PartitionedTable, fromNs: bigint, toNs: bigint): Promise<void> {
    const first = dayOfNs(fromNs);
    const last = dayOfNs(toNs);
    for (let day = first; day <= last; day++) {
      const name = partitionName(table, day);
      if (this.#known.has(name)) continue;
      await this.#create(table, name, day);
      this.#known.add(name);
    }
  }

  /** Creates the partitions for the whole accepted window: retention behind now to a day ahead. */
  async ensureWindow(nowMs: number, retentionHours: number): Promise<void> {
    const nowNs = BigInt(nowMs) * 1_000_000n;
    const from = nowNs - BigInt(retentionHours) * 3_600_000_000_000n;
    for (const table of PARTITIONED_TABLES) await this.ensure(table, from, nowNs + DAY_NS);
  }

  /** Forgets a partition that retention dropped. */
  forget(name: string): void {
    this.#known.delete(name);
  }

  /** Forgets every partition: another replica's retention may have dropped some. */
  forgetAll(): void {
    this.#known.clear();
  }

  async #create(table: PartitionedTable, name: string, day: number): Promise<void> {
    const from = BigInt(day) * DAY_NS;
    const to = from + DAY_NS;
    try {
      await sql`create table if not exists ${sql.id(name)} partition of ${sql.id(table)}
        for values from (${sql.lit(from.toString())}) to (${sql.lit(to.toString())})`.execute(this.#store.db);
    } catch (error) {
      if (!alreadyExists(error)) throw error;
    }
  }

  /** Our partitions of a table with their day, oldest first. */
  async list(table: PartitionedTable): Promise<{ name: string; day: number }[]> {
    const result = await sql<{ name: string }>`
      select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = ${table}::regclass`.execute(this.#store.db);
    return result.rows
      .map((row) => ({ name: row.name, day: dayOfPartition(table, row.name) }))
      .filter((p): p is { name: string; day: number } => p.day !== null)
      .sort((a, b) => a.day - b.day);
  }
}
