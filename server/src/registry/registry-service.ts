// The registry: registrations, heartbeats, deregistration, outside status reports (Kubernetes),
// and the read views of services and instances. The store is the source of truth, so every
// replica answers the same; the health checker of this replica is told about each change it
// wrote (so the owner of an instance reacts at once) and overlays the fresher in-memory state of
// the instances it checks itself.
import type { Logger } from 'pino';
import { Errors } from '../errors.js';
import { checkToApi } from '../health/checks.js';
import type { Store } from '../store/store.js';
import { formatDuration } from './durations.js';
import { type CheckResultRow, type InstanceRecord, InstanceStore, type Transition } from './instance-store.js';
import { normalizeRegistration, type RegistrationInput } from './registration.js';
import type { InstanceView, ServiceDetail, ServiceSummary } from './schemas.js';
import { aggregateStatus, emptyCounts, isStatus, type Status, type StatusCounts } from './status.js';
import { deriveSources, type ExternalStatus } from './status-sources.js';

export type InstanceChangeKind = 'registered' | 'heartbeat' | 'removed' | 'external';

/** What the checker of an instance knows in memory (fresher than the store's periodic copy). */
export interface LiveInstanceState {
  status: Status;
  statusReason: string;
  statusSource: string;
  statusSince: number;
  flapping: boolean;
  lastHeartbeatAt: number | null;
  checks: ReadonlyMap<string, CheckResultRow>;
}

/** The health checker of this replica, as the registry sees it. */
export interface LocalChecker {
  /** The registry just wrote this change; the owner of the instance's shard applies it now. */
  instanceChanged(record: InstanceRecord, kind: InstanceChangeKind): void;
  /** In-memory state of an instance this replica checks, else undefined. */
  liveState(instanceId: string): LiveInstanceState | undefined;
}

/** An instance as the Kubernetes source (and other modules) list them. */
export interface LiveInstance {
  id: string;
  service: string;
  address: string;
  labels: Record<string, string>;
  version: string | null;
  environment: string | null;
  status: Status;
}

export interface ExternalStatusReport {
  instanceId: string;
  /** Name of the outside source, e.g. `kubernetes`. */
  source: string;
  status: Status;
  reason: string;
}

const SOURCE_NAME = /^[a-z][a-z0-9-]{0,31}$/;
/** Names that belong to the registry's own sources and cannot be reported from outside. */
const RESERVED_SOURCES = new Set(['ttl', 'registration', 'api', 'registry']);

export class RegistryService {
  readonly instances: InstanceStore;
  private checker: LocalChecker | undefined;

  constructor(
    store: Store,
    replicaId: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.instances = new InstanceStore(store, replicaId);
  }

  attachChecker(checker: LocalChecker): void {
    this.checker = checker;
  }

  private notify(record: InstanceRecord, kind: InstanceChangeKind): void {
    try {
      this.checker?.instanceChanged(record, kind);
    } catch (error) {
      // The write is done; the owner will pick the change up from the store on its next sync.
      this.logger.error({ err: error, instance: record.id }, 'health checker failed to take a registry change');
    }
  }

  /** Registers or updates an instance. `created` is true for a new (or re-registered after removal) one. */
  async register(input: RegistrationInput): Promise<{ created: boolean; instance: InstanceView }> {
    const registration = normalizeRegistration(input);
    const { outcome, record } = await this.instances.register(registration, this.now());
    this.notify(record, 'registered');
    if (outcome !== 'updated') {
      this.logger.debug({ instance: record.id, service: record.service, outcome }, 'instance registered');
    }
    return { created: outcome !== 'updated', instance: this.view(record, undefined) };
  }

  /** Renews the TTL. Throws 404 when the instance is not live (the agent then re-registers). */
  async heartbeat(id: string): Promise<{ record: InstanceRecord; at: number }> {
    const at = this.now();
    const record = await this.instances.heartbeat(id, at);
    if (!record) {
      throw Errors.notFound(`Instance "${id}" is not registered (or was removed); register it again`);
    }
    this.notify(record, 'heartbeat');
    const live = this.checker?.liveState(id);
    if (live) record.status = live.status;
    return { record, at };
  }

  /** Removes an instance from the live view; idempotent for one already removed. */
  async deregister(id: string, reason = 'deregistered through the API', source = 'api'): Promise<void> {
    const { outcome, record } = await this.instances.deregister(id, this.now(), reason, source);
    if (outcome === 'unknown') throw Errors.notFound(`Instance "${id}" was never registered`);
    if (outcome === 'removed' && record) {
      this.notify(record, 'removed');
      this.logger.info({ instance: id, service: record.service, reason }, 'instance removed from the live view');
    }
  }

  /**
   * Merges what an outside source (e.g. Kubernetes readiness) says into the instance's status:
   * the worst source wins, and the deciding source is recorded. Resolves false when the instance
   * is not live. Repeating the same status and reason writes nothing.
   */
  async reportExternalStatus(report: ExternalStatusReport): Promise<boolean> {
    if (!SOURCE_NAME.test(report.source) || RESERVED_SOURCES.has(report.source) || report.source.startsWith('check')) {
      throw new TypeError(`"${report.source}" is not a valid outside status source name`);
    }
    if (!isStatus(report.status)) throw new TypeError(`"${String(report.status)}" is not a status`);
    const value: ExternalStatus = { status: report.status, reason: report.reason.slice(0, 1000), at: this.now() };
    const result = await this.instances.setExternal(report.instanceId, report.source, value, value.at);
    if (!result) return false;
    if (result.changed) this.notify(result.record, 'external');
    return true;
  }

