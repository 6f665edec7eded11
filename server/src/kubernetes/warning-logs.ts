// Warning events stored as log records (--kube-warning-logs), so they show in log search and
// on a service's timeline beside what the service logged itself. Each new occurrence is one
// record: a new Warning event, or a repeat of one (its count went up). Attributes follow the
// OpenTelemetry Collector's k8s events receiver (k8s.event.*, k8s.object.*); the record belongs
// to the service of the object (its app label, else its workload, else its name).
//
// Events already present when the caches first load are history and are not written: a restart
// would otherwise store them again. Warnings raised while the server was down are therefore not
// stored. Writes are batched, bounded, and never retried (a dropped record is counted).
import type { EventsV1Event } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { LogRecord, SpanRecord } from '../telemetry/model.js';
import type { ClusterCache } from './cluster-cache.js';
import { describeEvent } from './events.js';
import { appLabelOf, controllerOf, labelsOf } from './objects.js';
import type { EventView } from './schemas.js';

/** Where the records go (the telemetry module's ingest service). */
export interface LogWriter {
  storeRecords(spans: readonly SpanRecord[], logs: readonly LogRecord[]): Promise<void>;
}

export interface WarningLogOptions {
  flushMs: number;
  maxBatch: number;
  /** Records waiting at most; beyond, new ones are dropped and counted. */
  maxQueued: number;
}

export const DEFAULT_WARNING_LOG_OPTIONS: WarningLogOptions = { flushMs: 1000, maxBatch: 500, maxQueued: 10_000 };

export const SCOPE_NAME = 'signalbox.kubernetes.events';
/** Marks the records (the timeline finds them by it). */
export const EVENT_TYPE_ATTRIBUTE = 'k8s.event.type';
const WARN = 13; // OTLP SeverityNumber WARN

export class WarningEventLogs {
  /** uid → the count last seen, so a repeat is told from a re-delivery (relist, resync). */
  private readonly seen = new Map<string, number>();
  private queue: LogRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly records: Counter<'outcome'>;

