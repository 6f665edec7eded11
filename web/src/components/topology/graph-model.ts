// What the topology draws, before layout: the placement and health filters, then grouping by
// namespace or environment, with big groups collapsed into one node carrying their totals and
// the calls to and from them merged. Pure, so the rules are tested without a browser.
import type { HealthStatus, TopologyEdge, TopologyNode } from '../../api/types';

export type GroupBy = 'namespace' | 'environment';

export function parseGroupBy(value: string | null): GroupBy | null {
  return value === 'namespace' || value === 'environment' ? value : null;
}

/** An error share from which a node or an edge counts as failing. */
export const FAILING_ERROR_RATE = 0.05;
/** Groups with more members than this are drawn collapsed unless opened. */
export const COLLAPSE_OVER = 20;
export const GROUP_ID_PREFIX = 'group:';

const valuesOf = (node: TopologyNode, by: GroupBy): readonly string[] =>
  by === 'namespace' ? node.namespaces : node.environments;

export function isUnhealthy(node: TopologyNode, health: ReadonlyMap<string, HealthStatus>): boolean {
  const status = node.type === 'service' ? health.get(node.name) : undefined;
  return status === 'critical' || status === 'warning' || node.error_rate >= FAILING_ERROR_RATE;
}

/** The distinct namespaces (or environments) of the graph, sorted, for the filter menus. */
export function placementValues(nodes: readonly TopologyNode[], by: GroupBy): string[] {
  return [...new Set(nodes.flatMap((n) => valuesOf(n, by)))].sort();
}

export interface PlacementFilter {
  namespace?: string | null;
  environment?: string | null;
  /** Only failing nodes (health warning or critical, or ≥ 5 % errors) and failing calls. */
  unhealthy?: boolean;
  health: ReadonlyMap<string, HealthStatus>;
}

/**
 * Keeps the services in the namespace and environment asked for, with the peers they call (a
 * database has no namespace of its own), and with `unhealthy` only what fails: failing nodes and
 * both ends of failing calls.
 */
export function filterByPlacement<N extends TopologyNode, E extends TopologyEdge>(
  nodes: readonly N[],
  edges: readonly E[],
  filter: PlacementFilter,
): { nodes: N[]; edges: E[] } {
  let kept: readonly N[] = nodes;
  const wanted: [GroupBy, string][] = [];
  if (filter.namespace) wanted.push(['namespace', filter.namespace]);
  if (filter.environment) wanted.push(['environment', filter.environment]);
  if (wanted.length > 0) {
    const placed = new Set(
      nodes
        .filter((n) => n.type === 'service' && wanted.every(([by, value]) => valuesOf(n, by).includes(value)))
        .map((n) => n.id),
    );
    const peers = new Set<string>();
    for (const edge of edges) {
      if (placed.has(edge.source)) peers.add(edge.target);
      if (placed.has(edge.target)) peers.add(edge.source);
    }
    const byId = new Map(nodes.map((n) => [n.id, n]));
    for (const id of peers) if (byId.get(id)?.type !== 'service') placed.add(id);
    kept = nodes.filter((n) => placed.has(n.id));
  }
  if (filter.unhealthy) {
    const failing = new Set(kept.filter((n) => isUnhealthy(n, filter.health)).map((n) => n.id));
    const present = new Set(kept.map((n) => n.id));
    for (const edge of edges) {
      if (edge.error_rate >= FAILING_ERROR_RATE && present.has(edge.source) && present.has(edge.target)) {
        failing.add(edge.source);
        failing.add(edge.target);
      }
    }
    kept = kept.filter((n) => failing.has(n.id));
  }
  if (kept === nodes) return { nodes: [...nodes], edges: [...edges] };
  const ids = new Set(kept.map((n) => n.id));
  return { nodes: [...kept], edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
}

/** A group drawn as one node: its members' totals. Latency is the worst member p95. */
export interface GroupSummary {
  id: string;
  /** The namespace or environment (several joined with " + " when members run in several). */
  name: string;
  members: TopologyNode[];
  requests: number;
  errors: number;
  rate: number;
  error_rate: number;
  p95_ms: number | null;
  health: HealthStatus | null;
  /** Calls between members, hidden while collapsed. */
  internalCalls: number;
}

/** A drawn edge: a real one, or calls merged because an end is a collapsed group. */
export interface DrawnEdge extends TopologyEdge {
  /** The calls this edge stands for, when merged. */
  members?: TopologyEdge[];
}

export interface GroupArea {
  id: string;
  name: string;
  members: string[];
}

export interface GroupedGraph {
  /** Nodes drawn as themselves, with the expanded group they sit in (or null). */
  nodes: { node: TopologyNode; parent: string | null }[];
  /** Expanded groups, drawn as labelled areas around their members. */
  areas: GroupArea[];
  /** Collapsed groups, drawn as one node each. */
  collapsed: GroupSummary[];
  edges: DrawnEdge[];
}

export function groupId(by: GroupBy, name: string): string {
  return `${GROUP_ID_PREFIX}${by}:${name}`;
}

const HEALTH_RANK: Record<HealthStatus, number> = { passing: 0, unknown: 1, warning: 2, critical: 3 };

/**
 * The group of each node: a service by its own namespaces (or environments); a peer by its
 * callers, when they all sit in the same group (a database used by one namespace belongs there).
 */
export function groupsOf(
  nodes: readonly TopologyNode[],
  edges: readonly TopologyEdge[],
  by: GroupBy,
): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const node of nodes) {
    const values = valuesOf(node, by);
    out.set(node.id, node.type === 'service' && values.length > 0 ? [...values].sort().join(' + ') : null);
  }
  const callers = new Map<string, Set<string | null>>();
  for (const edge of edges) {
    let set = callers.get(edge.target);
    if (!set) {
      set = new Set();
      callers.set(edge.target, set);
    }
    set.add(out.get(edge.source) ?? null);
  }
  for (const node of nodes) {
    if (node.type === 'service') continue;
    const groups = callers.get(node.id);
    if (groups?.size === 1) out.set(node.id, [...groups][0] ?? null);
  }
  return out;
}

