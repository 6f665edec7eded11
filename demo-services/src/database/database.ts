// The database each service owns (database per service). One small interface over two engines:
// a SQLite file (the default, no setup) or a PostgreSQL schema of its own (DEMO_POSTGRES_URL).
// Service code writes portable SQL with `?` placeholders; the PostgreSQL side numbers them.
import type { DatabaseSettings } from '../settings.js';

/** Portable values only: booleans are stored as 0/1 INTEGER by the callers, times as epoch ms. */
export type SqlValue = string | number | null;
export type Row = Record<string, unknown>;

export interface Queryable {
  /** Rows of a SELECT (or of `… RETURNING`). */
  query<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a statement; resolves with how many rows it changed. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface Database extends Queryable {
  readonly kind: 'sqlite' | 'postgres';
  /** Logical name (the service's), shown as the database node in the topology. */
  readonly name: string;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Cheap round trip, for the readiness check. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the service's database and applies its schema (idempotent `CREATE … IF NOT EXISTS`). */
export async function openDatabase(settings: DatabaseSettings, schema: readonly string[]): Promise<Database> {
  const db =
    settings.kind === 'sqlite'
      ? (await import('./sqlite-database.js')).openSqlite(settings.path, settings.name)
      : await (await import('./postgres-database.js')).openPostgres(settings.url, settings.schema, settings.name);
  try {
    for (const statement of schema) await db.execute(statement);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

/** Whether an error is a unique-constraint violation, in either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
