// Whether a rollout's canary runs its version yet, from the agents' acknowledgements. Figures
// are only fair from the moment every canary instance applied the version (requests served
// before ran the old one), so nothing is judged until then: a canary instance that rejects the
// version rolls the rollout back with its reason, and one that stays silent past the deadline
// rolls it back too. Pure, so each rule is unit-tested.

/** The least time canary instances get to acknowledge, however short the bake. */
export const MIN_ACK_WAIT_MS = 30_000;

export interface CanaryAck {
  instance_id: string;
  applied_version: number | null;
  applied_at: number | null;
  last_version: number;
  last_status: string;
  last_reason: string | null;
}

export type AckGate =
  /** Every canary instance applied: figures count from `from_ms`, the latest of their acknowledgements. */
  | { state: 'applied'; from_ms: number; applied_at: Record<string, number> }
  | { state: 'waiting'; reason: string }
  | { state: 'failed'; reason: string };

/** When canary instances must have acknowledged by: the bake time after the start, at least MIN_ACK_WAIT_MS. */
export function ackDeadline(rollout: { started_at: number; bake_ms: number }): number {
  return rollout.started_at + Math.max(rollout.bake_ms, MIN_ACK_WAIT_MS);
}

const list = (ids: string[]) => `${ids.length === 1 ? 'instance' : 'instances'} ${ids.join(', ')}`;

export function ackGate(
  canary: readonly string[],
  acks: readonly CanaryAck[],
  version: number,
  rollout: { started_at: number; bake_ms: number },
  now: number,
): AckGate {
  const byId = new Map(acks.map((ack) => [ack.instance_id, ack]));
  const appliedAt: Record<string, number> = {};
  const rejected: string[] = [];
  const pending: string[] = [];
  for (const id of canary) {
    const ack = byId.get(id);
    if (ack?.last_version === version && ack.last_status === 'rejected') {
      rejected.push(`canary instance ${id} rejected v${version}: ${ack.last_reason ?? 'no reason given'}`);
    } else if (ack?.applied_version === version && ack.applied_at !== null) {
      appliedAt[id] = ack.applied_at;
    } else {
      pending.push(id);
    }
  }
  if (rejected.length > 0) return { state: 'failed', reason: rejected.join('; ') };
  const applied = canary.length - pending.length;
  if (pending.length > 0) {
    const deadline = ackDeadline(rollout);
    if (now >= deadline) {
      const waited = `${Math.round((deadline - rollout.started_at) / 1000)} s`;
      return {
        state: 'failed',
        reason: `no applied acknowledgement of v${version} from canary ${list(pending)} within ${waited} of the start (${applied} of ${canary.length} applied): is the agent connected?`,
      };
    }
    return {
      state: 'waiting',
      reason: `waiting for canary ${list(pending)} to apply v${version} (${applied} of ${canary.length} applied)`,
    };
  }
  // Never before the start (a canary without instances: a rollout started before they were stored).
  return {
    state: 'applied',
    from_ms: Math.max(rollout.started_at, ...Object.values(appliedAt)),
    applied_at: appliedAt,
  };
}
