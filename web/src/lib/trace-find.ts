// "Find in trace": which spans of a trace match what was typed, in waterfall order. Terms are
// separated by spaces ("double quotes" keep a phrase together) and a span matches when it
// matches every term: `key=value` an attribute of the span or of its resource whose key is
// `key` and whose value contains `value`; any other term a part of the service, operation,
// span id, status, status message, an event name, or an attribute's key or value. Case is
// ignored. As Jaeger's trace search bar does, so people find spans the way they already know.
import type { SpanLike, SpanTree } from './span-tree';

export interface FindableSpan extends SpanLike {
  status: string;
  status_message: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  events: readonly { name: string }[];
}

interface Term {
  key: string | null;
  text: string;
}

/** The terms of a query; an empty list for a blank one. */
export function parseFindQuery(query: string): Term[] {
  const terms: Term[] = [];
  for (const match of query.matchAll(/"([^"]*)"?|(\S+)/g)) {
    const raw = (match[1] ?? match[2] ?? '').toLowerCase();
    if (!raw.trim()) continue;
    const eq = match[1] === undefined ? raw.indexOf('=') : -1;
    if (eq > 0) terms.push({ key: raw.slice(0, eq), text: raw.slice(eq + 1) });
    else terms.push({ key: null, text: raw });
  }
  return terms;
}

function valueText(value: unknown): string {
  return (typeof value === 'string' ? value : (JSON.stringify(value) ?? '')).toLowerCase();
}

/** Everything a plain term may match, lower-cased, once per span. */
function haystack(span: FindableSpan): string {
  const parts = [span.service, span.name, span.span_id, span.status, span.status_message];
  for (const event of span.events) parts.push(event.name);
  for (const [key, value] of Object.entries(span.attributes)) parts.push(key, valueText(value));
  for (const value of Object.values(span.resource)) parts.push(valueText(value));
  // A newline cannot be typed into the field, so no term matches across two parts.
  return parts.join('\n').toLowerCase();
}

function attributeMatches(attributes: Record<string, unknown>, term: Term): boolean {
  for (const [key, value] of Object.entries(attributes)) {
    if (key.toLowerCase() === term.key && valueText(value).includes(term.text)) return true;
  }
  return false;
}

export interface SpanFinder {
  /** Span ids of the matching spans, in waterfall (depth-first) order. */
  find(query: string): string[];
}

/** Builds each span's search text once; each query is then a scan of short strings. */
export function spanFinder<S extends FindableSpan>(tree: SpanTree<S>): SpanFinder {
  const order: { node: S; text: string }[] = [];
  const stack = [...tree.roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    order.push({ node: node.span, text: haystack(node.span) });
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return {
    find(query) {
      const terms = parseFindQuery(query);
      if (terms.length === 0) return [];
      const out: string[] = [];
      for (const { node, text } of order) {
        const all = terms.every((term) =>
          term.key === null
            ? text.includes(term.text)
            : attributeMatches(node.attributes, term) || attributeMatches(node.resource, term),
        );
        if (all) out.push(node.span_id);
      }
      return out;
    },
  };
}
