// Healthy and unhealthy thresholds, as Kubernetes probes and Consul checks have them: a check
// changes state only after enough consecutive results agree, so one lost packet does not flip
// an instance. A check starts `unknown` and needs the same streaks to leave it.
import type { Status } from '../registry/status.js';
import type { Outcome } from './probes.js';

export interface ThresholdState {
  status: Status;
  /** Consecutive passing results. */
  okStreak: number;
  /** Consecutive warning or failing results. */
  badStreak: number;
}

export function initialThresholdState(status: Status = 'unknown'): ThresholdState {
  return { status, okStreak: 0, badStreak: 0 };
}

/** Counts one probe result and returns the check's (possibly new) state. */
export function applyOutcome(
  state: ThresholdState,
  outcome: Outcome,
  healthyThreshold: number,
  unhealthyThreshold: number,
): Status {
  if (outcome === 'pass') {
    state.okStreak++;
    state.badStreak = 0;
    if (state.status !== 'passing' && state.okStreak >= healthyThreshold) state.status = 'passing';
  } else {
    state.badStreak++;
    state.okStreak = 0;
    // A 429 (warn) is bad news of a milder kind: it counts toward the threshold and, if it is
    // the latest result when the threshold is reached, the check becomes warning, not critical.
    if (state.badStreak >= unhealthyThreshold) state.status = outcome === 'warn' ? 'warning' : 'critical';
  }
  return state.status;
}

/** Transition times within the window, and whether they make the instance flap. */
export class FlapWindow {
  private times: number[] = [];

  constructor(
    private readonly threshold: number,
    private readonly windowMs: number,
  ) {}

  record(at: number): void {
    this.times.push(at);
  }

  /** Forgets transitions older than the window; true when enough remain to call it flapping. */
  flapping(now: number): boolean {
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] as number) < cutoff) drop++;
    if (drop > 0) this.times.splice(0, drop);
    return this.times.length >= this.threshold;
  }

  get count(): number {
    return this.times.length;
  }
}
