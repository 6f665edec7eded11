// The trace scatter's vertical scale: linear from 0, or logarithmic from the shortest trace
// when durations spread over more than two orders of magnitude (a 2 ms trace and a 2 s one
// both stay readable). Pure, so the scale is tested without a browser.

export interface DurationScale {
  log: boolean;
  /** Pixel row of a duration (ms): `top` for the longest, `bottom` for 0 (or the shortest, on a log scale). */
  y(ms: number): number;
  /** Durations (ms) to draw grid lines and labels at. */
  ticks: number[];
}

export function durationScale(durationsMs: readonly number[], top: number, bottom: number): DurationScale {
  const durations = durationsMs.map((ms) => Math.max(ms, 0.001));
  const max = Math.max(...durations, 1);
  const min = Math.min(...durations, max);
  const log = max / min > 100;
  const y = (ms: number) => {
    const ratio = log ? Math.log10(Math.max(ms, min) / min) / Math.log10(max / min) : Math.max(ms, 0) / max;
    return top + (1 - ratio) * (bottom - top);
  };
  return { log, y, ticks: log ? [min, Math.sqrt(min * max), max] : [0, max / 2, max] };
}
