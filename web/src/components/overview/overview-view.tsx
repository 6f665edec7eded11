'use client';
// What is wrong first: critical and flapping instances, services whose error rate or latency
// rose against the previous window, the slowest edges, warnings and errors logged over time;
// then fleet totals. Every item links to the page that explains it.
import { useQueries } from '@tanstack/react-query';
import Link from 'next/link';
import { $api } from '../../api/client';
import type { HealthStatus, ServiceDetail, ServiceSummary, Topology } from '../../api/types';
import { formatAgo, formatDuration, formatPercent, formatRate, formatTime } from '../../lib/format';
import { ERROR_RATE_FLOOR, findRegressions, hasBaseline, slowestEdges } from '../../lib/overview';
import { EmptyState } from '../common/empty-state';
import { PageHeader, Panel } from '../common/page-header';
import { ProblemView } from '../common/problem-view';
import { QueryState } from '../common/query-state';
import { SkeletonRows } from '../common/skeleton';
import { StatusBadge } from '../common/status-badge';
import { useTimeWindow } from '../frame/time-context';
import { useGlobalHref } from '../frame/url-state';
import { WarningsLoggedPanel } from '../logs/warnings-logged';

export function OverviewView() {
  const services = $api.useQuery('get', '/api/v1/services');
  return (
    <>
      <PageHeader title="Overview" description="What needs attention first, then the fleet as a whole." />
      <QueryState
        query={services}
        isEmpty={(data) => data.services.length === 0}
        empty={
          <Panel>
            <EmptyState title="No services are registered yet">
              Instrument a service with <code className="font-mono">@signalbox/agent</code> (it registers itself and
              sends traces and logs), or run <code className="font-mono">npm run demo</code> to see a demo fleet here.
            </EmptyState>
          </Panel>
        }
      >
        {(data) => <Overview services={data.services} />}
      </QueryState>
    </>
  );
}

function Overview({ services }: { services: readonly ServiceSummary[] }) {
  const { from, to } = useTimeWindow();
  const current = $api.useQuery('get', '/api/v1/topology', { params: { query: { from, to } } });
  const previous = $api.useQuery('get', '/api/v1/topology', {
    params: { query: { from: from - (to - from), to: from } },
  });
  return (
    <div className="flex flex-col gap-4">
      <ProblemInstances services={services} />
      <div className="grid grid-cols-2 gap-4">
        <Panel title="Rising error rate or latency">
          {current.error ? (
            <ProblemView error={current.error} />
          ) : !current.data || !previous.data ? (
            <SkeletonRows rows={3} />
          ) : (
            <Regressions now={current.data} before={previous.data} spanMs={to - from} />
          )}
        </Panel>
        <Panel title="Slowest calls (p95)">
          {current.error ? (
            <ProblemView error={current.error} />
          ) : !current.data ? (
            <SkeletonRows rows={3} />
          ) : (
            <SlowEdges topology={current.data} />
          )}
        </Panel>
      </div>
      <WarningsLoggedPanel volume />
      <FleetTotals services={services} topology={current.data} />
    </div>
  );
}

