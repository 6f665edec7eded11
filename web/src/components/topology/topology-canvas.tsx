'use client';
// The service graph over the time window: filtered first (namespace, environment, only failing,
// focus and neighbours, name, kinds, traffic floor), then grouped by namespace or environment
// (big groups collapsed into one node), laid out by dagre in a worker, drawn by React Flow. All
// of it lives in the URL. Click a node or an edge for its figures and RED charts; double-click a
// node to focus on it, or a collapsed group to open it. Loaded apart from the page (see
// topology-view.tsx), so React Flow's code does not delay the page's first request.
import {
  Background,
  Controls,
  type Edge,
  MarkerType,
  type Node,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { type ReactNode, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { $api } from '../../api/client';
import type { HealthStatus, Topology, TopologyEdge } from '../../api/types';
import { formatDuration, formatPercent, formatRate } from '../../lib/format';
import { edgeId, edgeWidth, filterGraph, NODE_HEIGHT, NODE_WIDTH } from '../../lib/topology-graph';
import { EmptyState } from '../common/empty-state';
import { Skeleton } from '../common/skeleton';
import { UrlCheckbox } from '../common/url-checkbox';
import { UrlSearchInput } from '../common/url-search-input';
import { useUrlState, useUrlValue } from '../frame/url-state';
import { useDark } from '../frame/use-dark';
import {
  COLLAPSE_OVER,
  type DrawnEdge,
  FAILING_ERROR_RATE,
  filterByPlacement,
  type GroupBy,
  type GroupedGraph,
  type GroupSummary,
  groupGraph,
  parseGroupBy,
  placementValues,
} from './graph-model';
import { TopologyDetails } from './topology-details';
import { type GroupAreaData, type GroupNodeData, NODE_TYPES, type TopologyNodeData } from './topology-node';
import { useLayout } from './use-layout';

const KINDS = ['database', 'messaging', 'external'] as const;
/** Above this many edges, labels are drawn only for the selection and the hovered edge (or all, `labels=all`). */
const LABELS_UP_TO = 12;
/** Past this many nodes the whole graph is an overview; the toolbar suggests narrowing it. */
const BIG_GRAPH = 60;
/** URL parameters of the filters, cleared together. */
const FILTER_PARAMS = { q: null, focus: null, hide: null, min_rps: null, namespace: null, env: null, unhealthy: null };

/** A graph of a few nodes is not blown up past this zoom. */
const FIT_VIEW = { padding: 0.1, duration: 0, maxZoom: 1.25 };

type FlowNode = Node<TopologyNodeData> | Node<GroupAreaData> | Node<GroupNodeData>;

/** Registry health by service name; the same Map while the statuses do not change. */
function useHealth(): Map<string, HealthStatus> {
  const services = $api.useQuery('get', '/api/v1/services');
  const list = services.data?.services;
  const key = (list ?? []).map((s) => `${s.name}:${s.status}`).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the list
  return useMemo(() => new Map<string, HealthStatus>((list ?? []).map((s) => [s.name, s.status])), [key]);
}

/** The graph of one topology answer; `worker` lays it out. */
export function TopologyCanvas({ topology, worker }: { topology: Topology; worker: Worker | null }) {
  return (
    <ReactFlowProvider>
      <Graph topology={topology} worker={worker} />
    </ReactFlowProvider>
  );
}

function Graph({ topology, worker }: { topology: Topology; worker: Worker | null }) {
  const { params, update } = useUrlState();
  const dark = useDark();
  const health = useHealth();

  const focus = params.get('focus');
  const depth = Number(params.get('depth') ?? 1) === 2 ? 2 : 1;
  const query = params.get('q') ?? '';
  const hiddenKey = params.get('hide') ?? '';
  const minRate = Number(params.get('min_rps') ?? 0) || 0;
  const namespace = params.get('namespace');
  const environment = params.get('env');
  const unhealthy = params.get('unhealthy') === '1';
  const groupBy = parseGroupBy(params.get('group'));
  const openKey = params.getAll('open').join('\u0000');
  const shutKey = params.getAll('shut').join('\u0000');
  const selectedNode = params.get('node');
  const selectedEdge = params.get('edge');
  const allLabels = params.get('labels') === 'all';
  const [hovered, setHovered] = useState<string | null>(null);

  // Filters first, so grouping and layout only see what will be drawn.
  const filtered = useMemo(() => {
    const placed = filterByPlacement(topology.nodes, topology.edges, { namespace, environment, unhealthy, health });
    return filterGraph(placed.nodes, placed.edges, {
      focus,
      depth,
      query,
      hiddenTypes: hiddenKey.split(',').filter(Boolean),
      minRate,
    });
  }, [topology, namespace, environment, unhealthy, health, focus, depth, query, hiddenKey, minRate]);

  const drawn = useMemo<GroupedGraph>(() => {
    if (!groupBy) {
      return {
        nodes: filtered.nodes.map((node) => ({ node, parent: null })),
        areas: [],
        collapsed: [],
        edges: filtered.edges,
      };
    }
    const split = (key: string) => new Set(key ? key.split('\u0000') : []);
    return groupGraph(filtered.nodes, filtered.edges, groupBy, { open: split(openKey), shut: split(shutKey), health });
  }, [filtered, groupBy, openKey, shutKey, health]);

  const layoutNodes = useMemo(
    () => [
      ...drawn.nodes.map(({ node, parent }) => ({ id: node.id, parent })),
      ...drawn.collapsed.map((group) => ({ id: group.id, parent: null })),
    ],
    [drawn],
  );
  const layout = useLayout(worker, layoutNodes, drawn.edges);

  /** Opens or closes a group, keeping the URL lists minimal (a big group is closed by default). */
  const setGroupOpen = useCallback(
    (name: string, size: number, open: boolean, extra: Record<string, null> = {}) => {
      const opened = new Set(params.getAll('open'));
      const shut = new Set(params.getAll('shut'));
      opened.delete(name);
      shut.delete(name);
      const big = size > COLLAPSE_OVER;
      if (open && big) opened.add(name);
      if (!open && !big) shut.add(name);
      update({ open: [...opened], shut: [...shut], ...extra }, { history: 'replace' });
    },
    [params, update],
  );

  const maxRate = useMemo(() => Math.max(0, ...drawn.edges.map((e) => e.rate)), [drawn.edges]);
  // The drawn elements in two steps: the base objects change only with the graph, its numbers
  // or the theme; selection and hover then swap in new objects for the few elements they touch,
  // so React Flow re-renders those and not all 1,000 edges on a click.
  const baseNodes = useMemo<FlowNode[]>(() => {
    if (!layout) return [];
    const out: FlowNode[] = [];
    // Areas first: React Flow wants a parent before its children.
    for (const area of drawn.areas) {
      const box = layout.clusters.get(area.id);
      if (!box || !groupBy) continue;
      out.push({
        id: area.id,
        type: 'area',
        position: { x: box.x, y: box.y },
        width: box.width,
        height: box.height,
        data: {
          name: area.name,
          by: groupBy,
          members: area.members.length,
          onCollapse: () => setGroupOpen(area.name, area.members.length, false),
        },
        draggable: false,
        selectable: false,
        focusable: false,
        zIndex: -1,
      });
    }
    for (const { node, parent } of drawn.nodes) {
      const position = layout.positions.get(node.id);
      if (!position) continue;
      const box = parent ? layout.clusters.get(parent) : undefined;
      out.push({
        id: node.id,
        type: node.type in NODE_TYPES ? node.type : 'external',
        position: box ? { x: position.x - box.x, y: position.y - box.y } : position,
        ...(box && parent ? { parentId: parent } : {}),
        // Known sizes let React Flow draw edges at once instead of measuring nodes first.
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        data: { node, health: node.type === 'service' ? (health.get(node.name) ?? null) : null, dimmed: false },
        draggable: false,
      });
    }
    for (const group of drawn.collapsed) {
      const position = layout.positions.get(group.id);
      if (!position || !groupBy) continue;
      out.push({
        id: group.id,
        type: 'group',
        position,
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        data: { group, by: groupBy },
        draggable: false,
      });
    }
    return out;
  }, [layout, drawn, health, groupBy, setGroupOpen]);
  const flowNodes = useMemo(
    () => (selectedNode ? baseNodes.map((n) => (n.id === selectedNode ? { ...n, selected: true } : n)) : baseNodes),
    [baseNodes, selectedNode],
  );

  const edgeColor = useCallback(
    (edge: TopologyEdge, selected: boolean) =>
      selected ? 'var(--sb-accent)' : edge.error_rate >= FAILING_ERROR_RATE ? '#ef4444' : dark ? '#64748b' : '#94a3b8',
    [dark],
  );
  const baseEdges = useMemo<Edge[]>(() => {
    const showAll = allLabels || drawn.edges.length <= LABELS_UP_TO;
    return drawn.edges.map((edge) => edgeElement(edge, edgeColor(edge, false), maxRate, showAll));
  }, [drawn.edges, maxRate, edgeColor, allLabels]);
  const flowEdges = useMemo<Edge[]>(() => {
    if (!selectedEdge && !selectedNode && !hovered) return baseEdges;
    const raw = new Map(drawn.edges.map((e) => [edgeId(e), e]));
    return baseEdges.map((element) => {
      const edge = raw.get(element.id)!;
      const selected = element.id === selectedEdge;
      const related =
        selected || element.id === hovered || edge.source === selectedNode || edge.target === selectedNode;
      if (!related) return element;
      return { ...edgeElement(edge, edgeColor(edge, selected), maxRate, true), selected };
    });
  }, [baseEdges, drawn.edges, selectedEdge, selectedNode, hovered, edgeColor, maxRate]);

  const nodeById = useMemo(() => new Map(topology.nodes.map((n) => [n.id, n])), [topology.nodes]);
  const groupById = useMemo(() => new Map(drawn.collapsed.map((g) => [g.id, g])), [drawn.collapsed]);
  const edgeById = useMemo(() => {
    const map = new Map<string, DrawnEdge>(topology.edges.map((e) => [edgeId(e), e]));
    for (const edge of drawn.edges) if (edge.members) map.set(edgeId(edge), edge);
    return map;
  }, [topology.edges, drawn.edges]);

  // The collapsed node goes away when its group opens: so does its selection.
  const openGroup = useCallback(
    (group: GroupSummary) =>
      setGroupOpen(group.name, group.members.length, true, selectedNode === group.id ? { node: null } : {}),
    [setGroupOpen, selectedNode],
  );

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2">
      <Toolbar
        topology={topology}
        shown={filtered.nodes.length}
        edges={filtered.edges.length}
        groups={drawn.areas.length + drawn.collapsed.length}
        focus={focus ? (nodeById.get(focus)?.name ?? focus) : null}
        layoutMs={layout?.ms}
      />
      <div className="flex min-h-0 flex-1 gap-3">
        <div
          className="relative min-w-0 flex-1 rounded-lg border border-line bg-panel"
          data-testid="topology-canvas"
          data-layout-ready={layout?.current ? 'true' : 'false'}
          data-nodes={flowNodes.length}
          data-edges={flowEdges.length}
        >
          {filtered.nodes.length === 0 ? (
            <EmptyState
              title="Nothing matches the filters"
              action={
                <button type="button" className="text-accent underline" onClick={() => update(FILTER_PARAMS)}>
                  Clear the filters
                </button>
              }
            >
              {topology.nodes.length} nodes are in this window.
            </EmptyState>
          ) : !layout ? (
            <Skeleton className="h-full w-full" />
          ) : (
            <FlowCanvas
              nodes={flowNodes}
              edges={flowEdges}
              layoutKey={layout.key}
              dark={dark}
              onSelectNode={(id) =>
                update({ node: id === selectedNode ? null : id, edge: null }, { history: 'replace' })
              }
              onSelectEdge={(id) =>
                update({ edge: id === selectedEdge ? null : id, node: null }, { history: 'replace' })
              }
              onOpen={(id) => {
                const group = groupById.get(id);
                if (group) openGroup(group);
                else update({ focus: id, node: id, edge: null });
              }}
              onHoverEdge={setHovered}
            />
          )}
          <Legend />
        </div>
        {(selectedNode || selectedEdge) && (
          <TopologyDetails
            node={selectedNode ? nodeById.get(selectedNode) : undefined}
            group={selectedNode ? groupById.get(selectedNode) : undefined}
            groupBy={groupBy}
            edge={selectedEdge ? edgeById.get(selectedEdge) : undefined}
            nodes={nodeById}
            health={health}
            onClose={() => update({ node: null, edge: null }, { history: 'replace' })}
            onFocus={(id) => update({ focus: id })}
            onSelect={(id) => update({ node: id, edge: null }, { history: 'replace' })}
            onOpenGroup={openGroup}
          />
        )}
      </div>
    </div>
  );
}

function edgeElement(edge: TopologyEdge, color: string, maxRate: number, label: boolean): Edge {
  const failing = edge.error_rate >= FAILING_ERROR_RATE;
  return {
    id: edgeId(edge),
    source: edge.source,
    target: edge.target,
    label: label ? edgeLabel(edge) : undefined,
    labelStyle: { fontSize: 11, fill: failing ? '#ef4444' : 'var(--sb-fg)' },
    labelBgStyle: { fill: 'var(--sb-panel)', fillOpacity: 0.85 },
    labelBgPadding: [4, 2],
    style: {
      stroke: color,
      strokeWidth: edgeWidth(edge.rate, maxRate),
      strokeDasharray: edge.kind === 'async' ? '6 4' : undefined,
    },
    // In user units, so a thick edge does not get a giant arrowhead.
    markerEnd: { type: MarkerType.ArrowClosed, color, width: 14, height: 14, markerUnits: 'userSpaceOnUse' },
    ariaLabel: `${edge.source} to ${edge.target}: ${edgeLabel(edge)}`,
  };
}

function edgeLabel(edge: TopologyEdge): string {
  return `${formatRate(edge.rate)} · ${formatPercent(edge.error_rate)} · p95 ${edge.p95_ms === null ? '–' : formatDuration(edge.p95_ms)}`;
}

function FlowCanvas({
  nodes,
  edges,
  layoutKey,
  dark,
  onSelectNode,
  onSelectEdge,
  onOpen,
  onHoverEdge,
}: {
  nodes: FlowNode[];
  edges: Edge[];
  layoutKey: string;
  dark: boolean;
  onSelectNode(id: string): void;
  onSelectEdge(id: string): void;
  /** Double-click: focus on a node, open a collapsed group. */
  onOpen(id: string): void;
  onHoverEdge(id: string | null): void;
}) {
  const flow = useReactFlow();
  const box = useRef<HTMLDivElement>(null);
  /** Whether the view is still as fitted (the user has not panned or zoomed since). */
  const fitted = useRef(true);
  // Refit when the graph's shape changes (a filter, a focus), not when its numbers refresh.
  // biome-ignore lint/correctness/useExhaustiveDependencies: layoutKey is the trigger
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      fitted.current = true;
      void flow.fitView(FIT_VIEW);
    });
    return () => cancelAnimationFrame(frame);
  }, [layoutKey, flow]);
  // The details panel narrows the canvas: a fitted view is fitted again; one the user moved
  // keeps what was in its middle in the middle (React Flow would keep the top-left corner).
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    let width = element.clientWidth;
    const observer = new ResizeObserver(() => {
      const next = element.clientWidth;
      if (next === width) return;
      if (fitted.current) {
        width = next;
        void flow.fitView(FIT_VIEW);
        return;
      }
      const { x, y, zoom } = flow.getViewport();
      void flow.setViewport({ x: x + (next - width) / 2, y, zoom });
      width = next;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [flow]);
  return (
    <div ref={box} className="h-full w-full">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        colorMode={dark ? 'dark' : 'light'}
        fitView
        fitViewOptions={FIT_VIEW}
        minZoom={0.05}
        maxZoom={2}
        onlyRenderVisibleElements
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable
        onNodeClick={(_event, node) => {
          if (node.type !== 'area') onSelectNode(node.id);
        }}
        onNodeDoubleClick={(_event, node) => {
          if (node.type !== 'area') onOpen(node.id);
        }}
        onEdgeClick={(_event, edge) => onSelectEdge(edge.id)}
        onEdgeMouseEnter={(_event, edge) => onHoverEdge(edge.id)}
        onEdgeMouseLeave={() => onHoverEdge(null)}
        onMove={(event) => {
          // Only the user's pans and zooms come with an event; fitView's do not (and a click,
          // which starts a pan that never moves, is not a move).
          if (event) fitted.current = false;
        }}
        zoomOnDoubleClick={false}
        ariaLabelConfig={{
          'node.a11yDescription.default': 'Press Enter to select this node, then see its figures beside the graph.',
        }}
        onNodesChange={() => {}}
        onKeyDown={(event) => {
          const target = event.target as HTMLElement;
          const id = target.closest('[data-id]')?.getAttribute('data-id');
          if (event.key === 'Enter' && id) onSelectNode(id);
        }}
        style={{ background: 'transparent' }}
      >
        <Background gap={24} size={1} />
        <Controls
          showInteractive={false}
          fitViewOptions={FIT_VIEW}
          onZoomIn={() => {
            fitted.current = false;
          }}
          onZoomOut={() => {
            fitted.current = false;
          }}
          onFitView={() => {
            fitted.current = true;
          }}
        />
      </ReactFlow>
    </div>
  );
}

