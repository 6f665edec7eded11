// Canary-versus-baseline figures laid out for bars: each metric's two values and the limit the
// canary must stay under (baseline + allowed increase for the error rate, baseline × ratio for
// p95), scaled to one axis so the limit can be drawn on it. Pure, so it is tested without React.
import type { paths } from '../../api/schema.generated';

export type Rollout =
  paths['/api/v1/config/{service}/{environment}/rollouts/{id}']['get']['responses'][200]['content']['application/json'];
type Comparison = NonNullable<Rollout['comparison']>;

export interface MetricBars {
  metric: 'error_rate' | 'p95_ms';
  label: string;
  canary: number | null;
  baseline: number | null;
  /** The canary's limit, null when the baseline has no value to derive it from. */
  limit: number | null;
  /** The axis maximum (at least the largest value and the limit, never 0). */
  max: number;
  /** The canary is over its limit. */
  over: boolean;
}

export function metricBars(comparison: Comparison, thresholds: Rollout['thresholds']): MetricBars[] {
  const errorLimit = comparison.baseline.error_rate + thresholds.max_error_rate_increase;
  const baseP95 = comparison.baseline.p95_ms;
  const p95Limit = baseP95 === null ? null : baseP95 * thresholds.max_p95_ratio;
  const canaryP95 = comparison.canary.p95_ms;
  const axis = (...values: (number | null)[]) => Math.max(...values.map((v) => v ?? 0)) || 1;
  return [
    {
      metric: 'error_rate',
      label: 'Error rate',
      canary: comparison.canary.error_rate,
      baseline: comparison.baseline.error_rate,
      limit: errorLimit,
      max: axis(comparison.canary.error_rate, comparison.baseline.error_rate, errorLimit),
      over: comparison.canary.error_rate > errorLimit,
    },
    {
      metric: 'p95_ms',
      label: 'p95 latency',
      canary: canaryP95,
      baseline: baseP95,
      limit: p95Limit,
      max: axis(canaryP95, baseP95, p95Limit),
      over: canaryP95 !== null && p95Limit !== null && canaryP95 > p95Limit,
    },
  ];
}

/**
 * Time baked by `now` (or the end), in ms: the bake runs from when every canary instance applied
 * the version, so it is 0 while the canary has not, and for a rollout that ended before it had.
 */
export function bakeElapsed(
  rollout: Pick<Rollout, 'canary_applied_at' | 'bake_ms' | 'finished_at'>,
  now: number,
): number {
  if (rollout.canary_applied_at === null) return 0;
  const end = rollout.finished_at ?? now;
  return Math.min(rollout.bake_ms, Math.max(0, end - rollout.canary_applied_at));
}

/** Share of the bake that has passed, 0..1. */
export function bakeProgress(
  rollout: Pick<Rollout, 'canary_applied_at' | 'bake_ms' | 'finished_at'>,
  now: number,
): number {
  if (rollout.bake_ms <= 0) return rollout.canary_applied_at === null ? 0 : 1;
  return bakeElapsed(rollout, now) / rollout.bake_ms;
}