function mergeEdges(id: { source: string; target: string }, parts: readonly TopologyEdge[]): DrawnEdge {
  const requests = parts.reduce((sum, e) => sum + e.requests, 0);
  const errors = parts.reduce((sum, e) => sum + e.errors, 0);
  const worst = (pick: (e: TopologyEdge) => number | null) =>
    parts.reduce<number | null>((max, e) => {
      const v = pick(e);
      return v === null ? max : max === null ? v : Math.max(max, v);
    }, null);
  return {
    source: id.source,
    target: id.target,
    kind: parts.every((e) => e.kind === 'async') ? 'async' : 'sync',
    requests,
    errors,
    rate: parts.reduce((sum, e) => sum + e.rate, 0),
    error_rate: requests > 0 ? errors / requests : 0,
    p50_ms: worst((e) => e.p50_ms),
    p95_ms: worst((e) => e.p95_ms),
    p99_ms: worst((e) => e.p99_ms),
    members: [...parts],
  };
}

export interface GroupOptions {
  /** Group names opened although big. */
  open: ReadonlySet<string>;
  /** Group names collapsed although small. */
  shut: ReadonlySet<string>;
  health: ReadonlyMap<string, HealthStatus>;
  collapseOver?: number;
}

export function groupGraph(
  nodes: readonly TopologyNode[],
  edges: readonly TopologyEdge[],
  by: GroupBy,
  options: GroupOptions,
): GroupedGraph {
  const groupOf = groupsOf(nodes, edges, by);
  const members = new Map<string, TopologyNode[]>();
  for (const node of nodes) {
    const name = groupOf.get(node.id);
    if (name === null || name === undefined) continue;
    members.set(name, [...(members.get(name) ?? []), node]);
  }
  const limit = options.collapseOver ?? COLLAPSE_OVER;
  const isCollapsed = (name: string, size: number) =>
    options.shut.has(name) || (size > limit && !options.open.has(name));

  const drawnAs = new Map<string, string>();
  const areas: GroupArea[] = [];
  const collapsed: GroupSummary[] = [];
  const summaries = new Map<string, GroupSummary>();
  for (const [name, list] of [...members].sort(([a], [b]) => a.localeCompare(b))) {
    const id = groupId(by, name);
    if (!isCollapsed(name, list.length)) {
      areas.push({ id, name, members: list.map((n) => n.id) });
      continue;
    }
    let health: HealthStatus | null = null;
    for (const node of list) {
      const status = node.type === 'service' ? options.health.get(node.name) : undefined;
      if (status && (health === null || HEALTH_RANK[status] > HEALTH_RANK[health])) health = status;
      drawnAs.set(node.id, id);
    }
    // Services count what they served; peers inside are measured by their callers (counted already).
    const services = list.filter((n) => n.type === 'service');
    const requests = services.reduce((sum, n) => sum + n.requests, 0);
    const errors = services.reduce((sum, n) => sum + n.errors, 0);
    const summary: GroupSummary = {
      id,
      name,
      members: list,
      requests,
      errors,
      rate: services.reduce((sum, n) => sum + n.rate, 0),
      error_rate: requests > 0 ? errors / requests : 0,
      p95_ms: list.reduce<number | null>(
        (max, n) => (n.p95_ms === null ? max : max === null ? n.p95_ms : Math.max(max, n.p95_ms)),
        null,
      ),
      health,
      internalCalls: 0,
    };
    collapsed.push(summary);
    summaries.set(id, summary);
  }

  const parentOf = new Map<string, string>();
  for (const area of areas) for (const id of area.members) parentOf.set(id, area.id);
  const drawnNodes = nodes
    .filter((n) => !drawnAs.has(n.id))
    .map((node) => ({ node, parent: parentOf.get(node.id) ?? null }));

  const merged = new Map<string, TopologyEdge[]>();
  const drawnEdges: DrawnEdge[] = [];
  for (const edge of edges) {
    const source = drawnAs.get(edge.source) ?? edge.source;
    const target = drawnAs.get(edge.target) ?? edge.target;
    if (source === edge.source && target === edge.target) {
      drawnEdges.push(edge);
      continue;
    }
    if (source === target) {
      const summary = summaries.get(source);
      if (summary) summary.internalCalls += edge.requests;
      continue;
    }
    const key = `${source}->${target}`;
    merged.set(key, [...(merged.get(key) ?? []), edge]);
  }
  for (const parts of merged.values()) {
    const first = parts[0]!;
    drawnEdges.push(
      mergeEdges(
        { source: drawnAs.get(first.source) ?? first.source, target: drawnAs.get(first.target) ?? first.target },
        parts,
      ),
    );
  }
  return { nodes: drawnNodes, areas, collapsed, edges: drawnEdges };
}
