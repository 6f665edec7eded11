// Keeps this instance registered: register once the address is known, heartbeat at a third of
// the TTL, back off (capped) while the control plane is unreachable, register again when a
// heartbeat gets 404 (the control plane restarted without its data), deregister on shutdown.
// It runs on unref()'d timers and never blocks the host: nothing here is awaited by start().
import { Backoff } from '../backoff.js';
import { settleWithin } from '../deadline.js';
import { formatDuration } from '../durations.js';
import { READINESS_PATH } from '../health/endpoints.js';
import type { AgentLogger } from '../logger.js';
import type { RegistrationSettings } from '../settings.js';
import type { CallResult, ControlPlaneClient, InstanceRegistration } from './client.js';

export type RegistrationState = 'waiting-for-address' | 'registering' | 'registered' | 'retrying' | 'stopped';

export interface RegistrationStats {
  state: RegistrationState;
  /** Successful POSTs, the first one included. */
  registrations: number;
  /** Registrations made because a heartbeat got 404. */
  reRegistrations: number;
  heartbeats: number;
  /** Failed calls of any kind. */
  failures: number;
  consecutiveFailures: number;
  /** The delay before the next attempt while failing; 0 when all is well. */
  backoffMs: number;
  lastError: string | undefined;
  /** Epoch ms of the last successful call. */
  lastContactAt: number | undefined;
}

export interface InstanceIdentity {
  service: string;
  instanceId: string;
  version: string;
  environment: string;
  labels: Record<string, string>;
}

export class Registration {
  private readonly backoff: Backoff;
  private timer: NodeJS.Timeout | undefined;
  /** The call in progress, so stop() can wait for it before deregistering. */
  private current: Promise<void> | undefined;
  private address: string | undefined;
  private unreachableSince: number | undefined;
  private readonly counters: RegistrationStats = {
    state: 'waiting-for-address',
    registrations: 0,
    reRegistrations: 0,
    heartbeats: 0,
    failures: 0,
    consecutiveFailures: 0,
    backoffMs: 0,
    lastError: undefined,
    lastContactAt: undefined,
  };

  constructor(
    private readonly client: ControlPlaneClient,
    private readonly identity: InstanceIdentity,
    private readonly settings: RegistrationSettings,
    private readonly logger: AgentLogger,
  ) {
    this.backoff = new Backoff({ initialMs: settings.backoffInitialMs, maxMs: settings.backoffMaxMs });
  }

  /** Starts registering once `address` (host:port of /readyz) resolves. */
  begin(address: Promise<string>): void {
    address.then(
      (resolved) => {
        if (this.stopped()) return;
        this.address = resolved;
        this.run(() => this.register());
      },
      (error: unknown) => {
        if (this.stopped()) return;
        this.counters.lastError = `no address to register: ${String(error)}`;
        this.logger.error({ err: error }, 'cannot register with the control plane: no address for /readyz');
      },
    );
  }

  stats(): RegistrationStats {
    return { ...this.counters };
  }

  registrationBody(): InstanceRegistration {
    return {
      service: this.identity.service,
      id: this.identity.instanceId,
      address: this.address ?? '',
      version: this.identity.version,
      environment: this.identity.environment,
      labels: this.identity.labels,
      ttl: formatDuration(this.settings.ttlMs),
      deregister_after: formatDuration(this.settings.deregisterAfterMs),
      checks: [
        {
          type: 'http',
          path: READINESS_PATH,
          interval: formatDuration(this.settings.checkIntervalMs),
          timeout: formatDuration(this.settings.checkTimeoutMs),
        },
      ],
    };
  }

