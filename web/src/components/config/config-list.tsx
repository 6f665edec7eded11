'use client';
// Every configured service and environment, and (for operators) a way to start a new one.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { $api } from '../../api/client';
import type { ConfigDocumentSummary } from '../../api/ops-types';
import { formatAgo } from '../../lib/format';
import { INPUT, PRIMARY_BUTTON } from '../access/action-dialog';
import { useAccess } from '../access/use-access';
import { type Column, DataTable } from '../common/data-table';
import { EmptyState } from '../common/empty-state';
import { PageHeader, Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Chip } from '../common/status-badge';
import { useTimeWindow } from '../frame/time-context';
import { useGlobalHref } from '../frame/url-state';

export function configHref(service: string, environment: string): string {
  return `/config/${encodeURIComponent(service)}/${encodeURIComponent(environment)}`;
}

export function ConfigList() {
  const documents = $api.useQuery('get', '/api/v1/config');
  const href = useGlobalHref();
  const now = useTimeWindow().to;
  const { can } = useAccess();
  const columns: Column<ConfigDocumentSummary>[] = [
    {
      key: 'service',
      header: 'Service',
      sortValue: (d) => d.service,
      cell: (d) => (
        <Link href={href(configHref(d.service, d.environment))} className="text-accent hover:underline">
          {d.service}
        </Link>
      ),
    },
    { key: 'environment', header: 'Environment', sortValue: (d) => d.environment, cell: (d) => d.environment },
    {
      key: 'latest',
      header: 'Latest',
      align: 'right',
      sortValue: (d) => d.latest_version,
      cell: (d) => `v${d.latest_version}`,
    },
    {
      key: 'stable',
      header: 'Fleet runs',
      align: 'right',
      cell: (d) =>
        d.active_rollout_id ? (
          <span title="A staged rollout is baking: the canary runs the latest version">
            v{d.stable_version} <Chip>canary v{d.latest_version}</Chip>
          </span>
        ) : (
          `v${d.stable_version}`
        ),
    },
    { key: 'schema', header: 'Schema', cell: (d) => (d.has_schema ? 'yes' : <span className="text-muted">none</span>) },
    {
      key: 'updated',
      header: 'Updated',
      align: 'right',
      sortValue: (d) => d.updated_at,
      cell: (d) => <span className="text-xs text-muted">{formatAgo(d.updated_at, now)}</span>,
    },
  ];
  return (
    <>
      <PageHeader
        title="Configuration"
        description="Versioned documents per service and environment, pushed to the agents"
      />
      <div className="flex flex-col gap-4">
        {can('operator') && <NewDocumentForm />}
        <Panel title="Documents">
          <QueryState
            query={documents}
            isEmpty={(d) => d.documents.length === 0}
            empty={
              <EmptyState title="No configuration published yet">
                Start one above with a service and an environment; agents of that service pick up each version within a
                second and acknowledge it.
              </EmptyState>
            }
          >
            {(data) => (
              <DataTable
                caption="Configuration documents"
                columns={columns}
                rows={data.documents}
                rowKey={(d) => `${d.service}/${d.environment}`}
                initialSort={{ key: 'service', direction: 'asc' }}
              />
            )}
          </QueryState>
        </Panel>
      </div>
    </>
  );
}

function NewDocumentForm() {
  const router = useRouter();
  const href = useGlobalHref();
  const services = $api.useQuery('get', '/api/v1/services');
  const [service, setService] = useState('');
  const [environment, setEnvironment] = useState('production');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (service.trim() && environment.trim()) router.push(href(configHref(service.trim(), environment.trim())));
  };
  return (
    <Panel title="Open or start a document">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3 p-4">
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Service
          <input
            required
            list="config-services"
            value={service}
            onChange={(event) => setService(event.target.value)}
            placeholder="orders"
            className={`${INPUT} w-48`}
          />
          <datalist id="config-services">
            {services.data?.services.map((s) => (
              <option key={s.name} value={s.name} />
            ))}
          </datalist>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Environment
          <input
            required
            value={environment}
            onChange={(event) => setEnvironment(event.target.value)}
            className={`${INPUT} w-40`}
          />
        </label>
        <button type="submit" className={PRIMARY_BUTTON}>
          Open
        </button>
      </form>
    </Panel>
  );
}
