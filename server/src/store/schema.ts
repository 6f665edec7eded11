// Table types for Kysely. Each module's tables are declared here so that one Database type
// describes the whole store; the module that owns a table is named beside it. Times are
// integer milliseconds since the epoch (UTC) unless the column name says otherwise.
import type { ColumnType, Generated } from 'kysely';

/** registry/: one row per instance ever registered; `removed_at` hides it from the live view. */
export interface InstancesTable {
  id: string;
  service: string;
  /** Lease shard of the instance's checks: a hash of the id (health/shards.ts). */
  shard: number;
  address: string;
  version: string | null;
  environment: string | null;
  /** JSON object of string labels. */
  labels: string;
  /** JSON array of check definitions (see health/checks.ts). */
  checks: string;
  ttl_ms: number | null;
  deregister_after_ms: number;
  registered_at: number;
  updated_at: number;
  /** Replica that made the last change (registration, removal, outside status). */
  updated_by: string | null;
  last_heartbeat_at: number | null;
  status: string;
  status_reason: string | null;
  status_source: string | null;
  status_since: number;
  flapping: number;
  /** JSON object: { [source]: { status, reason, at } } reported by outside sources (kubernetes). */
  external_status: string;
  removed_at: number | null;
}

/** registry/: every status transition, kept after the instance leaves the live view. */
export interface StatusHistoryTable {
  id: Generated<number>;
  instance_id: string;
  service: string;
  at: number;
  from_status: string;
  to_status: string;
  reason: string;
  source: string;
}

/** health/: latest result of each check, written on change and periodically (not every probe).
 * `status` is the check's state after thresholds; `output` and the timing are of the last probe. */
export interface CheckResultsTable {
  instance_id: string;
  check_id: string;
  status: string;
  output: string;
  duration_ms: number;
  checked_at: number;
}

/** health/: replicas alive on this store, for sharing checks out by lease. */
export interface ReplicasTable {
  id: string;
  started_at: number;
  last_seen: number;
}

/** health/: a replica's lease on one shard of the check targets. */
export interface CheckLeasesTable {
  shard: number;
  owner: string | null;
  expires_at: number;
}

/** topology/: RED of a series in one time bucket; latency in µs. */
export interface RedMeasureColumns {
  requests: number;
  errors: number;
  min_us: number;
  max_us: number;
  /** Sparse latency histogram: a JSON object of bucket index (topology/histogram.ts) → count. */
  hist: string;
}

/** topology/: the bucket of a series that starts at `start_ms` (epoch ms) and lasts `width_ms`. */
export interface BucketTimeColumns {
  /** 60000, 600000 or 3600000: every flush writes each minute into all three. */
  width_ms: number;
  start_ms: number;
}

/** topology/: one service-graph edge in one bucket. */
export interface TopologyEdgeBucketsTable extends RedMeasureColumns, BucketTimeColumns {
  source: string;
  source_type: string;
  target: string;
  target_type: string;
  /** 'sync' | 'async'. */
  kind: string;
}

/** topology/: a service's entry spans (SERVER, CONSUMER, roots) in one bucket. */
export interface TopologyServiceBucketsTable extends RedMeasureColumns, BucketTimeColumns {
  service: string;
}

/** topology/: one operation (span name + OTLP span kind) of a service in one minute. */
export interface TopologyOperationMinutesTable extends RedMeasureColumns {
  service: string;
  minute: number;
  operation: string;
  span_kind: number;
}

/**
 * telemetry/: nanoseconds since the epoch (or a nanosecond duration) in an int8 column. Both
 * drivers return int8 as a JS number, which cannot hold such values exactly: select them with
 * CAST(… AS TEXT) and parse with BigInt. Written as bigint or decimal text.
 */
export type NanosColumn = ColumnType<number, bigint | string, bigint | string>;

