'use client';
// The services list: status first, instances, RED sparklines over the window, versions and
// environments. The name, status and environment filters live in the URL.
import Link from 'next/link';
import { type ReactNode, useMemo } from 'react';
import { $api } from '../../api/client';
import type { HealthStatus, ServiceSummary } from '../../api/types';
import { type Column, DataTable } from '../common/data-table';
import { EmptyState } from '../common/empty-state';
import { PageHeader, Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Chip, STATUS_ORDER, StatusBadge } from '../common/status-badge';
import { UrlSearchInput } from '../common/url-search-input';
import { UrlSelect, withAny } from '../common/url-select';
import { useGlobalHref, useUrlState } from '../frame/url-state';
import { RedCells } from './red-cells';

const STATUSES: readonly HealthStatus[] = ['critical', 'warning', 'unknown', 'passing'];

export function describeCounts(service: Pick<ServiceSummary, 'counts' | 'instances'>): string {
  const parts = STATUSES.filter((s) => service.counts[s] > 0).map((s) => `${service.counts[s]} ${s}`);
  return parts.join(', ') || 'no live instances';
}

export function ServicesView() {
  const { params, update } = useUrlState();
  const href = useGlobalHref();
  const query = $api.useQuery('get', '/api/v1/services');
  const filter = (params.get('q') ?? '').trim().toLowerCase();
  const status = params.get('status') as HealthStatus | null;
  const environment = params.get('env');
  // The environments the fleet runs in, for the filter, and the chosen one even when no live
  // instance runs there any more (so the select still shows what the URL says).
  const environments = useMemo(() => {
    const named = (query.data?.services ?? []).flatMap((s) => s.environments.map((e) => e.environment));
    return [...new Set([...named, environment].filter(isNamed))].sort();
  }, [query.data, environment]);

  const columns = useMemo<Column<ServiceSummary>[]>(
    () => [
      {
        key: 'name',
        header: 'Service',
        sortValue: (s) => s.name,
        cell: (s) => (
          <div className="flex items-center gap-2">
            <Link
              href={href(`/services/${encodeURIComponent(s.name)}`)}
              className="font-medium text-accent hover:underline"
            >
              {s.name}
            </Link>
            {s.flapping > 0 && (
              <span className="rounded bg-amber-500/15 px-1.5 text-xs text-amber-800 dark:text-amber-300">
                {s.flapping} flapping
              </span>
            )}
          </div>
        ),
      },
      {
        key: 'status',
        header: 'Status',
        sortValue: (s) => STATUS_ORDER[s.status],
        cell: (s) => (
          <div className="flex flex-col items-start gap-0.5">
            <StatusBadge status={s.status} />
            <span className="text-xs text-muted">{describeCounts(s)}</span>
          </div>
        ),
      },
      {
        key: 'instances',
        header: 'Instances',
        align: 'right',
        sortValue: (s) => s.instances,
        cell: (s) => s.instances,
      },
      {
        key: 'red',
        header: (
          <span className="flex justify-end gap-4 pr-1">
            <span className="w-32 text-right">Requests</span>
            <span className="w-28 text-right">Errors</span>
            <span className="w-32 text-right">p95</span>
          </span>
        ),
        align: 'right',
        cell: (s) => (
          <div className="flex justify-end">
            <RedCells name={s.name} />
          </div>
        ),
      },
      {
        key: 'versions',
        header: 'Versions',
        cell: (s) => <CountChips entries={s.versions.map((v) => [v.version, v.instances])} unnamed="unversioned" />,
      },
      {
        key: 'environments',
        header: 'Environments',
        cell: (s) => (
          <CountChips
            entries={s.environments.map((e) => [e.environment, e.instances])}
            unnamed={<span className="text-muted">none</span>}
          />
        ),
      },
    ],
    [href],
  );

  return (
    <>
      <PageHeader title="Services" description="Every service with live instances, worst first." />
      <Panel
        title={
          <div className="flex items-center gap-3">
            <UrlSearchInput
              id="service-filter"
              label="Filter services by name"
              param="q"
              className="w-64 rounded-md border border-line bg-canvas px-2.5 py-1 text-sm font-normal"
            />
            <UrlSelect
              id="status-filter"
              label="Status"
              param="status"
              value={status ?? ''}
              options={withAny('Any status', STATUSES)}
              className="bg-canvas py-1"
            />
            {environments.length > 0 && (
              <UrlSelect
                id="environment-filter"
                label="Environment"
                param="env"
                value={environment ?? ''}
                options={withAny('Any environment', environments)}
                className="bg-canvas py-1"
              />
            )}
          </div>
        }
      >
        <QueryState
          query={query}
          isEmpty={(data) => data.services.length === 0}
          empty={
            <EmptyState title="No services yet">
              Services appear when an instance registers: start one with the Signalbox agent (
              <code className="font-mono">@signalbox/agent</code>), or POST it to{' '}
              <code className="font-mono">/api/v1/instances</code>. <code className="font-mono">npm run demo</code>{' '}
              starts a demo fleet.
            </EmptyState>
          }
        >
          {(data) => {
            const rows = data.services.filter(
              (s) =>
                (!filter || s.name.toLowerCase().includes(filter)) &&
                (!status || s.status === status) &&
                (!environment || s.environments.some((e) => e.environment === environment)),
            );
            if (rows.length === 0) {
              return (
                <EmptyState
                  title="No service matches"
                  action={
                    <button
                      type="button"
                      onClick={() => update({ q: null, status: null, env: null })}
                      className="text-accent underline"
                    >
                      Clear the filters
                    </button>
                  }
                >
                  {data.services.length} services are registered; none matches the filter.
                </EmptyState>
              );
            }
            return (
              <DataTable
                caption="Services"
                columns={columns}
                rows={rows}
                rowKey={(s) => s.name}
                initialSort={{ key: 'status', direction: 'asc' }}
              />
            );
          }}
        </QueryState>
      </Panel>
    </>
  );
}

function isNamed(environment: string | null): environment is string {
  return environment !== null;
}

/** Instances counted by version or environment: one chip each, with its count when there are several. */
function CountChips({ entries, unnamed }: { entries: Array<[string | null, number]>; unnamed: ReactNode }) {
  return (
    <div className="flex flex-wrap gap-1">
      {entries.map(([name, instances]) => (
        <Chip key={name ?? '-'} title={`${instances} instance(s)`}>
          {name ?? unnamed}
          {entries.length > 1 && <span className="ml-1 text-muted">×{instances}</span>}
        </Chip>
      ))}
    </div>
  );
}
