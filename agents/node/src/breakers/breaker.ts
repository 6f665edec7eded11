// One circuit breaker, on opossum: closed → open when the failure rate over the sliding window
// passes the threshold (after a minimum number of calls), open → half-open after the open
// duration, where one probe call decides between closed and open again; a fallback answers
// while open. On top of opossum: a slow-call rate threshold (opossum only knows timeouts), the
// operator's forced states (open or closed, held until released), reset, and a transition log
// the agent reports to the control plane.
import CircuitBreaker from 'opossum';
import { SlidingWindow } from './sliding-window.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions<A extends unknown[], R> {
  /** The service or resource called (shown in the fleet view). Default: the breaker's name. */
  dependency?: string;
  /** Share of failed calls in the window above which the breaker opens (0..1). Default 0.5. */
  failureRateThreshold?: number;
  /** Share of slow calls in the window at or above which it opens (0..1). Default 1 (only when every call is slow). */
  slowCallRateThreshold?: number;
  /** A call at least this long is slow. Default 2000 ms. */
  slowCallDurationMs?: number;
  /** Length of the sliding window. Default 10 s. */
  windowMs?: number;
  /** Buckets of the window. Default 10. */
  windowBuckets?: number;
  /** Calls in the window before rates count. Default 10. */
  minimumCalls?: number;
  /** Time open before a half-open probe. Default 10 s. */
  openDurationMs?: number;
  /** A call running longer fails with a timeout (counted as a failure). Default none. */
  timeoutMs?: number;
  /** Answers when the call fails or the breaker is open; receives the arguments and the error. */
  fallback?: (...argsAndError: [...A, Error]) => R | Promise<R>;
  /** Errors for which this returns false are the caller's fault and do not count (e.g. 4xx). */
  isFailure?: (error: unknown) => boolean;
}

export interface BreakerCounts {
  calls: number;
  successes: number;
  failures: number;
  slow_calls: number;
  rejections: number;
  fallbacks: number;
  timeouts: number;
  failure_rate: number;
  slow_call_rate: number;
}

export interface BreakerTransition {
  from: BreakerState;
  to: BreakerState;
  at: number;
  reason: string;
}

/** Thrown (or handed to the fallback) when the breaker does not let a call through. */
export class BreakerOpenError extends Error {
  readonly code = 'EBREAKEROPEN';
  constructor(
    readonly breaker: string,
    readonly forced: boolean,
  ) {
    super(forced ? `breaker ${breaker} is forced open by an operator` : `breaker ${breaker} is open`);
    this.name = 'BreakerOpenError';
  }
}

const MAX_TRANSITIONS = 500;

export class Breaker<A extends unknown[] = unknown[], R = unknown> {
  readonly dependency: string;
  private circuit!: CircuitBreaker<A, R>;
  private readonly slowWindow: SlidingWindow;
  private forcedState: 'open' | 'closed' | null = null;
  private stateNow: BreakerState = 'closed';
  private nextOpenReason: string | undefined;
  private readonly pending: BreakerTransition[] = [];
  private readonly options: Required<
    Omit<BreakerOptions<A, R>, 'fallback' | 'timeoutMs' | 'isFailure' | 'dependency'>
  > &
    BreakerOptions<A, R>;
  private readonly listeners = new Set<(transition: BreakerTransition) => void>();
  /** Calls made while forced (opossum does not see them). */
  private forcedCounts = { calls: 0, successes: 0, failures: 0, rejections: 0, fallbacks: 0 };

  constructor(
    readonly name: string,
    private readonly fn: (...args: A) => Promise<R>,
    options: BreakerOptions<A, R> = {},
  ) {
    this.options = {
      failureRateThreshold: 0.5,
      slowCallRateThreshold: 1,
      slowCallDurationMs: 2000,
      windowMs: 10_000,
      windowBuckets: 10,
      minimumCalls: 10,
      openDurationMs: 10_000,
      ...options,
    };
    for (const key of ['failureRateThreshold', 'slowCallRateThreshold'] as const) {
      const value = this.options[key];
      if (!(value > 0 && value <= 1)) throw new TypeError(`breaker ${name}: ${key} must be in (0, 1], got ${value}`);
    }
    this.dependency = options.dependency ?? name;
    this.slowWindow = new SlidingWindow(this.options.windowMs, this.options.windowBuckets);
    this.build();
  }

  get state(): BreakerState {
    return this.stateNow;
  }

  get forced(): 'open' | 'closed' | null {
    return this.forcedState;
  }

  /** Calls the function through the breaker. */
  async fire(...args: A): Promise<R> {
    if (this.forcedState === 'open') {
      this.forcedCounts.rejections += 1;
      return this.fallbackOr(new BreakerOpenError(this.name, true), args);
    }
    if (this.forcedState === 'closed') {
      this.forcedCounts.calls += 1;
      try {
        const result = await this.fn(...args);
        this.forcedCounts.successes += 1;
        return result;
      } catch (error) {
        this.forcedCounts.failures += 1;
        return this.fallbackOr(error as Error, args);
      }
    }
    try {
      return await this.circuit.fire(...args);
    } catch (error) {
      // opossum rejects with its own "Breaker is open" error: make it ours.
      if ((error as { code?: string }).code === 'EOPENBREAKER') throw new BreakerOpenError(this.name, false);
      throw error;
    }
  }

  /** Holds the breaker open (calls go to the fallback) or closed (calls go through) until release(). */
  force(state: 'open' | 'closed', reason: string): void {
    if (this.forcedState === state) return;
    this.forcedState = state;
    this.transition(state === 'open' ? 'open' : 'closed', `forced ${state}: ${reason}`);
  }

