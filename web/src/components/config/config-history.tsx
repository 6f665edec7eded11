'use client';
// Every version, newest first. Selecting one (`v=` in the URL) shows what it changed from the
// version before it; operators can roll back to it, which publishes its content again as a new
// version after a confirm step showing what the rollback changes.
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { $api } from '../../api/client';
import type { ConfigVersion } from '../../api/ops-types';
import { formatTime } from '../../lib/format';
import { ActionDialog, BUTTON, INPUT, PRIMARY_BUTTON } from '../access/action-dialog';
import { type Column, DataTable } from '../common/data-table';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Chip } from '../common/status-badge';
import { useUrlState } from '../frame/url-state';
import { diffDocuments } from './config-diff';
import { DiffView } from './diff-view';

export function ConfigHistory({
  service,
  environment,
  latestVersion,
  canRollBack,
}: {
  service: string;
  environment: string;
  latestVersion: number;
  canRollBack: boolean;
}) {
  const { params, update } = useUrlState();
  const selected = Number(params.get('v') ?? Number.NaN);
  const path = { service, environment };
  const versions = $api.useQuery('get', '/api/v1/config/{service}/{environment}/versions', {
    params: { path, query: { limit: 100 } },
  });
  const [rollbackTo, setRollbackTo] = useState<ConfigVersion | null>(null);

  const list = versions.data?.versions ?? [];
  const current = list.find((v) => v.version === latestVersion);
  const chosen = list.find((v) => v.version === selected);
  const previous = chosen ? list.find((v) => v.version < chosen.version) : undefined;
  const chosenDiff = useMemo(
    () => (chosen ? diffDocuments(previous?.content ?? {}, chosen.content) : []),
    [chosen, previous],
  );

  const columns: Column<ConfigVersion>[] = [
    {
      key: 'version',
      header: 'Version',
      cell: (v) => (
        <button
          type="button"
          aria-pressed={v.version === selected}
          onClick={(event) => {
            event.stopPropagation();
            update({ v: v.version === selected ? null : v.version });
          }}
          className="font-mono text-xs text-accent hover:underline"
        >
          v{v.version}
        </button>
      ),
    },
    {
      key: 'message',
      header: 'Message',
      cell: (v) => (
        <span className="inline-flex flex-wrap items-center gap-1.5">
          {v.message}
          {v.restored_from !== null && <Chip>rollback to v{v.restored_from}</Chip>}
          {v.rollout_id !== null && <Chip title={`rollout ${v.rollout_id}`}>staged</Chip>}
        </span>
      ),
    },
    { key: 'author', header: 'Author', cell: (v) => v.author },
    {
      key: 'at',
      header: 'Published',
      align: 'right',
      cell: (v) => <span className="text-xs text-muted">{formatTime(v.created_at)}</span>,
    },
    ...(canRollBack
      ? [
          {
            key: 'rollback',
            header: <span className="sr-only">Actions</span>,
            align: 'right' as const,
            cell: (v: ConfigVersion) =>
              v.version === latestVersion ? (
                <span className="text-xs text-muted">current</span>
              ) : (
                <button
                  type="button"
                  className={BUTTON}
                  aria-label={`Roll back to v${v.version}…`}
                  onClick={(event) => {
                    event.stopPropagation();
                    setRollbackTo(v);
                  }}
                >
                  Roll back…
                </button>
              ),
          },
        ]
      : []),
  ];

  return (
    <Panel title="History">
      <QueryState
        query={versions}
        isEmpty={(d) => d.versions.length === 0}
        empty={<EmptyState title="No versions yet">The first publish creates v1.</EmptyState>}
      >
        {(data) => (
          <>
            <DataTable
              caption="Versions"
              columns={columns}
              rows={data.versions}
              rowKey={(v) => String(v.version)}
              onRowClick={(v) => update({ v: v.version === selected ? null : v.version })}
              selectedKey={chosen ? String(chosen.version) : null}
            />
            {chosen && (
              <div className="border-t border-line">
                <h3 className="px-3 pt-2 text-sm font-medium">
                  v{chosen.version} changed from {previous ? `v${previous.version}` : 'the empty document'}
                </h3>
                <DiffView lines={chosenDiff} label={`Changes in v${chosen.version}`} />
              </div>
            )}
          </>
        )}
      </QueryState>
      <RollbackDialog
        target={rollbackTo}
        current={current}
        path={path}
        latestVersion={latestVersion}
        onClose={() => setRollbackTo(null)}
      />
    </Panel>
  );
}

function RollbackDialog({
  target,
  current,
  path,
  latestVersion,
  onClose,
}: {
  target: ConfigVersion | null;
  current: ConfigVersion | undefined;
  path: { service: string; environment: string };
  latestVersion: number;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState('');
  const rollback = $api.useMutation('post', '/api/v1/config/{service}/{environment}/rollback', {
    onSuccess: () => {
      void queryClient.invalidateQueries();
      rollback.reset();
      setMessage('');
      onClose();
    },
  });
  const lines = useMemo(() => (target ? diffDocuments(current?.content ?? {}, target.content) : []), [target, current]);
  return (
    <ActionDialog
      open={target !== null}
      title={target ? `Roll back to v${target.version}` : 'Roll back'}
      onClose={onClose}
      error={rollback.error}
    >
      {target && (
        <form
          className="flex flex-col gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            rollback.mutate({
              params: { path },
              body: {
                base_version: latestVersion,
                to_version: target.version,
                ...(message.trim() ? { message: message.trim() } : {}),
              },
            });
          }}
        >
          <p className="text-sm">
            Publishes v{target.version}’s document again as v{latestVersion + 1}. What changes from v{latestVersion}:
          </p>
          <div className="max-h-64 overflow-auto rounded-md border border-line">
            <DiffView lines={lines} label="Changes the rollback makes" />
          </div>
          <label className="flex flex-col gap-1 text-xs font-medium text-muted">
            Message (optional)
            <input
              value={message}
              onChange={(event) => setMessage(event.target.value)}
              placeholder={`roll back to v${target.version}`}
              className={INPUT}
            />
          </label>
          <div className="flex justify-end gap-2">
            <button type="button" className={BUTTON} onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className={PRIMARY_BUTTON} disabled={rollback.isPending}>
              Confirm rollback
            </button>
          </div>
        </form>
      )}
    </ActionDialog>
  );
}
