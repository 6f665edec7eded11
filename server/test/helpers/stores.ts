// Every integration test runs against both stores: SQLite in a temp dir and PostgreSQL at
// 127.0.0.1:5432 (database `test`) in a schema of its own, so parallel runs never collide.
// Without PostgreSQL (a laptop) the PostgreSQL cases are reported as skipped with the reason;
// with CI=true an unreachable PostgreSQL fails the run instead.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const POSTGRES_URL = process.env.SIGNALBOX_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

export type StoreKind = 'sqlite' | 'postgres';

export interface TestStore {
  kind: StoreKind;
  url: string;
  /** Drops the schema or removes the temp dir. */
  cleanup(): Promise<void>;
}

async function probeOnce(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Why PostgreSQL cannot be reached, or null. Asked three times: with test files starting side by
 * side (and a Next build beside them) a first connect can take over two seconds (seen in CI).
 */
async function probePostgres(): Promise<string | null> {
  let problem: string | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    problem = await probeOnce();
    if (problem === null) return null;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return problem;
}

const postgresProblem = await probePostgres();
if (postgresProblem && process.env.CI === 'true') {
  throw new Error(`CI=true but PostgreSQL at ${POSTGRES_URL} is unreachable: ${postgresProblem}`);
}

/** Why the PostgreSQL cases cannot run here, or undefined when they can. */
export const postgresSkipReason: string | undefined = postgresProblem
  ? `PostgreSQL not reachable at ${POSTGRES_URL}: ${postgresProblem}`
  : undefined;

export const STORE_KINDS: StoreKind[] = ['sqlite', 'postgres'];

/** node:test options for a suite of the given store kind (skip with the reason when absent). */
export function storeSuiteOptions(kind: StoreKind): { skip?: string } {
  return kind === 'postgres' && postgresSkipReason ? { skip: postgresSkipReason } : {};
}

export async function createTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'signalbox-test-'));
    return {
      kind,
      url: `sqlite:${join(dir, 'signalbox.db')}`,
      async cleanup() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `sbtest_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const separator = POSTGRES_URL.includes('?') ? '&' : '?';
  return {
    kind,
    url: `${POSTGRES_URL}${separator}schema=${schema}`,
    async cleanup() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
