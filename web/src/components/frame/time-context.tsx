'use client';
// The global time window and auto-refresh, read from the URL. Relative windows ("last hour")
// are re-anchored at `now` on every refresh tick, so every query keyed by the window refetches
// together; queries without a window poll at the same interval (the QueryClient default).
// Nothing ticks while the tab is hidden, or for a fixed window.
import { useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import {
  parseRefresh,
  parseTimeRange,
  type RefreshOption,
  resolveTimeRange,
  type TimeRange,
} from '../../lib/time-range';

export interface TimeContextValue {
  range: TimeRange;
  refresh: RefreshOption;
  /** The resolved window in epoch milliseconds. */
  from: number;
  to: number;
  /** Re-anchors a relative window at now and refetches everything on the page. */
  refreshNow(): void;
}

const TimeContext = createContext<TimeContextValue | null>(null);

export function TimeProvider({ children }: { children: ReactNode }) {
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const range = useMemo(() => parseTimeRange(params), [params]);
  const refresh = useMemo(() => parseRefresh(params), [params]);
  const [now, setNow] = useState(() => Date.now());
  const rangeKey = range.kind === 'relative' ? range.preset.key : `${range.from}-${range.to}`;

  // A new window starts at now. Not on mount: `now` was just taken, and moving it would change
  // every query key, so each page's first requests were sent twice (the first answer thrown away).
  const anchoredFor = useRef(rangeKey);
  useEffect(() => {
    if (anchoredFor.current === rangeKey) return;
    anchoredFor.current = rangeKey;
    setNow(Date.now());
  }, [rangeKey]);

  const interval = range.kind === 'relative' ? refresh.ms : 0;
  useEffect(() => {
    queryClient.setDefaultOptions({
      ...queryClient.getDefaultOptions(),
      queries: { ...queryClient.getDefaultOptions().queries, refetchInterval: refresh.ms || false },
    });
    if (interval === 0) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setNow(Date.now());
    }, interval);
    return () => clearInterval(timer);
  }, [interval, refresh.ms, queryClient]);

  const refreshNow = useCallback(() => {
    setNow(Date.now());
    void queryClient.invalidateQueries();
  }, [queryClient]);

  const value = useMemo<TimeContextValue>(() => {
    const { from, to } = resolveTimeRange(range, now);
    return { range, refresh, from, to, refreshNow };
  }, [range, refresh, now, refreshNow]);

  return <TimeContext.Provider value={value}>{children}</TimeContext.Provider>;
}

export function useTimeWindow(): TimeContextValue {
  const value = useContext(TimeContext);
  if (!value) throw new Error('useTimeWindow() needs <TimeProvider> above it (the console layout has one)');
  return value;
}
