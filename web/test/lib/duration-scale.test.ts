import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationScale } from '../../src/lib/duration-scale';

describe('trace scatter duration scale', () => {
  it('is linear from 0 at the bottom when durations are close', () => {
    const scale = durationScale([58, 140, 171], 10, 158);
    assert.equal(scale.log, false);
    assert.deepEqual(scale.ticks, [0, 85.5, 171]);
    assert.equal(scale.y(0), 158, '0 ms is the bottom line, not the shortest trace');
    assert.equal(scale.y(171), 10);
    assert.equal(scale.y(85.5), 84);
    assert.ok(scale.y(58) < 158 && scale.y(58) > scale.y(85.5));
  });

  it('is logarithmic from the shortest trace when they spread over 100×', () => {
    const scale = durationScale([2, 2000], 0, 100);
    assert.equal(scale.log, true);
    assert.equal(scale.y(2), 100);
    assert.equal(scale.y(2000), 0);
    assert.ok(Math.abs(scale.y(Math.sqrt(4000)) - 50) < 1e-9);
    assert.ok(Math.abs((scale.ticks[1] ?? 0) - Math.sqrt(4000)) < 1e-9);
  });

  it('has a scale for no traces and for a single one', () => {
    assert.equal(durationScale([], 0, 100).y(0), 100);
    assert.equal(durationScale([5], 0, 100).y(5), 0);
  });
});
