// Live tail: a LogListener that hands every committed log record matching a subscriber's filter
// to that subscriber (the SSE route writes them out). Subscribers are capped; each filter is
// tested in memory with the same meaning as log search. Records committed on other replicas
// are not seen here: a tail shows what this replica ingests.
import { Gauge, type Registry } from 'prom-client';
import type { LogListener, LogRecord } from '../model.js';
import { type AttributeFilter, matchesAttribute } from '../query/filters.js';
import { patternMatcher } from '../query/log-patterns.js';

export interface LogFilter {
  service?: string | undefined;
  minSeverity?: number | undefined;
  /** Matched case-insensitively against the body. */
  contains?: string | undefined;
  /** A template of /logs/patterns (see log-patterns.ts). */
  pattern?: string | undefined;
  attributes: AttributeFilter[];
  traceId?: string | undefined;
  spanId?: string | undefined;
}

/** A test of records against the filter, with its text matching prepared once. */
export function logMatcher(filter: LogFilter): (log: LogRecord) => boolean {
  const needle = filter.contains?.toLowerCase();
  const pattern = filter.pattern === undefined ? undefined : patternMatcher(filter.pattern);
  return (log) => {
    if (filter.service !== undefined && log.service !== filter.service) return false;
    if (filter.minSeverity !== undefined && log.severityNumber < filter.minSeverity) return false;
    if (filter.traceId !== undefined && log.traceId !== filter.traceId) return false;
    if (filter.spanId !== undefined && log.spanId !== filter.spanId) return false;
    if (needle && !log.body.toLowerCase().includes(needle)) return false;
    if (pattern && !pattern(log.body)) return false;
    for (const attribute of filter.attributes) {
      if (!matchesAttribute(log.attributes, log.resource, attribute)) return false;
    }
    return true;
  };
}

export interface TailSubscription {
  close(): void;
}

interface Subscriber {
  matches: (log: LogRecord) => boolean;
  deliver(logs: LogRecord[]): void;
}

export class TooManyTailsError extends Error {
  override name = 'TooManyTailsError';
}

export class LogTailHub implements LogListener {
  readonly #subscribers = new Set<Subscriber>();
  readonly #maxTails: number;

  constructor(maxTails: number, registry: Registry) {
    this.#maxTails = maxTails;
    const subscribers = this.#subscribers;
    new Gauge({
      name: 'signalbox_log_tails',
      help: 'Open live tails of logs',
      registers: [registry],
      collect() {
        this.set(subscribers.size);
      },
    });
  }

  get size(): number {
    return this.#subscribers.size;
  }

  /** Throws TooManyTailsError at the cap. `deliver` gets the matching records of each commit. */
  subscribe(filter: LogFilter, deliver: (logs: LogRecord[]) => void): TailSubscription {
    if (this.#subscribers.size >= this.#maxTails) {
      throw new TooManyTailsError(`${this.#maxTails} live tails are open already (the limit); close one and retry`);
    }
    const subscriber: Subscriber = { matches: logMatcher(filter), deliver };
    this.#subscribers.add(subscriber);
    return { close: () => this.#subscribers.delete(subscriber) };
  }

  onLogs(logs: readonly LogRecord[]): void {
    for (const subscriber of this.#subscribers) {
      const matching = logs.filter(subscriber.matches);
      if (matching.length > 0) subscriber.deliver(matching);
    }
  }
}
