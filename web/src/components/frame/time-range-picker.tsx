'use client';
// The global time window: presets from 15 minutes to 7 days, or a custom from/to. Opens as a
// small dialog; Escape or a click outside closes it and focus returns to the button.
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { formatTime, toLocalInput } from '../../lib/format';
import { describeTimeRange, MAX_RANGE_MS, RANGE_PRESETS, type TimeRange, timeRangeParams } from '../../lib/time-range';
import { Icon } from '../common/icons';
import { useTimeWindow } from './time-context';
import { useUrlState } from './url-state';

export function TimeRangePicker() {
  const { range, from, to } = useTimeWindow();
  const { update } = useUrlState();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  const close = useCallback((returnFocus: boolean) => {
    setOpen(false);
    setError(null);
    if (returnFocus) buttonRef.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return undefined;
    panelRef.current?.querySelector<HTMLElement>('[aria-pressed="true"], button')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close(true);
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panelRef.current?.contains(target) && !buttonRef.current?.contains(target)) close(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open, close]);

  const choose = (next: TimeRange) => {
    update(timeRangeParams(next));
    close(true);
  };

  const applyCustom = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const start = new Date(String(form.get('from'))).getTime();
    const end = new Date(String(form.get('to'))).getTime();
    if (!Number.isFinite(start) || !Number.isFinite(end)) return setError('Enter both a start and an end.');
    if (start >= end) return setError('The start must be before the end.');
    if (end - start > MAX_RANGE_MS) return setError('Choose a window of at most 7 days.');
    choose({ kind: 'absolute', from: start, to: end });
  };

  return (
    <div className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => (open ? close(false) : setOpen(true))}
        className="flex items-center gap-2 rounded-md border border-line bg-panel px-2.5 py-1.5 text-sm hover:bg-raised"
      >
        <Icon name="clock" className="h-4 w-4 text-muted" />
        <span className="sr-only">Time range: </span>
        <span suppressHydrationWarning>{describeTimeRange(range, formatTime)}</span>
        <Icon name="chevronDown" className="h-3.5 w-3.5 text-muted" />
      </button>
      {open && (
        <div
          ref={panelRef}
          id={panelId}
          role="dialog"
          aria-label="Choose the time range"
          className="absolute right-0 z-30 mt-1 w-80 rounded-lg border border-line bg-panel p-3 shadow-lg"
        >
          <div className="grid grid-cols-2 gap-1">
            {RANGE_PRESETS.map((preset) => {
              const selected = range.kind === 'relative' && range.preset.key === preset.key;
              return (
                <button
                  key={preset.key}
                  type="button"
                  aria-pressed={selected}
                  onClick={() => choose({ kind: 'relative', preset })}
                  className={`rounded-md px-2 py-1.5 text-left text-sm ${
                    selected ? 'bg-accent text-accent-fg' : 'hover:bg-raised'
                  }`}
                >
                  {preset.label}
                </button>
              );
            })}
          </div>
          <form onSubmit={applyCustom} className="mt-3 flex flex-col gap-2 border-t border-line pt-3">
            <span className="text-xs font-medium uppercase tracking-wider text-muted">Custom (your time zone)</span>
            <label className="flex items-center justify-between gap-2 text-sm">
              From
              <input
                name="from"
                type="datetime-local"
                defaultValue={toLocalInput(from)}
                className="rounded-md border border-line bg-canvas px-2 py-1"
              />
            </label>
            <label className="flex items-center justify-between gap-2 text-sm">
              To
              <input
                name="to"
                type="datetime-local"
                defaultValue={toLocalInput(to)}
                className="rounded-md border border-line bg-canvas px-2 py-1"
              />
            </label>
            {error && (
              <p role="alert" className="text-sm text-red-600 dark:text-red-400">
                {error}
              </p>
            )}
            <button
              type="submit"
              className="self-end rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg"
            >
              Apply
            </button>
          </form>
        </div>
      )}
    </div>
  );
}
