'use client';
// A pod's container log, read from the API server through Signalbox. The current container is
// followed over Server-Sent Events (the last lines, then each new one) with pause and resume;
// the previous (terminated) instance is read once: it no longer grows. Container and
// previous live in the URL, so a crash's log is a link.
import { useCallback, useEffect, useRef, useState } from 'react';
import { $api } from '../../api/client';
import { useEventStream } from '../../lib/use-event-stream';
import { useHeldLines } from '../../lib/use-held-lines';
import { EmptyState } from '../common/empty-state';
import { Panel } from '../common/page-header';
import { PauseButton } from '../common/pause-button';
import { QueryState } from '../common/query-state';
import { SkeletonRows } from '../common/skeleton';
import { useUrlState } from '../frame/url-state';
import { logLevel, logLineMs, logStreamUrl, pickContainer } from './model';
import type { KubeContainer, KubeLogLine } from './types';

/** Lines kept on screen while following; older ones fall off the top. */
const KEEP = 2000;
const TAIL_LINES = 200;

type Keyed = KubeLogLine & { key: number };

const clock = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hour12: false,
});

const LEVEL_STYLE = {
  error: 'text-red-700 dark:text-red-300',
  warn: 'text-amber-800 dark:text-amber-300',
  info: '',
} as const;

