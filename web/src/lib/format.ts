// Number and time formatting shared by every page. Pure, so the rules are unit-tested.

/** Durations from milliseconds: 850 µs, 12.3 ms, 1.24 s, 2 min 5 s, 3 h 10 min. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms === 0) return '0';
  const abs = Math.abs(ms);
  if (abs < 1) return `${Math.round(ms * 1000)} µs`;
  if (abs < 10) return `${ms.toFixed(2)} ms`;
  if (abs < 1000) return `${ms < 100 ? ms.toFixed(1) : Math.round(ms)} ms`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (abs < 3_600_000) {
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1000);
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  }
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.round((ms % 3_600_000) / 60_000);
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}

/** Nanoseconds (as the API's decimal strings or numbers) to milliseconds. */
export function nanosToMs(nanos: string | number | bigint): number {
  if (typeof nanos === 'number') return nanos / 1e6;
  const big = BigInt(nanos);
  // Split to keep sub-millisecond precision without overflowing a double's integer range.
  return Number(big / 1_000_000n) + Number(big % 1_000_000n) / 1e6;
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–';
  if (perSecond === 0) return '0/s';
  if (perSecond < 0.1) return `${(perSecond * 60).toFixed(1)}/min`;
  if (perSecond < 10) return `${perSecond.toFixed(2)}/s`;
  if (perSecond < 1000) return `${perSecond.toFixed(1)}/s`;
  return `${(perSecond / 1000).toFixed(1)}k/s`;
}

/** A ratio 0..1 as a percentage. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  const pct = ratio * 100;
  if (pct === 0) return '0%';
  if (pct < 0.1) return '<0.1%';
  if (pct < 10) return `${pct.toFixed(1)}%`;
  return `${Math.round(pct)}%`;
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat('en', { notation: n >= 10_000 ? 'compact' : 'standard' }).format(n);
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** A point in time for tables: "Nov 25, 15:04:05" in the viewer's time zone. */
export function formatTime(ms: number): string {
  return timeFormat.format(ms);
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(ms: number, now: number): string {
  const diff = Math.max(0, now - ms);
  if (diff < 60_000) return `${Math.round(diff / 1000)} s ago`;
  if (diff < 3_600_000) return `${Math.round(diff / 60_000)} min ago`;
  if (diff < 86_400_000) return `${Math.round(diff / 3_600_000)} h ago`;
  return `${Math.round(diff / 86_400_000)} d ago`;
}

/** The value an <input type="datetime-local"> shows for an instant, in local time. */
export function toLocalInput(ms: number): string {
  const date = new Date(ms);
  return new Date(ms - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
