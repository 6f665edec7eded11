// The timeline sources this folder provides: the audit log, and health status transitions from
// the registry's status_history table. Other modules (breakers, kubernetes) add their own.
import type { AuditLog } from '../audit/audit-log.js';
import type { Store } from '../store/store.js';
import type { TimelineEvent, TimelineQuery, TimelineSource } from './timeline.js';

export function auditSource(audit: AuditLog): TimelineSource {
  return {
    name: 'audit',
    async events(query: TimelineQuery): Promise<TimelineEvent[]> {
      const page = await audit.query({ service: query.service, from: query.from, to: query.to, limit: query.limit });
      return page.entries.map((entry) => ({
        at: entry.at,
        source: 'audit',
        kind: entry.action,
        summary: `${entry.actor.name}: ${entry.action} ${entry.target_type} ${entry.target_id}${entry.reason ? ` (${entry.reason})` : ''}`,
        instance_id: entry.target_type === 'instance' ? entry.target_id : null,
        details: {
          audit_id: entry.id,
          actor: entry.actor,
          target_type: entry.target_type,
          target_id: entry.target_id,
          before: entry.before,
          after: entry.after,
          reason: entry.reason,
        },
      }));
    },
  };
}

/** Status transitions of the service's instances (health checks, heartbeats, Kubernetes readiness, removal). */
export function healthSource(store: Store): TimelineSource {
  return {
    name: 'health',
    async events(query: TimelineQuery): Promise<TimelineEvent[]> {
      const rows = await store.db
        .selectFrom('status_history')
        .selectAll()
        .where('service', '=', query.service)
        .where('at', '>=', query.from)
        .where('at', '<=', query.to)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(query.limit)
        .execute();
      return rows.map((row) => ({
        at: row.at,
        source: 'health',
        kind: `status.${row.to_status}`,
        summary: `${row.instance_id}: ${row.from_status} → ${row.to_status} (${row.reason})`,
        instance_id: row.instance_id,
        details: { from_status: row.from_status, to_status: row.to_status, reason: row.reason, by: row.source },
      }));
    },
  };
}