/** telemetry/: one resource (service.name and the other resource attributes), shared by its spans and logs. */
export interface TelemetryResourcesTable {
  /** 16 hex characters of the SHA-1 of the attributes JSON. */
  id: string;
  service: string;
  /** JSON object (jsonb on PostgreSQL, text on SQLite). */
  attributes: unknown;
  last_seen_ms: number;
}

/** telemetry/: one span. Partitioned by day on start_ns on PostgreSQL. */
export interface SpansTable {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  service: string;
  name: string;
  /** OTLP SpanKind number. */
  kind: number;
  start_ns: NanosColumn;
  duration_ns: NanosColumn;
  /** OTLP StatusCode number (2 = error). */
  status_code: number;
  status_message: string;
  /** JSON object (jsonb on PostgreSQL, text on SQLite). */
  attributes: unknown;
  /** JSON text: [{ time_ns, name, attributes }]. */
  events: string;
  /** JSON text: [{ trace_id, span_id, attributes }]. */
  links: string;
  resource_id: string;
  scope_name: string;
  scope_version: string;
}

/** telemetry/: one log record. Partitioned by day on time_ns on PostgreSQL. */
export interface LogsTable {
  id: Generated<number>;
  time_ns: NanosColumn;
  observed_ns: NanosColumn;
  severity_number: number;
  severity_text: string;
  body: string;
  /** JSON object (jsonb on PostgreSQL, text on SQLite). */
  attributes: unknown;
  service: string;
  resource_id: string;
  trace_id: string | null;
  span_id: string | null;
  scope_name: string;
}

/** telemetry/: span names per service, for the operations list. */
export interface TelemetryOperationsTable {
  service: string;
  name: string;
  kind: number;
  last_seen_ms: number;
}

/** telemetry/: attribute keys seen per signal ('spans' | 'logs') and service, for suggestions. */
export interface TelemetryAttributeKeysTable {
  signal: string;
  service: string;
  key: string;
  /** 'string' | 'number' | 'bool' | 'other' of the last value seen. */
  value_type: string;
  last_seen_ms: number;
}

/** telemetry/: a bounded sample of short scalar values per attribute key, for suggestions. */
export interface TelemetryAttributeValuesTable {
  signal: string;
  service: string;
  key: string;
  value: string;
  last_seen_ms: number;
}

/** auth/: one API token. `hash` is the hex SHA-256 of the whole token; the token is never stored. */
export interface ApiTokensTable {
  /** Public part of the token (`sbx_<id>_<secret>`), used to find the row. */
  id: string;
  name: string;
  /** 'viewer' | 'operator' | 'admin'. */
  role: string;
  hash: string;
  created_at: number;
  /** Name of the principal that created it. */
  created_by: string;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

/** audit/: one change, who made it, and the state before and after (JSON text, null when none). */
export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  /** 'token' | 'bootstrap' | 'agent' | 'open' | 'system' (auth/principal.ts). */
  actor_kind: string;
  actor_id: string;
  actor_name: string;
  /** `<target>.<verb>`, e.g. token.create, instance.deregister, config.publish. */
  action: string;
  target_type: string;
  target_id: string;
  service: string | null;
  before: string | null;
  after: string | null;
  reason: string | null;
}

/** config/: one configured service and environment. */
export interface ConfigDocumentsTable {
  service: string;
  environment: string;
  /** JSON Schema (text) every published version must satisfy; null: none. */
  schema: string | null;
  latest_version: number;
  /** What instances outside a baking rollout's canary run. */
  stable_version: number;
  updated_at: number;
}

/** config/: one immutable version of a document. */
export interface ConfigVersionsTable {
  service: string;
  environment: string;
  version: number;
  /** JSON text. */
  content: string;
  author: string;
  message: string;
  created_at: number;
  /** Set on a rollback: the version whose content this one republished. */
  restored_from: number | null;
  /** Set when the version was published through a staged rollout. */
  rollout_id: string | null;
}

