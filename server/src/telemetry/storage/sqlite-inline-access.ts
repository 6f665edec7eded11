// The telemetry database reached through the shared connection, where it is attached: for
// in-memory stores, which a writer thread cannot open. Every call holds Kysely's connection
// lock, so it never interleaves with another module's transaction.
import type { Store } from '../../store/store.js';
import {
  type SqliteTelemetryAccess,
  SqliteTelemetryOps,
  type SqliteWriteRows,
  type TelemetryTable,
} from './sqlite-telemetry-ops.js';

export class InlineSqliteTelemetry implements SqliteTelemetryAccess {
  readonly #store: Store;
  readonly #ops: SqliteTelemetryOps;

  constructor(store: Store) {
    if (!store.sqlite) throw new Error('InlineSqliteTelemetry needs a SQLite store');
    this.#store = store;
    this.#ops = new SqliteTelemetryOps(store.sqlite, 'telemetry');
  }

  #locked<T>(work: () => T): Promise<T> {
    return this.#store.db.connection().execute(async () => work());
  }

  write(rows: SqliteWriteRows): Promise<number> {
    return this.#locked(() => this.#ops.write(rows));
  }

  deleteBefore(table: TelemetryTable, service: string, cutoffNs: bigint, limit: number): Promise<number> {
    return this.#locked(() => this.#ops.deleteBefore(table, service, cutoffNs, limit));
  }

  oldest(table: TelemetryTable, service: string): Promise<string | null> {
    return this.#locked(() => this.#ops.oldest(table, service));
  }

  sizeBytes(): Promise<number> {
    return this.#locked(() => this.#ops.sizeBytes());
  }

  pruneCatalogs(cutoffMs: number, resourceCutoffMs: number): Promise<void> {
    return this.#locked(() => this.#ops.pruneCatalogs(cutoffMs, resourceCutoffMs));
  }

  async warm(): Promise<void> {}

  async close(): Promise<void> {}
}
