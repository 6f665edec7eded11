// Fault injection: the one place that decides whether a request is slowed down, failed, hung or
// takes the process down. Settings come from FAULT_* environment variables at start; the
// Operations issue's configuration management calls `injector.update(parseFaults(doc.faults))`
// on every pushed version, so the same parser serves both sources.

export interface FaultSettings {
  /** Added to every request before it is handled. */
  latencyMs: number;
  /** Share of business requests answered 500 (0..1). */
  errorRate: number;
  /** Requests never get an answer (the socket stays open), health probes included. */
  hang: boolean;
  /** Share of business requests that kill the process on the spot (0..1). */
  crashRate: number;
}

export const NO_FAULTS: FaultSettings = Object.freeze({ latencyMs: 0, errorRate: 0, hang: false, crashRate: 0 });

/**
 * Reads fault settings from loose input (environment strings or a JSON document). Never throws:
 * a bad value is reported through `warn` and left at "no fault".
 */
export function parseFaults(input: Record<string, unknown>, warn: (message: string) => void): FaultSettings {
  const rate = (key: string): number => {
    const raw = input[key];
    if (raw === undefined || raw === null || raw === '') return 0;
    if (raw === true || raw === 'true') return 1;
    if (raw === false || raw === 'false') return 0;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      warn(`${key}=${JSON.stringify(raw)} must be a share between 0 and 1; ignored`);
      return 0;
    }
    return value;
  };
  const latency = (): number => {
    const raw = input['latencyMs'];
    if (raw === undefined || raw === null || raw === '') return 0;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > 600_000) {
      warn(`latencyMs=${JSON.stringify(raw)} must be 0..600000 milliseconds; ignored`);
      return 0;
    }
    return value;
  };
  const flag = (key: string): boolean => {
    const raw = input[key];
    if (raw === undefined || raw === null || raw === '') return false;
    if (raw === true || raw === 'true' || raw === '1' || raw === 1) return true;
    if (raw === false || raw === 'false' || raw === '0' || raw === 0) return false;
    warn(`${key}=${JSON.stringify(raw)} must be true or false; ignored`);
    return false;
  };
  return { latencyMs: latency(), errorRate: rate('errorRate'), hang: flag('hang'), crashRate: rate('crashRate') };
}

export class InjectedFault extends Error {
  readonly statusCode = 500;
  constructor() {
    super('injected fault (FAULT_ERROR_RATE)');
    this.name = 'InjectedFault';
  }
}

export interface FaultInjectorOptions {
  random?: () => number;
  /** How the process dies on an injected crash; tests pass their own. */
  crash?: () => void;
}

export class FaultInjector {
  #settings: FaultSettings;
  readonly #random: () => number;
  readonly #crash: () => void;
  /** Requests held by `hang`; released when hang is switched off so they finish normally. */
  readonly #held = new Set<() => void>();

  constructor(settings: FaultSettings = NO_FAULTS, options: FaultInjectorOptions = {}) {
    this.#settings = settings;
    this.#random = options.random ?? Math.random;
    this.#crash =
      options.crash ??
      (() => {
        // A crash, not a shutdown: no flushing, no deregistration, exactly what a segfault leaves.
        process.exit(70);
      });
  }

  get settings(): FaultSettings {
    return this.#settings;
  }

  get active(): boolean {
    const s = this.#settings;
    return s.latencyMs > 0 || s.errorRate > 0 || s.hang || s.crashRate > 0;
  }

  update(next: FaultSettings): void {
    this.#settings = next;
    if (!next.hang) {
      for (const release of this.#held) release();
      this.#held.clear();
    }
  }

  /**
   * Applies delay and hang to any request (health probes too: a hung process fails its probes).
   * Resolves when the request may go on.
   */
  async delay(): Promise<void> {
    const { latencyMs, hang } = this.#settings;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (hang || this.#settings.hang) {
      // No timer: a hung request keeps nothing alive, and closing the server drops it.
      await new Promise<void>((resolve) => this.#held.add(resolve));
    }
  }

  /** Applies error rate and crash to a business request; throws InjectedFault for a 500. */
  failOrCrash(): void {
    const { errorRate, crashRate } = this.#settings;
    if (crashRate > 0 && this.#random() < crashRate) this.#crash();
    if (errorRate > 0 && this.#random() < errorRate) throw new InjectedFault();
  }

  /** How many requests are being held by `hang` right now. */
  get held(): number {
    return this.#held.size;
  }
}
