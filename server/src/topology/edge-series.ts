// One edge's RED totals per step, from the edge buckets (1 minute, 10 minutes, 1 hour). Each
// step is covered exactly once by the widest buckets that fit in it, and the rows are fetched by
// their full primary key (width, start, source, source type, target, target type, kind): one
// index seek per bucket, however many other edges share those minutes. (The table has no index
// led by source or target, and a range scan over start_ms would read every edge of the window.)
import { sql } from 'kysely';
import type { Store } from '../store/store.js';
import { coverWindow, type RedTotals, type SlotTotals } from './bucket-store.js';
import { LatencyHistogram } from './histogram.js';
import type { EdgeKind } from './pairing.js';
import type { NodeType } from './peers.js';

export interface EdgeKey {
  source: string;
  sourceType: NodeType;
  target: string;
  targetType: NodeType;
  /** Both kinds when absent. */
  kind?: EdgeKind | undefined;
}

/** Bucket starts per width read in one statement at most. */
const STARTS_PER_STATEMENT = 2000;

interface Row {
  at: number | string;
  requests: number | string;
  errors: number | string;
  min_us: number;
  max_us: number;
  hist: string;
}

/** Which step each bucket belongs to, per width: width → start → step start. */
export function bucketsOfSteps(fromMs: number, toMs: number, stepMs: number): Map<number, Map<number, number>> {
  const byWidth = new Map<number, Map<number, number>>();
  for (let at = fromMs; at < toMs; at += stepMs) {
    for (const range of coverWindow(at, Math.min(at + stepMs, toMs))) {
      let starts = byWidth.get(range.widthMs);
      if (!starts) {
        starts = new Map();
        byWidth.set(range.widthMs, starts);
      }
      for (let start = range.fromMs; start < range.toMs; start += range.widthMs) starts.set(start, at);
    }
  }
  return byWidth;
}

/** Totals of the edge per step of `stepMs` from `fromMs` (whole minutes); steps without calls are absent. */
export async function edgeSeries(
  store: Store,
  edge: EdgeKey,
  fromMs: number,
  toMs: number,
  stepMs: number,
): Promise<SlotTotals[]> {
  const hist = sql.raw(store.dialect === 'postgres' ? 'hist::text as hist' : 'hist');
  const kinds: EdgeKind[] = edge.kind ? [edge.kind] : ['sync', 'async'];
  const slots = new Map<number, SlotTotals>();
  for (const [width, starts] of bucketsOfSteps(fromMs, toMs, stepMs)) {
    const all = [...starts.keys()];
    for (let i = 0; i < all.length; i += STARTS_PER_STATEMENT) {
      const chunk = all.slice(i, i + STARTS_PER_STATEMENT);
      // Integers we computed, inlined: thousands of bound parameters would pass SQLite's limit.
      const list = sql.raw(chunk.map((n) => String(Math.trunc(n))).join(', '));
      const { rows } = await sql<Row>`select start_ms as at, requests, errors, min_us, max_us, ${hist}
        from topology_edge_buckets
        where width_ms = ${width} and start_ms in (${list})
          and source = ${edge.source} and source_type = ${edge.sourceType}
          and target = ${edge.target} and target_type = ${edge.targetType}
          and kind in (${sql.join(kinds)})`.execute(store.db);
      for (const row of rows) {
        const at = starts.get(Number(row.at));
        if (at === undefined) continue;
        let slot = slots.get(at);
        if (!slot) {
          slot = { at, requests: 0, errors: 0, histogram: new LatencyHistogram() };
          slots.set(at, slot);
        }
        addRow(slot, row);
      }
    }
  }
  return [...slots.values()].sort((a, b) => a.at - b.at);
}

function addRow(into: RedTotals, row: Row): void {
  into.requests += Number(row.requests);
  into.errors += Number(row.errors);
  into.histogram.addEncoded(row.hist);
  into.histogram.mergeExtremes(Number(row.min_us), Number(row.max_us));
}
