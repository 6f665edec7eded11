// Finds service-graph edges in the span stream: a CLIENT (or PRODUCER) span in one service whose
// child is a SERVER (or CONSUMER) span in another. The halves of a pair are exported by different
// processes, so they may come in different batches and in either order; each half waits here, for
// a bounded time and in a bounded table, for the other. A caller half that finds no partner in
// time becomes an edge to a peer named from its attributes (a database, a broker destination, an
// external host); a consumer half with messaging attributes becomes an edge from its broker.
//
// A CLIENT span that calls a database is an edge at once: databases send no spans, so it has no
// partner to wait for, and holding every database call for the whole wait would fill the table
// (and drop halves) at a few tens of thousands of spans a second.
//
// With several replicas, the halves of a pair may reach different replicas; a resolver given as
// `onUnresolved` (the store-backed one on PostgreSQL, see stored-partners.ts) then gets the
// halves whose wait ended unpaired and decides what they become.
//
// Only what the edge needs is kept per waiting half, never the span itself. The table is a Map
// in arrival order and every entry waits the same time, so expiry walks from the front and stops
// at the first entry still in time: O(expired), not O(held).
import { type Attributes, type CommittedSpan, SpanKind, type SpanKindNumber, StatusCode } from '../telemetry/model.js';
import { minuteOfNs } from './minutes.js';
import { callsDatabase, inferPeer, type NodeType, type Peer } from './peers.js';

export type EdgeKind = 'sync' | 'async';

/** Tempo's `connection_type` label values. */
export type ConnectionType = '' | 'database' | 'messaging_system' | 'virtual_node';

export interface EdgeObservation {
  source: string;
  sourceType: NodeType;
  target: string;
  targetType: NodeType;
  kind: EdgeKind;
  connectionType: ConnectionType;
  /** Start of the minute the call started in, epoch ms. */
  minute: number;
  /** Duration seen by the caller, µs; null when the caller is not instrumented. */
  clientMicros: number | null;
  /** Duration seen by the callee, µs; null when the callee is not instrumented. */
  serverMicros: number | null;
  failed: boolean;
}

export interface Half {
  traceId: string;
  /** The caller's own span id, or the callee's parent span id: the id the pair shares. */
  pairId: string;
  service: string;
  kind: SpanKindNumber;
  micros: number;
  error: boolean;
  minute: number;
  /** Peer named by the span's attributes (caller halves, and consumer halves for their broker). */
  peer: Peer | null;
  /** Callees paired so far (a PRODUCER keeps waiting for more consumers). */
  matched: number;
}

/**
 * A waiting half keeps the attributes its peer would be named from: most halves pair, and a
 * paired half never needs its peer, so the peer is inferred only when the wait ends unpaired.
 */
interface WaitingHalf extends Half {
  attributes: Attributes | null;
}

interface Waiting {
  expiresAt: number;
  /** The CLIENT/PRODUCER span whose id is this entry's key. */
  caller: WaitingHalf | null;
  /** SERVER/CONSUMER spans whose parent id is this entry's key, waiting for it. */
  callees: WaitingHalf[];
}

export type PairingDrop = 'pending_full';

/** Halves whose wait ended without a partner in this process. */
export interface Unresolved {
  /** CLIENT/PRODUCER halves that paired with nothing. */
  callers: Half[];
  /** SERVER/CONSUMER halves whose caller never came. */
  callees: Half[];
}

export interface PairerOptions {
  /** How long a half waits for its partner, ms. */
  waitMs: number;
  /** Most halves held at once; beyond it new halves are dropped and counted. */
  maxPending: number;
  onEdge(edge: EdgeObservation): void;
  onDrop?(reason: PairingDrop): void;
  /**
   * Receives the unpaired halves of each expiry. Without it they resolve here: callers become
   * peer edges (`peerEdge`), consumers with messaging attributes broker edges (`brokerEdge`).
   */
  onUnresolved?(unresolved: Unresolved): void;
  now?: () => number;
}

function isCaller(kind: SpanKindNumber): boolean {
  return kind === SpanKind.CLIENT || kind === SpanKind.PRODUCER;
}

function isCallee(kind: SpanKindNumber): boolean {
  return kind === SpanKind.SERVER || kind === SpanKind.CONSUMER;
}

function toHalf(span: CommittedSpan, pairId: string, withPeer: boolean): WaitingHalf {
  return {
    traceId: span.traceId,
    pairId,
    service: span.service,
    kind: span.kind,
    micros: Number(span.durationNs) / 1000,
    error: span.statusCode === StatusCode.ERROR,
    minute: minuteOfNs(span.startNs),
    peer: null,
    matched: 0,
    attributes: withPeer ? span.attributes : null,
  };
}

/** The half as unresolved halves are handed on: with its peer named. */
function resolved(half: WaitingHalf): Half {
  if (half.attributes !== null) half.peer = inferPeer(half.attributes);
  half.attributes = null;
  return half;
}

function connectionFor(type: NodeType): ConnectionType {
  if (type === 'database') return 'database';
  if (type === 'messaging') return 'messaging_system';
  return 'virtual_node';
}

/**
 * The edge between a caller and its callee, or null for a call inside one service (or a span id
 * reused across services by a broken propagator): those are not edges of the service graph.
 */
