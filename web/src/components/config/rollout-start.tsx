'use client';
// "Start rollout" beside Publish: the reviewed draft goes to a canary share first (a percent of
// instances or named instances), bakes, and is promoted or rolled back on the canary-versus-
// baseline figures. Defaults are the server's (5 points of error rate, p95 × 1.5, 20 requests).
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api } from '../../api/client';
import { ActionDialog, BUTTON, INPUT, PRIMARY_BUTTON } from '../access/action-dialog';
import { useUrlState } from '../frame/url-state';

export interface RolloutDraft {
  service: string;
  environment: string;
  baseVersion: number;
  content: unknown;
  message: string;
}

export function StartRolloutDialog({
  open,
  draft,
  onClose,
  onStarted,
}: {
  open: boolean;
  draft: RolloutDraft;
  onClose: () => void;
  onStarted: () => void;
}) {
  const queryClient = useQueryClient();
  const { update } = useUrlState();
  const [mode, setMode] = useState<'percent' | 'instances'>('percent');
  const [percent, setPercent] = useState('10');
  const [instances, setInstances] = useState('');
  const [bake, setBake] = useState('5m');
  const [errorIncrease, setErrorIncrease] = useState('5');
  const [p95Ratio, setP95Ratio] = useState('1.5');
  const [minRequests, setMinRequests] = useState('20');
  const [autoPromote, setAutoPromote] = useState(true);
  const start = $api.useMutation('post', '/api/v1/config/{service}/{environment}/rollouts', {
    onSuccess: (rollout) => {
      void queryClient.invalidateQueries();
      start.reset();
      update({ rollout: rollout.id });
      onStarted();
    },
  });
  const instanceList = instances
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const valid = mode === 'percent' ? Number(percent) >= 1 && Number(percent) <= 100 : instanceList.length > 0;

  return (
    <ActionDialog open={open} title="Start staged rollout" onClose={onClose} error={start.error}>
      <form
        className="flex flex-col gap-3 text-sm"
        onSubmit={(event) => {
          event.preventDefault();
          start.mutate({
            params: { path: { service: draft.service, environment: draft.environment } },
            body: {
              base_version: draft.baseVersion,
              content: draft.content,
              message: draft.message,
              canary: mode === 'percent' ? { percent: Number(percent) } : { instances: instanceList },
              bake: bake.trim(),
              thresholds: {
                max_error_rate_increase: Number(errorIncrease) / 100,
                max_p95_ratio: Number(p95Ratio),
                min_requests: Number(minRequests),
              },
              auto_promote: autoPromote,
            },
          });
        }}
      >
        <p>
          v{draft.baseVersion + 1} goes to the canary first; every other instance stays on v{draft.baseVersion}. A
          regression rolls it back by itself.
        </p>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-xs font-medium text-muted">Canary</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="canary" checked={mode === 'percent'} onChange={() => setMode('percent')} />
            Share of instances
            <input
              aria-label="Canary percent"
              type="number"
              min={1}
              max={100}
              value={percent}
              disabled={mode !== 'percent'}
              onChange={(event) => setPercent(event.target.value)}
              className={`${INPUT} w-20`}
            />
            %
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="canary" checked={mode === 'instances'} onChange={() => setMode('instances')} />
            Instances
            <input
              aria-label="Canary instances (comma separated)"
              value={instances}
              disabled={mode !== 'instances'}
              onChange={(event) => setInstances(event.target.value)}
              placeholder="checkout-1, checkout-2"
              className={`${INPUT} flex-1`}
            />
          </label>
        </fieldset>
        <div className="grid grid-cols-2 gap-2">
          <label className="flex flex-col gap-1 text-xs font-medium text-muted">
            Bake (e.g. 5m, 90s)
            <input value={bake} onChange={(event) => setBake(event.target.value)} className={INPUT} required />
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium text-muted">
            Max error-rate increase (points)
            <input
              type="number"
              min={0}
              max={100}
              step="any"
              value={errorIncrease}
              onChange={(event) => setErrorIncrease(event.target.value)}
              className={INPUT}
            />
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium text-muted">
            Max p95 ratio (canary / baseline)
            <input
              type="number"
              min={1}
              step="any"
              value={p95Ratio}
              onChange={(event) => setP95Ratio(event.target.value)}
              className={INPUT}
            />
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium text-muted">
            Min requests per side
            <input
              type="number"
              min={1}
              value={minRequests}
              onChange={(event) => setMinRequests(event.target.value)}
              className={INPUT}
            />
          </label>
        </div>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={autoPromote} onChange={(event) => setAutoPromote(event.target.checked)} />
          Promote by itself after a clean bake
        </label>
        <div className="flex justify-end gap-2">
          <button type="button" className={BUTTON} onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={PRIMARY_BUTTON} disabled={!valid || !bake.trim() || start.isPending}>
            {start.isPending ? 'Starting…' : 'Start rollout'}
          </button>
        </div>
      </form>
    </ActionDialog>
  );
}