function ProblemInstances({ services }: { services: readonly ServiceSummary[] }) {
  const href = useGlobalHref();
  const { to: now } = useTimeWindow();
  const troubled = services.filter((s) => s.counts.critical + s.counts.warning > 0 || s.flapping > 0);
  const details = useQueries({
    queries: troubled.map((s) =>
      $api.queryOptions('get', '/api/v1/services/{name}', { params: { path: { name: s.name } } }),
    ),
  });
  const rank: Record<HealthStatus, number> = { critical: 0, warning: 1, unknown: 2, passing: 3 };
  const instances = details
    .flatMap((d) => (d.data as ServiceDetail | undefined)?.instances ?? [])
    .filter((i) => i.status === 'critical' || i.status === 'warning' || i.flapping)
    .sort((a, b) => rank[a.status] - rank[b.status] || b.status_since - a.status_since);
  const loading = details.some((d) => d.isPending);
  return (
    <Panel title={`Instances needing attention${instances.length ? ` (${instances.length})` : ''}`}>
      {troubled.length === 0 ? (
        <p className="px-4 py-3 text-sm text-emerald-700 dark:text-emerald-300">
          Every instance is passing its checks, and none is flapping.
        </p>
      ) : loading && instances.length === 0 ? (
        <SkeletonRows rows={Math.min(4, troubled.length)} />
      ) : (
        <ul className="divide-y divide-line/70">
          {instances.map((instance) => (
            <li key={instance.id} className="flex items-center gap-3 px-4 py-2 text-sm">
              <StatusBadge status={instance.status} />
              {instance.flapping && (
                <span className="text-xs font-medium text-amber-700 dark:text-amber-300">flapping</span>
              )}
              <Link
                href={href(
                  `/services/${encodeURIComponent(instance.service)}?instance=${encodeURIComponent(instance.id)}`,
                )}
                className="font-medium text-accent hover:underline"
              >
                {instance.service}
              </Link>
              <span className="font-mono text-xs text-muted">{instance.id}</span>
              <span className="min-w-0 flex-1 truncate text-muted" title={instance.status_reason ?? ''}>
                {instance.status_reason}
              </span>
              <span className="shrink-0 text-xs text-muted" title={formatTime(instance.status_since)}>
                since {formatAgo(instance.status_since, now)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

// `spanMs` is the window asked for: the answers' own bounds are widened to whole minutes.
function Regressions({ now, before, spanMs }: { now: Topology; before: Topology; spanMs: number }) {
  const href = useGlobalHref();
  const regressions = findRegressions(now.nodes, before.nodes);
  if (regressions.length === 0) {
    return (
      <p className="px-4 py-3 text-sm text-muted">
        {hasBaseline(before.nodes)
          ? `No service's error rate or p95 latency rose against the previous ${describeSpan(spanMs)}.`
          : `No service fails ${formatPercent(ERROR_RATE_FLOOR)} or more of its requests. The previous ${describeSpan(spanMs)} had too little traffic to compare latency with.`}
      </p>
    );
  }
  return (
    <ul className="divide-y divide-line/70">
      {regressions.slice(0, 8).map((r) => (
        <li key={`${r.kind}:${r.id}`} className="flex items-center justify-between gap-3 px-4 py-2 text-sm">
          <Link
            href={href(`/services/${encodeURIComponent(r.name)}`)}
            className="font-medium text-accent hover:underline"
          >
            {r.name}
          </Link>
          <span className="text-right tabular-nums">
            {r.kind === 'errors' ? (
              <>
                <span className="text-red-600 dark:text-red-400">{formatPercent(r.now)} errors</span>
                <span className="text-muted"> (was {r.before === null ? 'no traffic' : formatPercent(r.before)})</span>
              </>
            ) : (
              <>
                <span className="text-amber-700 dark:text-amber-300">p95 {formatDuration(r.now)}</span>
                <span className="text-muted"> (was {formatDuration(r.before ?? 0)})</span>
              </>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

function describeSpan(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? `${minutes} minutes` : `${Math.round(minutes / 60)} hours`;
}

function SlowEdges({ topology }: { topology: Topology }) {
  const href = useGlobalHref();
  const edges = slowestEdges(topology.edges);
  const names = new Map(topology.nodes.map((n) => [n.id, n.name]));
  if (edges.length === 0) {
    return <p className="px-4 py-3 text-sm text-muted">No calls between services were seen in this window.</p>;
  }
  return (
    <ul className="divide-y divide-line/70">
      {edges.map((edge) => (
        <li
          key={`${edge.source}->${edge.target}`}
          className="flex items-center justify-between gap-3 px-4 py-2 text-sm"
        >
          <Link
            href={href(
              `/topology?focus=${encodeURIComponent(edge.source)}&edge=${encodeURIComponent(`${edge.source}->${edge.target}`)}`,
            )}
            className="min-w-0 truncate text-accent hover:underline"
          >
            {names.get(edge.source) ?? edge.source} → {names.get(edge.target) ?? edge.target}
          </Link>
          <span className="shrink-0 tabular-nums">
            p95 <strong>{formatDuration(edge.p95_ms ?? 0)}</strong>
            <span className="text-muted"> · {formatRate(edge.rate)}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

function FleetTotals({ services, topology }: { services: readonly ServiceSummary[]; topology: Topology | undefined }) {
  const href = useGlobalHref();
  const instances = services.reduce((n, s) => n + s.instances, 0);
  const byStatus = (status: HealthStatus) => services.reduce((n, s) => n + s.counts[status], 0);
  const serviceNodes = topology?.nodes.filter((n) => n.type === 'service') ?? [];
  const requests = serviceNodes.reduce((n, s) => n + s.requests, 0);
  const errors = serviceNodes.reduce((n, s) => n + s.errors, 0);
  const rate = serviceNodes.reduce((n, s) => n + s.rate, 0);
  const tiles: { label: string; value: string; href: string; tone?: string }[] = [
    { label: 'Services', value: String(services.length), href: '/services' },
    { label: 'Instances', value: String(instances), href: '/services' },
    {
      label: 'Critical instances',
      value: String(byStatus('critical')),
      href: '/services?status=critical',
      tone: byStatus('critical') ? 'text-red-600 dark:text-red-400' : undefined,
    },
    {
      label: 'Warning instances',
      value: String(byStatus('warning')),
      href: '/services?status=warning',
      tone: byStatus('warning') ? 'text-amber-700 dark:text-amber-300' : undefined,
    },
    { label: 'Requests', value: topology ? formatRate(rate) : '…', href: '/topology' },
    {
      label: 'Error rate',
      value: topology ? (requests ? formatPercent(errors / requests) : '–') : '…',
      href: '/topology',
    },
  ];
  return (
    <Panel title="Fleet">
      <dl className="grid grid-cols-6 divide-x divide-line">
        {tiles.map((tile) => (
          <Link key={tile.label} href={href(tile.href)} className="px-4 py-3 hover:bg-raised/60">
            <dt className="text-xs uppercase tracking-wider text-muted">{tile.label}</dt>
            <dd className={`mt-1 text-2xl font-semibold tabular-nums ${tile.tone ?? ''}`}>{tile.value}</dd>
          </Link>
        ))}
      </dl>
    </Panel>
  );
}
