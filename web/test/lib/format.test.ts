import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatAgo, formatDuration, formatPercent, formatRate, nanosToMs } from '../../src/lib/format';

it('formats durations across units', () => {
  assert.equal(formatDuration(0), '0');
  assert.equal(formatDuration(0.25), '250 µs');
  assert.equal(formatDuration(3.456), '3.46 ms');
  assert.equal(formatDuration(42.31), '42.3 ms');
  assert.equal(formatDuration(420), '420 ms');
  assert.equal(formatDuration(1234), '1.23 s');
  assert.equal(formatDuration(125_000), '2 min 5 s');
  assert.equal(formatDuration(3 * 3600_000 + 10 * 60_000), '3 h 10 min');
});

it('converts API nanosecond strings to milliseconds precisely', () => {
  assert.equal(nanosToMs('1732550400123456789'), 1732550400123.4568);
  assert.equal(nanosToMs('1500000'), 1.5);
});

it('formats rates, percentages and ages', () => {
  assert.equal(formatRate(0.05), '3.0/min');
  assert.equal(formatRate(2.5), '2.50/s');
  assert.equal(formatRate(12_345), '12.3k/s');
  assert.equal(formatPercent(0), '0%');
  assert.equal(formatPercent(0.0004), '<0.1%');
  assert.equal(formatPercent(0.053), '5.3%');
  assert.equal(formatPercent(0.5), '50%');
  assert.equal(formatAgo(1_000, 13_000), '12 s ago');
  assert.equal(formatAgo(0, 7_200_000), '2 h ago');
});
