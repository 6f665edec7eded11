// Last check results go to the store in periodic batches, never per probe: a probe only marks
// its check dirty here, and every flush upserts the dirty ones in a few multi-row statements.
// The store's copy serves other replicas' API reads, restarts and takeovers; this replica's own
// API reads see the fresher in-memory results.
import { sql } from 'kysely';
import type { CheckResultRow } from '../registry/instance-store.js';
import type { Store } from '../store/store.js';

const ROWS_PER_STATEMENT = 2000;
const MAX_OUTPUT = 1000;

export class ResultWriter {
  // Keyed by the row object: each check run keeps one row and updates it in place, so marking
  // a probe's result costs no allocation; the flush reads the values current at that time.
  private dirty = new Map<CheckResultRow, string>();
  private flushing: Promise<void> | undefined;

  constructor(private readonly store: Store) {}

  get pending(): number {
    return this.dirty.size;
  }

  mark(instanceId: string, row: CheckResultRow): void {
    this.dirty.set(row, instanceId);
  }

  /** Writes every dirty result; concurrent calls share one flush. */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.write().finally(() => {
        this.flushing = undefined;
      });
    }
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.dirty.size === 0) return;
    const marked = this.dirty;
    this.dirty = new Map();
    // A check whose definition changed has a new row object; the newest result of a key wins,
    // and no key may appear twice in one upsert (PostgreSQL refuses that).
    const byKey = new Map<string, { instanceId: string; row: CheckResultRow }>();
    for (const [row, instanceId] of marked) {
      const key = `${instanceId}\u0000${row.checkId}`;
      const seen = byKey.get(key);
      if (!seen || seen.row.checkedAt <= row.checkedAt) byKey.set(key, { instanceId, row });
    }
    const batch = [...byKey.values()];
    try {
      for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
        const rows = batch
          .slice(i, i + ROWS_PER_STATEMENT)
          .map(({ instanceId, row }) => [
            instanceId,
            row.checkId,
            row.status,
            row.output.length > MAX_OUTPUT ? `${row.output.slice(0, MAX_OUTPUT)}…` : row.output,
            Math.round(row.durationMs * 1000) / 1000,
            row.checkedAt,
          ]);
        await this.upsert(JSON.stringify(rows));
      }
    } catch (error) {
      // Mark again what was not written (it may be written twice; the values are current) and
      // let the next flush retry; the caller logs.
      for (const [row, instanceId] of marked) this.dirty.set(row, instanceId);
      throw error;
    }
  }

  // The rows travel as one JSON parameter and the database unpacks them: a query builder would
  // make a node per value (30,000 per flush at 10,000 checks), garbage that lives long enough
  // to be promoted and grow the heap.
  private async upsert(json: string): Promise<void> {
    const db = this.store.db;
    if (this.store.dialect === 'postgres') {
      await sql`
        insert into check_results (instance_id, check_id, status, output, duration_ms, checked_at)
        select r->>0, r->>1, r->>2, r->>3, (r->>4)::real, (r->>5)::bigint
        from json_array_elements(${json}::json) as r
        on conflict (instance_id, check_id) do update set
          status = excluded.status, output = excluded.output,
          duration_ms = excluded.duration_ms, checked_at = excluded.checked_at`.execute(db);
      return;
    }
    await sql`
      insert into check_results (instance_id, check_id, status, output, duration_ms, checked_at)
      select json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
             json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]')
      from json_each(${json}) where true
      on conflict (instance_id, check_id) do update set
        status = excluded.status, output = excluded.output,
        duration_ms = excluded.duration_ms, checked_at = excluded.checked_at`.execute(db);
  }
}
