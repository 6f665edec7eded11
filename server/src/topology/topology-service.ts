// Answers the topology and RED queries from the minute buckets alone: the cost depends on the
// number of series and minutes in the window, never on how many spans were ingested.
import { Errors } from '../errors.js';
import { SpanKind } from '../telemetry/model.js';
import type { RedBucketStore, RedTotals, SlotTotals } from './bucket-store.js';
import type { EdgeKey } from './edge-series.js';
import { LatencyHistogram } from './histogram.js';
import { MINUTE_MS } from './minutes.js';
import type { EdgeKind } from './pairing.js';
import { type NodeType, nodeId } from './peers.js';
import type { Placement } from './placement.js';

/** RED of a node, an edge or one step of a series. Latencies in milliseconds. */
export interface Red {
  requests: number;
  errors: number;
  /** Requests per second over the covered time. */
  rate: number;
  /** Share of requests that failed, 0..1. */
  error_rate: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

export interface TopologyNode extends Red, Placement {
  id: string;
  name: string;
  type: NodeType;
}

export interface TopologyEdge extends Red {
  source: string;
  target: string;
  kind: EdgeKind;
}

export interface Topology {
  from: number;
  to: number;
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

export interface RedSeries {
  requests: number[];
  errors: number[];
  rate: number[];
  error_rate: number[];
  p50_ms: (number | null)[];
  p95_ms: (number | null)[];
  p99_ms: (number | null)[];
}

export interface OperationSeries {
  name: string;
  span_kind: SpanKindName;
  series: RedSeries;
}

export interface ServiceRed {
  service: string;
  from: number;
  to: number;
  step_ms: number;
  timestamps: number[];
  series: RedSeries;
  operations: OperationSeries[];
}

export interface EdgeRed {
  source: string;
  target: string;
  kind: EdgeKind | null;
  from: number;
  to: number;
  step_ms: number;
  timestamps: number[];
  series: RedSeries;
}

export type SpanKindName = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

const KIND_NAMES: Record<number, SpanKindName> = {
  [SpanKind.UNSPECIFIED]: 'unspecified',
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

export interface WindowInput {
  from?: number | undefined;
  to?: number | undefined;
}

export interface TopologyServiceOptions {
  /** Window when `from` is absent, ms. */
  defaultWindowMs: number;
  /** Longest window a query may ask for, ms. */
  maxWindowMs: number;
  /** Most points a series may have. */
  maxPoints: number;
  /** Most operations returned per service. */
  maxOperations: number;
  now?: () => number;
}

/** Where services run (placement.ts); without it every node's lists are empty. */
export interface PlacementLookup {
  lookup(sinceMs: number): Promise<(service: string) => Placement>;
}

/** Per-step totals of one edge (edge-series.ts). */
export type EdgeSeriesReader = (edge: EdgeKey, fromMs: number, toMs: number, stepMs: number) => Promise<SlotTotals[]>;

export interface TopologyServiceDeps {
  placement?: PlacementLookup;
  edgeSeries?: EdgeSeriesReader;
}

const NODE_TYPES: readonly NodeType[] = ['database', 'messaging', 'external'];

/** The name and type behind a node id (`nodeId` in reverse). */
export function parseNodeId(id: string): { name: string; type: NodeType } {
  const colon = id.indexOf(':');
  if (colon > 0) {
    const type = id.slice(0, colon) as NodeType;
    if (NODE_TYPES.includes(type)) return { name: id.slice(colon + 1), type };
  }
  return { name: id, type: 'service' };
}

export const DEFAULT_TOPOLOGY_QUERY_OPTIONS: TopologyServiceOptions = {
  defaultWindowMs: 15 * MINUTE_MS,
  maxWindowMs: 31 * 24 * 60 * MINUTE_MS,
  maxPoints: 1440,
  maxOperations: 100,
};

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function ms(micros: number | null): number | null {
  return micros === null ? null : round(micros / 1000);
}

function red(totals: RedTotals, seconds: number): Red {
  const { requests, errors, histogram } = totals;
  return {
    requests,
    errors,
    rate: seconds > 0 ? round(requests / seconds, 6) : 0,
    error_rate: requests > 0 ? round(errors / requests, 6) : 0,
    p50_ms: ms(histogram.quantile(0.5)),
    p95_ms: ms(histogram.quantile(0.95)),
    p99_ms: ms(histogram.quantile(0.99)),
  };
}

function emptyTotals(): RedTotals {
  return { requests: 0, errors: 0, histogram: new LatencyHistogram() };
}

function addTotals(into: RedTotals, from: RedTotals): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.histogram.merge(from.histogram);
}

/** One value per step; a step without a row is a step without calls. */
function seriesOf(
  timestamps: readonly number[],
  slotSeconds: readonly number[],
  slots: Map<number, RedTotals>,
): RedSeries {
  const out: RedSeries = { requests: [], errors: [], rate: [], error_rate: [], p50_ms: [], p95_ms: [], p99_ms: [] };
  timestamps.forEach((at, i) => {
    const r = red(slots.get(at) ?? emptyTotals(), slotSeconds[i]!);
    out.requests.push(r.requests);
    out.errors.push(r.errors);
    out.rate.push(r.rate);
    out.error_rate.push(r.error_rate);
    out.p50_ms.push(r.p50_ms);
    out.p95_ms.push(r.p95_ms);
    out.p99_ms.push(r.p99_ms);
  });
  return out;
}

interface Window {
  /** First minute in the window (aligned down). */
  from: number;
  /** End of the last minute in the window (aligned up), exclusive. */
  to: number;
}

export class TopologyService {
  private readonly now: () => number;

