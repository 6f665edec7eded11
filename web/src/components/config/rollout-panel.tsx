'use client';
// One staged rollout: state, bake progress, canary versus baseline (bars with the limit marked),
// the step history, and Promote / Abort with a confirm step for operators. Polls every 2 s while
// it bakes; a finished rollout no longer changes, so it is not polled.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { $api } from '../../api/client';
import { formatCount, formatDuration, formatPercent, formatTime } from '../../lib/format';
import { ActionDialog, BUTTON, DANGER_BUTTON, INPUT, PRIMARY_BUTTON } from '../access/action-dialog';
import { Panel } from '../common/page-header';
import { QueryState } from '../common/query-state';
import { Chip } from '../common/status-badge';
import { bakeElapsed, bakeProgress, type MetricBars, metricBars, type Rollout } from './rollout-figures';

const POLL_MS = 2_000;

export function RolloutPanel({
  service,
  environment,
  id,
  canDecide,
}: {
  service: string;
  environment: string;
  id: string;
  canDecide: boolean;
}) {
  const rollout = $api.useQuery(
    'get',
    '/api/v1/config/{service}/{environment}/rollouts/{id}',
    { params: { path: { service, environment, id } } },
    { refetchInterval: (query) => (query.state.data?.status === 'baking' ? POLL_MS : false) },
  );
  const [decision, setDecision] = useState<'promote' | 'abort' | null>(null);
  const status = rollout.data?.status;
  const baking = status === 'baking';
  useRefreshWhenEnded(status);
  return (
    <Panel
      title={rollout.data ? `Rollout of v${rollout.data.version}` : 'Rollout'}
      actions={
        canDecide &&
        baking && (
          <div className="flex gap-2">
            <button type="button" className={BUTTON} onClick={() => setDecision('promote')}>
              Promote…
            </button>
            <button type="button" className={BUTTON} onClick={() => setDecision('abort')}>
              Abort…
            </button>
          </div>
        )
      }
    >
      <QueryState query={rollout}>{(data) => <RolloutBody rollout={data} />}</QueryState>
      <DecisionDialog
        decision={decision}
        path={{ service, environment, id }}
        rollout={rollout.data}
        onClose={() => setDecision(null)}
      />
    </Panel>
  );
}

/**
 * The evaluator ends a rollout by itself (a regression rolled back, a clean bake promoted): that
 * publishes a version and moves the stable one, so when the poll sees the rollout leave `baking`
 * every query of the page (document, history, instances, rollouts) is refreshed, not only this one.
 */
function useRefreshWhenEnded(status: string | undefined) {
  const queryClient = useQueryClient();
  const previous = useRef(status);
  useEffect(() => {
    if (previous.current === 'baking' && status !== undefined && status !== 'baking') {
      void queryClient.invalidateQueries();
    }
    previous.current = status;
  }, [status, queryClient]);
}

const STATUS_TEXT: Record<string, string> = {
  baking: 'baking',
  canary_applied: 'canary applied',
  promoted: 'promoted',
  rolled_back: 'rolled back',
  aborted: 'aborted',
};

function RolloutBody({ rollout }: { rollout: Rollout }) {
  const now = useNow(rollout.status === 'baking');
  const elapsed = bakeElapsed(rollout, now);
  const progress = bakeProgress(rollout, now);
  const waiting = rollout.status === 'baking' && rollout.canary_applied_at === null;
  const instances = rollout.canary.instances?.join(', ');
  const canary =
    rollout.canary.percent !== null
      ? `${rollout.canary.percent}% of instances${instances ? `: ${instances}` : ''}`
      : instances;
  return (
    <div className="flex flex-col gap-4 p-4 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <span role="status" aria-label="Rollout state" className="font-medium">
          {STATUS_TEXT[rollout.status] ?? rollout.status}
        </span>
        <Chip title="The canary runs">v{rollout.version}</Chip>
        <Chip title="The rest of the instances kept">base v{rollout.base_version}</Chip>
        <Chip title="Canary">{canary}</Chip>
        {rollout.rollback_version !== null && (
          <Chip title="The base content, published again so the canary returns to it">
            returned as v{rollout.rollback_version}
          </Chip>
        )}
        {rollout.auto_promote ? (
          <Chip title="Promoted by itself after a clean bake">auto-promote</Chip>
        ) : (
          <Chip title="A clean bake waits for an operator to promote">manual promotion</Chip>
        )}
      </div>
      {rollout.decision_reason && (
        // On a line of its own: a rollback's reason is a sentence with figures, too long to wrap beside chips.
        <p className="-mt-2 text-muted">{rollout.decision_reason}</p>
      )}
      <div>
        <div className="mb-1 flex justify-between text-xs text-muted">
          <span>
            {waiting
              ? `Waiting for the canary to apply v${rollout.version}; the bake and the figures start then`
              : rollout.status === 'baking'
                ? 'Bake'
                : 'Baked'}
          </span>
          <span>
            {formatDuration(elapsed)} of {formatDuration(rollout.bake_ms)}
          </span>
        </div>
        <div
          role="progressbar"
          aria-label="Bake progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(progress * 100)}
          className="h-2 overflow-hidden rounded-full bg-raised"
        >
          <div className="h-full rounded-full bg-accent" style={{ width: `${progress * 100}%` }} />
        </div>
      </div>
      <Comparison rollout={rollout} />
      <Steps rollout={rollout} />
    </div>
  );
}

