'use client';
// One service's configuration in one environment: the editor (with the current document), the
// history with rollback, the instances and their drift, and the staged rollout when one bakes.
import Link from 'next/link';
import { $api } from '../../api/client';
import { toProblem } from '../../api/problem';
import { useAccess } from '../access/use-access';
import { PageHeader, Panel } from '../common/page-header';
import { ProblemView } from '../common/problem-view';
import { Skeleton } from '../common/skeleton';
import { Chip } from '../common/status-badge';
import { useGlobalHref, useUrlState } from '../frame/url-state';
import { ConfigDrift } from './config-drift';
import { ConfigEditor } from './config-editor';
import { ConfigHistory } from './config-history';
import { RolloutHistory } from './rollout-history';
import { RolloutPanel } from './rollout-panel';

export function ConfigView({ service, environment }: { service: string; environment: string }) {
  const href = useGlobalHref();
  const { can } = useAccess();
  const { params } = useUrlState();
  const path = { service, environment };
  const doc = $api.useQuery('get', '/api/v1/config/{service}/{environment}', { params: { path } });
  // The API's error type is not declared (only 2xx responses are), so it is unknown here.
  const error: unknown = doc.error;
  // 404: nothing published for this service and environment yet; the editor starts it.
  const missing = error !== null && toProblem(error).status === 404;
  const latest = doc.data?.latest_version ?? 0;
  // The rollout chosen in the history (`rollout=`), else the one baking now.
  const rolloutId = params.get('rollout') ?? doc.data?.active_rollout_id ?? null;

  return (
    <>
      <PageHeader
        breadcrumb={
          <Link href={href('/config')} className="hover:underline">
            Configuration
          </Link>
        }
        title={
          <>
            {service} <span className="font-normal text-muted">/ {environment}</span>
          </>
        }
        description={
          <>
            <Link href={href(`/services/${encodeURIComponent(service)}`)} className="text-accent hover:underline">
              Service page
            </Link>
            {missing && ' · nothing published yet'}
          </>
        }
        actions={
          doc.data && (
            <>
              <Chip title="The latest version">v{doc.data.latest_version}</Chip>
              {doc.data.stable_version !== doc.data.latest_version && (
                <Chip title="What instances outside the canary run">stable v{doc.data.stable_version}</Chip>
              )}
              <Chip>{doc.data.schema ? 'schema' : 'no schema'}</Chip>
            </>
          )
        }
      />
      {doc.data?.active_rollout_id && (
        <p
          role="status"
          className="mb-4 rounded-md border border-sky-500/40 bg-sky-500/8 px-3 py-2 text-sm text-sky-800 dark:text-sky-300"
        >
          Staged rollout <code className="font-mono">{doc.data.active_rollout_id}</code> is baking: its canary runs v
          {doc.data.latest_version}, every other instance v{doc.data.stable_version}. The canary instances are marked
          below.
        </p>
      )}
      {error !== null && !missing ? (
        <ProblemView error={error} onRetry={() => void doc.refetch()} />
      ) : doc.isPending && !missing ? (
        <Panel title="Document">
          <div className="p-4">
            <Skeleton className="h-64 w-full" />
          </div>
        </Panel>
      ) : (
        <div className="flex flex-col gap-4">
          <div className="grid grid-cols-1 gap-4 2xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
            <ConfigEditor
              source={{
                service,
                environment,
                latestVersion: latest,
                content: doc.data?.content,
                schema: doc.data?.schema ?? null,
              }}
              canPublish={can('operator')}
            />
            <ConfigHistory
              service={service}
              environment={environment}
              latestVersion={latest}
              canRollBack={can('operator')}
            />
          </div>
          {rolloutId && (
            <RolloutPanel service={service} environment={environment} id={rolloutId} canDecide={can('operator')} />
          )}
          <ConfigDrift service={service} environment={environment} />
          <RolloutHistory service={service} environment={environment} />
        </div>
      )}
    </>
  );
}