  constructor(
    private readonly buckets: RedBucketStore,
    private readonly options: TopologyServiceOptions = DEFAULT_TOPOLOGY_QUERY_OPTIONS,
    private readonly deps: TopologyServiceDeps = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The service graph over the window: services and inferred peers, with RED per node and edge. */
  async topology(input: WindowInput): Promise<Topology> {
    const window = this.window(input);
    const [services, edges, placementOf] = await Promise.all([
      this.buckets.serviceTotals(window.from, window.to),
      this.buckets.edgeTotals(window.from, window.to),
      this.deps.placement?.lookup(window.from),
    ]);
    const nowhere: Placement = { environments: [], namespaces: [] };
    // Peers (databases, brokers, external hosts) send nothing of their own: no placement.
    const placed = (name: string, type: NodeType): Placement =>
      type === 'service' && placementOf ? placementOf(name) : nowhere;
    const seconds = this.coveredSeconds(window.from, window.to);

    const nodes = new Map<string, { name: string; type: NodeType; totals: RedTotals; own: boolean }>();
    for (const s of services) {
      nodes.set(nodeId(s.service, 'service'), { name: s.service, type: 'service', totals: s, own: true });
    }
    const ensure = (name: string, type: NodeType) => {
      const id = nodeId(name, type);
      let node = nodes.get(id);
      if (!node) {
        node = { name, type, totals: emptyTotals(), own: false };
        nodes.set(id, node);
      }
      return node;
    };
    for (const e of edges) {
      ensure(e.source, e.sourceType);
      const target = ensure(e.target, e.targetType);
      // A node without spans of its own (a database, a broker, an uninstrumented service) is
      // measured by what its callers saw.
      if (!target.own) addTotals(target.totals, e);
    }

    return {
      from: window.from,
      to: window.to,
      nodes: [...nodes.entries()]
        .map(([id, n]) => ({ id, name: n.name, type: n.type, ...red(n.totals, seconds), ...placed(n.name, n.type) }))
        .sort((a, b) => a.id.localeCompare(b.id)),
      edges: edges
        .map((e) => ({
          source: nodeId(e.source, e.sourceType),
          target: nodeId(e.target, e.targetType),
          kind: e.kind,
          ...red(e, seconds),
        }))
        .sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target)),
    };
  }

  /** RED series of a service and its busiest operations, one point per step. */
  async serviceRed(service: string, input: WindowInput & { stepMs?: number | undefined }): Promise<ServiceRed> {
    const window = this.window(input);
    const step = this.step(window.to - window.from, input.stepMs);
    if (!(await this.buckets.knowsService(service))) {
      throw Errors.notFound(`No RED data is stored for service "${service}"; it has sent no spans yet`);
    }
    const { timestamps, slotSeconds } = this.steps(window, step);

    const [overall, top] = await Promise.all([
      this.buckets.serviceSeries(service, window.from, window.to, step),
      this.buckets.topOperations(service, window.from, window.to, this.options.maxOperations),
    ]);
    const opRows = await this.buckets.operationSeries(
      service,
      top.map((t) => t.operation),
      window.from,
      window.to,
      step,
    );

    const series = (slots: Map<number, RedTotals>) => seriesOf(timestamps, slotSeconds, slots);

    const byOperation = new Map<string, Map<number, RedTotals>>();
    const opKey = (operation: string, spanKind: number) => `${spanKind}:${operation}`;
    for (const row of opRows) {
      const key = opKey(row.operation, row.spanKind);
      let slots = byOperation.get(key);
      if (!slots) {
        slots = new Map();
        byOperation.set(key, slots);
      }
      slots.set(row.at, row);
    }

    return {
      service,
      from: window.from,
      to: window.to,
      step_ms: step,
      timestamps,
      series: series(new Map(overall.map((row) => [row.at, row]))),
      operations: top.map((t) => ({
        name: t.operation,
        span_kind: KIND_NAMES[t.spanKind] ?? 'unspecified',
        series: series(byOperation.get(opKey(t.operation, t.spanKind)) ?? new Map()),
      })),
    };
  }

