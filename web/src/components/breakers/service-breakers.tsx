'use client';
// A service page's breakers: each breaker on each instance, with the commands for operators.
import Link from 'next/link';
import { useState } from 'react';
import { $api } from '../../api/client';
import { useAccess } from '../access/use-access';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { useGlobalHref } from '../frame/url-state';
import { BoardTable, flattenFleet } from './breakers-view';
import { CommandDialog, type CommandTarget } from './command-dialog';

export function ServiceBreakers({ name }: { name: string }) {
  const href = useGlobalHref();
  const fleet = $api.useQuery('get', '/api/v1/breakers', { params: { query: { service: name } } });
  const { can } = useAccess();
  const [target, setTarget] = useState<CommandTarget | null>(null);
  return (
    <Panel
      title="Circuit breakers"
      actions={
        <Link
          href={href(`/breakers?service=${encodeURIComponent(name)}`)}
          className="text-sm text-accent hover:underline"
        >
          Board and history
        </Link>
      }
    >
      <QueryState
        query={fleet}
        isEmpty={(d) => flattenFleet(d).length === 0}
        empty={
          <EmptyState title="No breakers reported">
            Wrap a downstream call in <code className="font-mono">agent.breaker()</code> and it shows here.
          </EmptyState>
        }
      >
        {(data) => <BoardTable rows={flattenFleet(data)} compact onCommand={can('operator') ? setTarget : undefined} />}
      </QueryState>
      <CommandDialog target={target} onClose={() => setTarget(null)} />
    </Panel>
  );
}
