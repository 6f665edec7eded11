'use client';
// The audit log: who changed what, when, why, before and after. Filters, the page (`cursor=`)
// and the expanded entry (`entry=`) live in the URL with the time window, so any slice of the
// log is a link. An expanded entry shows its before/after as a structured diff.
import Link from 'next/link';
import { type FormEvent, Fragment, useMemo } from 'react';
import { $api } from '../../api/client';
import type { AuditEntry, AuditQuery } from '../../api/ops-types';
import { formatTime } from '../../lib/format';
import { BUTTON, INPUT, PRIMARY_BUTTON } from '../access/action-dialog';
import { EmptyState } from '../common/empty-state';
import { PageHeader, Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Chip } from '../common/status-badge';
import { diffDocuments } from '../config/config-diff';
import { DiffView } from '../config/diff-view';
import { useTimeWindow } from '../frame/time-context';
import { useGlobalHref, useUrlState } from '../frame/url-state';

const FILTERS = ['action', 'actor', 'service', 'target_type'] as const;
const ACTION_SUGGESTIONS = [
  'config.*',
  'config.publish',
  'config.rollback',
  'breaker.*',
  'token.*',
  'token.create',
  'token.revoke',
  'rollout.*',
];

export function AuditView() {
  const { params, update } = useUrlState();
  const { from, to } = useTimeWindow();
  const cursor = params.get('cursor');
  const expanded = params.get('entry');
  const query: AuditQuery = { from, to, limit: 50 };
  for (const key of FILTERS) {
    const value = params.get(key);
    if (value) query[key] = value;
  }
  if (cursor) query.cursor = cursor;
  const audit = $api.useQuery('get', '/api/v1/audit', { params: { query } });
  const filtered = FILTERS.some((key) => params.get(key));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const patch: Record<string, string | null> = { cursor: null, entry: null };
    for (const key of FILTERS) patch[key] = String(form.get(key) ?? '').trim() || null;
    update(patch);
  };

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change to the fleet and to access, newest first, in the time window"
      />
      <div className="flex flex-col gap-4">
        <Panel>
          <form
            key={FILTERS.map((k) => params.get(k)).join('|')}
            onSubmit={submit}
            aria-label="Filter the audit log"
            className="flex flex-wrap items-end gap-3 p-4"
          >
            <label className="flex flex-col gap-1 text-xs font-medium text-muted">
              Action
              <input
                name="action"
                list="audit-actions"
                defaultValue={params.get('action') ?? ''}
                placeholder="config.*"
                className={`${INPUT} w-44 font-mono`}
              />
              <datalist id="audit-actions">
                {ACTION_SUGGESTIONS.map((a) => (
                  <option key={a} value={a} />
                ))}
              </datalist>
            </label>
            <label className="flex flex-col gap-1 text-xs font-medium text-muted">
              Actor
              <input
                name="actor"
                defaultValue={params.get('actor') ?? ''}
                placeholder="token name or id"
                className={`${INPUT} w-44`}
              />
            </label>
            <label className="flex flex-col gap-1 text-xs font-medium text-muted">
              Service
              <input name="service" defaultValue={params.get('service') ?? ''} className={`${INPUT} w-40`} />
            </label>
            <label className="flex flex-col gap-1 text-xs font-medium text-muted">
              Target type
              <input
                name="target_type"
                defaultValue={params.get('target_type') ?? ''}
                placeholder="config, breaker, token"
                className={`${INPUT} w-40`}
              />
            </label>
            <button type="submit" className={PRIMARY_BUTTON}>
              Filter
            </button>
            {filtered && (
              <button
                type="button"
                className={BUTTON}
                onClick={() => update({ action: null, actor: null, service: null, target_type: null, cursor: null })}
              >
                Clear
              </button>
            )}
          </form>
        </Panel>
        <Panel
          title="Entries"
          actions={
            cursor && (
              <button
                type="button"
                className="text-sm text-accent hover:underline"
                onClick={() => update({ cursor: null })}
              >
                Back to the newest
              </button>
            )
          }
        >
          <QueryState
            query={audit}
            isEmpty={(d) => d.entries.length === 0}
            empty={
              <EmptyState title={filtered ? 'No entry matches these filters' : 'No changes in this window'}>
                {filtered
                  ? 'Clear the filters or widen the time range.'
                  : 'Publishing configuration, breaker commands and token changes are recorded here. Widen the time range to look further back.'}
              </EmptyState>
            }
          >
            {(data) => (
              <>
                <AuditTable
                  entries={data.entries}
                  expanded={expanded}
                  onToggle={(id) => update({ entry: id === expanded ? null : id }, { history: 'replace' })}
                />
                {data.next_cursor && (
                  <div className="flex justify-center border-t border-line p-3">
                    <button
                      type="button"
                      className={BUTTON}
                      onClick={() => update({ cursor: data.next_cursor, entry: null })}
                    >
                      Older entries
                    </button>
                  </div>
                )}
              </>
            )}
          </QueryState>
        </Panel>
      </div>
    </>
  );
}