  /**
   * RED series of the calls from one node to another (node ids as in the topology), one point
   * per step. Both kinds of call are added together unless `kind` narrows it.
   */
  async edgeRed(
    input: WindowInput & { source: string; target: string; kind?: EdgeKind | undefined; stepMs?: number | undefined },
  ): Promise<EdgeRed> {
    const window = this.window(input);
    const step = this.step(window.to - window.from, input.stepMs);
    const source = parseNodeId(input.source);
    const target = parseNodeId(input.target);
    const read = this.deps.edgeSeries;
    const rows = read
      ? await read(
          {
            source: source.name,
            sourceType: source.type,
            target: target.name,
            targetType: target.type,
            kind: input.kind,
          },
          window.from,
          window.to,
          step,
        )
      : [];
    if (rows.length === 0) {
      throw Errors.notFound(
        `No calls from "${input.source}" to "${input.target}"${input.kind ? ` (${input.kind})` : ''} are recorded in this window; widen from..to or pick an edge the topology shows`,
      );
    }
    const { timestamps, slotSeconds } = this.steps(window, step);
    return {
      source: input.source,
      target: input.target,
      kind: input.kind ?? null,
      from: window.from,
      to: window.to,
      step_ms: step,
      timestamps,
      series: seriesOf(timestamps, slotSeconds, new Map(rows.map((row) => [row.at, row]))),
    };
  }

  /** The start of each step, and the seconds of it that have passed. */
  private steps(window: Window, step: number): { timestamps: number[]; slotSeconds: number[] } {
    const timestamps: number[] = [];
    for (let at = window.from; at < window.to; at += step) timestamps.push(at);
    const slotSeconds = timestamps.map((at) => this.coveredSeconds(at, Math.min(at + step, window.to)));
    return { timestamps, slotSeconds };
  }

  private window(input: WindowInput): Window {
    const now = this.now();
    const to = input.to ?? now;
    const from = input.from ?? to - this.options.defaultWindowMs;
    if (from >= to) {
      throw Errors.validation('`from` must be earlier than `to` (both epoch milliseconds)', {
        fields: [{ path: '/querystring/from', message: `must be less than to (${to})` }],
      });
    }
    if (to - from > this.options.maxWindowMs) {
      throw Errors.validation(`The window is longer than ${this.options.maxWindowMs / 3_600_000} h; narrow from..to`, {
        fields: [{ path: '/querystring/from', message: 'window too long' }],
      });
    }
    return { from: from - (from % MINUTE_MS), to: Math.ceil(to / MINUTE_MS) * MINUTE_MS };
  }

  private step(spanMs: number, requested: number | undefined): number {
    if (requested === undefined) {
      // About 60 points whatever the window, in whole minutes.
      return Math.max(1, Math.ceil(spanMs / MINUTE_MS / 60)) * MINUTE_MS;
    }
    if (requested < MINUTE_MS || requested % MINUTE_MS !== 0) {
      throw Errors.validation('`step` must be a whole number of minutes (the bucket size), e.g. "1m" or "5m"', {
        fields: [{ path: '/querystring/step', message: 'must be a multiple of 1m' }],
      });
    }
    if (spanMs / requested > this.options.maxPoints) {
      throw Errors.validation(`\`step\` gives more than ${this.options.maxPoints} points; use a larger step`, {
        fields: [{ path: '/querystring/step', message: 'too small for the window' }],
      });
    }
    return requested;
  }

  /** Seconds of [from, to) that have happened: data cannot exist beyond now. */
  private coveredSeconds(from: number, to: number): number {
    const end = Math.min(to, Math.max(this.now(), from + 1000));
    return (end - from) / 1000;
  }
}
