'use client';
// API tokens, for admins: the list (revoked ones on request, `revoked=1` in the URL), a form
// that creates one and shows the token exactly once, and revocation with a confirm step.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { $api } from '../../api/client';
import type { ApiToken, CreatedToken, Role } from '../../api/ops-types';
import { formatAgo, formatTime } from '../../lib/format';
import { ActionDialog, BUTTON, DANGER_BUTTON, INPUT, PRIMARY_BUTTON } from '../access/action-dialog';
import { useAccess } from '../access/use-access';
import { type Column, DataTable } from '../common/data-table';
import { EmptyState } from '../common/empty-state';
import { PageHeader, Panel } from '../common/page-header';
import { ProblemView } from '../common/problem-view';
import { QueryState } from '../common/query-state';
import { SkeletonRows } from '../common/skeleton';
import { Chip } from '../common/status-badge';
import { useTimeWindow } from '../frame/time-context';
import { useUrlState } from '../frame/url-state';

const ROLES: { value: Role; hint: string }[] = [
  { value: 'viewer', hint: 'reads everything' },
  { value: 'operator', hint: 'also breaker commands, config publish, rollouts' },
  { value: 'admin', hint: 'also tokens and settings' },
];
const LIFETIMES = [
  { value: '', label: 'until revoked' },
  { value: '24h', label: '1 day' },
  { value: '720h', label: '30 days' },
  { value: '2160h', label: '90 days' },
];

export function TokensView() {
  const access = useAccess();
  if (access.isPending) return <SkeletonRows />;
  if (!access.can('admin')) {
    return (
      <>
        <PageHeader title="API tokens" />
        <Panel>
          <EmptyState title="Only admins manage tokens">
            You are signed in as {access.who?.name ?? 'unknown'} ({access.who?.role ?? 'no role'}). Ask an admin for a
            token, or sign in with an admin token.
          </EmptyState>
        </Panel>
      </>
    );
  }
  return <AdminTokens />;
}

