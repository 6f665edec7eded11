// PostgreSQL through pg, in a schema of the service's own (database per service on a shared
// server). The pg auto-instrumentation of the agent turns each query into a CLIENT span.
import { createRequire } from 'node:module';
import type { Pool, PoolClient } from 'pg';

// Loaded with require, not import: OpenTelemetry's pg instrumentation patches the module when
// it is required (require-in-the-middle); an ES import of this CommonJS package would bypass it.
const pg = createRequire(import.meta.url)('pg') as typeof import('pg');

import type { Database, Queryable, SqlValue } from './database.js';

const INT8_OID = 20;

export async function openPostgres(url: string, schema: string, name: string): Promise<Database> {
  const quoted = `"${schema}"`;
  // The schema must exist before connections that put it on their search_path are used.
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  try {
    await setup.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
  } catch (error) {
    // Two services creating schemas at the same moment can race in the catalog; the schema is
    // there either way.
    if ((error as { code?: string }).code !== '23505') throw error;
  } finally {
    await setup.end();
  }

  const pool = new pg.Pool({
    connectionString: url,
    max: 5,
    options: `-c search_path=${quoted}`,
    application_name: `signalbox-demo-${name}`,
    // Counts and money are BIGINT/INTEGER: read BIGINT as a JS number, like the SQLite side.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as never,
    },
  });
  // An idle client losing its connection (server restart) must not crash the service.
  pool.on('error', () => undefined);

  const on = (client: Pool | PoolClient): Queryable => ({
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      const result = await client.query(numbered(sql), params as SqlValue[]);
      return result.rows as T[];
    },
    async execute(sql: string, params: readonly SqlValue[] = []) {
      const result = await client.query(numbered(sql), params as SqlValue[]);
      return result.rowCount ?? 0;
    },
  });
  const direct = on(pool);

  let closed = false;
  return {
    kind: 'postgres',
    name,
    query: direct.query,
    execute: direct.execute,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(on(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** `?` → `$1, $2, …`. Our statements never carry a literal `?` in a string. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
