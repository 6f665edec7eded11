'use client';
// One log record: time, severity (coloured), service, body; expands to its attributes and
// resource, with a link to its trace and span.
import Link from 'next/link';
import { memo, useEffect, useRef, useState } from 'react';
import type { LogRecord } from '../../api/types';
import { formatTime } from '../../lib/format';
import { logContextHref } from '../../lib/log-search';
import { serviceColor } from '../../lib/service-color';
import { AttributeTable } from '../common/attribute-table';
import { Severity } from '../common/severity';
import { useGlobalHref } from '../frame/url-state';

export type TailRecord = Omit<LogRecord, 'id'> & { id?: number };

export const LogLine = memo(function LogLine({ log, focused = false }: { log: TailRecord; focused?: boolean }) {
  const [open, setOpen] = useState(false);
  const href = useGlobalHref();
  const item = useRef<HTMLLIElement>(null);
  // The record "show in context" opened the page for: brought into view once.
  useEffect(() => {
    if (focused) item.current?.scrollIntoView({ block: 'center' });
  }, [focused]);
  return (
    <li
      ref={item}
      aria-current={focused || undefined}
      className={`px-3 py-1 text-xs ${focused ? 'bg-amber-200/60 dark:bg-amber-400/20' : 'hover:bg-raised/50'}`}
      data-testid="log-line"
    >
      <div className="flex items-baseline gap-2">
        <time className="w-32 shrink-0 font-mono text-muted" suppressHydrationWarning>
          {formatTime(log.time_at)}
        </time>
        <Severity number={log.severity_number} text={log.severity_text} />
        <span
          className="w-28 shrink-0 truncate font-medium"
          style={{ color: serviceColor(log.service) }}
          title={log.service}
        >
          {log.service}
        </span>
        <button
          type="button"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          className="min-w-0 flex-1 whitespace-pre-wrap break-words text-left font-mono"
        >
          {log.body}
        </button>
        {log.trace_id && (
          <Link
            href={href(`/traces/${log.trace_id}${log.span_id ? `?span=${log.span_id}` : ''}`)}
            className="shrink-0 text-accent hover:underline"
            aria-label={`Open the trace of this log record (${log.trace_id})`}
          >
            trace
          </Link>
        )}
      </div>
      {open && (
        <div className="mt-1 grid grid-cols-2 gap-4 pb-2 pl-[10.5rem]">
          <div>
            <p className="mb-1 text-[11px] font-medium uppercase tracking-wider text-muted">Attributes</p>
            <AttributeTable attributes={log.attributes} label="Log attributes" />
          </div>
          <div>
            <p className="mb-1 text-[11px] font-medium uppercase tracking-wider text-muted">Resource</p>
            <AttributeTable attributes={log.resource} label="Resource attributes" />
            {log.trace_id && (
              <p className="mt-2 font-mono text-[11px] text-muted">
                trace {log.trace_id}
                {log.span_id && ` · span ${log.span_id}`}
              </p>
            )}
            <Link href={href(logContextHref(log))} className="mt-2 inline-block text-accent hover:underline">
              Show in context
            </Link>
            <span className="ml-1 text-[11px] text-muted">(this instance, the minute before)</span>
          </div>
        </div>
      )}
    </li>
  );
});
