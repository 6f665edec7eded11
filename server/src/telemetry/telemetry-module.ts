// Wiring of telemetry into the server: the OTLP receiver (otlpRoutes), the trace and log query
// API (apiRoutes), group-commit ingest, retention, and the live tail. Modules that consume
// spans or logs (topology) pass listeners in; they are called after each durable commit.

import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { ModuleContext, ServerModule } from '../module.js';
import { SpanDecodeThreads } from './ingest/decode-thread.js';
import { IngestService } from './ingest/ingest-service.js';
import { JournaledSpanIngest } from './ingest/journaled-ingest.js';
import { InlineSpanDecoder, type SpanDecoder } from './ingest/span-decoding.js';
import { TraceJournal } from './ingest/trace-journal.js';
import type { LogListener, SpanListener } from './model.js';
import { defaultIngestLimits, type IngestLimits } from './otlp/limits.js';
import { LogQueries } from './query/log-queries.js';
import { TraceQueries } from './query/trace-queries.js';
import { otlpRoutes } from './routes/otlp-routes.js';
import { queryRoutes } from './routes/query-routes.js';
import { TailStreams } from './routes/tail-stream.js';
import { TelemetryCatalog } from './storage/catalog.js';
import { PartitionStatistics } from './storage/partition-statistics.js';
import { PartitionManager } from './storage/partitions.js';
import { PostgresTelemetryWriter } from './storage/postgres-writer.js';
import { RetentionService } from './storage/retention.js';
import { InlineSqliteTelemetry } from './storage/sqlite-inline-access.js';
import type { SqliteTelemetryAccess } from './storage/sqlite-telemetry-ops.js';
import { SqliteTelemetryWriter } from './storage/sqlite-writer.js';
import { SqliteWriterThread } from './storage/sqlite-writer-thread.js';
import type { TelemetryWriter } from './storage/write-group.js';
import { LogTailHub } from './tail/log-tail.js';

export interface TelemetryModuleOptions {
  spanListeners?: readonly SpanListener[];
  logListeners?: readonly LogListener[];
  /** How often retention runs. */
  retentionIntervalMs?: number;
  /** Live tails open at once, at most. */
  maxLogTails?: number;
  /** Records per group commit, at most. */
  maxItemsPerCommit?: number;
  limits?: Partial<IngestLimits>;
}

export interface TelemetryModule extends ServerModule {
  readonly ingest: IngestService;
  readonly traces: TraceQueries;
  readonly logs: LogQueries;
  readonly retention: RetentionService;
  readonly tails: LogTailHub;
  /** SQLite: the telemetry database's writer (the only one that may write to it); null on PostgreSQL. */
  readonly sqliteTelemetry: SqliteTelemetryAccess | null;
  /** Resolves once the trace requests answered so far are stored (at once without a journal), 5 s at most. */
  caughtUp(): Promise<void>;
}

const HOUR_MS = 3_600_000;

/**
 * Group commits handed to the store at once. PostgreSQL commits overlap. SQLite's writer thread
 * runs them one after the other, but with the next group already queued it does not sit idle
 * while the server's thread answers the last commit and gathers the next (bench:ingest part a,
 * interleaved: 86.8k spans/s with 2, 82.0k with 1, p50 latency lower each time), although
 * groups get smaller. Each batch still resolves only after its own commit.
 */
export const COMMITS_IN_FLIGHT = 2;
/** How long start() waits for the telemetry threads to load before going on without them. */
const WARM_TIMEOUT_MS = 30_000;

