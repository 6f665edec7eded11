'use client';
// The operator commands in force: what, where, why, who, until when, how many instances
// acknowledged; operators may end one early.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api } from '../../api/client';
import type { BreakerCommand } from '../../api/ops-types';
import { formatTime } from '../../lib/format';
import { ActionDialog, BUTTON, DANGER_BUTTON, INPUT } from '../access/action-dialog';
import { useAccess } from '../access/use-access';
import { type Column, DataTable } from '../common/data-table';
import { Panel } from '../common/page-header';

const ACTION_LABEL: Record<string, string> = { force_open: 'force open', force_closed: 'force closed', reset: 'reset' };

export function describeScope(c: Pick<BreakerCommand, 'scope' | 'service' | 'instance_id' | 'breaker'>): string {
  const where =
    c.scope === 'instance' ? `${c.service} / ${c.instance_id}` : c.scope === 'service' ? c.service : 'fleet';
  return `${c.breaker ?? 'all breakers'} · ${where}`;
}

export function ActiveCommands() {
  const commands = $api.useQuery('get', '/api/v1/breakers/commands', { params: { query: { status: 'active' } } });
  const { can } = useAccess();
  const [ending, setEnding] = useState<BreakerCommand | null>(null);
  const active = commands.data?.commands ?? [];
  if (active.length === 0) return null;

  const columns: Column<BreakerCommand>[] = [
    {
      key: 'action',
      header: 'Command',
      cell: (c) => <span className="font-medium">{ACTION_LABEL[c.action] ?? c.action}</span>,
    },
    { key: 'scope', header: 'Target', cell: (c) => <span className="font-mono text-xs">{describeScope(c)}</span> },
    { key: 'reason', header: 'Reason', cell: (c) => c.reason },
    { key: 'by', header: 'By', cell: (c) => c.created_by },
    { key: 'until', header: 'Until', cell: (c) => formatTime(c.expires_at) },
    {
      key: 'acks',
      header: 'Applied by',
      align: 'right',
      cell: (c) => `${c.acks.filter((a) => a.status === 'applied').length} instance(s)`,
    },
    ...(can('operator')
      ? [
          {
            key: 'end',
            header: <span className="sr-only">Actions</span>,
            align: 'right' as const,
            cell: (c: BreakerCommand) => (
              <button type="button" className={BUTTON} onClick={() => setEnding(c)}>
                End now…
              </button>
            ),
          },
        ]
      : []),
  ];
  return (
    <Panel title={`Commands in force (${active.length})`} className="border-violet-500/40">
      <div className="overflow-x-auto">
        <DataTable caption="Commands in force" columns={columns} rows={active} rowKey={(c) => c.id} />
      </div>
      <EndCommandDialog command={ending} onClose={() => setEnding(null)} />
    </Panel>
  );
}

function EndCommandDialog({ command, onClose }: { command: BreakerCommand | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const end = $api.useMutation('delete', '/api/v1/breakers/commands/{id}', {
    onSuccess: () => {
      void queryClient.invalidateQueries();
      end.reset();
      onClose();
    },
  });
  return (
    <ActionDialog open={command !== null} title="End the command now" onClose={onClose} error={end.error}>
      {command && (
        <form
          className="flex flex-col gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            end.mutate({ params: { path: { id: command.id } }, body: reason.trim() ? { reason: reason.trim() } : {} });
          }}
        >
          <p className="text-sm">
            The agents release {describeScope(command)} ({ACTION_LABEL[command.action]}, “{command.reason}”).
          </p>
          <label className="flex flex-col gap-1 text-xs font-medium text-muted">
            Reason (optional)
            <input value={reason} onChange={(event) => setReason(event.target.value)} className={INPUT} />
          </label>
          <div className="flex justify-end gap-2">
            <button type="button" className={BUTTON} onClick={onClose}>
              Keep it
            </button>
            <button type="submit" className={DANGER_BUTTON} disabled={end.isPending}>
              End now
            </button>
          </div>
        </form>
      )}
    </ActionDialog>
  );
}
