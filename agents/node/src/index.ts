// @signalbox/agent: every public export, by name.

export type { AgentOptions, AgentStats, ShutdownReport } from './agent.js';
export { Agent, start } from './agent.js';
export { Backoff } from './backoff.js';
export type { BreakerCounts, BreakerOptions, BreakerState, BreakerTransition } from './breakers/breaker.js';
export { Breaker, BreakerOpenError } from './breakers/breaker.js';
export type { ConfigChange, ConfigParser, LiveConfigStats } from './config/live-config.js';
export { LiveConfig } from './config/live-config.js';
export type { ChannelStats } from './control-plane/channel.js';
export type {
  CallResult,
  ChannelSnapshot,
  HttpCheckDefinition,
  InstanceRegistration,
  PushedCommand,
  PushedCommands,
  PushedConfig,
} from './control-plane/client.js';
export { ControlPlaneClient } from './control-plane/client.js';
export type { RegistrationState, RegistrationStats } from './control-plane/registration.js';
export type { CheckResult, CheckStatus, HealthCheck, ReadinessReport } from './health/checks.js';
export { DEFAULT_CHECK_TIMEOUT_MS, HealthChecks } from './health/checks.js';
export type { Queryable, RoundTrip } from './health/dependency-checks.js';
export { brokerCheck, databaseCheck, httpCheck } from './health/dependency-checks.js';
export type { FastifyLike, FastifyReplyLike, MountTarget } from './health/endpoints.js';
export { LIVENESS_PATH, READINESS_PATH } from './health/endpoints.js';
export type { AgentLogger } from './logger.js';
export { severityOf, traceFields } from './logging/pino.js';
export type {
  AgentSettings,
  HealthOptions,
  InstrumentationSwitches,
  KubernetesIdentity,
  LiveConfigOptions,
  QueueSettings,
  RegistrationSettings,
  StartOptions,
  TelemetryOptions,
} from './settings.js';
export {
  DEFAULT_CONTROL_PLANE_URL,
  DEFAULT_OTLP_ENDPOINT,
  KUBERNETES_ENV,
  parseResourceAttributes,
  resolveSettings,
  SERVICE_NAME_PATTERN,
} from './settings.js';
export type { ExportQueueStats } from './telemetry/export-queue.js';
export { AGENT_VERSION } from './version.js';
