// Exponential backoff with a cap and jitter, shared by heartbeats and telemetry retries so that
// a control plane coming back is not hit by every agent in the same millisecond.

export const BACKOFF_MULTIPLIER = 2;
/** ±20 % around the computed delay. */
export const BACKOFF_JITTER = 0.2;

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  multiplier?: number;
  jitter?: number;
  /** Returns [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly multiplier: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private failures = 0;
  private last = 0;

  constructor(options: BackoffOptions) {
    this.initialMs = Math.max(1, options.initialMs);
    this.maxMs = Math.max(this.initialMs, options.maxMs);
    this.multiplier = options.multiplier ?? BACKOFF_MULTIPLIER;
    this.jitter = options.jitter ?? BACKOFF_JITTER;
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt after one more failure; never above the cap. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.multiplier ** this.failures);
    this.failures += 1;
    const spread = base * this.jitter * (this.random() * 2 - 1);
    this.last = Math.round(Math.min(this.maxMs, Math.max(1, base + spread)));
    return this.last;
  }

  /** Back to the initial delay after a success. */
  reset(): void {
    this.failures = 0;
    this.last = 0;
  }

  /** Failures since the last success. */
  get attempts(): number {
    return this.failures;
  }

  /** The delay most recently handed out (0 after a reset). */
  get currentMs(): number {
    return this.last;
  }
}
