'use client';
// Live tail: records matching the filters as they are stored, newest on top, over SSE.
// Pause keeps the stream open and holds new records back (counted); Resume shows them.
import { useCallback, useState } from 'react';
import { type LogFilters, tailUrl } from '../../lib/log-search';
import { useEventStream } from '../../lib/use-event-stream';
import { useHeldLines } from '../../lib/use-held-lines';
import { EmptyState } from '../common/empty-state';
import { PauseButton } from '../common/pause-button';
import { LogLine, type TailRecord } from './log-line';

/** Records kept on screen; older ones fall off the bottom. */
const KEEP = 1000;

export function LiveTail({ filters }: { filters: LogFilters }) {
  const tail = useHeldLines<TailRecord>(KEEP, 'newest-first');
  const { lines, paused, push } = tail;
  const [dropped, setDropped] = useState(0);

  const onLog = useCallback((data: string) => push(JSON.parse(data) as TailRecord), [push]);
  const onDropped = useCallback((data: string) => {
    const { count } = JSON.parse(data) as { count: number };
    setDropped((d) => d + count);
  }, []);
  const stream = useEventStream(tailUrl(filters), { log: onLog, dropped: onDropped });

  const status = {
    idle: 'not connected',
    connecting: 'connecting…',
    open: 'live',
    reconnecting: 'connection lost, reconnecting…',
    closed: 'the server closed the stream',
  }[stream.state];

  return (
    <div>
      <div className="flex items-center gap-3 border-b border-line px-4 py-2 text-sm">
        <span className="flex items-center gap-1.5" role="status" data-testid="tail-status" data-state={stream.state}>
          <span
            aria-hidden="true"
            className={`h-2 w-2 rounded-full ${
              stream.state === 'open' ? (paused ? 'bg-amber-500' : 'animate-pulse bg-emerald-500') : 'bg-slate-400'
            }`}
          />
          {paused ? `paused · ${tail.held} new` : status}
        </span>
        {dropped > 0 && (
          <span className="text-amber-700 dark:text-amber-300">
            {dropped} records skipped (the browser fell behind)
          </span>
        )}
        {stream.state === 'closed' && (
          <button type="button" onClick={stream.restart} className="text-accent underline">
            Reconnect
          </button>
        )}
        <span className="ml-auto flex gap-2">
          <PauseButton paused={paused} onPause={tail.pause} onResume={tail.resume} />
          <button
            type="button"
            onClick={() => {
              tail.clear();
              setDropped(0);
            }}
            className="rounded-md border border-line px-3 py-1 hover:bg-raised"
          >
            Clear
          </button>
        </span>
      </div>
      {lines.length === 0 ? (
        <EmptyState title="Waiting for log records">
          New records that match the filters appear here as services send them. Nothing arriving? Check the filters, or
          that services export OTLP logs to port 4318.
        </EmptyState>
      ) : (
        <ol className="divide-y divide-line/50" aria-label="Live log records, newest first" aria-live="off">
          {lines.map((log) => (
            <LogLine key={log.key} log={log} />
          ))}
        </ol>
      )}
    </div>
  );
}
