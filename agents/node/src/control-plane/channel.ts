// Keeps the control-plane channel open: the configuration version this instance should run and
// the breaker commands in force arrive here. Server-Sent Events first; when the stream is
// refused (a proxy that does not pass event streams) it switches to long-poll for good.
// Failures back off like registration does; a stream that ends normally is reopened at once,
// naming what the agent already has so nothing is sent twice and nothing missed is lost.
import { Backoff } from '../backoff.js';
import type { AgentLogger } from '../logger.js';
import type { ControlPlaneClient, PushedCommands, PushedConfig } from './client.js';

/** No bytes (the server sends a keepalive every 15 s) for this long: the stream is dead. */
export const CHANNEL_IDLE_MS = 45_000;
/** Longest wait of one long-poll request. */
export const POLL_WAIT_MS = 25_000;

export interface ChannelHandlers {
  /** What the agent has now, sent on (re)connect. */
  known(): { configVersion: number | null; commandsRevision: string | null };
  onConfig(config: PushedConfig): void;
  onCommands(commands: PushedCommands): void;
  /** Called after every successful (re)connect: flush anything waiting to be sent. */
  onConnected?(): void;
}

export interface ChannelStats {
  mode: 'sse' | 'poll';
  connected: boolean;
  connects: number;
  failures: number;
  lastError: string | undefined;
}

export class ChannelConnection {
  private readonly abort = new AbortController();
  private readonly backoff: Backoff;
  private running: Promise<void> | undefined;
  private readonly counters: ChannelStats = {
    mode: 'sse',
    connected: false,
    connects: 0,
    failures: 0,
    lastError: undefined,
  };

  constructor(
    private readonly client: ControlPlaneClient,
    private readonly identity: { service: string; environment: string; instanceId: string },
    private readonly handlers: ChannelHandlers,
    private readonly logger: AgentLogger,
    backoff: { initialMs: number; maxMs: number },
  ) {
    this.backoff = new Backoff(backoff);
  }

  start(): void {
    this.running ??= this.loop().catch((error: unknown) => {
      this.logger.error({ err: error }, 'config channel stopped unexpectedly');
    });
  }

  stats(): ChannelStats {
    return { ...this.counters };
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private request() {
    const known = this.handlers.known();
    return { ...this.identity, configVersion: known.configVersion, commandsRevision: known.commandsRevision };
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      if (this.counters.mode === 'sse') {
        let opened = false;
        const result = await this.client.streamChannel(
          this.request(),
          (event, data) => {
            if (!opened) this.connected();
            opened = true;
            if (event === 'config') this.handlers.onConfig(data as PushedConfig);
            else if (event === 'breaker-commands') this.handlers.onCommands(data as PushedCommands);
          },
          { signal, idleMs: CHANNEL_IDLE_MS },
        );
        this.counters.connected = false;
        if (signal.aborted) return;
        if (result.ok) continue; // the server ended the stream (restart, shutdown): reopen
        if (result.sseUnsupported) {
          this.counters.mode = 'poll';
          this.logger.warn({ error: result.error }, 'config channel: event stream refused; using long-poll');
          continue;
        }
        await this.failed(result.error);
      } else {
        const result = await this.client.pollChannel(this.request(), POLL_WAIT_MS, signal);
        if (signal.aborted) return;
        if (!result.ok) {
          this.counters.connected = false;
          await this.failed(result.error);
          continue;
        }
        if (!this.counters.connected) this.connected();
        const known = this.handlers.known();
        const { config, breakers } = result.snapshot;
        if (config && config.version !== known.configVersion) this.handlers.onConfig(config);
        if (breakers.revision !== known.commandsRevision) this.handlers.onCommands(breakers);
      }
    }
  }

  private connected(): void {
    this.counters.connected = true;
    this.counters.connects += 1;
    if (this.counters.failures > 0 && this.backoff.attempts > 0) {
      this.logger.info({}, 'config channel connected again');
    }
    this.backoff.reset();
    this.handlers.onConnected?.();
  }

  private async failed(error: string): Promise<void> {
    this.counters.failures += 1;
    this.counters.lastError = error;
    const delay = this.backoff.next();
    if (this.backoff.attempts === 1) {
      this.logger.warn({ error, retry_in_ms: delay }, 'config channel failed; running on the last good configuration');
    }
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.abort.signal.removeEventListener('abort', wake);
        resolve();
      }, delay);
      timer.unref();
      this.abort.signal.addEventListener('abort', wake, { once: true });
    });
  }
}
