// SQLite through better-sqlite3. No OpenTelemetry instrumentation exists for it, so each
// statement gets a CLIENT span here with the database semantic attributes that the pg
// instrumentation sets for PostgreSQL; the topology then shows the file as a database node.
// Like pg's `requireParentSpan`, only statements inside a traced operation get a span: schema
// set-up and background jobs would otherwise fill the trace list with one-span traces.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { context, SpanKind, trace } from '@opentelemetry/api';
import BetterSqlite3 from 'better-sqlite3';
import { recordFailure } from '../span-failure.js';
import type { Database, Queryable, SqlValue } from './database.js';

const tracer = trace.getTracer('@signalbox/demo/sqlite');
/** More distinct statements than the services have: a bound for SQL built from input. */
const MAX_CACHED_STATEMENTS = 256;

export function openSqlite(path: string, name: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');

  // better-sqlite3 is synchronous, but a transaction spans awaits (the caller's async code).
  // Everything therefore goes through one queue, so no other request's statement can land
  // inside an open transaction.
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };

  // The statement runs synchronously and starts nothing of its own, so its span is never made
  // the active one: that would cost a context switch (AsyncLocalStorage.run) per statement for
  // no child that could see it.
  const traced = <T>(sql: string, fn: () => T): T => {
    if (!trace.getSpan(context.active())) return fn();
    const operation = sql.trimStart().split(/\s+/, 1)[0]?.toUpperCase() ?? 'SQL';
    const span = tracer.startSpan(`${operation} ${name}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system.name': 'sqlite',
        'db.namespace': name,
        'db.operation.name': operation,
        'db.query.text': sql,
      },
    });
    try {
      return fn();
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  };

  // Statements are compiled once per distinct SQL text (the services' SQL is fixed text with
  // parameters): compiling on every call cost more than running the query.
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepared = (sql: string): BetterSqlite3.Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  const direct: Queryable = {
    async query<T>(sql: string, params: readonly SqlValue[] = []) {
      return traced(sql, () => prepared(sql).all(...params) as T[]);
    },
    async execute(sql: string, params: readonly SqlValue[] = []) {
      return traced(sql, () => prepared(sql).run(...params).changes);
    },
  };

  let closed = false;
  return {
    kind: 'sqlite',
    name,
    query: (sql, params) => exclusive(() => direct.query(sql, params)),
    execute: (sql, params) => exclusive(() => direct.execute(sql, params)),
    transaction: (fn) =>
      exclusive(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(direct);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw error;
        }
      }),
    async ping() {
      await exclusive(async () => prepared('SELECT 1').get());
    },
    async close() {
      if (closed) return;
      closed = true;
      await tail;
      db.close();
    },
  };
}
