// The channel agents hold open (SSE, or long-poll where streams do not get through): it carries
// the configuration version an instance should run and the breaker commands that apply to it.
// Each subscriber remembers what it was last sent; on every push hint the channel re-reads the
// store and sends only what changed, so duplicate hints cost a query and nothing else.
import type { Logger } from 'pino';
import type { ConfigService, DesiredConfig } from './config-service.js';
import type { PushBus, PushEvent } from './push-bus.js';

export interface BreakerCommandView {
  id: string;
  action: 'force_open' | 'force_closed' | 'reset';
  /** The breaker it applies to, or null for every breaker of the instance. */
  breaker: string | null;
  reason: string;
  created_at: number;
  expires_at: number;
}

export interface CommandSet {
  /** Changes whenever the set changes: the agent compares it, not the list. */
  revision: string;
  commands: BreakerCommandView[];
}

/** Breaker commands for one instance (breakers/ supplies it). */
export interface CommandSource {
  commandsFor(service: string, instanceId: string): Promise<CommandSet>;
}

export interface ChannelIdentity {
  service: string;
  environment: string;
  instanceId: string;
}

export interface ChannelSnapshot {
  config: DesiredConfig | null;
  breakers: CommandSet;
}

export type ChannelEvent = { type: 'config'; data: DesiredConfig } | { type: 'breaker-commands'; data: CommandSet };

interface Subscriber extends ChannelIdentity {
  configVersion: number | null;
  revision: string | null;
  send(event: ChannelEvent): void;
  /** Refreshes run one at a time per subscriber, so events never overtake each other. */
  queue: Promise<void>;
}

export class AgentChannel {
  private readonly subscribers = new Set<Subscriber>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly config: ConfigService,
    private readonly commands: CommandSource,
    bus: PushBus,
    private readonly logger: Logger,
  ) {
    this.unsubscribe = bus.subscribe((event) => this.onPush(event));
  }

  async snapshot(identity: ChannelIdentity): Promise<ChannelSnapshot> {
    const [config, breakers] = await Promise.all([
      this.config.desiredFor(identity.service, identity.environment, identity.instanceId),
      this.commands.commandsFor(identity.service, identity.instanceId),
    ]);
    return { config, breakers };
  }

  /**
   * Subscribes a stream: sends the current state at once, then every change. `known*` are what
   * the agent already has (nothing is re-sent for those). Returns the unsubscribe function.
   */
  open(
    identity: ChannelIdentity,
    known: { configVersion: number | null; revision: string | null },
    send: (event: ChannelEvent) => void,
  ): () => void {
    const subscriber: Subscriber = {
      ...identity,
      configVersion: known.configVersion,
      revision: known.revision,
      send,
      queue: Promise.resolve(),
    };
    this.subscribers.add(subscriber);
    this.refresh(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /**
   * Long-poll: answers at once when the instance's state differs from what it knows, else waits
   * for a change up to `waitMs`; `changed: false` after the wait.
   */
  async poll(
    identity: ChannelIdentity,
    known: { configVersion: number | null; revision: string | null },
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<ChannelSnapshot & { changed: boolean }> {
    const differs = (s: ChannelSnapshot) =>
      (s.config?.version ?? null) !== known.configVersion || s.breakers.revision !== known.revision;
    const now = await this.snapshot(identity);
    if (differs(now) || waitMs <= 0) return { ...now, changed: differs(now) };
    return new Promise((resolve) => {
      let done = false;
      const finish = async () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        close();
        const latest = await this.snapshot(identity).catch(() => now);
        resolve({ ...latest, changed: differs(latest) });
      };
      const close = this.open(identity, { ...known }, () => void finish());
      const timer = setTimeout(() => void finish(), waitMs);
      timer.unref();
      signal?.addEventListener('abort', () => void finish(), { once: true });
    });
  }

  get size(): number {
    return this.subscribers.size;
  }

  stop(): void {
    this.unsubscribe();
    this.subscribers.clear();
  }

  private onPush(event: PushEvent): void {
    for (const subscriber of this.subscribers) {
      if (
        event.topic === 'config' &&
        (event.service !== subscriber.service || event.environment !== subscriber.environment)
      ) {
        continue;
      }
      this.refresh(subscriber);
    }
  }

  private refresh(subscriber: Subscriber): void {
    subscriber.queue = subscriber.queue.then(async () => {
      if (!this.subscribers.has(subscriber)) return;
      try {
        const state = await this.snapshot(subscriber);
        if (state.config && state.config.version !== subscriber.configVersion) {
          subscriber.configVersion = state.config.version;
          subscriber.send({ type: 'config', data: state.config });
        }
        if (state.breakers.revision !== subscriber.revision) {
          subscriber.revision = state.breakers.revision;
          subscriber.send({ type: 'breaker-commands', data: state.breakers });
        }
      } catch (error) {
        this.logger.warn({ err: error, instance_id: subscriber.instanceId }, 'could not refresh an agent channel');
      }
    });
  }
}