export function createTelemetryModule(context: ModuleContext, options: TelemetryModuleOptions = {}): TelemetryModule {
  const { store, settings, metrics } = context;
  const logger = context.logger.child({ module: 'telemetry' });
  const registry = metrics.registry;
  const limits: IngestLimits = { ...defaultIngestLimits(settings.retentionHours), ...options.limits };
  const partitions = store.dialect === 'postgres' ? new PartitionManager(store) : null;
  // SQLite: a writer thread owns the telemetry file (in-memory stores write inline).
  let sqlite: SqliteTelemetryAccess | null = null;
  if (store.sqlite) {
    sqlite = store.telemetryFile
      ? new SqliteWriterThread(store.telemetryFile, logger)
      : new InlineSqliteTelemetry(store);
    // Queries read the telemetry database through the shared connection: give it room too.
    store.sqlite.pragma('telemetry.cache_size = -65536');
  }
  const statistics = partitions ? new PartitionStatistics(store, logger) : null;
  const writer: TelemetryWriter = partitions
    ? new PostgresTelemetryWriter(store, partitions, statistics)
    : new SqliteTelemetryWriter(sqlite as SqliteTelemetryAccess);
  const spanListeners = options.spanListeners ?? [];
  // With a writer thread, trace requests are decoded (and their spans flattened to rows) on
  // threads of their own: the server's thread keeps only HTTP and the listeners' work.
  const spanDecoder: SpanDecoder =
    sqlite instanceof SqliteWriterThread
      ? new SpanDecodeThreads({
          threads: Math.max(1, Math.min(4, availableParallelism() - 1)),
          limits,
          attributeKeys: spanListeners.every((l) => l.attributeKeys)
            ? [...new Set(spanListeners.flatMap((l) => l.attributeKeys ?? []))]
            : null,
          attributeSpanKinds: spanListeners.every((l) => l.attributeSpanKinds)
            ? [...new Set(spanListeners.flatMap((l) => l.attributeSpanKinds ?? []))]
            : null,
          samplesPerRequest: 64,
          maxPendingBytes: 64 * 1024 * 1024, // 64 MiB
          logger,
        })
      : new InlineSpanDecoder(limits);
  const tails = new LogTailHub(options.maxLogTails ?? 64, registry);
  const streams = new TailStreams();
  const ingest = new IngestService(writer, new TelemetryCatalog(), {
    maxQueuedItems: settings.ingestQueueMaxItems,
    maxItemsPerCommit: options.maxItemsPerCommit ?? 16_384,
    maxConcurrentCommits: COMMITS_IN_FLIGHT,
    spanListeners,
    logListeners: [...(options.logListeners ?? []), tails],
    logger,
    registry,
  });
  // Where decode threads hand back the body to journal: a SQLite file, the journal beside it.
  const journaled =
    settings.ingestJournal && spanDecoder instanceof SpanDecodeThreads && store.telemetryFile
      ? new JournaledSpanIngest(
          new TraceJournal(join(dirname(store.telemetryFile), 'ingest-journal')),
          ingest,
          spanDecoder,
          {
            maxUnstoredSpans: settings.ingestQueueMaxItems,
            logger,
            registry,
          },
        )
      : null;
  const retention = new RetentionService(store, {
    retentionHours: settings.retentionHours,
    maxBytes: settings.retentionMaxBytes,
    logger,
    registry,
    partitions,
    sqlite,
  });
  const traces = new TraceQueries(store);
  const logs = new LogQueries(store);
  let partitionTimer: NodeJS.Timeout | undefined;

  return {
    name: 'telemetry',
    ingest,
    traces,
    logs,
    retention,
    tails,
    sqliteTelemetry: sqlite,
    caughtUp: async () => journaled?.caughtUp(5000),
    otlpRoutes: otlpRoutes({
      ingest,
      spanDecoder,
      journaled,
      limits,
      bodyLimit: settings.otlpBodyLimit,
      ingestToken: settings.ingestToken,
    }),
    apiRoutes: async (app) => {
      // Open tails would hold the server's close forever; end them first.
      app.addHook('preClose', async () => streams.endAll());
      // A sender that queries right after its 200 sees its spans: wait (briefly) for what was
      // journaled before the query to be stored.
      if (journaled) app.addHook('onRequest', () => journaled.caughtUp());
      await app.register(queryRoutes({ traces, logs, tails, streams }));
    },
    async start() {
      // The threads load before the server reports itself started: the first OTLP request after a
      // (re)start is answered in milliseconds, not after a second or more of loading. Bounded, and
      // never fatal: a thread that cannot start fails the requests that need it, as before.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([spanDecoder.warm(), sqlite?.warm()]).catch((error: unknown) =>
          logger.error({ err: error }, 'telemetry threads did not start'),
        ),
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            logger.warn({ waited_ms: WARM_TIMEOUT_MS }, 'telemetry threads still loading; starting without them');
            resolve();
          }, WARM_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      // What an earlier run answered 200 for and may not have stored, before the receiver opens.
      await journaled?.replay();
      if (partitions) {
        await partitions.ensureWindow(Date.now(), settings.retentionHours);
        partitionTimer = setInterval(() => {
          partitions
            .ensureWindow(Date.now(), settings.retentionHours)
            .catch((error) => logger.error({ err: error }, 'creating telemetry partitions failed'));
        }, HOUR_MS);
        partitionTimer.unref();
      }
      retention.start(options.retentionIntervalMs ?? 60_000);
      statistics?.start(30_000);
    },
    async stop() {
      clearInterval(partitionTimer);
      streams.endAll();
      // Retention first: no pass may start (or still run) once the store begins to close. Then
      // commit what the receiver accepted (it has stopped accepting) and close the writer.
      await retention.stop();
      // Failed records stop being tried again (they stay journaled for the next start); what is
      // queued is still committed below, and its records leave the journal as it is.
      journaled?.close();
      await spanDecoder.close();
      await ingest.close();
      await statistics?.close();
      await sqlite?.close();
    },
  };
}
