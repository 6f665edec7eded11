'use client';
// One service: status and versions, RED charts (the whole service or one operation, chosen in
// the URL as `op=`), operations, instances with their history, dependencies, breakers, the
// warnings and errors it logged by pattern, configuration, timeline, recent traces.
import Link from 'next/link';
import { $api } from '../../api/client';
import type { ServiceRed } from '../../api/types';
import { formatDuration, formatPercent, formatRate } from '../../lib/format';
// Issue 7: the service's breakers, configuration version and timeline.
import { ServiceTimeline } from '../audit/service-timeline';
import { ServiceBreakers } from '../breakers/service-breakers';
import { type Column, DataTable } from '../common/data-table';
import { EmptyState } from '../common/empty-state';
import { PageHeader, Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Skeleton } from '../common/skeleton';
import { Sparkline } from '../common/sparkline';
import { Chip, StatusBadge } from '../common/status-badge';
import { ServiceConfig } from '../config/service-config';
import { useGlobalHref, useUrlState } from '../frame/url-state';
import { WarningsLoggedPanel } from '../logs/warnings-logged';
import { RecentTraces } from '../traces/recent-traces';
import { DependenciesPanel } from './dependencies-panel';
import { InstancesPanel } from './instances-panel';
import { RED_COLORS } from './red-colors';
import { RedCharts } from './red-panel';
import { describeCounts } from './services-view';
import { useServiceRed } from './use-red';

type Operation = ServiceRed['operations'][number];

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function ServiceView({ name }: { name: string }) {
  const href = useGlobalHref();
  const service = $api.useQuery('get', '/api/v1/services/{name}', { params: { path: { name } } });
  return (
    <>
      <PageHeader
        breadcrumb={
          <Link href={href('/services')} className="hover:underline">
            Services
          </Link>
        }
        title={name}
        description={
          service.data
            ? describeCounts({ counts: service.data.counts, instances: service.data.instances.length })
            : undefined
        }
        actions={
          service.data && (
            <>
              {service.data.versions.map((v) => (
                <Chip key={v.version ?? '-'} title={`${v.instances} instance(s)`}>
                  {v.version ?? 'unversioned'}
                </Chip>
              ))}
              <StatusBadge status={service.data.status} />
            </>
          )
        }
      />
      <div className="flex flex-col gap-4">
        <RedSection name={name} />
        <QueryState
          query={service}
          skeleton={
            <Panel title="Instances">
              <div className="p-3">
                <Skeleton className="h-24 w-full" />
              </div>
            </Panel>
          }
        >
          {(data) => <InstancesPanel instances={data.instances} />}
        </QueryState>
        <DependenciesPanel name={name} />
        <ServiceBreakers name={name} />
        <WarningsLoggedPanel service={name} />
        <div className="grid grid-cols-1 gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
          <ServiceConfig name={name} />
          <ServiceTimeline name={name} />
        </div>
        <div className="grid grid-cols-2 gap-4">
          <RecentTraces service={name} errorsOnly />
          <RecentTraces service={name} errorsOnly={false} />
        </div>
      </div>
    </>
  );
}

function RedSection({ name }: { name: string }) {
  const { params, update } = useUrlState();
  const red = useServiceRed(name);
  const selectedOp = params.get('op');
  return (
    <QueryState
      query={red}
      skeleton={
        <Panel title="Requests, errors, duration">
          <div className="grid grid-cols-3 gap-4 p-4">
            <Skeleton className="h-40" />
            <Skeleton className="h-40" />
            <Skeleton className="h-40" />
          </div>
        </Panel>
      }
    >
      {(data) => {
        if (sum(data.series.requests) === 0 && data.operations.length === 0) {
          return (
            <Panel title="Requests, errors, duration">
              <EmptyState title="No traffic in this window">
                RED figures come from this service's spans. Widen the time range, or check that it sends traces to the
                OTLP receiver.
              </EmptyState>
            </Panel>
          );
        }
        const operation = data.operations.find((o) => o.name === selectedOp);
        const columns: Column<Operation>[] = [
          {
            key: 'name',
            header: 'Operation',
            sortValue: (o) => o.name,
            cell: (o) => (
              <button
                type="button"
                aria-pressed={o.name === selectedOp}
                onClick={(event) => {
                  event.stopPropagation();
                  update({ op: o.name === selectedOp ? null : o.name });
                }}
                className="text-left font-mono text-xs text-accent hover:underline"
              >
                {o.name}
              </button>
            ),
          },
          { key: 'kind', header: 'Kind', cell: (o) => <span className="text-xs text-muted">{o.span_kind}</span> },
          {
            key: 'rate',
            header: 'Requests',
            align: 'right',
            sortValue: (o) => sum(o.series.requests),
            cell: (o) => (
              <span className="inline-flex items-center gap-2" style={{ color: RED_COLORS.rate }}>
                <Sparkline values={o.series.rate} label={`${o.name} requests per second`} width={64} />
                <span className="w-16 text-fg">
                  {formatRate(sum(o.series.requests) / ((data.to - data.from) / 1000))}
                </span>
              </span>
            ),
          },
          {
            key: 'errors',
            header: 'Errors',
            align: 'right',
            sortValue: (o) => sum(o.series.errors) / Math.max(1, sum(o.series.requests)),
            cell: (o) => formatPercent(sum(o.series.errors) / Math.max(1, sum(o.series.requests))),
          },
          {
            key: 'p95',
            header: 'p95 (latest)',
            align: 'right',
            sortValue: (o) => [...o.series.p95_ms].reverse().find((v) => v !== null) ?? 0,
            cell: (o) => {
              const latest = [...o.series.p95_ms].reverse().find((v) => v !== null);
              return latest === undefined || latest === null ? '–' : formatDuration(latest);
            },
          },
        ];
        return (
          <>
            <Panel
              title={
                operation ? (
                  <span>
                    Operation <code className="font-mono">{operation.name}</code>
                  </span>
                ) : (
                  'Requests, errors, duration'
                )
              }
              actions={
                operation && (
                  <button
                    type="button"
                    onClick={() => update({ op: null })}
                    className="text-sm text-accent hover:underline"
                  >
                    Show the whole service
                  </button>
                )
              }
            >
              <div className="p-4">
                <RedCharts
                  timestamps={data.timestamps}
                  stepMs={data.step_ms}
                  series={operation?.series ?? data.series}
                  service={name}
                  operation={operation?.name}
                />
              </div>
            </Panel>
            <Panel title={`Operations (${data.operations.length})`}>
              <DataTable
                caption="Operations"
                columns={columns}
                rows={data.operations}
                rowKey={(o) => `${o.span_kind}:${o.name}`}
                onRowClick={(o) => update({ op: o.name === selectedOp ? null : o.name })}
                selectedKey={operation ? `${operation.span_kind}:${operation.name}` : null}
              />
            </Panel>
          </>
        );
      }}
    </QueryState>
  );
}
