// The global time window and auto-refresh, as they live in the URL: `range=1h` (a preset,
// relative to now) or `from=…&to=…` (ISO 8601, a fixed window), and `refresh=30s|off`.
// Pure functions so the rules are tested without a browser; the React side is in
// components/frame/time-context.tsx.

export interface RangePreset {
  key: string;
  label: string;
  ms: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const RANGE_PRESETS: readonly RangePreset[] = [
  { key: '15m', label: 'Last 15 minutes', ms: 15 * MINUTE },
  { key: '1h', label: 'Last hour', ms: HOUR },
  { key: '3h', label: 'Last 3 hours', ms: 3 * HOUR },
  { key: '6h', label: 'Last 6 hours', ms: 6 * HOUR },
  { key: '12h', label: 'Last 12 hours', ms: 12 * HOUR },
  { key: '24h', label: 'Last 24 hours', ms: DAY },
  { key: '2d', label: 'Last 2 days', ms: 2 * DAY },
  { key: '7d', label: 'Last 7 days', ms: 7 * DAY },
];

export const DEFAULT_RANGE_KEY = '1h';
/** The longest window the picker offers; custom windows are capped to it. */
export const MAX_RANGE_MS = 7 * DAY;

export interface RefreshOption {
  key: string;
  label: string;
  /** 0 = off */
  ms: number;
}

export const REFRESH_OPTIONS: readonly RefreshOption[] = [
  { key: 'off', label: 'Off', ms: 0 },
  { key: '5s', label: '5 s', ms: 5_000 },
  { key: '10s', label: '10 s', ms: 10_000 },
  { key: '30s', label: '30 s', ms: 30_000 },
  { key: '1m', label: '1 min', ms: MINUTE },
  { key: '5m', label: '5 min', ms: 5 * MINUTE },
];

export const DEFAULT_REFRESH_KEY = '30s';

export type TimeRange = { kind: 'relative'; preset: RangePreset } | { kind: 'absolute'; from: number; to: number };

/** The URL parameters the frame owns; every page link carries them along. */
export const GLOBAL_PARAMS = ['range', 'from', 'to', 'refresh'] as const;

type Params = Pick<URLSearchParams, 'get'>;

function presetFor(key: string | null): RangePreset | undefined {
  return RANGE_PRESETS.find((preset) => preset.key === key);
}

function parseInstant(raw: string | null): number | undefined {
  if (!raw) return undefined;
  // Epoch milliseconds are accepted too, so links built by scripts stay short.
  const value = /^\d{10,}$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Reads the window from URL parameters. A fixed window wins over a preset when both are
 * valid; anything unreadable falls back to the default preset rather than failing the page.
 */
export function parseTimeRange(params: Params): TimeRange {
  const from = parseInstant(params.get('from'));
  const to = parseInstant(params.get('to'));
  if (from !== undefined && to !== undefined && from < to) {
    return { kind: 'absolute', from: Math.max(from, to - MAX_RANGE_MS), to };
  }
  const preset = presetFor(params.get('range')) ?? presetFor(DEFAULT_RANGE_KEY)!;
  return { kind: 'relative', preset };
}

export function parseRefresh(params: Params): RefreshOption {
  const key = params.get('refresh');
  return (
    REFRESH_OPTIONS.find((option) => option.key === key) ?? REFRESH_OPTIONS.find((o) => o.key === DEFAULT_REFRESH_KEY)!
  );
}

/** The absolute window in epoch milliseconds, with relative presets anchored at `now`. */
export function resolveTimeRange(range: TimeRange, now: number): { from: number; to: number } {
  if (range.kind === 'absolute') return { from: range.from, to: range.to };
  return { from: now - range.preset.ms, to: now };
}

/** URL parameters for a window; the ones it does not use are set to null (to be removed). */
export function timeRangeParams(range: TimeRange): Record<'range' | 'from' | 'to', string | null> {
  if (range.kind === 'absolute') {
    return { range: null, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
  }
  return { range: range.preset.key === DEFAULT_RANGE_KEY ? null : range.preset.key, from: null, to: null };
}

export function describeTimeRange(range: TimeRange, format: (ms: number) => string): string {
  if (range.kind === 'relative') return range.preset.label;
  return `${format(range.from)} – ${format(range.to)}`;
}

/** Milliseconds to nanoseconds as a decimal string, the unit the span and log APIs take. */
export function msToNanos(ms: number): string {
  return (BigInt(Math.round(ms)) * 1_000_000n).toString();
}
