// Ready-made checks for the three dependencies a service usually has: its database, its broker
// and a downstream service. They take the client the service already holds (typed by the one
// method they call), so the agent depends on no database or broker library.
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { HealthCheck } from './checks.js';

interface CheckOptions {
  timeoutMs?: number;
  critical?: boolean;
}

/** Anything with a pg-style `query(sql)`: pg.Pool, pg.Client, a Kysely-free wrapper over SQLite. */
export interface Queryable {
  query(sql: string): Promise<unknown> | unknown;
}

/** Runs `SELECT 1` (or the given statement) on the service's database. */
export function databaseCheck(name: string, db: Queryable, options: CheckOptions & { sql?: string } = {}): HealthCheck {
  const sql = options.sql ?? 'SELECT 1';
  return {
    name,
    ...limits(options),
    // Probes run every few seconds; tracing them would bury the service's real queries.
    check: () => context.with(suppressTracing(context.active()), async () => void (await db.query(sql))),
  };
}

/** A broker connection that can prove it is alive with a round trip (NATS: `flush()` sends PING). */
export interface RoundTrip {
  flush(): Promise<unknown>;
  isClosed?(): boolean;
}

export function brokerCheck(name: string, connection: RoundTrip, options: CheckOptions = {}): HealthCheck {
  return {
    name,
    ...limits(options),
    check: async () => {
      if (connection.isClosed?.() === true) throw new Error('connection is closed');
      await context.with(suppressTracing(context.active()), () => connection.flush());
    },
  };
}

/** GETs a downstream URL (usually its /readyz); any 2xx passes. */
export function httpCheck(name: string, url: string, options: CheckOptions = {}): HealthCheck {
  const target = new URL(url).href;
  return {
    name,
    ...limits(options),
    check: (signal) =>
      context.with(suppressTracing(context.active()), async () => {
        const response = await fetch(target, { signal, headers: { accept: 'application/json' } });
        await response.body?.cancel();
        if (response.status < 200 || response.status > 299) {
          throw new Error(`GET ${target} answered ${response.status}`);
        }
        return { status_code: response.status };
      }),
  };
}

function limits(options: CheckOptions): Pick<HealthCheck, 'timeoutMs' | 'critical'> {
  const out: Pick<HealthCheck, 'timeoutMs' | 'critical'> = {};
  if (options.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
  if (options.critical !== undefined) out.critical = options.critical;
  return out;
}
