import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_RANGE_MS,
  msToNanos,
  parseRefresh,
  parseTimeRange,
  resolveTimeRange,
  timeRangeParams,
} from '../../src/lib/time-range';

const q = (s: string) => new URLSearchParams(s);

describe('time range in the URL', () => {
  it('defaults to the last hour and reads presets', () => {
    const fallback = parseTimeRange(q(''));
    assert.equal(fallback.kind, 'relative');
    assert.equal(fallback.kind === 'relative' && fallback.preset.key, '1h');
    const week = parseTimeRange(q('range=7d'));
    assert.equal(week.kind === 'relative' && week.preset.ms, 7 * 24 * 3600_000);
    const bogus = parseTimeRange(q('range=42y'));
    assert.equal(bogus.kind === 'relative' && bogus.preset.key, '1h');
  });

  it('reads a fixed window from ISO or epoch milliseconds, and it wins over a preset', () => {
    const iso = parseTimeRange(q('range=15m&from=2025-01-01T10:00:00Z&to=2025-01-01T11:00:00Z'));
    assert.deepEqual(iso, { kind: 'absolute', from: Date.UTC(2025, 0, 1, 10), to: Date.UTC(2025, 0, 1, 11) });
    const epoch = parseTimeRange(q(`from=${Date.UTC(2025, 0, 1)}&to=${Date.UTC(2025, 0, 2)}`));
    assert.deepEqual(epoch, { kind: 'absolute', from: Date.UTC(2025, 0, 1), to: Date.UTC(2025, 0, 2) });
  });

  it('ignores a backwards window and caps a long one at 7 days', () => {
    const backwards = parseTimeRange(q('from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z'));
    assert.equal(backwards.kind, 'relative');
    const long = parseTimeRange(q('from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z'));
    assert.equal(long.kind === 'absolute' && long.to - long.from, MAX_RANGE_MS);
  });

  it('resolves relative windows at now and round-trips through parameters', () => {
    const now = Date.UTC(2025, 5, 1, 12);
    const range = parseTimeRange(q('range=15m'));
    assert.deepEqual(resolveTimeRange(range, now), { from: now - 15 * 60_000, to: now });
    assert.deepEqual(timeRangeParams(range), { range: '15m', from: null, to: null });
    // the default preset leaves the URL clean
    assert.deepEqual(timeRangeParams(parseTimeRange(q(''))), { range: null, from: null, to: null });
    const fixed = { kind: 'absolute' as const, from: now - 1000, to: now };
    const params = timeRangeParams(fixed);
    const back = parseTimeRange(q(new URLSearchParams(params as Record<string, string>).toString()));
    assert.deepEqual(back, fixed);
  });

  it('reads the refresh interval, defaulting to 30 s', () => {
    assert.equal(parseRefresh(q('')).ms, 30_000);
    assert.equal(parseRefresh(q('refresh=off')).ms, 0);
    assert.equal(parseRefresh(q('refresh=5s')).ms, 5_000);
    assert.equal(parseRefresh(q('refresh=3s')).ms, 30_000);
  });

  it('converts milliseconds to nanosecond strings without losing digits', () => {
    assert.equal(msToNanos(1_732_550_400_123), '1732550400123000000');
  });
});