export function AuditTable({
  entries,
  expanded,
  onToggle,
}: {
  entries: readonly AuditEntry[];
  expanded: string | null;
  onToggle: (id: string) => void;
}) {
  const href = useGlobalHref();
  return (
    <table className="w-full border-collapse text-sm">
      <caption className="sr-only">Audit entries</caption>
      <thead>
        <tr className="border-b border-line text-left text-xs uppercase tracking-wider text-muted">
          <th scope="col" className="px-3 py-2 font-medium">
            When
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Who
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Action
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Target
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Service
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Reason
          </th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => {
          const id = String(entry.id);
          const open = expanded === id;
          return (
            <Fragment key={id}>
              <tr className={`border-b border-line/70 ${open ? 'bg-accent/8' : ''}`}>
                <td className="px-3 py-2 tabular-nums">
                  <button
                    type="button"
                    aria-expanded={open}
                    onClick={() => onToggle(id)}
                    className="inline-flex items-center gap-1 text-left text-accent hover:underline"
                  >
                    <span aria-hidden="true">{open ? '▾' : '▸'}</span>
                    {formatTime(entry.at)}
                  </button>
                </td>
                <td className="px-3 py-2">
                  {entry.actor.name} <span className="text-xs text-muted">({entry.actor.kind})</span>
                </td>
                <td className="px-3 py-2">
                  <Chip>{entry.action}</Chip>
                </td>
                <td className="px-3 py-2 font-mono text-xs">
                  {entry.target_type}/{entry.target_id}
                </td>
                <td className="px-3 py-2">
                  {entry.service ? (
                    <Link
                      href={href(`/services/${encodeURIComponent(entry.service)}`)}
                      className="text-accent hover:underline"
                    >
                      {entry.service}
                    </Link>
                  ) : (
                    <span className="text-muted">–</span>
                  )}
                </td>
                <td className="px-3 py-2 text-xs">{entry.reason ?? <span className="text-muted">–</span>}</td>
              </tr>
              {open && (
                <tr className="border-b border-line/70 bg-raised/40">
                  <td colSpan={6} className="px-3 py-2">
                    <BeforeAfter entry={entry} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}

function BeforeAfter({ entry }: { entry: AuditEntry }) {
  const lines = useMemo(() => diffDocuments(entry.before ?? null, entry.after ?? null), [entry]);
  return (
    <div className="grid grid-cols-1 gap-3 xl:grid-cols-2">
      <div>
        <h3 className="mb-1 text-xs font-medium uppercase tracking-wider text-muted">What changed</h3>
        <DiffView lines={lines} label={`Changes of audit entry ${entry.id}`} />
      </div>
      <div className="grid grid-cols-2 gap-2">
        {(['before', 'after'] as const).map((side) => (
          <div key={side} className="min-w-0">
            <h3 className="mb-1 text-xs font-medium uppercase tracking-wider text-muted">{side}</h3>
            <pre className="max-h-64 overflow-auto rounded bg-canvas p-2 font-mono text-xs">
              {entry[side] === null || entry[side] === undefined ? 'none' : JSON.stringify(entry[side], null, 2)}
            </pre>
          </div>
        ))}
      </div>
    </div>
  );
}
