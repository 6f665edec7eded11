// The trace waterfall's model: spans as a tree (orphans whose parent never arrived become
// roots), the rows visible under the current collapse state, and the critical path. Pure and
// linear in the number of spans (plain numbers, no BigInt), so a 10,000-span trace lays out in
// a few milliseconds.

export interface SpanLike {
  span_id: string;
  parent_span_id: string | null;
  /** ns after the trace's start (see lib/trace-model). */
  start_offset_ns: number;
  duration_ns: number;
  service: string;
  name: string;
}

export interface SpanNode<S extends SpanLike = SpanLike> {
  span: S;
  /** Start and end relative to the earliest span's start, in ms (floating point). */
  start: number;
  end: number;
  depth: number;
  children: SpanNode<S>[];
  /** True when the span names a parent that is not in the trace. */
  orphan: boolean;
}

export interface SpanTree<S extends SpanLike = SpanLike> {
  roots: SpanNode<S>[];
  byId: Map<string, SpanNode<S>>;
  /** Offset (ns) of the earliest span, which `start` and `end` count from; total duration in ms. */
  startOffsetNs: number;
  durationMs: number;
}

export function buildSpanTree<S extends SpanLike>(spans: readonly S[]): SpanTree<S> {
  if (spans.length === 0) return { roots: [], byId: new Map(), startOffsetNs: 0, durationMs: 0 };
  let startNs = spans[0]!.start_offset_ns;
  let endNs = startNs;
  for (const span of spans) {
    const start = span.start_offset_ns;
    const end = start + span.duration_ns;
    if (start < startNs) startNs = start;
    if (end > endNs) endNs = end;
  }
  const byId = new Map<string, SpanNode<S>>();
  for (const span of spans) {
    byId.set(span.span_id, {
      span,
      start: (span.start_offset_ns - startNs) / 1e6,
      end: (span.start_offset_ns + span.duration_ns - startNs) / 1e6,
      depth: 0,
      children: [],
      orphan: false,
    });
  }
  const roots: SpanNode<S>[] = [];
  for (const node of byId.values()) {
    const parentId = node.span.parent_span_id;
    const parent = parentId ? byId.get(parentId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else {
      node.orphan = Boolean(parentId);
      roots.push(node);
    }
  }
  const byStart = (a: SpanNode<S>, b: SpanNode<S>) =>
    a.start - b.start || (a.span.span_id < b.span.span_id ? -1 : a.span.span_id > b.span.span_id ? 1 : 0);
  roots.sort(byStart);
  // Iterative depth assignment (a deep trace must not overflow the stack).
  const stack = roots.map((root) => ({ node: root, depth: 0 }));
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    node.depth = depth;
    node.children.sort(byStart);
    for (const child of node.children) stack.push({ node: child, depth: depth + 1 });
  }
  return { roots, byId, startOffsetNs: startNs, durationMs: (endNs - startNs) / 1e6 };
}

/** Rows in display order (depth first), skipping the children of collapsed spans. */
export function visibleRows<S extends SpanLike>(tree: SpanTree<S>, collapsed: ReadonlySet<string>): SpanNode<S>[] {
  const rows: SpanNode<S>[] = [];
  const stack = [...tree.roots].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    rows.push(node);
    if (!collapsed.has(node.span.span_id)) {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  return rows;
}

/**
 * The critical path: the chain of spans that decided the trace's end. From each span, walk its
 * children from the last-finishing backwards, taking each child that finished before the point
 * already covered (as Jaeger does); the spans taken, and theirs, are on the path.
 */
export function criticalPath<S extends SpanLike>(tree: SpanTree<S>): Set<string> {
  const onPath = new Set<string>();
  if (tree.roots.length === 0) return onPath;
  const root = tree.roots.reduce((longest, node) => (node.end > longest.end ? node : longest));
  const work: SpanNode<S>[] = [root];
  while (work.length > 0) {
    const node = work.pop()!;
    onPath.add(node.span.span_id);
    const children = [...node.children].sort((a, b) => b.end - a.end);
    let cursor = node.end;
    for (const child of children) {
      // A child still running after the cursor overlaps a later one already on the path.
      if (child.end <= cursor + 1e-6) {
        work.push(child);
        cursor = child.start;
      }
    }
  }
  return onPath;
}

/** Span ids of every span that has children (for "collapse all"). */
export function parentsOf<S extends SpanLike>(tree: SpanTree<S>): Set<string> {
  const out = new Set<string>();
  for (const node of tree.byId.values()) if (node.children.length > 0) out.add(node.span.span_id);
  return out;
}

/** Structural comparison of two traces: spans matched by their path of service:name from the root. */
export interface ComparedOperation {
  path: string;
  depth: number;
  service: string;
  name: string;
  countA: number;
  countB: number;
  /** Total duration of the matched spans, ms. */
  durationA: number;
  durationB: number;
}

export function compareTraces<S extends SpanLike>(a: SpanTree<S>, b: SpanTree<S>): ComparedOperation[] {
  const rows = new Map<string, ComparedOperation>();
  const order: string[] = [];
  const walk = (tree: SpanTree<S>, side: 'A' | 'B') => {
    const stack = [...tree.roots].reverse().map((node) => ({ node, prefix: '' }));
    while (stack.length > 0) {
      const { node, prefix } = stack.pop()!;
      const path = `${prefix}/${node.span.service}:${node.span.name}`;
      let row = rows.get(path);
      if (!row) {
        row = {
          path,
          depth: node.depth,
          service: node.span.service,
          name: node.span.name,
          countA: 0,
          countB: 0,
          durationA: 0,
          durationB: 0,
        };
        rows.set(path, row);
        order.push(path);
      }
      if (side === 'A') {
        row.countA++;
        row.durationA += node.end - node.start;
      } else {
        row.countB++;
        row.durationB += node.end - node.start;
      }
      for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, prefix: path });
    }
  };
  walk(a, 'A');
  walk(b, 'B');
  return order.map((path) => rows.get(path)!);
}
