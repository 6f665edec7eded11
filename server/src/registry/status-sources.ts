// What each source says about an instance, and the status that follows (the worst of them).
// The replica that checks an instance uses this to decide transitions from its in-memory state;
// the API uses the same function to show the per-source breakdown from the store, so both
// always agree on what "TTL missed" or "waiting for the first probe" means.
import { formatDuration } from './durations.js';
import { type SourceStatus, type Status, worstOf } from './status.js';

export interface ExternalStatus {
  status: Status;
  reason: string;
  at: number;
}

export interface CheckState {
  id: string;
  name: string;
  /** State after thresholds; unknown until enough probes have run. */
  status: Status;
  /** Output of the last probe, if any ran. */
  output: string | null;
  checkedAt: number | null;
}

export interface StatusInputs {
  checks: readonly CheckState[];
  ttlMs: number | null;
  lastHeartbeatAt: number | null;
  registeredAt: number;
  external: Readonly<Record<string, ExternalStatus>>;
}

export interface SourceView extends SourceStatus {
  /** When the source last reported (probe time, heartbeat time, report time). */
  at: number | null;
}

export function ttlMissed(ttlMs: number, lastHeartbeatAt: number | null, registeredAt: number, now: number): boolean {
  return now - (lastHeartbeatAt ?? registeredAt) > ttlMs;
}

export function deriveSources(inputs: StatusInputs, now: number): SourceView[] {
  const sources: SourceView[] = [];
  for (const check of inputs.checks) {
    const reason =
      check.output === null ? `${check.name}: waiting for the first probe` : `${check.name}: ${check.output}`;
    sources.push({ source: `check:${check.id}`, status: check.status, reason, at: check.checkedAt });
  }
  if (inputs.ttlMs !== null) {
    const last = inputs.lastHeartbeatAt ?? inputs.registeredAt;
    const missed = ttlMissed(inputs.ttlMs, inputs.lastHeartbeatAt, inputs.registeredAt, now);
    sources.push({
      source: 'ttl',
      status: missed ? 'critical' : 'passing',
      reason: missed
        ? `no heartbeat for ${(Math.max(0, now - last) / 1000).toFixed(1)}s (TTL ${formatDuration(inputs.ttlMs)})`
        : `heartbeat within TTL ${formatDuration(inputs.ttlMs)}`,
      at: inputs.lastHeartbeatAt,
    });
  }
  for (const [source, external] of Object.entries(inputs.external)) {
    sources.push({ source, status: external.status, reason: external.reason, at: external.at });
  }
  if (sources.length === 0) {
    // Like Consul: an instance registered without any health signal counts as passing.
    sources.push({
      source: 'registration',
      status: 'passing',
      reason: 'registered without checks or TTL',
      at: inputs.registeredAt,
    });
  }
  return sources;
}

export function decideStatus(inputs: StatusInputs, now: number): SourceStatus {
  return worstOf(deriveSources(inputs, now)) as SourceStatus;
}
