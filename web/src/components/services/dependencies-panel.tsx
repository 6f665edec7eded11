'use client';
// Who calls this service (upstream) and what it calls (downstream), from the topology over the
// time window, each with its RED figures and a link to the peer.
import Link from 'next/link';
import { $api } from '../../api/client';
import type { TopologyEdge, TopologyNode } from '../../api/types';
import { formatDuration, formatPercent, formatRate } from '../../lib/format';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { useTimeWindow } from '../frame/time-context';
import { useGlobalHref } from '../frame/url-state';

function Peer({ node, id }: { node: TopologyNode | undefined; id: string }) {
  const href = useGlobalHref();
  if (node?.type === 'service' || !node) {
    return (
      <Link href={href(`/services/${encodeURIComponent(node?.name ?? id)}`)} className="text-accent hover:underline">
        {node?.name ?? id}
      </Link>
    );
  }
  return (
    <span>
      {node.name} <span className="text-xs text-muted">({node.type})</span>
    </span>
  );
}

function EdgeList({
  edges,
  peerOf,
  nodes,
}: {
  edges: TopologyEdge[];
  peerOf: (e: TopologyEdge) => string;
  nodes: Map<string, TopologyNode>;
}) {
  if (edges.length === 0) return <p className="px-4 py-3 text-sm text-muted">None in this window.</p>;
  return (
    <ul className="divide-y divide-line/70">
      {edges.map((edge) => (
        <li
          key={`${edge.source}->${edge.target}`}
          className="flex items-center justify-between gap-2 px-4 py-2 text-sm"
        >
          <span className="min-w-0 truncate">
            <Peer id={peerOf(edge)} node={nodes.get(peerOf(edge))} />
            {edge.kind === 'async' && <span className="ml-1 text-xs text-muted">async</span>}
          </span>
          <span className="flex shrink-0 gap-3 text-xs tabular-nums text-muted">
            <span>{formatRate(edge.rate)}</span>
            <span className={edge.error_rate > 0.01 ? 'text-red-600 dark:text-red-400' : ''}>
              {formatPercent(edge.error_rate)}
            </span>
            <span>p95 {edge.p95_ms === null ? '–' : formatDuration(edge.p95_ms)}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

export function DependenciesPanel({ name }: { name: string }) {
  const { from, to } = useTimeWindow();
  const topology = $api.useQuery('get', '/api/v1/topology', { params: { query: { from, to } } });
  return (
    <Panel title="Dependencies">
      <QueryState query={topology}>
        {(data) => {
          const nodes = new Map(data.nodes.map((n) => [n.id, n]));
          const upstream = data.edges.filter((e) => e.target === name).sort((a, b) => b.rate - a.rate);
          const downstream = data.edges.filter((e) => e.source === name).sort((a, b) => b.rate - a.rate);
          if (upstream.length === 0 && downstream.length === 0) {
            return (
              <EmptyState title="No calls seen in this window">
                Dependencies come from traces. Widen the time range, or check that the service sends spans to the OTLP
                receiver.
              </EmptyState>
            );
          }
          return (
            <div className="grid grid-cols-2 divide-x divide-line">
              <div>
                <h3 className="px-4 pt-3 text-xs font-medium uppercase tracking-wider text-muted">
                  Upstream (callers)
                </h3>
                <EdgeList edges={upstream} peerOf={(e) => e.source} nodes={nodes} />
              </div>
              <div>
                <h3 className="px-4 pt-3 text-xs font-medium uppercase tracking-wider text-muted">
                  Downstream (calls)
                </h3>
                <EdgeList edges={downstream} peerOf={(e) => e.target} nodes={nodes} />
              </div>
            </div>
          );
        }}
      </QueryState>
    </Panel>
  );
}