  constructor(
    private readonly cache: ClusterCache,
    private readonly writer: LogWriter,
    private readonly logger: Logger,
    registry: Registry,
    private readonly options: WarningLogOptions = DEFAULT_WARNING_LOG_OPTIONS,
  ) {
    this.records = new Counter({
      name: 'signalbox_kubernetes_warning_logs_total',
      help: 'Kubernetes Warning events turned into log records, by outcome (stored, dropped, failed)',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  /** Call once the caches have synced: what they hold then is history. */
  start(): void {
    for (const event of this.cache.events.all()) this.seen.set(event.uid, event.count);
    this.unsubscribe = this.cache.onChange((change) => {
      if (change.resource !== 'events') return;
      const raw = change.object as EventsV1Event;
      if (change.type === 'remove') {
        this.seen.delete(raw.metadata?.uid ?? '');
        return;
      }
      const event = describeEvent(raw);
      const previous = this.seen.get(event.uid);
      this.seen.set(event.uid, event.count);
      if (event.type !== 'Warning' || (previous !== undefined && event.count <= previous)) return;
      this.enqueue(this.toRecord(event, raw));
    });
    this.timer = setInterval(() => void this.flush(), this.options.flushMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** Writes what is queued now (the timer calls it; tests and stop() too). */
  async flush(): Promise<void> {
    if (this.flushing) await this.flushing;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.flushing = this.writer
        .storeRecords([], batch)
        .then(() => {
          this.records.inc({ outcome: 'stored' }, batch.length);
        })
        .catch((error: unknown) => {
          this.records.inc({ outcome: 'failed' }, batch.length);
          this.logger.warn({ err: error, records: batch.length }, 'storing Kubernetes warning events as logs failed');
        });
      await this.flushing;
      this.flushing = undefined;
    }
  }

  private enqueue(record: LogRecord): void {
    if (this.queue.length >= this.options.maxQueued) {
      this.records.inc({ outcome: 'dropped' });
      return;
    }
    this.queue.push(record);
    if (this.queue.length >= this.options.maxBatch) void this.flush();
  }

  private toRecord(event: EventView, raw: EventsV1Event): LogRecord {
    const service = serviceOfEvent(this.cache, event);
    const { kind, namespace, name, uid, field_path } = event.regarding;
    const resource: Record<string, string> = { 'service.name': service, 'k8s.namespace.name': namespace };
    if (kind === 'Pod') {
      resource['k8s.pod.name'] = name;
      if (uid) resource['k8s.pod.uid'] = uid;
    } else if (kind === 'Node') {
      resource['k8s.node.name'] = name;
    } else if (kind) {
      resource[`k8s.${kind.toLowerCase()}.name`] = name;
    }
    const attributes: Record<string, string | number> = {
      [EVENT_TYPE_ATTRIBUTE]: event.type,
      'k8s.event.reason': event.reason,
      'k8s.event.name': raw.metadata?.name ?? '',
      'k8s.event.uid': event.uid,
      'k8s.event.count': event.count,
      'k8s.event.start_time': new Date(event.first_at).toISOString(),
      'k8s.object.kind': kind,
      'k8s.object.name': name,
      'k8s.namespace.name': namespace,
    };
    if (uid) attributes['k8s.object.uid'] = uid;
    if (field_path) attributes['k8s.object.fieldpath'] = field_path;
    if (raw.regarding?.apiVersion) attributes['k8s.object.api_version'] = raw.regarding.apiVersion;
    if (raw.action) attributes['k8s.event.action'] = raw.action;
    if (event.reporting_controller) attributes['k8s.event.reporting_controller'] = event.reporting_controller;
    return {
      timeNs: BigInt(event.last_at) * 1_000_000n,
      observedTimeNs: BigInt(Date.now()) * 1_000_000n,
      severityNumber: WARN,
      severityText: 'Warning',
      body: event.note,
      attributes,
      resource,
      service,
      traceId: null,
      spanId: null,
      scopeName: SCOPE_NAME,
    };
  }
}

/** The service an event belongs to, as the registry and telemetry name services. */
export function serviceOfEvent(cache: ClusterCache, event: EventView): string {
  const { kind, namespace, name } = event.regarding;
  switch (kind) {
    case 'Pod': {
      const pod = cache.get('pods', namespace, name);
      if (pod) {
        const app = appLabelOf(labelsOf(pod));
        if (app) return app;
        const owner = controllerOf(pod);
        if (owner?.kind === 'ReplicaSet') {
          const rs = cache.get('replicasets', namespace, owner.name);
          const deployment = rs ? controllerOf(rs) : undefined;
          return deployment?.kind === 'Deployment' ? deployment.name : owner.name;
        }
        if (owner) return owner.name;
        return name;
      }
      return ownerByPodName(cache, namespace, name) ?? name;
    }
    case 'ReplicaSet': {
      const rs = cache.get('replicasets', namespace, name);
      const owner = rs ? controllerOf(rs) : undefined;
      return owner?.kind === 'Deployment' ? owner.name : name;
    }
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Service':
      return name;
    default:
      return 'kubernetes';
  }
}

/**
 * The workload of a pod that is gone (events outlive their pods), from the names controllers
 * give pods: <deployment>-<replicaset hash>-<suffix>, <statefulset>-<ordinal>, <daemonset>-<suffix>.
 */
function ownerByPodName(cache: ClusterCache, namespace: string, pod: string): string | undefined {
  const deployment = /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(pod)?.[1];
  if (deployment && cache.get('deployments', namespace, deployment)) return deployment;
  const statefulSet = /^(.+)-\d+$/.exec(pod)?.[1];
  if (statefulSet && cache.get('statefulsets', namespace, statefulSet)) return statefulSet;
  const daemonSet = /^(.+)-[a-z0-9]{5}$/.exec(pod)?.[1];
  if (daemonSet && cache.get('daemonsets', namespace, daemonSet)) return daemonSet;
  return undefined;
}
