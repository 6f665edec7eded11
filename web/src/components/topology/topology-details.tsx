'use client';
// The side panel for a selected node, edge or collapsed group: its figures over the window, RED
// charts (a service's, or the calls along an edge), where it runs, and links onward (service
// page, traces, focus, open the group).
import Link from 'next/link';
import { $api } from '../../api/client';
import type { HealthStatus, TopologyEdge, TopologyNode } from '../../api/types';
import { formatDuration, formatPercent, formatRate } from '../../lib/format';
import { Icon } from '../common/icons';
import { QueryState } from '../common/query-state';
import { StatusBadge } from '../common/status-badge';
import { useTimeWindow } from '../frame/time-context';
import { useGlobalHref } from '../frame/url-state';
import { RedCharts } from '../services/red-panel';
import { useServiceRed } from '../services/use-red';
import type { DrawnEdge, GroupBy, GroupSummary } from './graph-model';

type Figures = Pick<TopologyNode, 'rate' | 'requests' | 'errors' | 'error_rate' | 'p50_ms' | 'p95_ms' | 'p99_ms'>;

/** Members of a group, or calls of a merged edge, listed at most. */
const LISTED = 12;

function FigureTable({ figures, worst = false }: { figures: Figures; worst?: boolean }) {
  const ms = (value: number | null) => (value === null ? '–' : formatDuration(value));
  // Merged figures cannot add quantiles: they show the worst member's, and only those known.
  const q = (label: string) => (worst ? `${label} (worst)` : label);
  const quantiles: [string, number | null][] = [
    ['p50', figures.p50_ms],
    ['p95', figures.p95_ms],
    ['p99', figures.p99_ms],
  ];
  const rows: [string, string][] = [
    ['Requests', `${formatRate(figures.rate)} (${figures.requests} in window)`],
    ['Errors', `${formatPercent(figures.error_rate)} (${figures.errors})`],
    ...quantiles
      .filter(([, value]) => !worst || value !== null)
      .map(([label, value]): [string, string] => [q(label), ms(value)]),
  ];
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-muted">{label}</dt>
          <dd className="tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ChartColumn(props: Parameters<typeof RedCharts>[0]) {
  return (
    <div className="[&_.grid]:grid-cols-1">
      <RedCharts {...props} />
    </div>
  );
}

function ServiceRed({ name }: { name: string }) {
  const red = useServiceRed(name);
  return (
    <QueryState query={red}>
      {(data) => <ChartColumn timestamps={data.timestamps} stepMs={data.step_ms} series={data.series} service={name} />}
    </QueryState>
  );
}

/** The calls along one edge over the window, from GET /topology/edges/red. */
function EdgeRed({ edge }: { edge: TopologyEdge }) {
  const { from, to } = useTimeWindow();
  const red = $api.useQuery('get', '/api/v1/topology/edges/red', {
    params: { query: { source: edge.source, target: edge.target, from, to } },
  });
  return (
    <section aria-label="Calls over time" data-testid="edge-red">
      <QueryState query={red}>
        {(data) => <ChartColumn timestamps={data.timestamps} stepMs={data.step_ms} series={data.series} />}
      </QueryState>
    </section>
  );
}

function Placement({ node }: { node: TopologyNode }) {
  if (node.namespaces.length === 0 && node.environments.length === 0) return null;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      {node.namespaces.length > 0 && (
        <>
          <dt className="text-muted">Namespace</dt>
          <dd className="truncate">{node.namespaces.join(', ')}</dd>
        </>
      )}
      {node.environments.length > 0 && (
        <>
          <dt className="text-muted">Environment</dt>
          <dd className="truncate">{node.environments.join(', ')}</dd>
        </>
      )}
    </dl>
  );
}

function NodeDetails({
  node,
  status,
  onFocus,
}: {
  node: TopologyNode;
  status: HealthStatus | undefined;
  onFocus(id: string): void;
}) {
  const href = useGlobalHref();
  return (
    <>
      {status && (
        <div>
          <StatusBadge status={status} />
        </div>
      )}
      <FigureTable figures={node} />
      <Placement node={node} />
      <div className="flex flex-wrap gap-3 text-sm">
        <button type="button" onClick={() => onFocus(node.id)} className="text-accent underline">
          Focus on its neighbours
        </button>
        {node.type === 'service' && (
          <>
            <Link href={href(`/services/${encodeURIComponent(node.name)}`)} className="text-accent underline">
              Service page
            </Link>
            <Link href={href(`/traces?service=${encodeURIComponent(node.name)}`)} className="text-accent underline">
              Traces
            </Link>
          </>
        )}
      </div>
      {node.type === 'service' ? (
        <ServiceRed name={node.name} />
      ) : (
        <p className="text-xs text-muted">Inferred from its callers' spans; it sends no telemetry of its own.</p>
      )}
    </>
  );
}

