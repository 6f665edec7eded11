// Readiness checks: each one a function with a name and a timeout. They run concurrently on each
// /readyz request; a check that hangs is reported as failed at its timeout (and its AbortSignal
// fires) instead of holding the probe. Concurrent probes share one run, so a burst of probes
// does not multiply the load on the database.

/** Default time one check may take. */
export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

export interface HealthCheck {
  /** Shown in the readiness body, e.g. "database", "broker", "payments". */
  name: string;
  /**
   * Resolves when the dependency is usable, throws (or rejects) when it is not. A returned plain
   * object is shown as the check's details. Honour `signal` to stop work at the timeout.
   */
  check(signal: AbortSignal): unknown;
  /** Default 2 s. */
  timeoutMs?: number;
  /** false: a failure is reported ("warn") but does not make the instance unready. Default true. */
  critical?: boolean;
}

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  duration_ms: number;
  error?: string;
  details?: Record<string, unknown>;
}

export interface ReadinessReport {
  status: 'pass' | 'fail';
  /** Why the instance is unready regardless of its checks (e.g. shutting down). */
  reason?: string;
  checks: CheckResult[];
}

export class HealthChecks {
  private readonly checks = new Map<string, HealthCheck>();
  private inFlight: Promise<ReadinessReport> | undefined;
  private drainingReason: string | undefined;

  constructor(checks: readonly HealthCheck[] = []) {
    for (const check of checks) this.add(check);
  }

  /** Adds a check; a check with the same name is replaced. */
  add(check: HealthCheck): this {
    if (typeof check?.name !== 'string' || check.name === '' || typeof check.check !== 'function') {
      throw new TypeError('a health check needs a name and a check(signal) function');
    }
    if (check.timeoutMs !== undefined && !(check.timeoutMs > 0)) {
      throw new TypeError(`health check ${check.name}: timeoutMs must be positive`);
    }
    this.checks.set(check.name, check);
    return this;
  }

  remove(name: string): boolean {
    return this.checks.delete(name);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  /** From now on readiness fails with this reason (used while shutting down, so traffic drains). */
  drain(reason: string): void {
    this.drainingReason = reason;
  }

  /** Runs every check (sharing a run already in progress) and reports each result. */
  readiness(): Promise<ReadinessReport> {
    this.inFlight ??= this.runAll().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async runAll(): Promise<ReadinessReport> {
    const checks = await Promise.all([...this.checks.values()].map((check) => runCheck(check)));
    const failed = checks.some((result) => result.status === 'fail');
    const report: ReadinessReport = { status: failed || this.drainingReason ? 'fail' : 'pass', checks };
    if (this.drainingReason) report.reason = this.drainingReason;
    return report;
  }
}

export async function runCheck(check: HealthCheck): Promise<CheckResult> {
  const timeoutMs = check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`timed out after ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    timer.unref();
  });
  const result: CheckResult = { name: check.name, status: 'pass', duration_ms: 0 };
  try {
    // The check may throw synchronously; Promise.resolve().then() turns that into a rejection.
    const outcome = await Promise.race([Promise.resolve().then(() => check.check(controller.signal)), timedOut]);
    if (outcome !== null && typeof outcome === 'object' && !Array.isArray(outcome)) {
      result.details = outcome as Record<string, unknown>;
    }
  } catch (error) {
    result.status = check.critical === false ? 'warn' : 'fail';
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
  result.duration_ms = Math.round((performance.now() - started) * 100) / 100;
  return result;
}