  /** Withdraws an outside source's opinion (e.g. the pod is gone); false when not live. */
  async clearExternalStatus(instanceId: string, source: string): Promise<boolean> {
    const result = await this.instances.setExternal(instanceId, source, null, this.now());
    if (!result) return false;
    if (result.changed) this.notify(result.record, 'external');
    return true;
  }

  /** Live instances (optionally of one service), e.g. for matching them to Kubernetes pods. */
  async listLiveInstances(filter: { service?: string } = {}): Promise<LiveInstance[]> {
    const records = await this.instances.listLive(filter.service);
    return records.map((r) => ({
      id: r.id,
      service: r.service,
      address: r.address,
      labels: r.labels,
      version: r.version,
      environment: r.environment,
      status: this.checker?.liveState(r.id)?.status ?? r.status,
    }));
  }

  async getInstance(id: string): Promise<InstanceView> {
    const record = await this.instances.get(id);
    if (!record) throw Errors.notFound(`Instance "${id}" was never registered`);
    const results = await this.instances.checkResults([id]);
    return this.view(record, results.get(id));
  }

  async history(id: string, limit: number, before?: number): Promise<Transition[]> {
    const record = await this.instances.get(id);
    if (!record) throw Errors.notFound(`Instance "${id}" was never registered`);
    return this.instances.history(id, limit, before);
  }

  async listServices(): Promise<ServiceSummary[]> {
    const rows = await this.instances.liveCounts();
    const byService = new Map<
      string,
      {
        counts: StatusCounts;
        flapping: number;
        versions: Map<string | null, number>;
        environments: Map<string | null, number>;
      }
    >();
    for (const row of rows) {
      let entry = byService.get(row.service);
      if (!entry) {
        entry = { counts: emptyCounts(), flapping: 0, versions: new Map(), environments: new Map() };
        byService.set(row.service, entry);
      }
      const status = isStatus(row.status) ? row.status : 'unknown';
      entry.counts[status] += row.instances;
      if (row.flapping) entry.flapping += row.instances;
      entry.versions.set(row.version, (entry.versions.get(row.version) ?? 0) + row.instances);
      entry.environments.set(row.environment, (entry.environments.get(row.environment) ?? 0) + row.instances);
    }
    return [...byService.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, entry]) => ({
        name,
        status: aggregateStatus(entry.counts),
        instances: entry.counts.passing + entry.counts.warning + entry.counts.critical + entry.counts.unknown,
        counts: entry.counts,
        flapping: entry.flapping,
        versions: versionList(entry.versions),
        environments: byCount(entry.environments).map(([environment, instances]) => ({ environment, instances })),
      }));
  }

  async getService(name: string): Promise<ServiceDetail> {
    const records = await this.instances.liveOfService(name);
    if (records.length === 0) throw Errors.notFound(`Service "${name}" has no live instances`);
    const results = await this.instances.checkResults(records.map((r) => r.id));
    const instances = records.map((r) => this.view(r, results.get(r.id)));
    const counts = emptyCounts();
    const versions = new Map<string | null, number>();
    let flapping = 0;
    for (const instance of instances) {
      counts[instance.status]++;
      if (instance.flapping) flapping++;
      versions.set(instance.version, (versions.get(instance.version) ?? 0) + 1);
    }
    return { name, status: aggregateStatus(counts), counts, flapping, versions: versionList(versions), instances };
  }

  /** The API view of an instance: the stored row, overlaid with the checker's state when it is ours. */
  private view(record: InstanceRecord, stored: CheckResultRow[] | undefined): InstanceView {
    const now = this.now();
    const live = record.removedAt === null ? this.checker?.liveState(record.id) : undefined;
    const results = new Map<string, CheckResultRow>((stored ?? []).map((r) => [r.checkId, r]));
    if (live) for (const [id, result] of live.checks) results.set(id, result);
    const lastHeartbeatAt = Math.max(live?.lastHeartbeatAt ?? 0, record.lastHeartbeatAt ?? 0) || null;
    const checks = record.checks.map((check) => {
      const result = results.get(check.id);
      return {
        ...checkToApi(check),
        status: result?.status ?? ('unknown' as const),
        output: result?.output ?? null,
        duration_ms: result?.durationMs ?? null,
        checked_at: result?.checkedAt ?? null,
      };
    });
    const sources = deriveSources(
      {
        checks: checks.map((c) => ({
          id: c.id,
          name: c.name,
          status: c.status,
          output: c.output,
          checkedAt: c.checked_at,
        })),
        ttlMs: record.ttlMs,
        lastHeartbeatAt,
        registeredAt: record.registeredAt,
        external: record.external,
      },
      now,
    );
    return {
      id: record.id,
      service: record.service,
      address: record.address,
      version: record.version,
      environment: record.environment,
      labels: record.labels,
      ttl: record.ttlMs === null ? null : formatDuration(record.ttlMs),
      deregister_after: formatDuration(record.deregisterAfterMs),
      status: live?.status ?? record.status,
      status_reason: live?.statusReason ?? record.statusReason,
      status_source: live?.statusSource ?? record.statusSource,
      status_since: live?.statusSince ?? record.statusSince,
      flapping: live?.flapping ?? record.flapping,
      registered_at: record.registeredAt,
      updated_at: record.updatedAt,
      last_heartbeat_at: lastHeartbeatAt,
      removed_at: record.removedAt,
      checks,
      sources,
    };
  }
}

function versionList(versions: Map<string | null, number>): Array<{ version: string | null; instances: number }> {
  return byCount(versions).map(([version, instances]) => ({ version, instances }));
}

/** Entries with the most instances first, then by name. */
function byCount(counts: Map<string | null, number>): Array<[string | null, number]> {
  return [...counts.entries()].sort(([a, x], [b, y]) => y - x || String(a).localeCompare(String(b)));
}