/**
 * A select of the toolbar, after its visible label when it has one: shows the user's choice at
 * once, and the URL's when that changes.
 */
function ToolbarSelect({
  id,
  label,
  value,
  onChange,
  className = '',
  children,
}: {
  id?: string;
  label?: string;
  value: string;
  onChange: (value: string) => void;
  className?: string;
  children: ReactNode;
}) {
  const [shown, setShown] = useUrlValue(value);
  const ownId = useId();
  const selectId = id ?? ownId;
  const select = (
    <select
      id={selectId}
      value={shown}
      onChange={(event) => {
        setShown(event.target.value);
        onChange(event.target.value);
      }}
      className={`rounded-md border border-line bg-panel px-1 py-1 ${className}`}
    >
      {children}
    </select>
  );
  if (label === undefined) return select;
  return (
    <span className="flex items-center gap-1">
      <label htmlFor={selectId}>{label}</label>
      {select}
    </span>
  );
}

function PlacementSelect({ by, values, param }: { by: GroupBy; values: string[]; param: 'namespace' | 'env' }) {
  const { params, update } = useUrlState();
  const current = params.get(param) ?? '';
  if (values.length === 0 && !current) return null;
  const label = by === 'namespace' ? 'Namespace' : 'Environment';
  return (
    <ToolbarSelect
      label={label}
      value={current}
      onChange={(value) => update({ [param]: value || null }, { history: 'replace' })}
      className="max-w-36"
    >
      <option value="">all</option>
      {(values.includes(current) || !current ? values : [current, ...values]).map((value) => (
        <option key={value} value={value}>
          {value}
        </option>
      ))}
    </ToolbarSelect>
  );
}

