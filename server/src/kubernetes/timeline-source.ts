// The service timeline's `kubernetes` source: Warning events about the service's pods and
// workloads. With --kube-warning-logs they are read back from the stored log records (they
// outlive the API server's one-hour event TTL and a restart of Signalbox); without, from the
// events the informer holds now.
import type { LogQueries } from '../telemetry/query/log-queries.js';
import type { TimelineEvent, TimelineQuery, TimelineSource } from '../timeline/timeline.js';
import type { ClusterCache } from './cluster-cache.js';
import { newestFirst } from './events.js';
import type { EventView } from './schemas.js';
import { EVENT_TYPE_ATTRIBUTE, serviceOfEvent } from './warning-logs.js';

function fromEvent(event: EventView): TimelineEvent {
  const { kind, namespace, name } = event.regarding;
  return {
    at: event.last_at,
    source: 'kubernetes',
    kind: `k8s.${event.reason}`,
    summary: `${kind} ${namespace}/${name}: ${event.reason}: ${event.note}${event.count > 1 ? ` (${event.count} times)` : ''}`,
    instance_id: null,
    details: { reason: event.reason, object_kind: kind, object_name: name, namespace, count: event.count },
  };
}

export function kubernetesTimelineSource(cache: ClusterCache, stored: LogQueries | undefined): TimelineSource {
  return {
    name: 'kubernetes',
    async events(query: TimelineQuery): Promise<TimelineEvent[]> {
      if (stored) {
        const { logs } = await stored.search({
          service: query.service,
          attributes: [{ key: EVENT_TYPE_ATTRIBUTE, value: 'Warning' }],
          fromNs: BigInt(query.from) * 1_000_000n,
          toNs: (BigInt(query.to) + 1n) * 1_000_000n,
          limit: query.limit,
        });
        return logs.map((log) => {
          const a = log.attributes;
          const count = typeof a['k8s.event.count'] === 'number' ? a['k8s.event.count'] : 1;
          return {
            at: Number(log.timeNs / 1_000_000n),
            source: 'kubernetes',
            kind: `k8s.${String(a['k8s.event.reason'] ?? 'Warning')}`,
            summary: `${String(a['k8s.object.kind'])} ${String(a['k8s.namespace.name'])}/${String(a['k8s.object.name'])}: ${String(a['k8s.event.reason'])}: ${log.body}${count > 1 ? ` (${count} times)` : ''}`,
            instance_id: null,
            details: {
              reason: a['k8s.event.reason'] ?? null,
              object_kind: a['k8s.object.kind'] ?? null,
              object_name: a['k8s.object.name'] ?? null,
              namespace: a['k8s.namespace.name'] ?? null,
              count,
            },
          };
        });
      }
      const events: EventView[] = [];
      for (const event of cache.events.all()) {
        if (event.type !== 'Warning' || event.last_at < query.from || event.last_at > query.to) continue;
        if (serviceOfEvent(cache, event) === query.service) events.push(event);
      }
      return events.sort(newestFirst).slice(0, query.limit).map(fromEvent);
    },
  };
}
