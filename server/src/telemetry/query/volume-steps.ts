// The step of a log volume chart: asked for (whole seconds, at most MAX_STEPS steps), or the
// smallest round step that gives about TARGET_STEPS bars over the window, as Grafana and Kibana
// pick theirs, so bars line up with clock times (every 30 s, every 5 min …).
import { Errors } from '../../errors.js';

const SECOND_NS = 1_000_000_000n;
const ROUND_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
export const TARGET_STEPS = 60;
export const MAX_STEPS = 1000;

export function volumeStepNs(fromNs: bigint, toNs: bigint, requestedNs: bigint | undefined): bigint {
  const windowNs = toNs - fromNs;
  if (requestedNs === undefined) {
    const wanted = windowNs / BigInt(TARGET_STEPS);
    for (const seconds of ROUND_STEPS_S) if (BigInt(seconds) * SECOND_NS >= wanted) return BigInt(seconds) * SECOND_NS;
    // Longer windows: whole days.
    const days = (wanted + 86_400n * SECOND_NS - 1n) / (86_400n * SECOND_NS);
    return days * 86_400n * SECOND_NS;
  }
  if (requestedNs < SECOND_NS || requestedNs % SECOND_NS !== 0n) {
    throw Errors.validation('step must be a whole number of seconds, e.g. "30s" or "5m"', {
      fields: [{ path: '/querystring/step', message: 'must be a whole number of seconds' }],
    });
  }
  if (windowNs / requestedNs >= BigInt(MAX_STEPS)) {
    throw Errors.validation(`step gives more than ${MAX_STEPS} steps over the window; use a larger step`, {
      fields: [{ path: '/querystring/step', message: 'too small for the window' }],
    });
  }
  return requestedNs;
}
