// Wires the topology: the span listener the telemetry module feeds, the background loops (pair
// expiry every second, flush of the minute buckets every few seconds, retention), the routes and
// the Tempo-named metrics. Stop releases every waiting half, flushes and only then returns, so
// the telemetry module (stopped before it) has handed over everything it committed.
import { Counter, Gauge } from 'prom-client';
import type { ModuleContext, ServerModule } from '../module.js';
import type { SpanListener } from '../telemetry/model.js';
import { RedBucketStore } from './bucket-store.js';
import { edgeSeries } from './edge-series.js';
import { MINUTE_MS } from './minutes.js';
import { type EdgeObservation, SpanPairer, type Unresolved } from './pairing.js';
import { DEFAULT_PLACEMENT_OPTIONS, ServicePlacement } from './placement.js';
import { RollupBuffer } from './rollup.js';
import { topologyRoutes } from './routes.js';
import { TopologySpanListener } from './span-ingest.js';
import { StoredPartnerResolver } from './stored-partners.js';
import { TempoMetrics } from './tempo-metrics.js';
import { DEFAULT_TOPOLOGY_QUERY_OPTIONS, TopologyService } from './topology-service.js';

export interface TopologyOptions {
  /** How long a span half waits for its partner, ms. */
  pairWaitMs: number;
  /** Most span halves waiting at once. */
  maxPending: number;
  /** Time between flushes of the minute buckets to the store, ms. */
  flushIntervalMs: number;
  /** Minute buckets older than this are deleted, hours. */
  retentionHours: number;
  /** Most label sets per family on /metrics. */
  metricSeriesLimit: number;
  /** Most minute buckets held in memory between flushes. */
  maxBuckets: number;
  now?: () => number;
}

export interface TopologyModule extends ServerModule {
  /** Hand this to the telemetry module: it calls onSpans after each durable commit. */
  readonly spanListener: SpanListener;
  readonly service: TopologyService;
  /** Where services run, for the nodes; modules.ts gives it the registry and the Kubernetes source. */
  readonly placement: ServicePlacement;
  /** Writes what is buffered now; resolves when it is stored. */
  flush(): Promise<void>;
}

const EXPIRY_TICK_MS = 1000;
const RETENTION_TICK_MS = 10 * MINUTE_MS;

export function topologyOptionsFrom(context: ModuleContext): TopologyOptions {
  const s = context.settings;
  return {
    pairWaitMs: s.topologyPairWaitMs,
    maxPending: s.topologyMaxPending,
    flushIntervalMs: s.topologyFlushMs,
    retentionHours: s.topologyRetentionHours,
    metricSeriesLimit: s.topologyMetricSeriesLimit,
    maxBuckets: 50_000,
  };
}

export function createTopologyModule(context: ModuleContext, overrides: Partial<TopologyOptions> = {}): TopologyModule {
  const options = { ...topologyOptionsFrom(context), ...overrides };
  const now = options.now ?? Date.now;
  const logger = context.logger.child({ module: 'topology' });
  const registers = [context.metrics.registry];

  const droppedSpans = new Counter({
    name: 'signalbox_topology_pairing_dropped_total',
    help: 'Span halves not held for pairing because the pending table was full',
    registers,
  });
  const droppedBuckets = new Counter({
    name: 'signalbox_topology_rollup_dropped_total',
    help: 'Observations not rolled up because too many minute buckets were open',
    registers,
  });
  const lookupOverflow = new Counter({
    name: 'signalbox_topology_partner_lookup_overflow_total',
    help: 'Unpaired span halves resolved from their attributes without looking for a partner stored by another replica (lookup queue full)',
    registers,
  });
  const flushFailures = new Counter({
    name: 'signalbox_topology_flush_failures_total',
    help: 'Flushes of the minute buckets that failed (the buckets are kept and retried)',
    registers,
  });

  const buckets = new RedBucketStore(context.store);
  const rollup = new RollupBuffer(options.maxBuckets);
  const tempo = new TempoMetrics(context.metrics.registry, options.metricSeriesLimit);
  const onEdge = (edge: EdgeObservation) => {
    rollup.addEdge(edge);
    tempo.observeEdge(edge);
  };
  // On PostgreSQL several replicas may share the ingest; halves that did not meet here are
  // looked up among the stored spans. SQLite is one process: what is not here does not exist.
  const resolver =
    context.store.dialect === 'postgres'
      ? new StoredPartnerResolver(context.store, {
          onEdge,
          logger,
          onOverflow: (n) => lookupOverflow.inc(n),
        })
      : null;
  const pairer = new SpanPairer({
    waitMs: options.pairWaitMs,
    maxPending: options.maxPending,
    now,
    onEdge,
    onDrop() {
      droppedSpans.inc();
    },
    ...(resolver ? { onUnresolved: (unresolved: Unresolved) => resolver.resolve(unresolved) } : {}),
  });
  new Gauge({
    name: 'signalbox_topology_pending_spans',
    help: 'Span halves waiting for their partner',
    registers,
    collect() {
      this.set(pairer.pending);
    },
  });
  new Gauge({
    name: 'signalbox_topology_open_buckets',
    help: 'Minute buckets held in memory until the next flush',
    registers,
    collect() {
      this.set(rollup.size);
    },
  });

  const spanListener = new TopologySpanListener(rollup, pairer, tempo, logger);
  const placement = new ServicePlacement(context.store, logger, { ...DEFAULT_PLACEMENT_OPTIONS, now });
  const service = new TopologyService(
    buckets,
    { ...DEFAULT_TOPOLOGY_QUERY_OPTIONS, now },
    {
      placement,
      edgeSeries: (edge, fromMs, toMs, stepMs) => edgeSeries(context.store, edge, fromMs, toMs, stepMs),
    },
  );

  let inFlight: Promise<void> | null = null;
  const flushOnce = async (): Promise<void> => {
    const batch = rollup.take();
    try {
      await buckets.write(batch);
    } catch (error) {
      flushFailures.inc();
      rollup.restore(batch);
      logger.warn({ err: error }, 'could not store RED buckets; keeping them for the next flush');
    } finally {
      const dropped = rollup.takeDropped();
      if (dropped > 0) droppedBuckets.inc(dropped);
    }
  };
  // One flush at a time; a caller arriving during a flush waits for it and then flushes again,
  // so what it added before calling is stored when it resolves.
  const flush = async (): Promise<void> => {
    while (inFlight) await inFlight;
    inFlight = flushOnce().finally(() => {
      inFlight = null;
    });
    await inFlight;
  };

  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  return {
    name: 'topology',
    spanListener,
    service,
    placement,
    flush,
    apiRoutes: topologyRoutes(service),
    async start() {
      const every = (ms: number, fn: () => unknown) => {
        const timer = setInterval(fn, ms);
        timer.unref();
        timers.push(timer);
      };
      every(EXPIRY_TICK_MS, () => pairer.expire());
      every(options.flushIntervalMs, () => {
        if (!inFlight) void flush();
      });
      every(RETENTION_TICK_MS, async () => {
        try {
          const cutoff = now() - options.retentionHours * 3_600_000;
          const deleted = await buckets.deleteBefore(cutoff - (cutoff % MINUTE_MS));
          if (deleted > 0) logger.debug({ deleted }, 'deleted RED buckets past retention');
        } catch (error) {
          logger.warn({ err: error }, 'could not delete RED buckets past retention');
        }
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      // Halves still waiting will not meet their partner in this process any more.
      pairer.drain();
      await resolver?.idle();
      await flush();
    },
  };
}
