'use client';
// Auto-refresh interval (in the URL as `refresh=`) and a refresh-now button.
import { useId } from 'react';
import { REFRESH_OPTIONS } from '../../lib/time-range';
import { Icon } from '../common/icons';
import { useTimeWindow } from './time-context';
import { useUrlState } from './url-state';

export function RefreshControl() {
  const { refresh, range, refreshNow } = useTimeWindow();
  const { update } = useUrlState();
  const id = useId();
  const fixed = range.kind === 'absolute';
  return (
    <div className="flex items-center rounded-md border border-line bg-panel">
      <button
        type="button"
        onClick={refreshNow}
        aria-label="Refresh now"
        title="Refresh now"
        className="rounded-l-md px-2 py-1.5 hover:bg-raised"
      >
        <Icon name="refresh" />
      </button>
      <label htmlFor={id} className="sr-only">
        Auto-refresh
      </label>
      <select
        id={id}
        value={refresh.key}
        disabled={fixed}
        title={fixed ? 'A fixed time window does not refresh' : 'Auto-refresh'}
        onChange={(event) => update({ refresh: event.target.value }, { history: 'replace' })}
        className="rounded-r-md border-l border-line bg-panel py-1.5 pl-2 pr-1 text-sm disabled:opacity-50"
      >
        {REFRESH_OPTIONS.map((option) => (
          <option key={option.key} value={option.key}>
            {option.key === 'off' ? 'Auto-refresh off' : `Every ${option.label}`}
          </option>
        ))}
      </select>
    </div>
  );
}
