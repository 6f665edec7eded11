// What each demo service declares: its database schema, whether it speaks events, and its
// routes and subscriptions given a context. `run-service.ts` does the wiring (database, bus,
// HTTP server, agent) the same way for all six.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Database, Queryable } from '../database/database.js';
import type { EventBus, EventType, ShopEvent } from '../events/event-bus.js';
import type { FaultInjector } from '../faults.js';
import type { Downstream } from '../http/downstream.js';
import type { DemoSettings, ServiceName } from '../settings.js';

export interface ServiceContext {
  readonly settings: DemoSettings;
  readonly logger: Logger;
  readonly faults: FaultInjector;
  /** Present when the definition has a schema. */
  readonly db: Database;
  /** Present when the definition uses events. */
  readonly events: EventBus;
  /** The client for calls to another service of the fleet. */
  downstream(name: ServiceName): Downstream;
}

export interface ServiceDefinition {
  readonly name: ServiceName;
  /** CREATE … IF NOT EXISTS statements (portable SQL); absent for a service without a database. */
  readonly schema?: readonly string[];
  readonly usesEvents: boolean;
  /** Services it calls over HTTP (checked, non-critically, by its readiness probe). */
  readonly dependsOn: readonly ServiceName[];
  /** Routes on the service's Fastify instance; returns a stop function for background work. */
  register(app: FastifyInstance, context: ServiceContext): Promise<(() => Promise<void>) | undefined>;
}

/** Idempotent consumers: remembers handled event ids in the same transaction as the effect. */
export const PROCESSED_EVENTS_TABLE =
  'CREATE TABLE IF NOT EXISTS processed_events (event_id TEXT PRIMARY KEY, processed_at BIGINT NOT NULL)';

/** Runs `effect` once per event id, even when the transport redelivers it. */
export async function handleOnce(
  db: Database,
  event: ShopEvent,
  effect: (tx: Queryable) => Promise<void>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inserted = await tx.execute(
      'INSERT INTO processed_events (event_id, processed_at) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING',
      [event.id, Date.now()],
    );
    if (inserted === 0) return false;
    await effect(tx);
    return true;
  });
}

/**
 * Publishes after the local change is committed. A lost event must not undo a sale, so a failed
 * publish is logged (and marked on its PRODUCER span) instead of failing the request.
 */
export async function publishAfterCommit(
  context: Pick<ServiceContext, 'events' | 'logger'>,
  type: EventType,
  data: Record<string, unknown>,
): Promise<void> {
  try {
    await context.events.publish(type, data);
  } catch (error) {
    context.logger.warn({ err: error, event: type }, `could not publish ${type}`);
  }
}
