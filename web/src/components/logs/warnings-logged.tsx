'use client';
// "Warnings and errors logged": the five most frequent patterns at warn and above (with the
// volume chart above them on the overview), for the whole fleet or one service, with links to
// all its patterns and to its records.
import Link from 'next/link';
import { useMemo } from 'react';
import { type LogFilters, logFilterParams, NO_LOG_FILTERS } from '../../lib/log-search';
import { patchQuery, toHref } from '../../lib/url';
import { Panel } from '../common/page-header';
import { useGlobalHref } from '../frame/url-state';
import { LogPatterns } from './log-patterns';
import { LogVolume } from './log-volume';

export function WarningsLoggedPanel({ service = '', volume = false }: { service?: string; volume?: boolean }) {
  const href = useGlobalHref();
  const filters = useMemo<LogFilters>(() => ({ ...NO_LOG_FILTERS, service, minSeverity: 'warn' }), [service]);
  const logs = patchQuery('', logFilterParams(filters));
  return (
    <Panel
      title="Warnings and errors logged"
      actions={
        <span className="flex gap-4 text-sm">
          <Link
            href={href(toHref('/logs', patchQuery(logs, { view: 'patterns' })))}
            className="text-accent hover:underline"
          >
            All patterns
          </Link>
          <Link href={href(toHref('/logs', logs))} className="text-accent hover:underline">
            Open in logs
          </Link>
        </span>
      }
    >
      {volume && <LogVolume filters={filters} />}
      <LogPatterns filters={filters} limit={5} compact emptyTitle="No warnings or errors logged" />
    </Panel>
  );
}