function AdminTokens() {
  const { params, update } = useUrlState();
  const includeRevoked = params.get('revoked') === '1';
  const now = useTimeWindow().to;
  const tokens = $api.useQuery('get', '/api/v1/tokens', { params: { query: { include_revoked: includeRevoked } } });
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const columns: Column<ApiToken>[] = [
    {
      key: 'name',
      header: 'Name',
      sortValue: (t) => t.name,
      cell: (t) => <span className="font-medium">{t.name}</span>,
    },
    { key: 'id', header: 'Id', cell: (t) => <span className="font-mono text-xs">sbx_{t.id}…</span> },
    { key: 'role', header: 'Role', sortValue: (t) => t.role, cell: (t) => <Chip>{t.role}</Chip> },
    { key: 'by', header: 'Created by', cell: (t) => t.created_by },
    {
      key: 'created',
      header: 'Created',
      sortValue: (t) => t.created_at,
      cell: (t) => <span className="text-xs">{formatTime(t.created_at)}</span>,
    },
    {
      key: 'expires',
      header: 'Expires',
      cell: (t) => (t.expires_at === null ? <span className="text-muted">never</span> : formatTime(t.expires_at)),
    },
    {
      key: 'used',
      header: 'Last used',
      cell: (t) =>
        t.last_used_at === null ? <span className="text-muted">never</span> : formatAgo(t.last_used_at, now),
    },
    {
      key: 'revoke',
      header: <span className="sr-only">Actions</span>,
      align: 'right',
      cell: (t) =>
        t.revoked_at !== null ? (
          <span className="text-xs text-red-700 dark:text-red-300">
            revoked {formatTime(t.revoked_at)}
            {t.revoked_by ? ` by ${t.revoked_by}` : ''}
          </span>
        ) : (
          <button type="button" className={BUTTON} onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>
            Revoke…
          </button>
        ),
    },
  ];

  return (
    <>
      <PageHeader title="API tokens" description="Tokens for people and automation; stored hashed, shown once" />
      <div className="flex flex-col gap-4">
        {created ? (
          <CreatedOnce token={created} onDone={() => setCreated(null)} />
        ) : (
          <CreateForm onCreated={setCreated} />
        )}
        <Panel
          title="Tokens"
          actions={
            <label className="flex items-center gap-1.5 text-sm text-muted">
              <input
                type="checkbox"
                checked={includeRevoked}
                onChange={(event) => update({ revoked: event.target.checked ? '1' : null }, { history: 'replace' })}
              />
              Show revoked
            </label>
          }
        >
          <QueryState
            query={tokens}
            isEmpty={(d) => d.tokens.length === 0}
            empty={<EmptyState title="No API tokens yet">Create the first one above.</EmptyState>}
          >
            {(data) => <DataTable caption="API tokens" columns={columns} rows={data.tokens} rowKey={(t) => t.id} />}
          </QueryState>
        </Panel>
      </div>
      <RevokeDialog token={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}

function CreateForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [lifetime, setLifetime] = useState('');
  const create = $api.useMutation('post', '/api/v1/tokens', {
    onSuccess: (token) => {
      void queryClient.invalidateQueries();
      setName('');
      onCreated(token);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ body: { name: name.trim(), role, ...(lifetime ? { expires_in: lifetime } : {}) } });
  };
  return (
    <Panel title="Create a token">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3 p-4">
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Name (who or what uses it)
          <input
            required
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="ci-deploy"
            className={`${INPUT} w-56`}
          />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Role
          <select value={role} onChange={(event) => setRole(event.target.value as Role)} className={INPUT}>
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.value} — {r.hint}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Lifetime
          <select value={lifetime} onChange={(event) => setLifetime(event.target.value)} className={INPUT}>
            {LIFETIMES.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={PRIMARY_BUTTON} disabled={!name.trim() || create.isPending}>
          Create token
        </button>
      </form>
      {create.isError ? <ProblemView error={create.error as unknown} /> : null}
    </Panel>
  );
}

function CreatedOnce({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section aria-label="New token" className="rounded-lg border border-emerald-500/50 bg-emerald-500/8 p-4 text-sm">
      <p className="font-medium">
        Token “{token.name}” ({token.role}) created. Copy it now: it is shown this once and only its hash is kept.
      </p>
      <div className="mt-2 flex items-center gap-2">
        <code
          data-testid="new-token"
          className="min-w-0 flex-1 break-all rounded bg-canvas px-2 py-1.5 font-mono text-xs"
        >
          {token.token}
        </code>
        <button
          type="button"
          className={BUTTON}
          onClick={() => {
            void navigator.clipboard?.writeText(token.token).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className={PRIMARY_BUTTON} onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}

function RevokeDialog({ token, onClose }: { token: ApiToken | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const revoke = $api.useMutation('delete', '/api/v1/tokens/{id}', {
    onSuccess: () => {
      void queryClient.invalidateQueries();
      revoke.reset();
      setReason('');
      onClose();
    },
  });
  return (
    <ActionDialog open={token !== null} title="Revoke token" onClose={onClose} error={revoke.error}>
      {token && (
        <form
          className="flex flex-col gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            revoke.mutate({
              params: { path: { id: token.id }, query: reason.trim() ? { reason: reason.trim() } : {} },
            });
          }}
        >
          <p className="text-sm">
            “{token.name}” ({token.role}) is refused from now on. Whatever uses it stops working.
          </p>
          <label className="flex flex-col gap-1 text-xs font-medium text-muted">
            Reason (for the audit log)
            <input value={reason} onChange={(event) => setReason(event.target.value)} className={INPUT} />
          </label>
          <div className="flex justify-end gap-2">
            <button type="button" className={BUTTON} onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className={DANGER_BUTTON} disabled={revoke.isPending}>
              Revoke
            </button>
          </div>
        </form>
      )}
    </ActionDialog>
  );
}
