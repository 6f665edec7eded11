'use client';
// A service page's configuration: per environment, the version published and how many
// instances run it, each a link to the editor.
import Link from 'next/link';
import { $api } from '../../api/client';
import type { ConfigDocumentSummary } from '../../api/ops-types';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Chip } from '../common/status-badge';
import { useGlobalHref } from '../frame/url-state';
import { configHref } from './config-list';

export function ServiceConfig({ name }: { name: string }) {
  const documents = $api.useQuery('get', '/api/v1/config');
  const href = useGlobalHref();
  return (
    <Panel title="Configuration">
      <QueryState
        query={documents}
        isEmpty={(d) => !d.documents.some((doc) => doc.service === name)}
        empty={
          <EmptyState
            title="No configuration published"
            action={
              <Link href={href('/config')} className="text-sm text-accent hover:underline">
                Start one
              </Link>
            }
          >
            Publish a document for {name} and its agents receive it within a second.
          </EmptyState>
        }
      >
        {(data) => (
          <ul className="divide-y divide-line/70">
            {data.documents
              .filter((doc) => doc.service === name)
              .map((doc) => (
                <EnvironmentRow key={doc.environment} doc={doc} href={href(configHref(doc.service, doc.environment))} />
              ))}
          </ul>
        )}
      </QueryState>
    </Panel>
  );
}

function EnvironmentRow({ doc, href }: { doc: ConfigDocumentSummary; href: string }) {
  const drift = $api.useQuery('get', '/api/v1/config/{service}/{environment}/instances', {
    params: { path: { service: doc.service, environment: doc.environment } },
  });
  const live = drift.data?.instances.filter((i) => i.live) ?? [];
  const inSync = live.filter((i) => i.in_sync).length;
  return (
    <li className="flex flex-wrap items-center gap-2 px-4 py-2.5 text-sm">
      <Link href={href} className="font-medium text-accent hover:underline">
        {doc.environment}
      </Link>
      <Chip title="The latest version">v{doc.latest_version}</Chip>
      {doc.active_rollout_id && <Chip title="A staged rollout is baking">canary; stable v{doc.stable_version}</Chip>}
      <span className="ml-auto text-xs text-muted">
        {drift.data
          ? live.length === 0
            ? 'no live instance connected'
            : `${inSync} of ${live.length} instance(s) in sync`
          : '…'}
      </span>
    </li>
  );
}