function LogLines({ lines, follow }: { lines: readonly Keyed[]; follow: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  // Keep the newest line in view while following, unless the reader scrolled up to read.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new line is the trigger
  useEffect(() => {
    const el = box.current;
    if (el && follow && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines, follow]);
  if (lines.length === 0) return null;
  return (
    <div
      ref={box}
      onScroll={(event) => {
        const el = event.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
      className="max-h-[26rem] overflow-auto bg-canvas/60 py-1 font-mono text-xs leading-5"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls, so keyboard users must reach it
      tabIndex={0}
    >
      <ol aria-label="Log lines, oldest first" aria-live="off">
        {lines.map((line) => {
          const ms = logLineMs(line);
          return (
            <li key={line.key} data-testid="pod-log-line" className="flex gap-3 px-3 hover:bg-raised/50">
              <time className="w-24 shrink-0 select-none text-muted" suppressHydrationWarning>
                {ms === null ? '' : clock.format(ms)}
              </time>
              <span className={`min-w-0 whitespace-pre-wrap break-all ${LEVEL_STYLE[logLevel(line.text)]}`}>
                {line.text}
              </span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function FollowedLog({
  namespace,
  pod,
  container,
  onLifecycle,
}: {
  namespace: string;
  pod: string;
  container: string;
  onLifecycle?: () => void;
}) {
  const url = logStreamUrl(namespace, pod, container, TAIL_LINES);
  const log = useHeldLines<KubeLogLine>(KEEP, 'oldest-first');
  const { lines, paused, push, clear } = log;
  // Set when the container stopped: the stream is closed (EventSource would otherwise reconnect
  // and replay the tail) until the reader follows again.
  const [ended, setEnded] = useState<{ url: string; reason: string } | null>(null);

  // A stream that opens or ends means the container started or stopped: the pod changed.
  const lifecycle = useRef(onLifecycle);
  lifecycle.current = onLifecycle;
  const onOpen = useCallback(() => {
    // Each connection starts with the last lines again: replace, do not append twice.
    clear();
    lifecycle.current?.();
  }, [clear]);
  const onLine = useCallback((data: string) => push(JSON.parse(data) as KubeLogLine), [push]);
  const onEnd = useCallback(
    (data: string) => {
      setEnded({ url, reason: (JSON.parse(data) as { reason: string }).reason });
      lifecycle.current?.();
    },
    [url],
  );
  const stopped = ended?.url === url ? ended.reason : null;
  const stream = useEventStream(stopped === null ? url : null, { open: onOpen, line: onLine, end: onEnd });

  const state = stopped !== null ? 'ended' : stream.state;
  const status =
    stopped !== null
      ? `stopped: ${stopped}`
      : {
          idle: 'not connected',
          connecting: 'connecting…',
          open: 'following',
          reconnecting: 'connection lost, reconnecting…',
          closed: 'the server refused the stream',
        }[stream.state];

  return (
    <>
      <div className="flex items-center gap-3 border-b border-line px-4 py-2 text-sm">
        <span className="flex items-center gap-1.5" role="status" data-testid="pod-log-status" data-state={state}>
          <span
            aria-hidden="true"
            className={`h-2 w-2 rounded-full ${
              state === 'open' ? (paused ? 'bg-amber-500' : 'animate-pulse bg-emerald-500') : 'bg-slate-400'
            }`}
          />
          {paused && state === 'open' ? `paused · ${log.held} new line${log.held === 1 ? '' : 's'}` : status}
        </span>
        {(stopped !== null || stream.state === 'closed') && (
          <button
            type="button"
            onClick={() => {
              setEnded(null);
              stream.restart();
            }}
            className="text-accent underline"
          >
            Follow again
          </button>
        )}
        <span className="ml-auto flex gap-2">
          <PauseButton paused={paused} onPause={log.pause} onResume={log.resume} disabled={state !== 'open'} />
        </span>
      </div>
      {lines.length === 0 ? (
        state === 'connecting' || state === 'idle' ? (
          <SkeletonRows rows={4} label="Opening the log" />
        ) : (
          <EmptyState title="No log lines yet">
            The container has written nothing to stdout or stderr
            {stopped === null ? ' so far; new lines appear here' : ''}.
          </EmptyState>
        )
      ) : (
        <LogLines lines={lines} follow={!paused} />
      )}
    </>
  );
}

function PreviousLog({ namespace, pod, container }: { namespace: string; pod: string; container: string }) {
  const query = $api.useQuery(
    'get',
    '/api/v1/kubernetes/namespaces/{namespace}/pods/{name}/logs',
    { params: { path: { namespace, name: pod }, query: { container, previous: true, tail_lines: 1000 } } },
    // The previous instance's log is final; polling it would only cost the API server.
    { refetchInterval: false, staleTime: Number.POSITIVE_INFINITY },
  );
  return (
    <>
      <div
        className="flex items-center gap-3 border-b border-line px-4 py-2 text-sm"
        role="status"
        data-testid="pod-log-status"
        data-state="previous"
      >
        <span aria-hidden="true" className="h-2 w-2 rounded-full bg-slate-400" />
        the previous instance of {container} (terminated; its log no longer grows)
        {query.data?.truncated && <span className="text-amber-800 dark:text-amber-300">cut at the size limit</span>}
      </div>
      <QueryState
        query={query}
        skeleton={<SkeletonRows rows={4} label="Reading the log" />}
        isEmpty={(data) => data.lines.length === 0}
        empty={<EmptyState title="No log lines">The previous instance wrote nothing before it ended.</EmptyState>}
      >
        {(data) => <LogLines lines={data.lines.map((line, key) => ({ ...line, key }))} follow />}
      </QueryState>
    </>
  );
}

export function LogViewer({
  namespace,
  pod,
  containers,
  onLifecycle,
}: {
  namespace: string;
  pod: string;
  containers: readonly KubeContainer[];
  /** Called when the followed container starts or stops (the pod page refetches the pod). */
  onLifecycle?: () => void;
}) {
  const { params, update } = useUrlState();
  const container = pickContainer(containers, params.get('container'));
  const previous = params.get('previous') === '1';
  const current = containers.find((c) => c.name === container);
  const hasPrevious = current ? current.restarts > 0 || current.last_termination !== null : false;

  return (
    <Panel
      title="Logs"
      actions={
        <div className="flex items-center gap-2 text-sm">
          <label htmlFor="log-container" className="text-muted">
            Container
          </label>
          <select
            id="log-container"
            value={container ?? ''}
            onChange={(event) => update({ container: event.target.value, previous: null }, { history: 'replace' })}
            className="rounded-md border border-line bg-canvas px-2 py-1 text-sm"
          >
            {containers.map((c) => (
              <option key={c.name} value={c.name}>
                {c.init ? `${c.name} (init)` : c.name}
              </option>
            ))}
          </select>
          <fieldset aria-label="Container instance" className="flex rounded-md border border-line">
            <button
              type="button"
              aria-pressed={!previous}
              onClick={() => update({ previous: null }, { history: 'replace' })}
              className={`rounded-l-md px-2.5 py-1 ${!previous ? 'bg-accent/15 font-medium text-accent' : 'hover:bg-raised'}`}
            >
              Current
            </button>
            <button
              type="button"
              aria-pressed={previous}
              disabled={!hasPrevious}
              title={
                hasPrevious ? 'The log of the instance before the last restart' : 'The container has not restarted'
              }
              onClick={() => update({ previous: '1' }, { history: 'replace' })}
              className={`rounded-r-md border-l border-line px-2.5 py-1 disabled:opacity-50 ${
                previous ? 'bg-accent/15 font-medium text-accent' : 'hover:bg-raised'
              }`}
            >
              Previous
            </button>
          </fieldset>
        </div>
      }
    >
      {container === null ? (
        <EmptyState title="No containers">The pod spec lists no containers.</EmptyState>
      ) : previous ? (
        <PreviousLog key={container} namespace={namespace} pod={pod} container={container} />
      ) : (
        <FollowedLog key={container} namespace={namespace} pod={pod} container={container} onLifecycle={onLifecycle} />
      )}
    </Panel>
  );
}
