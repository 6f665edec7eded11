// What every server module (registry, health, telemetry, …) hands to the app: its routes and
// its background work. Logic lives in the module's service objects; this is only the wiring.
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { AuditLog } from './audit/audit-log.js';
import type { Authenticator } from './auth/authenticator.js';
import type { Metrics } from './metrics/metrics.js';
import type { Settings } from './settings.js';
import type { Store } from './store/store.js';
import type { TimelineService } from './timeline/timeline.js';

export interface ModuleContext {
  readonly settings: Settings;
  readonly store: Store;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** This replica's id, stable for the life of the process. */
  readonly replicaId: string;
  /** The audit log: record every change with `audit.record({ actor: request.principal, … })`. */
  readonly audit: AuditLog;
  /** API credentials and tokens (auth/index.ts describes the contract). */
  readonly auth: Authenticator;
  /** Per-service timeline: add a source with `timeline.addSource(…)`. */
  readonly timeline: TimelineService;
}

export interface ServerModule {
  readonly name: string;
  /** Routes served on the API port under /api/v1. */
  readonly apiRoutes?: FastifyPluginAsync;
  /** Routes served on the OTLP port. */
  readonly otlpRoutes?: FastifyPluginAsync;
  /** Starts background work; called after migrations, in module order. */
  start?(): Promise<void>;
  /** Stops background work and flushes; called on shutdown in reverse order. Must be idempotent. */
  stop?(): Promise<void>;
  /** Null when the module is ready to serve, else why not (shown by /readyz). */
  notReadyReason?(): string | null;
}