/** The clock for the bake bar, ticking once a second only while the rollout bakes. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

function Comparison({ rollout }: { rollout: Rollout }) {
  const comparison = rollout.comparison;
  if (!comparison) return <p className="text-muted">No canary-versus-baseline figures yet.</p>;
  const sides = [
    { name: 'Canary', figures: comparison.canary },
    { name: 'Baseline', figures: comparison.baseline },
  ] as const;
  return (
    <section aria-label="Canary versus baseline" className="flex flex-col gap-3">
      <h3 className="text-sm font-medium">Canary versus baseline</h3>
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">Canary versus baseline figures</caption>
        <thead>
          <tr className="border-b border-line text-left text-xs uppercase tracking-wider text-muted">
            <th scope="col" className="px-2 py-1 font-medium">
              Side
            </th>
            <th scope="col" className="px-2 py-1 font-medium">
              Instances
            </th>
            <th scope="col" className="px-2 py-1 text-right font-medium">
              Requests
            </th>
            <th scope="col" className="px-2 py-1 text-right font-medium">
              Errors
            </th>
            <th scope="col" className="px-2 py-1 text-right font-medium">
              Error rate
            </th>
            <th scope="col" className="px-2 py-1 text-right font-medium">
              p95
            </th>
          </tr>
        </thead>
        <tbody>
          {sides.map(({ name, figures }) => (
            <tr key={name} className="border-b border-line/60">
              <th scope="row" className="px-2 py-1 text-left font-medium">
                {name}
              </th>
              <td className="px-2 py-1 font-mono text-xs">{figures.instances.join(', ') || '—'}</td>
              <td className="px-2 py-1 text-right tabular-nums">{formatCount(figures.requests)}</td>
              <td className="px-2 py-1 text-right tabular-nums">{formatCount(figures.errors)}</td>
              <td className="px-2 py-1 text-right tabular-nums">{formatPercent(figures.error_rate)}</td>
              <td className="px-2 py-1 text-right tabular-nums">
                {figures.p95_ms === null ? '—' : formatDuration(figures.p95_ms)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-muted">
        A verdict needs {rollout.thresholds.min_requests} requests on each side; figures over{' '}
        {formatDuration(comparison.to_ms - comparison.from_ms)} up to {formatTime(comparison.to_ms)}.
      </p>
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
        {metricBars(comparison, rollout.thresholds).map((bars) => (
          <Bars key={bars.metric} bars={bars} />
        ))}
      </div>
    </section>
  );
}

function Bars({ bars }: { bars: MetricBars }) {
  const format = (v: number | null) =>
    v === null ? 'no data' : bars.metric === 'error_rate' ? formatPercent(v) : formatDuration(v);
  const rows = [
    { name: 'canary', value: bars.canary, color: bars.over ? 'bg-red-500' : 'bg-accent' },
    { name: 'baseline', value: bars.baseline, color: 'bg-muted/60' },
  ];
  return (
    <figure className="rounded-md border border-line p-3">
      <figcaption className="mb-2 flex justify-between text-xs font-medium">
        <span>{bars.label}</span>
        <span className={bars.over ? 'text-red-700 dark:text-red-300' : 'text-muted'}>
          limit {format(bars.limit)}
          {bars.over ? ' · over' : ''}
        </span>
      </figcaption>
      <div className="relative flex flex-col gap-1.5">
        {rows.map((row) => (
          <div key={row.name} className="grid grid-cols-[4.5rem_1fr_4.5rem] items-center gap-2 text-xs">
            <span className="text-muted">{row.name}</span>
            <div
              role="img"
              aria-label={`${bars.label} ${row.name}: ${format(row.value)}`}
              className="h-3 rounded-sm bg-raised"
            >
              <div
                className={`h-full rounded-sm ${row.color}`}
                style={{ width: `${((row.value ?? 0) / bars.max) * 100}%` }}
              />
            </div>
            <span className="text-right tabular-nums">{format(row.value)}</span>
          </div>
        ))}
        {bars.limit !== null && (
          // The limit drawn across both bars, within the middle column.
          <div className="pointer-events-none absolute inset-y-0 right-[5rem] left-[5rem]" aria-hidden="true">
            <div
              className="absolute inset-y-[-2px] w-0 border-l-2 border-dashed border-red-500"
              style={{ left: `${(bars.limit / bars.max) * 100}%` }}
            />
          </div>
        )}
      </div>
    </figure>
  );
}

function Steps({ rollout }: { rollout: Rollout }) {
  const steps = rollout.steps ?? [];
  return (
    <section aria-label="Rollout steps">
      <h3 className="mb-1 text-sm font-medium">Steps</h3>
      <ol className="flex flex-col gap-1 border-l border-line pl-3">
        {steps.map((step) => (
          <li key={`${step.at}:${step.step}`} className="text-xs">
            <span className="text-muted">{formatTime(step.at)}</span>{' '}
            <span className="font-medium">{STATUS_TEXT[step.step] ?? step.step}</span>{' '}
            <span className="text-muted">by {step.actor}</span>
            {detailText(step.detail) && <span className="text-muted"> · {detailText(step.detail)}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail === 'string') return detail;
  if (typeof detail === 'object' && 'reason' in detail && typeof detail.reason === 'string') return detail.reason;
  if (typeof detail === 'object' && 'from_ms' in detail && typeof detail.from_ms === 'number') {
    return `figures count from ${formatTime(detail.from_ms)}`;
  }
  return '';
}

function DecisionDialog({
  decision,
  path,
  rollout,
  onClose,
}: {
  decision: 'promote' | 'abort' | null;
  path: { service: string; environment: string; id: string };
  rollout: Rollout | undefined;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const done = () => {
    void queryClient.invalidateQueries();
    setReason('');
    onClose();
  };
  const promote = $api.useMutation('post', '/api/v1/config/{service}/{environment}/rollouts/{id}/promote', {
    onSuccess: done,
  });
  const abort = $api.useMutation('post', '/api/v1/config/{service}/{environment}/rollouts/{id}/abort', {
    onSuccess: done,
  });
  const mutation = decision === 'abort' ? abort : promote;
  return (
    <ActionDialog
      open={decision !== null}
      title={decision === 'abort' ? 'Abort rollout' : 'Promote rollout'}
      onClose={() => {
        promote.reset();
        abort.reset();
        onClose();
      }}
      error={mutation.error}
    >
      {rollout && decision && (
        <form
          className="flex flex-col gap-3 text-sm"
          onSubmit={(event) => {
            event.preventDefault();
            const body = reason.trim() ? { reason: reason.trim() } : {};
            mutation.mutate({ params: { path }, body });
          }}
        >
          <p>
            {decision === 'abort'
              ? `The canary instances return to v${rollout.base_version}; v${rollout.version} is not promoted.`
              : `v${rollout.version} becomes current for every instance now, before the bake ends.`}
          </p>
          <label className="flex flex-col gap-1 text-xs font-medium text-muted">
            Reason (optional; shown in the steps and the audit log)
            <input value={reason} onChange={(event) => setReason(event.target.value)} className={INPUT} />
          </label>
          <div className="flex justify-end gap-2">
            <button type="button" className={BUTTON} onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              className={decision === 'abort' ? DANGER_BUTTON : PRIMARY_BUTTON}
              disabled={mutation.isPending}
            >
              {decision === 'abort' ? 'Confirm abort' : 'Confirm promote'}
            </button>
          </div>
        </form>
      )}
    </ActionDialog>
  );
}
