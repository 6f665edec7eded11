// Throwaway stores for the benchmark: SQLite in a temp dir, PostgreSQL in a schema of its own.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type StoreKind = 'sqlite' | 'postgres';

export const POSTGRES_URL = process.env.SIGNALBOX_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface BenchStore {
  kind: StoreKind;
  url: string;
  cleanup(): Promise<void>;
}

export function benchStore(kind: StoreKind): BenchStore {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'signalbox-bench-'));
    return {
      kind,
      url: `sqlite:${join(dir, 'signalbox.db')}`,
      async cleanup() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `sbbench_${randomBytes(4).toString('hex')}`;
  return {
    kind,
    url: `${POSTGRES_URL}?schema=${schema}`,
    async cleanup() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
