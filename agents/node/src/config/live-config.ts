// Live configuration: the document the control plane pushes, validated by the service's own
// parser, applied atomically, and acknowledged. A version the parser refuses is acknowledged as
// rejected with the reason and never replaces the version in use; the last good version is kept
// on disk and loaded at start, before the control plane answers (fail static).
import { EventEmitter } from 'node:events';
import type { AgentLogger } from '../logger.js';
import type { ConfigCache } from './config-cache.js';

/** Turns the raw JSON document into the service's type; throws (with a message saying why) to refuse it. */
export type ConfigParser<T> = (raw: unknown) => T;

export interface ConfigChange<T> {
  version: number;
  value: T;
  previous: T | undefined;
  previousVersion: number | null;
  /** `control-plane` for a pushed version, `cache` for the one loaded from disk at start. */
  source: 'control-plane' | 'cache';
}

export interface LiveConfigStats {
  version: number | null;
  source: 'control-plane' | 'cache' | null;
  applied: number;
  rejected: number;
  lastRejection: { version: number; reason: string } | undefined;
}

export type AckSender = (ack: { version: number; status: 'applied' | 'rejected'; reason?: string }) => void;

export class LiveConfig<T = unknown> {
  private readonly events = new EventEmitter();
  private value: T | undefined;
  private current: number | null = null;
  private source: 'control-plane' | 'cache' | null = null;
  private readonly counters = { applied: 0, rejected: 0, lastRejection: undefined as LiveConfigStats['lastRejection'] };
  private readonly loaded: Promise<void>;
  /** Pushed versions are applied one at a time, in arrival order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly parse: ConfigParser<T>,
    private readonly cache: ConfigCache | undefined,
    private readonly ack: AckSender,
    private readonly logger: AgentLogger,
  ) {
    this.loaded = this.loadCache();
  }

  /** The configuration in use, or undefined before any version (pushed or cached) is known. */
  get(): T | undefined {
    return this.value;
  }

  /** The version in use (null before any). */
  get version(): number | null {
    return this.current;
  }

  /** Resolves once the cached version (if any) is loaded: await it before serving to start on it. */
  ready(): Promise<void> {
    return this.loaded;
  }

  on(event: 'change', listener: (change: ConfigChange<T>) => void): this {
    this.events.on(event, listener);
    return this;
  }

  off(event: 'change', listener: (change: ConfigChange<T>) => void): this {
    this.events.off(event, listener);
    return this;
  }

  stats(): LiveConfigStats {
    return { version: this.current, source: this.source, ...this.counters };
  }

  /** A pushed version: validate, apply, store, acknowledge. Resolves when done. */
  receive(version: number, raw: unknown): Promise<void> {
    this.queue = this.queue
      .then(() => this.apply(version, raw))
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'applying a configuration version failed unexpectedly');
      });
    return this.queue;
  }

  private async apply(version: number, raw: unknown): Promise<void> {
    await this.loaded;
    if (version === this.current) {
      // Already running it (e.g. loaded from the cache): confirm so drift shows it.
      if (this.source === 'cache') this.ack({ version, status: 'applied' });
      this.source = 'control-plane';
      return;
    }
    let parsed: T;
    try {
      parsed = this.parse(raw);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.counters.rejected += 1;
      this.counters.lastRejection = { version, reason };
      this.logger.warn(
        { version, reason, running: this.current },
        'configuration version rejected; keeping the one in use',
      );
      this.ack({ version, status: 'rejected', reason });
      return;
    }
    try {
      await this.cache?.save({ version, content: raw, applied_at: Date.now() });
    } catch (error) {
      // Not fatal: the version still applies, it just will not survive a restart without the control plane.
      this.logger.warn({ err: error, path: this.cache?.path }, 'could not store the configuration on disk');
    }
    this.set(version, parsed, 'control-plane');
    this.counters.applied += 1;
    this.ack({ version, status: 'applied' });
  }

  private async loadCache(): Promise<void> {
    const cached = await this.cache?.load();
    if (!cached) return;
    try {
      this.set(cached.version, this.parse(cached.content), 'cache');
      this.logger.info(
        { version: cached.version, path: this.cache?.path },
        'started on the last good configuration from disk',
      );
    } catch (error) {
      this.logger.warn(
        { err: error, path: this.cache?.path },
        'the cached configuration no longer passes validation; ignored',
      );
    }
  }

  private set(version: number, value: T, source: 'control-plane' | 'cache'): void {
    const change: ConfigChange<T> = { version, value, previous: this.value, previousVersion: this.current, source };
    this.value = value;
    this.current = version;
    this.source = source;
    for (const listener of this.events.listeners('change')) {
      try {
        (listener as (c: ConfigChange<T>) => void)(change);
      } catch (error) {
        // A listener's bug must not undo the version nor stop the others.
        this.logger.error({ err: error, version }, 'a configuration change listener threw');
      }
    }
  }
}
