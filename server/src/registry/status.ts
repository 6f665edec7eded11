// Instance and service status. An instance's status is the worst of what its sources say
// (active checks, the heartbeat TTL, outside sources such as Kubernetes readiness); the source
// that decided it is recorded beside it. A service's status summarizes its instances.

export const STATUSES = ['passing', 'warning', 'critical', 'unknown'] as const;
export type Status = (typeof STATUSES)[number];

/** Status of an instance in history: its live status, or not in the live view. */
export type HistoryStatus = Status | 'none' | 'removed';

// "unknown" (a source that has not reported yet) ranks above passing: an instance whose first
// check has not run is not yet known to be healthy.
const SEVERITY: Record<Status, number> = { passing: 0, unknown: 1, warning: 2, critical: 3 };

export function severity(status: Status): number {
  return SEVERITY[status];
}

export interface SourceStatus {
  /** `check:<id>`, `ttl`, `kubernetes`, `registration`, … */
  source: string;
  status: Status;
  reason: string;
}

/** The worst of the sources; on a tie the first listed wins (callers list checks first). */
export function worstOf(sources: readonly SourceStatus[]): SourceStatus | undefined {
  let worst: SourceStatus | undefined;
  for (const source of sources) {
    if (worst === undefined || SEVERITY[source.status] > SEVERITY[worst.status]) worst = source;
  }
  return worst;
}

export type StatusCounts = Record<Status, number>;

export function emptyCounts(): StatusCounts {
  return { passing: 0, warning: 0, critical: 0, unknown: 0 };
}

/**
 * A service's status from its instances' counts: critical when every instance is, warning when
 * some are critical or warning, passing when none is bad and at least one passes, else unknown.
 */
export function aggregateStatus(counts: StatusCounts): Status {
  const total = counts.passing + counts.warning + counts.critical + counts.unknown;
  if (total === 0) return 'unknown';
  if (counts.critical === total) return 'critical';
  if (counts.critical > 0 || counts.warning > 0) return 'warning';
  if (counts.passing > 0) return 'passing';
  return 'unknown';
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}
