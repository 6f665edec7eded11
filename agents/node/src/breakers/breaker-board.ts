// Every breaker of this instance: applies the operator commands pushed over the channel (force
// open / force closed until expiry, reset once), acknowledges them, undoes a force at its expiry
// on the agent's own clock (so a force never outlives its expiry when the control plane is
// away), and reports state, counters and transitions to the control plane.
import type { BreakerReportBody, CommandAck, PushedCommand, PushedCommands } from '../control-plane/client.js';
import type { AgentLogger } from '../logger.js';
import { Breaker, type BreakerOptions } from './breaker.js';

/** Reset command ids already applied (bounded). */
const REMEMBERED_RESETS = 1000;
/** A transition is reported this soon after it happens. */
const TRANSITION_REPORT_DELAY_MS = 100;

export interface BreakerBoardOptions {
  /** Sends a report; resolves true when the control plane accepted it. */
  report?: (body: BreakerReportBody) => Promise<boolean>;
  ack?: (commandId: string, ack: CommandAck) => void;
  reportIntervalMs: number;
  identity: { service: string; environment: string; instanceId: string };
}

export class BreakerBoard {
  private readonly breakers = new Map<string, Breaker<never[], unknown>>();
  private commands: PushedCommand[] = [];
  private revision: string | null = null;
  /** Force command currently applied to each breaker (by breaker name). */
  private readonly applied = new Map<string, PushedCommand>();
  private readonly resetsDone = new Set<string>();
  private expiryTimer: NodeJS.Timeout | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  private soonTimer: NodeJS.Timeout | undefined;
  private reporting: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly options: BreakerBoardOptions,
    private readonly logger: AgentLogger,
  ) {}

  create<A extends unknown[], R>(
    name: string,
    fn: (...args: A) => Promise<R>,
    options: BreakerOptions<A, R> = {},
  ): Breaker<A, R> {
    if (this.breakers.has(name)) throw new Error(`a breaker named "${name}" already exists in this agent`);
    const breaker = new Breaker<A, R>(name, fn, options);
    this.breakers.set(name, breaker as unknown as Breaker<never[], unknown>);
    breaker.onTransition(() => this.reportSoon());
    // Commands that arrived before the breaker existed apply to it now.
    this.reconcile(false);
    this.reportSoon();
    if (this.reportTimer === undefined && this.options.report) this.scheduleReports();
    return breaker;
  }

  get(name: string): Breaker<never[], unknown> | undefined {
    return this.breakers.get(name);
  }

  list(): Breaker<never[], unknown>[] {
    return [...this.breakers.values()];
  }

  get commandsRevision(): string | null {
    return this.revision;
  }

  /** The full set of commands in force, as pushed. */
  applyCommands(set: PushedCommands): void {
    this.commands = set.commands;
    this.revision = set.revision;
    this.reconcile(true);
  }

  /** Sends a report now (and keeps unsent transitions for the next one). */
  async reportNow(): Promise<void> {
    if (!this.options.report || this.breakers.size === 0) return;
    if (this.reporting) return this.reporting;
    this.reporting = (async () => {
      const drained = this.list().map((breaker) => [breaker, breaker.drainTransitions()] as const);
      const body: BreakerReportBody = {
        service: this.options.identity.service,
        environment: this.options.identity.environment,
        instance_id: this.options.identity.instanceId,
        breakers: drained.map(([breaker, transitions]) => ({
          name: breaker.name,
          dependency: breaker.dependency,
          state: breaker.state,
          forced: breaker.forced,
          counts: { ...breaker.counts() },
          transitions,
        })),
      };
      let accepted = false;
      try {
        accepted = (await this.options.report?.(body)) === true;
      } catch (error) {
        accepted = false;
        // Expected while the control plane is down; the transitions wait for the next report.
        this.logger.debug({ err: String(error) }, 'breaker report not delivered; kept for the next one');
      }
      if (!accepted) for (const [breaker, transitions] of drained) breaker.requeueTransitions(transitions);
    })().finally(() => {
      this.reporting = undefined;
    });
    return this.reporting;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.expiryTimer);
    clearInterval(this.reportTimer);
    clearTimeout(this.soonTimer);
    for (const breaker of this.breakers.values()) breaker.dispose();
  }

  /** Brings every breaker in line with the commands in force now. */
  private reconcile(ack: boolean): void {
    const now = Date.now();
    const live = this.commands.filter((command) => command.expires_at > now);
    for (const command of live) {
      if (command.action !== 'reset' || this.resetsDone.has(command.id)) continue;
      this.resetsDone.add(command.id);
      if (this.resetsDone.size > REMEMBERED_RESETS)
        this.resetsDone.delete(this.resetsDone.values().next().value as string);
      for (const breaker of this.matching(command)) {
        breaker.reset(`${command.reason} (command ${command.id})`);
        this.applied.delete(breaker.name);
      }
      if (ack) this.options.ack?.(command.id, { instance_id: this.options.identity.instanceId, status: 'applied' });
    }
    const forces = live.filter((command) => command.action !== 'reset');
    const ackedNow = new Set<string>();
    for (const breaker of this.breakers.values()) {
      // The newest force that names this breaker (or all breakers) wins.
      const wanted = forces.filter((c) => c.breaker === null || c.breaker === breaker.name).at(-1);
      const current = this.applied.get(breaker.name);
      if (wanted && current?.id !== wanted.id) {
        breaker.force(wanted.action === 'force_open' ? 'open' : 'closed', `${wanted.reason} (command ${wanted.id})`);
        this.applied.set(breaker.name, wanted);
        if (!ackedNow.has(wanted.id)) {
          ackedNow.add(wanted.id);
          this.options.ack?.(wanted.id, {
            instance_id: this.options.identity.instanceId,
            status: 'applied',
            detail: `${wanted.action} on ${this.forcedNames(wanted).join(', ')}`,
          });
        }
      } else if (!wanted && current) {
        const expired = current.expires_at <= now;
        breaker.release(expired ? `command ${current.id} expired` : `command ${current.id} withdrawn`);
        this.applied.delete(breaker.name);
        if (!ackedNow.has(current.id)) {
          ackedNow.add(current.id);
          this.options.ack?.(current.id, {
            instance_id: this.options.identity.instanceId,
            status: 'released',
            detail: expired ? 'expired' : 'withdrawn',
          });
        }
      }
    }
    this.scheduleExpiry(live);
  }

  private forcedNames(command: PushedCommand): string[] {
    return this.matching(command).map((b) => b.name);
  }

  private matching(command: PushedCommand): Breaker<never[], unknown>[] {
    return this.list().filter((b) => command.breaker === null || command.breaker === b.name);
  }

  private scheduleExpiry(live: PushedCommand[]): void {
    clearTimeout(this.expiryTimer);
    if (this.stopped || live.length === 0) return;
    const next = Math.min(...live.map((c) => c.expires_at));
    this.expiryTimer = setTimeout(() => this.reconcile(true), Math.max(0, next - Date.now()) + 1);
    this.expiryTimer.unref();
  }

  private reportSoon(): void {
    if (!this.options.report || this.stopped || this.soonTimer) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      void this.reportNow();
    }, TRANSITION_REPORT_DELAY_MS);
    this.soonTimer.unref();
  }

  private scheduleReports(): void {
    this.reportTimer = setInterval(() => void this.reportNow(), this.options.reportIntervalMs);
    this.reportTimer.unref();
  }
}
