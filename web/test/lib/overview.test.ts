import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findRegressions, hasBaseline, MIN_REQUESTS, type RedFigures } from '../../src/lib/overview';

const node = (name: string, figures: Partial<RedFigures> = {}): RedFigures => ({
  id: `service:${name}`,
  name,
  type: 'service',
  requests: 100,
  errors: 0,
  error_rate: 0,
  p95_ms: 20,
  ...figures,
});

describe('overview: what rose against the window before', () => {
  it('finds a service failing more, and one slower by half and 50 ms, errors first', () => {
    const before = [node('orders'), node('users', { p95_ms: 100 })];
    const now = [node('orders', { errors: 10, error_rate: 0.1 }), node('users', { p95_ms: 200 })];
    assert.deepEqual(
      findRegressions(now, before).map((r) => [r.name, r.kind]),
      [
        ['orders', 'errors'],
        ['users', 'latency'],
      ],
    );
  });

  it('has a baseline only where some service had enough requests before', () => {
    assert.equal(hasBaseline([]), false);
    assert.equal(hasBaseline([node('orders', { requests: MIN_REQUESTS - 1 })]), false);
    assert.equal(hasBaseline([{ ...node('db'), type: 'database' }]), false);
    assert.equal(hasBaseline([node('orders', { requests: MIN_REQUESTS })]), true);
  });

  it('with no baseline, judges errors alone: a new service already failing is listed, latency is not', () => {
    const now = [node('orders', { errors: 10, error_rate: 0.1, p95_ms: 900 })];
    assert.deepEqual(
      findRegressions(now, []).map((r) => [r.name, r.kind, r.before]),
      [['orders', 'errors', null]],
    );
  });
});