  /**
   * Stops the loop and deregisters (when registered), within `timeoutMs`. Resolves with the
   * DELETE's result, or undefined when there was nothing to deregister.
   */
  async stop(timeoutMs: number): Promise<CallResult | undefined> {
    if (this.counters.state === 'stopped') return undefined;
    const wasRegistered = this.counters.registrations > 0;
    this.counters.state = 'stopped';
    clearTimeout(this.timer);
    const deadline = Date.now() + timeoutMs;
    // A registration landing after the DELETE would bring the instance back: let it finish first.
    if (this.current) await settleWithin(this.current, timeoutMs);
    if (!wasRegistered && this.counters.registrations === 0) return undefined;
    const remaining = Math.max(1, deadline - Date.now());
    return this.client.deregister(this.identity.instanceId, Math.min(remaining, this.settings.requestTimeoutMs));
  }

  private stopped(): boolean {
    return this.counters.state === 'stopped';
  }

  private run(step: () => Promise<void>): void {
    if (this.stopped()) return;
    const current = step().catch((error: unknown) => {
      // Steps return results, not exceptions; this is a bug guard that keeps the loop alive.
      this.logger.error({ err: error }, 'registration step failed unexpectedly');
      this.schedule(this.settings.backoffMaxMs, () => this.register());
    });
    this.current = current;
    void current.finally(() => {
      if (this.current === current) this.current = undefined;
    });
  }

  private schedule(delayMs: number, step: () => Promise<void>): void {
    if (this.stopped()) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(step), delayMs);
    this.timer.unref();
  }

  private async register(): Promise<void> {
    this.counters.state = this.counters.consecutiveFailures > 0 ? 'retrying' : 'registering';
    const result = await this.client.register(this.registrationBody());
    if (this.stopped()) return;
    if (result.ok) {
      this.counters.registrations += 1;
      this.counters.state = 'registered';
      this.succeeded();
      this.logger.info(
        { instance_id: this.identity.instanceId, address: this.address, control_plane: this.client.baseUrl },
        'registered with the control plane',
      );
      this.schedule(this.settings.heartbeatIntervalMs, () => this.heartbeat());
      return;
    }
    this.failed(result, 'registration');
    this.schedule(this.counters.backoffMs, () => this.register());
  }

  private async heartbeat(): Promise<void> {
    const result = await this.client.heartbeat(this.identity.instanceId);
    if (this.stopped()) return;
    if (result.ok) {
      this.counters.heartbeats += 1;
      this.counters.state = 'registered';
      this.succeeded();
      this.schedule(this.settings.heartbeatIntervalMs, () => this.heartbeat());
      return;
    }
    if (result.status === 404) {
      // The control plane answers but has lost this instance (restart on an empty store,
      // or it deregistered us after a long silence): register again at once.
      this.counters.reRegistrations += 1;
      this.counters.lastContactAt = Date.now();
      this.logger.info(
        { instance_id: this.identity.instanceId },
        'control plane forgot this instance; registering again',
      );
      await this.register();
      return;
    }
    this.failed(result, 'heartbeat');
    this.counters.state = 'retrying';
    this.schedule(this.counters.backoffMs, () => this.heartbeat());
  }

  private succeeded(): void {
    if (this.unreachableSince !== undefined) {
      this.logger.info(
        { down_for_ms: Date.now() - this.unreachableSince, failures: this.counters.consecutiveFailures },
        'control plane reachable again',
      );
      this.unreachableSince = undefined;
    }
    this.counters.consecutiveFailures = 0;
    this.counters.backoffMs = 0;
    this.counters.lastContactAt = Date.now();
    this.backoff.reset();
  }

  private failed(result: CallResult & { ok: false }, what: string): void {
    this.counters.failures += 1;
    this.counters.consecutiveFailures += 1;
    this.counters.lastError = result.error;
    // A refusal (400, 401, 403) will not fix itself soon: wait the longest delay before trying again.
    this.counters.backoffMs = result.retryable ? this.backoff.next() : this.settings.backoffMaxMs;
    if (this.unreachableSince === undefined) {
      this.unreachableSince = Date.now();
      this.logger.warn(
        { error: result.error, retry_in_ms: this.counters.backoffMs },
        `control plane ${what} failed; the service keeps running and the agent retries with backoff`,
      );
    } else {
      this.logger.debug({ error: result.error, retry_in_ms: this.counters.backoffMs }, `${what} failed again`);
    }
  }
}