export function pairedEdge(caller: Half, callee: Half): EdgeObservation | null {
  if (caller.service === callee.service) return null;
  const async = caller.kind === SpanKind.PRODUCER || callee.kind === SpanKind.CONSUMER;
  return {
    source: caller.service,
    sourceType: 'service',
    target: callee.service,
    targetType: 'service',
    kind: async ? 'async' : 'sync',
    connectionType: async ? 'messaging_system' : '',
    minute: caller.minute,
    clientMicros: caller.micros,
    serverMicros: callee.micros,
    failed: caller.error || callee.error,
  };
}

/** The edge to the peer a caller's attributes name, or null when they name none. */
export function peerEdge(caller: Half): EdgeObservation | null {
  if (caller.peer === null || caller.peer.name === caller.service) return null;
  return {
    source: caller.service,
    sourceType: 'service',
    target: caller.peer.name,
    targetType: caller.peer.type,
    kind: caller.kind === SpanKind.PRODUCER ? 'async' : 'sync',
    connectionType: connectionFor(caller.peer.type),
    minute: caller.minute,
    clientMicros: caller.micros,
    serverMicros: null,
    failed: caller.error,
  };
}

/** A consumer whose producer is not instrumented still shows where its messages come from. */
export function brokerEdge(callee: Half): EdgeObservation | null {
  if (callee.peer?.type !== 'messaging') return null;
  return {
    source: callee.peer.name,
    sourceType: 'messaging',
    target: callee.service,
    targetType: 'service',
    kind: 'async',
    connectionType: 'messaging_system',
    minute: callee.minute,
    clientMicros: null,
    serverMicros: callee.micros,
    failed: callee.error,
  };
}

export class SpanPairer {
  private readonly waiting = new Map<string, Waiting>();
  private held = 0;
  private readonly now: () => number;

  constructor(private readonly options: PairerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Halves currently waiting for a partner. */
  get pending(): number {
    return this.held;
  }

  add(span: CommittedSpan): void {
    if (isCaller(span.kind)) this.addCaller(span);
    else if (isCallee(span.kind) && span.parentSpanId !== null) this.addCallee(span);
  }

  /** Resolves every entry whose wait is over; returns how many halves it released. */
  expire(now = this.now()): number {
    const before = this.held;
    const unresolved: Unresolved = { callers: [], callees: [] };
    for (const [key, entry] of this.waiting) {
      if (entry.expiresAt > now) break;
      this.waiting.delete(key);
      this.release(entry, unresolved);
    }
    this.settle(unresolved);
    return before - this.held;
  }

  /** Resolves everything now (on shutdown): unmatched callers become peer edges. */
  drain(): void {
    const unresolved: Unresolved = { callers: [], callees: [] };
    for (const entry of this.waiting.values()) this.release(entry, unresolved);
    this.waiting.clear();
    this.settle(unresolved);
  }

  private addCaller(span: CommittedSpan): void {
    if (span.kind === SpanKind.CLIENT && callsDatabase(span.attributes)) {
      const edge = peerEdge(resolved(toHalf(span, span.spanId, true)));
      if (edge) this.options.onEdge(edge);
      return;
    }
    const key = span.traceId + span.spanId;
    const entry = this.waiting.get(key);
    if (entry?.caller) return; // the same span delivered twice (an exporter retry)
    const half = toHalf(span, span.spanId, true);
    if (entry) {
      for (const callee of entry.callees) this.pair(half, callee);
      this.held -= entry.callees.length;
      entry.callees = [];
      // A CLIENT call has one server; a PRODUCER's message may reach several consumers, so it
      // keeps waiting for more until its time is up.
      if (span.kind === SpanKind.PRODUCER) {
        if (!this.reserve()) return;
        half.matched = 1;
        entry.caller = half;
      } else {
        this.waiting.delete(key);
      }
      return;
    }
    if (!this.reserve()) return;
    this.waiting.set(key, { expiresAt: this.now() + this.options.waitMs, caller: half, callees: [] });
  }

  private addCallee(span: CommittedSpan): void {
    const key = span.traceId + span.parentSpanId;
    const entry = this.waiting.get(key);
    const half = toHalf(span, span.parentSpanId as string, span.kind === SpanKind.CONSUMER);
    if (entry?.caller) {
      this.pair(entry.caller, half);
      if (entry.caller.kind === SpanKind.PRODUCER) {
        entry.caller.matched++;
      } else {
        this.waiting.delete(key);
        this.held--;
      }
      return;
    }
    if (!this.reserve()) return;
    if (entry) entry.callees.push(half);
    else this.waiting.set(key, { expiresAt: this.now() + this.options.waitMs, caller: null, callees: [half] });
  }

  private reserve(): boolean {
    if (this.held >= this.options.maxPending) {
      this.options.onDrop?.('pending_full');
      return false;
    }
    this.held++;
    return true;
  }

  private pair(caller: Half, callee: Half): void {
    const edge = pairedEdge(caller, callee);
    if (edge) this.options.onEdge(edge);
  }

  private release(entry: Waiting, into: Unresolved): void {
    if (entry.caller) {
      this.held--;
      if (entry.caller.matched === 0) into.callers.push(resolved(entry.caller));
    }
    this.held -= entry.callees.length;
    for (const callee of entry.callees) into.callees.push(resolved(callee));
  }

  private settle(unresolved: Unresolved): void {
    if (unresolved.callers.length + unresolved.callees.length === 0) return;
    if (this.options.onUnresolved) {
      this.options.onUnresolved(unresolved);
      return;
    }
    for (const caller of unresolved.callers) {
      const edge = peerEdge(caller);
      if (edge) this.options.onEdge(edge);
    }
    for (const callee of unresolved.callees) {
      const edge = brokerEdge(callee);
      if (edge) this.options.onEdge(edge);
    }
  }
}
