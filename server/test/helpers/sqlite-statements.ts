// For tests that hold SQLite queries to their indexes: record the statements a connection runs
// (with their parameters), then read each one's query plan.
import type Sqlite from 'better-sqlite3';

export interface Recorded {
  sql: string;
  params: unknown[];
}

/** Records every statement run on the connection from now on; returns a function that stops it. */
export function recordStatements(db: Sqlite.Database, into: Recorded[]): () => void {
  const prepare = db.prepare;
  const bound = prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = bound(source);
    for (const method of ['all', 'get', 'run', 'iterate'] as const) {
      const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        into.push({ sql: source, params: args.flat() });
        return original(...args);
      };
    }
    return statement;
  }) as typeof db.prepare;
  return () => {
    db.prepare = prepare;
  };
}

/** The lines of a recorded statement's query plan (EXPLAIN QUERY PLAN). */
export function planOf(db: Sqlite.Database, { sql, params }: Recorded): string[] {
  return (db.prepare(`explain query plan ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail);
}