/** config/: what an instance last acknowledged (drift). */
export interface ConfigAcksTable {
  instance_id: string;
  service: string;
  environment: string;
  applied_version: number | null;
  applied_at: number | null;
  last_version: number;
  /** 'applied' | 'rejected'. */
  last_status: string;
  last_reason: string | null;
  last_at: number;
}

/** config/: a staged rollout. Times in ms; thresholds and last_comparison are JSON text. */
export interface ConfigRolloutsTable {
  id: string;
  service: string;
  environment: string;
  version: number;
  base_version: number;
  canary_percent: number | null;
  /** JSON array of instance ids, or null when the canary is a percentage. */
  canary_instances: string | null;
  bake_ms: number;
  thresholds: string;
  /** 1: promote by itself after the bake; 0: a person promotes. Regressions are rolled back either way. */
  auto: number;
  /** 'baking' | 'promoted' | 'rolled_back' | 'aborted'. */
  status: string;
  started_at: number;
  bake_until: number;
  finished_at: number | null;
  decision_reason: string | null;
  last_comparison: string | null;
  /** The version a rollback published (the base's content again). */
  rollback_version: number | null;
}

/** config/: one recorded step of a rollout. */
export interface ConfigRolloutStepsTable {
  id: Generated<number>;
  rollout_id: string;
  at: number;
  /** started | evaluated | promoted | rolled_back | aborted. */
  step: string;
  actor: string;
  detail: string | null;
}

/** breakers/: the last reported state of one breaker of one instance. */
export interface BreakerStatesTable {
  instance_id: string;
  name: string;
  service: string;
  environment: string;
  dependency: string | null;
  /** 'closed' | 'open' | 'half_open'. */
  state: string;
  /** 'open' | 'closed' while an operator command holds it, else null. */
  forced: string | null;
  /** JSON text of the counters. */
  counts: string;
  updated_at: number;
}

/** breakers/: one reported state change. */
export interface BreakerTransitionsTable {
  id: Generated<number>;
  instance_id: string;
  service: string;
  name: string;
  from_state: string;
  to_state: string;
  reason: string;
  at: number;
}

/** breakers/: an operator command. */
export interface BreakerCommandsTable {
  id: string;
  /** 'force_open' | 'force_closed' | 'reset'. */
  action: string;
  /** 'instance' | 'service' | 'fleet'. */
  scope: string;
  service: string | null;
  instance_id: string | null;
  /** One breaker by name, or null for every breaker in scope. */
  breaker: string | null;
  reason: string;
  created_at: number;
  created_by: string;
  expires_at: number;
  /** 'active' | 'expired' | 'cancelled'. */
  status: string;
  ended_at: number | null;
}

/** breakers/: an instance's acknowledgement of a command. */
export interface BreakerCommandAcksTable {
  command_id: string;
  instance_id: string;
  /** 'applied' | 'released' | 'rejected'. */
  status: string;
  detail: string | null;
  at: number;
}

export interface Database {
  instances: InstancesTable;
  status_history: StatusHistoryTable;
  check_results: CheckResultsTable;
  replicas: ReplicasTable;
  check_leases: CheckLeasesTable;
  topology_edge_buckets: TopologyEdgeBucketsTable;
  topology_service_buckets: TopologyServiceBucketsTable;
  topology_operation_minutes: TopologyOperationMinutesTable;
  telemetry_resources: TelemetryResourcesTable;
  spans: SpansTable;
  logs: LogsTable;
  telemetry_operations: TelemetryOperationsTable;
  telemetry_attribute_keys: TelemetryAttributeKeysTable;
  telemetry_attribute_values: TelemetryAttributeValuesTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  config_documents: ConfigDocumentsTable;
  config_versions: ConfigVersionsTable;
  config_acks: ConfigAcksTable;
  config_rollouts: ConfigRolloutsTable;
  config_rollout_steps: ConfigRolloutStepsTable;
  breaker_states: BreakerStatesTable;
  breaker_transitions: BreakerTransitionsTable;
  breaker_commands: BreakerCommandsTable;
  breaker_command_acks: BreakerCommandAcksTable;
}
