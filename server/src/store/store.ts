// The store: Kysely over better-sqlite3 (embedded default) or PostgreSQL via pg. Opening it
// connects; `migrate()` brings the schema up to date (Kysely's migrator takes a lock, so
// several replicas starting together are safe). Store latency is observed through Kysely's log
// hook so every query is measured without wrapping call sites.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, type Migration as KyselyMigration, type LogEvent, Migrator, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { type Dialect, migrations } from './migrations/index.js';
import { ScopedPostgresDialect } from './pg-introspector.js';
import type { Database } from './schema.js';

export type { Dialect } from './migrations/index.js';

export interface StoreObserver {
  /** Called after every query with its kind (select, insert, …) and duration. */
  query(kind: string, seconds: number, failed: boolean): void;
}

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Where the data lives, without credentials, for logs. */
  readonly location: string;
  /**
   * The better-sqlite3 handle behind `db` on SQLite (null on PostgreSQL), for hot paths that reuse
   * prepared statements (telemetry ingest). Use it only inside `db.connection().execute(…)`, which
   * holds Kysely's single-connection lock, so it never interleaves with a Kysely transaction.
   */
  readonly sqlite: Sqlite.Database | null;
  /**
   * SQLite: the file of the `telemetry` database attached to the connection (spans, logs and
   * their catalogs), beside the main file; null for in-memory stores and on PostgreSQL.
   */
  readonly telemetryFile: string | null;
  migrate(): Promise<void>;
  /** Resolves when the store answers a trivial query within the timeout. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  observer?: StoreObserver;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

function queryKind(event: LogEvent): string {
  const node = event.query.query.kind;
  switch (node) {
    case 'SelectQueryNode':
      return 'select';
    case 'InsertQueryNode':
      return 'insert';
    case 'UpdateQueryNode':
      return 'update';
    case 'DeleteQueryNode':
      return 'delete';
    default:
      return 'other';
  }
}

// int8 (bigint) columns hold millisecond times and counts: parse them as numbers. Nanosecond
// columns that exceed 2^53 are read as text by the queries that need them.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** `…/signalbox.db` → `…/signalbox-telemetry.db`. */
export function telemetryFileOf(path: string): string {
  return path.endsWith('.db') ? `${path.slice(0, -3)}-telemetry.db` : `${path}-telemetry`;
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const log = options.observer
    ? (event: LogEvent) =>
        options.observer?.query(queryKind(event), event.queryDurationMillis / 1000, event.level === 'error')
    : undefined;

  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    const path = file === ':memory:' ? ':memory:' : resolve(file);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const database = new Sqlite(path);
    // WAL keeps readers off the writer's back; synchronous=NORMAL in WAL mode survives a crash
    // of this process (kill -9), which is what "accepted means durable" promises.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    // Spans and logs live in a database file of their own, attached as `telemetry` (its tables
    // resolve by their plain names). Telemetry writes go to it from a writer thread with its own
    // connection (telemetry/storage/sqlite-writer-thread.ts) without ever contending with the
    // control plane's writes here, and its size and retention are its own.
    const telemetryFile = path === ':memory:' ? null : telemetryFileOf(path);
    database.prepare('attach database ? as telemetry').run(telemetryFile ?? ':memory:');
    if (telemetryFile) {
      // Set before the file's first table (a no-op afterwards, so older files keep theirs). A
      // commit writes every page it dirtied, whole, to the WAL (and again at checkpoint): besides
      // the appended rows, one index page per insertion point (a few per service in the
      // start-bucket index, one per span in the trace index for random trace ids). 4 KiB pages
      // halved the bytes ingest writes against 16 KiB (2.2 vs 4.1 KB per span) and took
      // bench:ingest part a from 84.1k to 93.5k spans/s (interleaved x4), p99 107-113 -> 141-144 ms.
      database.pragma('telemetry.page_size = 4096');
      database.pragma('telemetry.journal_mode = WAL');
      database.pragma('telemetry.synchronous = NORMAL');
    }
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }), ...(log ? { log } : {}) });
    return makeStore(db, 'sqlite', path, database, telemetryFile, undefined, async () => {
      await db.destroy();
    });
  }

  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`store schema "${schema}" must be a lower-case SQL identifier`);
  }
  if (schema) {
    // Create the schema first, over a connection of its own, so the pool can pin search_path.
    const client = new pg.Client({ connectionString: parsed.toString() });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await client.end();
    }
  }
  const startup = sessionOptions(parsed, schema);
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: options.poolSize ?? 10,
    types: pgTypes,
    options: startup,
  });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new ScopedPostgresDialect({ pool }), ...(log ? { log } : {}) });
  return makeStore(db, 'postgres', redact(url), null, null, schema ?? undefined, async () => {
    await db.destroy();
  });
}

/**
 * Startup options of our PostgreSQL sessions: the URL's own `options`, the schema, and a random
 * page cost of 1.1 unless the URL sets one. PostgreSQL's stock 4 prices a page read through an
 * index as four sequential ones, as on a spinning disk; telemetry is recent and cached, and at 4
 * the planner walked a day's partition by start time (300 ms) rather than one service's spans
 * through (service, start_ns) (90 ms) for an attribute search. 1.1 is the usual setting for SSDs.
 */
function sessionOptions(url: URL, schema: string | null): string {
  const own = url.searchParams.get('options') ?? '';
  url.searchParams.delete('options');
  const parts = [own];
  if (!/random_page_cost/.test(own)) parts.push('-c random_page_cost=1.1');
  if (schema) parts.push(`-c search_path=${schema}`);
  return parts.filter(Boolean).join(' ');
}

function makeStore(
  db: Kysely<Database>,
  dialect: Dialect,
  location: string,
  sqlite: Sqlite.Database | null,
  telemetryFile: string | null,
  schema: string | undefined,
  close: () => Promise<void>,
): Store {
  let closed = false;
  return {
    db,
    dialect,
    location,
    sqlite,
    telemetryFile,
    async migrate() {
      const migrator = new Migrator({
        db,
        // Without it Kysely takes another schema's kysely_migration tables (of another replica
        // set or test sharing the database) for ours and then fails to find them in our own.
        ...(schema ? { migrationTableSchema: schema } : {}),
        provider: {
          async getMigrations() {
            const out: Record<string, KyselyMigration> = {};
            for (const migration of migrations) {
              out[migration.name] = { up: (inner) => migration.up(inner, dialect) };
            }
            return out;
          },
        },
      });
      const { error, results } = await migrator.migrateToLatest();
      const failed = results?.find((r) => r.status === 'Error');
      if (error) {
        throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
    },
    async ping(timeoutMs = 2000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`store did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([sql`select 1`.execute(db), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}
