import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COUNT_INCREMENTS, stackFromTop } from '../../src/lib/log-volume';

describe('log volume stacking', () => {
  it('makes each band reach the sum of itself and every band after it', () => {
    // info, warn, error over three steps
    assert.deepEqual(
      stackFromTop([
        [5, 0, 1],
        [1, 2, 0],
        [0, 3, 4],
      ]),
      [
        [6, 5, 5],
        [1, 5, 4],
        [0, 3, 4],
      ],
    );
    assert.deepEqual(stackFromTop([]), []);
  });

  it('leaves its input as it was', () => {
    const bands = [[1], [2]];
    stackFromTop(bands);
    assert.deepEqual(bands, [[1], [2]]);
  });

  it('ticks counts in whole numbers', () => {
    assert.deepEqual(COUNT_INCREMENTS.slice(0, 6), [1, 2, 5, 10, 20, 50]);
    assert.ok(COUNT_INCREMENTS.every(Number.isInteger));
  });
});
