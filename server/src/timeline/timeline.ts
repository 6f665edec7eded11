// One service's history from every module that keeps one, merged newest first: audit entries,
// health status transitions, and whatever other modules add (breaker transitions, Kubernetes
// warning events). A module contributes by adding a TimelineSource; the service asks each source
// for its events in the window and merges them. A source that fails is reported beside the
// events instead of failing the whole timeline.

export interface TimelineQuery {
  service: string;
  /** Inclusive bounds, epoch ms. */
  from: number;
  to: number;
  /** Most events wanted; a source returns at most this many, newest first. */
  limit: number;
}

export interface TimelineEvent {
  at: number;
  /** The source's name: audit, health, breakers, kubernetes… */
  source: string;
  /** What happened, stable and filterable: the audit action, `status.critical`, `breaker.open`… */
  kind: string;
  /** One line for people. */
  summary: string;
  /** The instance it concerns, when it concerns one. */
  instance_id: string | null;
  /** Source-specific fields (actor, before/after, reason, from/to status…). */
  details: Record<string, unknown>;
}

export interface TimelineSource {
  readonly name: string;
  /** The service's events within [from, to], newest first, at most `limit`. */
  events(query: TimelineQuery): Promise<TimelineEvent[]>;
}

export interface SourceOutcome {
  name: string;
  ok: boolean;
  /** Why the source gave nothing, when it failed. */
  error: string | null;
}

export interface Timeline {
  service: string;
  from: number;
  to: number;
  events: TimelineEvent[];
  /** True when more events exist in the window than `limit`: narrow the window to see them. */
  truncated: boolean;
  sources: SourceOutcome[];
}

export class TimelineService {
  private readonly sources = new Map<string, TimelineSource>();

  /** Adds a source; names are unique (a second source with the same name is a wiring mistake). */
  addSource(source: TimelineSource): void {
    if (this.sources.has(source.name)) throw new Error(`timeline source "${source.name}" is already added`);
    this.sources.set(source.name, source);
  }

  sourceNames(): string[] {
    return [...this.sources.keys()];
  }

  async query(query: TimelineQuery, onError?: (source: string, error: unknown) => void): Promise<Timeline> {
    const sources = [...this.sources.values()];
    const results = await Promise.allSettled(sources.map((source) => source.events(query)));
    const events: TimelineEvent[] = [];
    const outcomes: SourceOutcome[] = [];
    let truncated = false;
    results.forEach((result, index) => {
      const name = (sources[index] as TimelineSource).name;
      if (result.status === 'fulfilled') {
        // A source that filled its quota may hold more in the window.
        if (result.value.length >= query.limit) truncated = true;
        events.push(...result.value.slice(0, query.limit));
        outcomes.push({ name, ok: true, error: null });
      } else {
        onError?.(name, result.reason);
        outcomes.push({ name, ok: false, error: (result.reason as Error)?.message ?? String(result.reason) });
      }
    });
    // Newest first; ties keep a stable order by source name so pages do not shuffle.
    events.sort((a, b) => b.at - a.at || a.source.localeCompare(b.source));
    if (events.length > query.limit) truncated = true;
    return {
      service: query.service,
      from: query.from,
      to: query.to,
      events: events.slice(0, query.limit),
      truncated,
      sources: outcomes,
    };
  }
}
