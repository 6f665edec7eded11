// The topology graph before drawing: filter to what the user asked for (a focus and its
// neighbours, a name filter, hidden kinds, a traffic floor). Pure, so the rules are tested
// without a browser. The layout is components/topology/layout.ts (run in a worker).

export interface GraphNode {
  id: string;
  name: string;
  type: string;
  rate: number;
}

export interface GraphEdge {
  source: string;
  target: string;
  rate: number;
}

export interface GraphFilter {
  /** Only this node and its neighbours within `depth` hops (either direction). */
  focus?: string | null;
  depth?: number;
  /** Case-insensitive name match; matching nodes keep their direct neighbours. */
  query?: string | null;
  /** Node kinds left out (e.g. "database"). */
  hiddenTypes?: readonly string[];
  /** Edges below this many requests per second are left out (and nodes left without edges). */
  minRate?: number;
}

export function edgeId(edge: { source: string; target: string }): string {
  return `${edge.source}->${edge.target}`;
}

function neighbourhood(start: Iterable<string>, edges: readonly GraphEdge[], depth: number): Set<string> {
  const adjacent = new Map<string, string[]>();
  for (const edge of edges) {
    adjacent.set(edge.source, [...(adjacent.get(edge.source) ?? []), edge.target]);
    adjacent.set(edge.target, [...(adjacent.get(edge.target) ?? []), edge.source]);
  }
  const seen = new Set(start);
  let frontier = [...seen];
  for (let hop = 0; hop < depth; hop++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const peer of adjacent.get(id) ?? []) {
        if (!seen.has(peer)) {
          seen.add(peer);
          next.push(peer);
        }
      }
    }
    frontier = next;
  }
  return seen;
}

export function filterGraph<N extends GraphNode, E extends GraphEdge>(
  nodes: readonly N[],
  edges: readonly E[],
  filter: GraphFilter,
): { nodes: N[]; edges: E[] } {
  const hidden = new Set(filter.hiddenTypes ?? []);
  let keptNodes = nodes.filter((n) => !hidden.has(n.type));
  let ids = new Set(keptNodes.map((n) => n.id));
  let keptEdges = edges.filter((e) => ids.has(e.source) && ids.has(e.target) && e.rate >= (filter.minRate ?? 0));
  if (filter.minRate && filter.minRate > 0) {
    const connected = new Set(keptEdges.flatMap((e) => [e.source, e.target]));
    keptNodes = keptNodes.filter((n) => connected.has(n.id) || n.rate >= filter.minRate!);
    ids = new Set(keptNodes.map((n) => n.id));
  }
  const query = filter.query?.trim().toLowerCase();
  if (query) {
    const matches = keptNodes.filter((n) => n.name.toLowerCase().includes(query)).map((n) => n.id);
    ids = neighbourhood(matches, keptEdges, 1);
  }
  if (filter.focus && ids.has(filter.focus)) {
    const around = neighbourhood([filter.focus], keptEdges, filter.depth ?? 1);
    ids = new Set([...ids].filter((id) => around.has(id)));
  }
  keptNodes = keptNodes.filter((n) => ids.has(n.id));
  keptEdges = keptEdges.filter((e) => ids.has(e.source) && ids.has(e.target));
  return { nodes: keptNodes, edges: keptEdges };
}

export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 60;

/** Edge stroke width from its traffic: 1 px for a trickle up to 7 px for the busiest edge. */
export function edgeWidth(rate: number, maxRate: number): number {
  if (rate <= 0 || maxRate <= 0) return 1;
  return 1 + 6 * (Math.log1p(rate) / Math.log1p(maxRate));
}