  /** Ends a forced state: the breaker starts again closed with an empty window. */
  release(reason: string): void {
    if (this.forcedState === null) return;
    this.forcedState = null;
    this.build();
    this.transition('closed', `released: ${reason}`);
  }

  /** Back to closed with an empty window (and out of any forced state). */
  reset(reason: string): void {
    this.forcedState = null;
    this.build();
    this.transition('closed', `reset: ${reason}`);
  }

  counts(): BreakerCounts {
    const stats = this.circuit.stats;
    const calls = stats.successes + stats.failures;
    const slow = this.slowWindow.totals();
    return {
      calls: calls + this.forcedCounts.calls,
      successes: stats.successes + this.forcedCounts.successes,
      failures: stats.failures + this.forcedCounts.failures,
      slow_calls: slow.slow,
      rejections: stats.rejects + this.forcedCounts.rejections,
      fallbacks: stats.fallbacks + this.forcedCounts.fallbacks,
      timeouts: stats.timeouts,
      failure_rate: calls === 0 ? 0 : stats.failures / calls,
      slow_call_rate: slow.calls === 0 ? 0 : slow.slow / slow.calls,
    };
  }

  /** Transitions since the last call (handed to the reporter, which resends them until accepted). */
  drainTransitions(): BreakerTransition[] {
    return this.pending.splice(0);
  }

  /** Puts transitions back when a report failed. */
  requeueTransitions(transitions: BreakerTransition[]): void {
    this.pending.unshift(...transitions);
    if (this.pending.length > MAX_TRANSITIONS) this.pending.splice(0, this.pending.length - MAX_TRANSITIONS);
  }

  onTransition(listener: (transition: BreakerTransition) => void): void {
    this.listeners.add(listener);
  }

  /** Stops opossum's window timers. */
  dispose(): void {
    this.circuit.removeAllListeners();
    this.circuit.shutdown();
  }

  private async fallbackOr(error: Error, args: A): Promise<R> {
    if (!this.options.fallback) throw error;
    this.forcedCounts.fallbacks += 1;
    return this.options.fallback(...args, error);
  }

  private build(): void {
    if (this.circuit) this.dispose();
    this.forcedCounts = { calls: 0, successes: 0, failures: 0, rejections: 0, fallbacks: 0 };
    const isFailure = this.options.isFailure;
    const circuit = new CircuitBreaker<A, R>(this.fn, {
      name: this.name,
      timeout: this.options.timeoutMs ?? false,
      // opossum opens when the rate is above this percentage.
      errorThresholdPercentage: this.options.failureRateThreshold * 100,
      rollingCountTimeout: this.options.windowMs,
      rollingCountBuckets: this.options.windowBuckets,
      volumeThreshold: this.options.minimumCalls,
      resetTimeout: this.options.openDurationMs,
      enableSnapshots: false,
      ...(isFailure ? { errorFilter: (error: unknown) => !isFailure(error) } : {}),
    });
    if (this.options.fallback) {
      const fallback = this.options.fallback;
      circuit.fallback((...argsAndError: unknown[]) => fallback(...(argsAndError as [...A, Error])));
    }
    const timed = (latency: number) => this.recordLatency(latency);
    circuit.on('success', (_result: unknown, latency: number) => timed(latency));
    circuit.on('failure', (_error: unknown, latency: number) => timed(latency));
    circuit.on('open', () => {
      const reason = this.nextOpenReason ?? this.openReason();
      this.nextOpenReason = undefined;
      this.transition('open', reason);
    });
    circuit.on('halfOpen', () =>
      this.transition('half_open', `open for ${this.options.openDurationMs} ms: letting a probe through`),
    );
    circuit.on('close', () => this.transition('closed', 'probe succeeded'));
    this.circuit = circuit;
    this.slowWindow.totals();
  }

  private recordLatency(latencyMs: number): void {
    this.slowWindow.record(latencyMs >= this.options.slowCallDurationMs);
    if (this.stateNow !== 'closed' || this.forcedState !== null) return;
    const { calls, slow } = this.slowWindow.totals();
    if (calls >= this.options.minimumCalls && slow / calls >= this.options.slowCallRateThreshold) {
      this.nextOpenReason = `slow-call rate ${pct(slow / calls)} ≥ ${pct(this.options.slowCallRateThreshold)} (calls ≥ ${this.options.slowCallDurationMs} ms)`;
      this.circuit.open();
    }
  }

  private openReason(): string {
    if (this.stateNow === 'half_open') return 'probe failed';
    const stats = this.circuit.stats;
    const calls = stats.successes + stats.failures;
    return `failure rate ${pct(calls === 0 ? 0 : stats.failures / calls)} > ${pct(this.options.failureRateThreshold)} over ${calls} calls`;
  }

  private transition(to: BreakerState, reason: string): void {
    const from = this.stateNow;
    if (from === to && !reason.startsWith('forced') && !reason.startsWith('reset')) return;
    this.stateNow = to;
    const transition = { from, to, at: Date.now(), reason };
    this.pending.push(transition);
    if (this.pending.length > MAX_TRANSITIONS) this.pending.shift();
    for (const listener of this.listeners) {
      try {
        listener(transition);
      } catch {
        // a listener cannot break the breaker
      }
    }
  }
}

function pct(share: number): string {
  return `${Math.round(share * 1000) / 10} %`;
}
