// Column values of a span or log row, shared by both writers. Events and links keep their
// nanosecond times as decimal strings inside their JSON so nothing is rounded.
import type { SpanEvent, SpanLink } from '../model.js';

export function eventsJson(events: readonly SpanEvent[]): string {
  if (events.length === 0) return '[]';
  return JSON.stringify(events.map((e) => ({ time_ns: e.timeNs.toString(), name: e.name, attributes: e.attributes })));
}

export function linksJson(links: readonly SpanLink[]): string {
  if (links.length === 0) return '[]';
  return JSON.stringify(links.map((l) => ({ trace_id: l.traceId, span_id: l.spanId, attributes: l.attributes })));
}

/** Catalog tables are written in one fixed order so concurrent replicas lock rows alike. */
export function byKeys<T>(items: T[], key: (item: T) => string): T[] {
  return items.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
