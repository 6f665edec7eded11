// PostgreSQL for the demo's tests: the machine's server at 127.0.0.1:5432 (trust auth, db
// `test`). Like the server's tests, the PostgreSQL cases are skipped with the reason on a laptop
// without it, and fail the run under CI=true.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_URL = process.env['SIGNALBOX_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export type DatabaseKind = 'sqlite' | 'postgres';
export const DATABASE_KINDS: DatabaseKind[] = ['sqlite', 'postgres'];

async function probe(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const problem = await probe();
if (problem && process.env['CI'] === 'true') {
  throw new Error(`CI=true but PostgreSQL at ${POSTGRES_URL} is unreachable: ${problem}`);
}

export function databaseSuiteOptions(kind: DatabaseKind): { skip?: string } {
  return kind === 'postgres' && problem ? { skip: `PostgreSQL not reachable at ${POSTGRES_URL}: ${problem}` } : {};
}

/** A schema prefix nobody else uses, for DEMO_SCHEMA_PREFIX. */
export function uniqueSchemaPrefix(): string {
  return `demotest_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Drops every schema whose name starts with `prefix_` (what one test's fleet created). */
export async function dropSchemas(prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [
      `${prefix}\\_%`,
    ]);
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}