function Toolbar({
  topology,
  shown,
  edges,
  groups,
  focus,
  layoutMs,
}: {
  topology: Topology;
  shown: number;
  edges: number;
  groups: number;
  focus: string | null;
  layoutMs: number | undefined;
}) {
  const { params, update } = useUrlState();
  const hidden = new Set((params.get('hide') ?? '').split(',').filter(Boolean));
  const namespaces = useMemo(() => placementValues(topology.nodes, 'namespace'), [topology.nodes]);
  const environments = useMemo(() => placementValues(topology.nodes, 'environment'), [topology.nodes]);
  const total = topology.nodes.length;
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5 text-sm">
      <UrlSearchInput
        id="topology-filter"
        label="Filter nodes by name"
        param="q"
        className="w-48 rounded-md border border-line bg-panel px-2.5 py-1"
      />
      <ToolbarSelect
        label="Group by"
        value={parseGroupBy(params.get('group')) ?? ''}
        onChange={(value) => update({ group: value || null, open: null, shut: null })}
      >
        <option value="">none</option>
        <option value="namespace">namespace</option>
        <option value="environment">environment</option>
      </ToolbarSelect>
      <PlacementSelect by="namespace" values={namespaces} param="namespace" />
      <PlacementSelect by="environment" values={environments} param="env" />
      <UrlCheckbox
        checked={params.get('unhealthy') === '1'}
        onChange={(checked) => update({ unhealthy: checked ? '1' : null }, { history: 'replace' })}
      >
        Only unhealthy
      </UrlCheckbox>
      {focus && (
        <span className="flex items-center gap-2 rounded-md bg-accent/10 px-2 py-1">
          Focus: <strong>{focus}</strong>
          <label className="sr-only" htmlFor="topology-depth">
            Neighbour depth
          </label>
          <ToolbarSelect
            id="topology-depth"
            value={params.get('depth') === '2' ? '2' : '1'}
            onChange={(value) => update({ depth: value === '1' ? null : value })}
          >
            <option value="1">1 hop</option>
            <option value="2">2 hops</option>
          </ToolbarSelect>
          <button type="button" onClick={() => update({ focus: null, depth: null })} className="text-accent underline">
            Show all
          </button>
        </span>
      )}
      <fieldset className="flex items-center gap-2">
        <legend className="sr-only">Show node kinds</legend>
        {KINDS.map((kind) => (
          <UrlCheckbox
            key={kind}
            checked={!hidden.has(kind)}
            onChange={(checked) => {
              const next = new Set(hidden);
              if (checked) next.delete(kind);
              else next.add(kind);
              update({ hide: [...next].join(',') || null }, { history: 'replace' });
            }}
          >
            {kind === 'database' ? 'Databases' : kind === 'messaging' ? 'Messaging' : 'External'}
          </UrlCheckbox>
        ))}
      </fieldset>
      <ToolbarSelect
        label="Min traffic"
        value={params.get('min_rps') ?? ''}
        onChange={(value) => update({ min_rps: value || null }, { history: 'replace' })}
      >
        <option value="">any</option>
        <option value="0.1">0.1/s</option>
        <option value="1">1/s</option>
        <option value="10">10/s</option>
      </ToolbarSelect>
      <UrlCheckbox
        checked={params.get('labels') === 'all'}
        onChange={(checked) => update({ labels: checked ? 'all' : null }, { history: 'replace' })}
      >
        All edge labels
      </UrlCheckbox>
      {shown > BIG_GRAPH && !focus && !params.get('group') && (
        <span className="text-xs text-amber-700 dark:text-amber-300">
          {shown} nodes: group by namespace, filter by name, or double-click a node to focus on its neighbours
        </span>
      )}
      <span className="ml-auto text-xs text-muted" data-testid="topology-counts">
        {shown} of {total} nodes, {edges} edges
        {groups > 0 && ` in ${groups} ${groups === 1 ? 'group' : 'groups'}`}
        {layoutMs !== undefined && ` · layout ${Math.round(layoutMs)} ms`}
      </span>
    </div>
  );
}

function Legend() {
  return (
    <div className="pointer-events-none absolute bottom-2 right-2 flex gap-3 rounded-md border border-line bg-panel/90 px-2 py-1 text-[11px] text-muted">
      <span className="flex items-center gap-1">
        <span className="h-2.5 w-3.5 rounded-sm border-2 border-emerald-500" /> passing
      </span>
      <span className="flex items-center gap-1">
        <span className="h-2.5 w-3.5 rounded-sm border-2 border-amber-500" /> warning
      </span>
      <span className="flex items-center gap-1">
        <span className="h-2.5 w-3.5 rounded-sm border-2 border-red-500" /> critical
      </span>
      <span className="flex items-center gap-1">
        <span className="h-2.5 w-3.5 rounded-sm border-2 border-dashed border-slate-400" /> not registered
      </span>
      <span>— sync · - - async · width = traffic</span>
    </div>
  );
}
