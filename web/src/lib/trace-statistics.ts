// Where a trace's time went, by service and operation (Jaeger's "trace statistics"): how many
// spans, how long they took, and their self time — a span's duration less the time covered by
// its children — which shows the operation that did the work rather than the ones that waited.
import type { SpanLike, SpanNode, SpanTree } from './span-tree';

export interface OperationStatistics {
  service: string;
  name: string;
  count: number;
  errors: number;
  /** Milliseconds. */
  totalMs: number;
  maxMs: number;
  selfMs: number;
  /** Share of the trace's summed self time, 0..1. */
  selfShare: number;
}

/** A span's duration less the union of its children's intervals (clipped to the span), in ms. */
export function selfTimeMs(node: SpanNode): number {
  let covered = 0;
  let reach = node.start;
  // Children are sorted by start (span-tree); an interval is counted from where the last ended.
  for (const child of node.children) {
    const start = Math.max(child.start, reach);
    const end = Math.min(child.end, node.end);
    if (end > start) {
      covered += end - start;
      reach = end;
    }
  }
  return Math.max(0, node.end - node.start - covered);
}

/** One row per service and operation, most self time first. */
export function traceStatistics<S extends SpanLike & { status: string }>(tree: SpanTree<S>): OperationStatistics[] {
  const rows = new Map<string, OperationStatistics>();
  let allSelf = 0;
  for (const node of tree.byId.values()) {
    const { service, name } = node.span;
    const key = `${service}\n${name}`;
    let row = rows.get(key);
    if (!row) {
      row = { service, name, count: 0, errors: 0, totalMs: 0, maxMs: 0, selfMs: 0, selfShare: 0 };
      rows.set(key, row);
    }
    const duration = node.end - node.start;
    const self = selfTimeMs(node);
    row.count += 1;
    if (node.span.status === 'error') row.errors += 1;
    row.totalMs += duration;
    row.maxMs = Math.max(row.maxMs, duration);
    row.selfMs += self;
    allSelf += self;
  }
  const out = [...rows.values()];
  for (const row of out) row.selfShare = allSelf > 0 ? row.selfMs / allSelf : 0;
  return out.sort((a, b) => b.selfMs - a.selfMs || b.totalMs - a.totalMs || a.name.localeCompare(b.name));
}
