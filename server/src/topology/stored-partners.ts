// Pairs halves across replicas. With several replicas behind one address (PostgreSQL), a
// CLIENT span and its SERVER child are exported by different processes and may reach different
// replicas, so neither finds its partner in memory. Both are stored by then (the telemetry module
// hands spans on only after they are durable), so when a caller's wait ends unpaired, its
// replica looks for the callee among the stored spans; when a consumer's wait ends unpaired, its
// replica looks for the producer, so that it does not also draw a broker edge for a message whose
// producer's replica draws the direct one. Only the caller's replica ever makes the edge of a
// pair: it is counted once.
//
// Callers that talk to a database are not looked up (databases do not send spans; CLIENT calls to
// one are edges at once in the pairer and never get here), and lookups
// run one at a time in batches; halves beyond MAX_QUEUED resolve without a lookup, as on a
// single replica, and are counted.

import { type RawBuilder, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { SpanKind, StatusCode } from '../telemetry/model.js';
import { inTraces } from '../telemetry/storage/span-trace-heads.js';
import { minuteOfNs } from './minutes.js';
import { brokerEdge, type EdgeObservation, type Half, pairedEdge, peerEdge, type Unresolved } from './pairing.js';

/** Halves waiting for a lookup, at most; more resolve on the spot. */
const MAX_QUEUED = 50_000;
/** Pairs per lookup query. */
const CHUNK = 500;
/** Clock skew allowed between a caller and its callee, ms. */
const SKEW_MS = 60_000;

interface StoredSpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  service: string;
  kind: number;
  start_ns: string;
  duration_ns: string;
  status_code: number;
}

export interface StoredPartnerOptions {
  onEdge(edge: EdgeObservation): void;
  /** Halves resolved without a lookup because the queue was full. */
  onOverflow?(halves: number): void;
  logger: Logger;
}

export class StoredPartnerResolver {
  private queued = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly options: StoredPartnerOptions,
  ) {}

  /** Takes the unpaired halves of one expiry; the edges follow when the lookup is done. */
  resolve(unresolved: Unresolved): void {
    const callers: Half[] = [];
    for (const caller of unresolved.callers) {
      if (caller.peer?.type === 'database') this.emit(peerEdge(caller));
      else callers.push(caller);
    }
    const consumers = unresolved.callees.filter((callee) => callee.peer?.type === 'messaging');
    const halves = callers.length + consumers.length;
    if (halves === 0) return;
    if (this.queued + halves > MAX_QUEUED) {
      this.options.onOverflow?.(halves);
      this.settleLocally(callers, consumers);
      return;
    }
    this.queued += halves;
    this.tail = this.tail.then(async () => {
      try {
        await this.lookUp(callers, consumers);
      } catch (error) {
        this.options.logger.warn({ err: error }, 'could not look up span partners in the store; using peer attributes');
        this.settleLocally(callers, consumers);
      } finally {
        this.queued -= halves;
      }
    });
  }

  /** Resolves when every lookup handed in so far is done. */
  idle(): Promise<void> {
    return this.tail;
  }

  private settleLocally(callers: Half[], consumers: Half[]): void {
    for (const caller of callers) this.emit(peerEdge(caller));
    for (const consumer of consumers) this.emit(brokerEdge(consumer));
  }

  private emit(edge: EdgeObservation | null): void {
    if (edge) this.options.onEdge(edge);
  }

  private async lookUp(callers: Half[], consumers: Half[]): Promise<void> {
    // Look everything up first, then emit: a failure half-way emits nothing twice.
    const children = await this.find(callers, 'parent_span_id', [SpanKind.SERVER, SpanKind.CONSUMER]);
    const parents = await this.find(consumers, 'span_id', [SpanKind.CLIENT, SpanKind.PRODUCER]);
    for (const caller of callers) {
      const found = children.get(caller.traceId + caller.pairId) ?? [];
      let paired = 0;
      for (const row of found) {
        const edge = pairedEdge(caller, halfOf(row));
        if (edge) {
          this.options.onEdge(edge);
          paired++;
        }
      }
      if (paired === 0 && found.length === 0) this.emit(peerEdge(caller));
    }
    for (const consumer of consumers) {
      const producer = parents.get(consumer.traceId + consumer.pairId)?.[0];
      // A stored producer in another service: its replica draws the direct edge.
      if (!producer || producer.service === consumer.service) this.emit(brokerEdge(consumer));
    }
  }

  /** Stored spans matching the halves' trace id and pair id on `column`, keyed by both. */
  private async find(
    halves: Half[],
    column: 'parent_span_id' | 'span_id',
    kinds: number[],
  ): Promise<Map<string, StoredSpanRow[]>> {
    const out = new Map<string, StoredSpanRow[]>();
    for (let i = 0; i < halves.length; i += CHUNK) {
      const chunk = halves.slice(i, i + CHUNK);
      const wanted = new Set(chunk.map((h) => h.traceId + h.pairId));
      // Bounds on start time let PostgreSQL skip the daily partitions outside the calls' time.
      let first = Number.POSITIVE_INFINITY;
      let last = Number.NEGATIVE_INFINITY;
      for (const h of chunk) {
        first = Math.min(first, h.minute);
        last = Math.max(last, h.minute + 60_000 + h.micros / 1000);
      }
      const from = BigInt(Math.floor(first - SKEW_MS)) * 1_000_000n;
      const to = BigInt(Math.ceil(last + SKEW_MS)) * 1_000_000n;
      const ids = (values: string[]): RawBuilder<unknown> => sql.join([...new Set(values)]);
      const { rows } = await sql<StoredSpanRow>`select trace_id, span_id, parent_span_id, service, kind,
          cast(start_ns as text) as start_ns, cast(duration_ns as text) as duration_ns, status_code
        from spans
        where ${inTraces(this.store.dialect, [...new Set(chunk.map((h) => h.traceId))])}
          and ${sql.ref(column)} in (${ids(chunk.map((h) => h.pairId))})
          and kind in (${sql.join(kinds)})
          and start_ns >= ${from} and start_ns <= ${to}`.execute(this.store.db);
      for (const row of rows) {
        const key = row.trace_id + (column === 'span_id' ? row.span_id : row.parent_span_id);
        if (!wanted.has(key)) continue; // the IN lists also match other combinations
        const list = out.get(key);
        if (list) list.push(row);
        else out.set(key, [row]);
      }
    }
    return out;
  }
}

function halfOf(row: StoredSpanRow): Half {
  return {
    traceId: row.trace_id,
    pairId: row.parent_span_id ?? '',
    service: row.service,
    kind: Number(row.kind) as Half['kind'],
    micros: Number(row.duration_ns) / 1000,
    error: Number(row.status_code) === StatusCode.ERROR,
    minute: minuteOfNs(BigInt(row.start_ns)),
    peer: null,
    matched: 0,
  };
}
