// The rollout decision on canary-versus-baseline figures, kept pure so each rule is unit-tested:
// roll back as soon as the canary regresses beyond a threshold (no need to wait out the bake),
// promote once the bake time is over without a regression, and keep baking while either side
// has too few requests to compare.

export interface RedFigures {
  instances: string[];
  requests: number;
  errors: number;
  /** errors / requests; 0 without requests. */
  error_rate: number;
  /** Nearest-rank p95 of the durations in ms; null without requests. */
  p95_ms: number | null;
}

export interface Comparison {
  canary: RedFigures;
  baseline: RedFigures;
  from_ms: number;
  to_ms: number;
}

export interface Thresholds {
  /** Absolute: canary error rate minus baseline error rate above this rolls back (0.05 = 5 points). */
  max_error_rate_increase: number;
  /** Canary p95 / baseline p95 above this rolls back. */
  max_p95_ratio: number;
  /** Requests each side needs before any verdict. */
  min_requests: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { max_error_rate_increase: 0.05, max_p95_ratio: 1.5, min_requests: 20 };

export type Verdict =
  | { decision: 'rollback'; reason: string }
  | { decision: 'promote'; reason: string }
  | { decision: 'bake'; reason: string };

const pct = (rate: number) => `${(rate * 100).toFixed(1)} %`;

export function evaluate(comparison: Comparison, thresholds: Thresholds, bakeOver: boolean): Verdict {
  const { canary, baseline } = comparison;
  if (canary.requests < thresholds.min_requests || baseline.requests < thresholds.min_requests) {
    return {
      decision: 'bake',
      reason: `insufficient data: canary ${canary.requests}, baseline ${baseline.requests} requests (${thresholds.min_requests} needed each)`,
    };
  }
  const increase = canary.error_rate - baseline.error_rate;
  if (increase > thresholds.max_error_rate_increase) {
    return {
      decision: 'rollback',
      reason: `error rate ${pct(canary.error_rate)} on the canary vs ${pct(baseline.error_rate)} on the baseline: +${pct(increase)} > ${pct(thresholds.max_error_rate_increase)}`,
    };
  }
  if (canary.p95_ms !== null && baseline.p95_ms !== null && baseline.p95_ms > 0) {
    const ratio = canary.p95_ms / baseline.p95_ms;
    if (ratio > thresholds.max_p95_ratio) {
      return {
        decision: 'rollback',
        reason: `p95 ${canary.p95_ms.toFixed(1)} ms on the canary vs ${baseline.p95_ms.toFixed(1)} ms on the baseline: ×${ratio.toFixed(2)} > ×${thresholds.max_p95_ratio}`,
      };
    }
  }
  if (bakeOver) return { decision: 'promote', reason: 'bake time over without a regression beyond the thresholds' };
  return { decision: 'bake', reason: 'no regression so far' };
}

/** 1-based ascending rank of the nearest-rank p95 among `requests` values (0 without any). */
export function p95Rank(requests: number): number {
  return requests <= 0 ? 0 : Math.max(1, Math.ceil(0.95 * requests));
}

/** Figures of one side from its counts and its p95 (null without requests). */
export function sideFigures(instances: string[], requests: number, errors: number, p95Ms: number | null): RedFigures {
  return {
    instances,
    requests,
    errors,
    error_rate: requests === 0 ? 0 : errors / requests,
    p95_ms: requests === 0 ? null : p95Ms,
  };
}
