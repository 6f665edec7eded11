// What the overview puts first: services whose error rate or latency rose against the window
// before, and the slowest edges. Pure functions over topology answers, tested without React.

export interface RedFigures {
  id: string;
  name: string;
  type: string;
  requests: number;
  errors: number;
  error_rate: number;
  p95_ms: number | null;
}

export interface Regression {
  id: string;
  name: string;
  kind: 'errors' | 'latency';
  now: number;
  before: number | null;
  /** How much worse, for sorting: percentage points for errors, a ratio for latency. */
  severity: number;
}

/** Below this many requests in a window a change is noise, not a trend. */
export const MIN_REQUESTS = 20;
/** Error rate counts as risen when it is at least this (5 %) and at least 2 points above before. */
export const ERROR_RATE_FLOOR = 0.05;
export const ERROR_RATE_RISE = 0.02;
/** p95 counts as risen when it is 1.5× what it was and at least 50 ms more. */
export const LATENCY_RATIO = 1.5;
export const LATENCY_MIN_DELTA_MS = 50;

/** Whether a window had enough traffic of any service to judge a later one against. */
export function hasBaseline(before: readonly RedFigures[]): boolean {
  return before.some((n) => n.type === 'service' && n.requests >= MIN_REQUESTS);
}

/**
 * Services doing worse now than in the previous window of the same length. A service with no
 * earlier traffic is judged by its current error rate alone (new and already failing).
 */
export function findRegressions(now: readonly RedFigures[], before: readonly RedFigures[]): Regression[] {
  const previous = new Map(before.map((n) => [n.id, n]));
  const out: Regression[] = [];
  for (const node of now) {
    if (node.type !== 'service' || node.requests < MIN_REQUESTS) continue;
    const old = previous.get(node.id);
    const oldUsable = old && old.requests >= MIN_REQUESTS ? old : undefined;
    const oldRate = oldUsable?.error_rate ?? 0;
    if (node.error_rate >= ERROR_RATE_FLOOR && node.error_rate - oldRate >= ERROR_RATE_RISE) {
      out.push({
        id: node.id,
        name: node.name,
        kind: 'errors',
        now: node.error_rate,
        before: oldUsable ? oldUsable.error_rate : null,
        severity: (node.error_rate - oldRate) * 100,
      });
    }
    const oldP95 = oldUsable?.p95_ms ?? null;
    if (node.p95_ms !== null && oldP95 !== null && oldP95 > 0) {
      if (node.p95_ms >= oldP95 * LATENCY_RATIO && node.p95_ms - oldP95 >= LATENCY_MIN_DELTA_MS) {
        out.push({
          id: node.id,
          name: node.name,
          kind: 'latency',
          now: node.p95_ms,
          before: oldP95,
          severity: node.p95_ms / oldP95,
        });
      }
    }
  }
  return out.sort((a, b) => (a.kind === b.kind ? b.severity - a.severity : a.kind === 'errors' ? -1 : 1));
}

export interface EdgeFigures {
  source: string;
  target: string;
  requests: number;
  p95_ms: number | null;
  error_rate: number;
}

export function slowestEdges<E extends EdgeFigures>(edges: readonly E[], count = 5): E[] {
  return edges
    .filter((e) => e.p95_ms !== null && e.requests > 0)
    .sort((a, b) => (b.p95_ms ?? 0) - (a.p95_ms ?? 0))
    .slice(0, count);
}
