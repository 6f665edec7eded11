// A workload's rollout as kubectl reports it: a bar of updated and available replicas against
// the desired count, the state in words, and the counts themselves.
import { SeverityBadge } from './badges';
import { rolloutShares } from './model';
import type { KubeWorkload } from './types';

const STATE_SEVERITY = { complete: 'ok', progressing: 'warning', paused: 'warning', stalled: 'critical' } as const;

export function RolloutBar({ rollout }: { rollout: KubeWorkload['rollout'] }) {
  const { updated, done } = rolloutShares(rollout);
  return (
    <div className="flex min-w-48 flex-col gap-1" data-testid="rollout" data-state={rollout.state}>
      <div className="flex items-center gap-2">
        <SeverityBadge severity={STATE_SEVERITY[rollout.state]}>{rollout.state}</SeverityBadge>
        <span className="truncate text-xs text-muted" title={rollout.message}>
          {rollout.message}
        </span>
      </div>
      <div
        className="relative h-1.5 w-full overflow-hidden rounded-full bg-raised"
        role="img"
        aria-label={`${rollout.updated} of ${rollout.desired} updated, ${rollout.available} available`}
      >
        <div className="absolute inset-y-0 left-0 bg-accent/35" style={{ width: `${updated * 100}%` }} />
        <div className="absolute inset-y-0 left-0 bg-accent" style={{ width: `${done * 100}%` }} />
      </div>
      <div className="flex gap-3 text-xs tabular-nums text-muted">
        <span>desired {rollout.desired}</span>
        <span>updated {rollout.updated}</span>
        <span>available {rollout.available}</span>
        {rollout.unavailable > 0 && (
          <span className="font-medium text-amber-800 dark:text-amber-300">unavailable {rollout.unavailable}</span>
        )}
      </div>
    </div>
  );
}
