'use client';
// Force open, force closed or reset breakers, in two steps: the form (what, where, why, for how
// long), then a summary to confirm. A reason is required; the expiry is how long a force holds
// before the agents release it by themselves.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { $api } from '../../api/client';
import type { BreakerCommandBody } from '../../api/ops-types';
import { ActionDialog, BUTTON, DANGER_BUTTON, INPUT, PRIMARY_BUTTON } from '../access/action-dialog';

export type CommandTarget =
  | { scope: 'instance'; service: string; instance_id: string; breaker?: string }
  | { scope: 'service'; service: string; breaker?: string }
  | { scope: 'fleet'; breaker?: string };

const ACTIONS = [
  { value: 'force_open', label: 'Force open', hint: 'calls short-circuit to the fallback' },
  { value: 'force_closed', label: 'Force closed', hint: 'calls go through whatever the failure rate' },
  { value: 'reset', label: 'Reset', hint: 'back to closed with empty counters' },
] as const;
const EXPIRIES = ['5m', '10m', '30m', '1h', '4h', '24h'] as const;

export function describeTarget(target: CommandTarget): string {
  const which = target.breaker ? `breaker “${target.breaker}”` : 'every breaker';
  if (target.scope === 'instance') return `${which} of instance ${target.instance_id} (${target.service})`;
  if (target.scope === 'service') return `${which} of every instance of ${target.service}`;
  return `${which} of the whole fleet`;
}

export function CommandDialog({
  target: propTarget,
  initialAction = 'force_open',
  onClose,
}: {
  target: CommandTarget | null;
  initialAction?: BreakerCommandBody['action'];
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [action, setAction] = useState<BreakerCommandBody['action']>(initialAction);
  const [reason, setReason] = useState('');
  const [expiresIn, setExpiresIn] = useState<string>('10m');
  const [reviewing, setReviewing] = useState(false);
  // From one instance's row the command may widen to every instance of its service.
  const [widen, setWiden] = useState(false);
  const send = $api.useMutation('post', '/api/v1/breakers/commands', {
    onSuccess: () => {
      void queryClient.invalidateQueries();
      close();
    },
  });

  function close() {
    setReviewing(false);
    setWiden(false);
    setReason('');
    send.reset();
    onClose();
  }

  if (!propTarget) return null;
  const target: CommandTarget =
    widen && propTarget.scope === 'instance'
      ? { scope: 'service', service: propTarget.service, breaker: propTarget.breaker }
      : propTarget;

  const chosen = ACTIONS.find((a) => a.value === action) ?? ACTIONS[0];
  const body: BreakerCommandBody = {
    action,
    scope: target.scope,
    reason: reason.trim(),
    ...(target.scope !== 'fleet' ? { service: target.service } : {}),
    ...(target.scope === 'instance' ? { instance_id: target.instance_id } : {}),
    ...(target.breaker ? { breaker: target.breaker } : {}),
    ...(action === 'reset' ? {} : { expires_in: expiresIn }),
  };

  const review = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim()) setReviewing(true);
  };

  return (
    <ActionDialog
      open
      title={reviewing ? 'Confirm breaker command' : 'Breaker command'}
      onClose={close}
      error={send.error}
    >
      {reviewing ? (
        <>
          <p className="text-sm">
            <strong>{chosen.label}</strong> {describeTarget(target)}
            {action === 'reset' ? '' : ` for ${expiresIn}`}: {chosen.hint}.
          </p>
          <p className="text-sm text-muted">
            Reason: <span className="text-fg">{body.reason}</span>
          </p>
          <div className="flex justify-end gap-2">
            <button type="button" className={BUTTON} onClick={() => setReviewing(false)}>
              Back
            </button>
            <button
              type="button"
              className={action === 'force_open' ? DANGER_BUTTON : PRIMARY_BUTTON}
              disabled={send.isPending}
              onClick={() => send.mutate({ body })}
            >
              {send.isPending ? 'Sending…' : `Confirm: ${chosen.label.toLowerCase()}`}
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={review} className="flex flex-col gap-3">
          <p className="text-sm text-muted">{describeTarget(target)}</p>
          {propTarget.scope === 'instance' && (
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={widen} onChange={(event) => setWiden(event.target.checked)} />
              Every instance of {propTarget.service}, not only {propTarget.instance_id}
            </label>
          )}
          <fieldset className="flex flex-col gap-1.5">
            <legend className="mb-1 text-xs font-medium text-muted">Action</legend>
            {ACTIONS.map((a) => (
              <label key={a.value} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="action"
                  value={a.value}
                  checked={action === a.value}
                  onChange={() => setAction(a.value)}
                />
                {a.label} <span className="text-xs text-muted">— {a.hint}</span>
              </label>
            ))}
          </fieldset>
          <label className="flex flex-col gap-1 text-xs font-medium text-muted">
            Reason (recorded in the audit log)
            <input
              required
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              placeholder="payments maintenance window"
              className={INPUT}
            />
          </label>
          {action !== 'reset' && (
            <label className="flex flex-col gap-1 text-xs font-medium text-muted">
              Expires after
              <select value={expiresIn} onChange={(event) => setExpiresIn(event.target.value)} className={INPUT}>
                {EXPIRIES.map((e) => (
                  <option key={e} value={e}>
                    {e}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div className="flex justify-end gap-2">
            <button type="button" className={BUTTON} onClick={close}>
              Cancel
            </button>
            <button type="submit" className={PRIMARY_BUTTON} disabled={!reason.trim()}>
              Review
            </button>
          </div>
        </form>
      )}
    </ActionDialog>
  );
}