function GroupDetails({
  group,
  health,
  onOpen,
  onSelect,
}: {
  group: GroupSummary;
  health: Map<string, HealthStatus>;
  onOpen(): void;
  onSelect(id: string): void;
}) {
  const busiest = [...group.members].sort((a, b) => b.rate - a.rate).slice(0, LISTED);
  return (
    <>
      {group.health && (
        <div>
          <StatusBadge status={group.health} />
          <span className="ml-2 text-xs text-muted">worst of its services</span>
        </div>
      )}
      <FigureTable figures={{ ...group, p50_ms: null, p99_ms: null }} worst />
      <p className="text-xs text-muted">
        What its {group.members.filter((m) => m.type === 'service').length} services served
        {group.internalCalls > 0 && `, ${group.internalCalls} of it calls between them`}.
      </p>
      <div>
        <button type="button" onClick={onOpen} className="text-sm text-accent underline">
          Open the group ({group.members.length} nodes)
        </button>
      </div>
      <div>
        <h3 className="mb-1 text-xs font-medium uppercase tracking-wider text-muted">Busiest members</h3>
        <ul className="flex flex-col gap-0.5 text-sm">
          {busiest.map((member) => (
            <li key={member.id} className="flex items-center justify-between gap-2">
              <button type="button" onClick={() => onSelect(member.id)} className="truncate text-accent underline">
                {member.name}
              </button>
              <span className="shrink-0 text-xs tabular-nums text-muted">
                {formatRate(member.rate)} · {formatPercent(member.error_rate)}
                {member.type === 'service' && health.get(member.name) && ` · ${health.get(member.name)}`}
              </span>
            </li>
          ))}
        </ul>
        {group.members.length > LISTED && (
          <p className="mt-1 text-xs text-muted">and {group.members.length - LISTED} more</p>
        )}
      </div>
    </>
  );
}

function EdgeDetails({ edge, nodes }: { edge: DrawnEdge; nodes: Map<string, TopologyNode> }) {
  const href = useGlobalHref();
  const name = (id: string) => nodes.get(id)?.name ?? id;
  if (edge.members) {
    const busiest = [...edge.members].sort((a, b) => b.rate - a.rate).slice(0, LISTED);
    return (
      <>
        <FigureTable figures={edge} worst />
        <p className="text-xs text-muted">
          {edge.members.length} calls to or from a collapsed group; open it to see each call's charts.
        </p>
        <ul className="flex flex-col gap-0.5 text-sm">
          {busiest.map((member) => (
            <li key={`${member.source}->${member.target}`} className="flex justify-between gap-2">
              <span className="truncate">
                {name(member.source)} → {name(member.target)}
              </span>
              <span className="shrink-0 text-xs tabular-nums text-muted">
                {formatRate(member.rate)} · {formatPercent(member.error_rate)}
              </span>
            </li>
          ))}
        </ul>
      </>
    );
  }
  const caller = nodes.get(edge.source);
  return (
    <>
      <FigureTable figures={edge} />
      <p className="text-xs text-muted">Latency as the caller saw it.</p>
      <div className="flex flex-wrap gap-3 text-sm">
        <Link
          href={href(`/traces?service=${encodeURIComponent(caller?.name ?? edge.source)}`)}
          className="text-accent underline"
        >
          Traces from {caller?.name ?? edge.source}
        </Link>
        {caller?.type === 'service' && (
          <Link href={href(`/services/${encodeURIComponent(caller.name)}`)} className="text-accent underline">
            {caller.name} service page
          </Link>
        )}
      </div>
      <EdgeRed edge={edge} />
    </>
  );
}

export function TopologyDetails({
  node,
  group,
  groupBy,
  edge,
  nodes,
  health,
  onClose,
  onFocus,
  onSelect,
  onOpenGroup,
}: {
  node: TopologyNode | undefined;
  group: GroupSummary | undefined;
  groupBy: GroupBy | null;
  edge: DrawnEdge | undefined;
  nodes: Map<string, TopologyNode>;
  health: Map<string, HealthStatus>;
  onClose(): void;
  onFocus(id: string): void;
  onSelect(id: string): void;
  onOpenGroup(group: GroupSummary): void;
}) {
  const name = (id: string) => nodes.get(id)?.name ?? id.replace(/^group:[a-z]+:/, '');
  const title = node
    ? node.name
    : group
      ? group.name
      : edge
        ? `${name(edge.source)} → ${name(edge.target)}`
        : 'Not in this window';
  const kind = node ? node.type : group ? `${groupBy ?? 'group'} · collapsed` : edge ? `${edge.kind} call` : '';
  return (
    <aside
      aria-label="Selection"
      className="relative flex w-96 shrink-0 flex-col gap-3 overflow-y-auto rounded-lg border border-line bg-panel p-4"
    >
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="text-xs uppercase tracking-wider text-muted">{kind}</p>
          <h2 className="truncate text-base font-semibold">{title}</h2>
        </div>
        <button type="button" onClick={onClose} aria-label="Close the details" className="rounded p-1 hover:bg-raised">
          <Icon name="close" />
        </button>
      </div>
      {!node && !group && !edge && (
        <p className="text-sm text-muted">The selected element has no traffic in this time window.</p>
      )}
      {node && (
        <NodeDetails
          node={node}
          status={node.type === 'service' ? health.get(node.name) : undefined}
          onFocus={onFocus}
        />
      )}
      {group && <GroupDetails group={group} health={health} onOpen={() => onOpenGroup(group)} onSelect={onSelect} />}
      {edge && <EdgeDetails edge={edge} nodes={nodes} />}
    </aside>
  );
}
