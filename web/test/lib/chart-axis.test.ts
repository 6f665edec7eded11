import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { valueAxisWidth } from '../../src/lib/chart-axis';

// 7 px a character: a stand-in for the canvas's measureText, enough to compare widths.
const measure = (label: string) => label.length * 7;

describe('chart value axis width', () => {
  it('fits the widest label, not the first or a fixed width', () => {
    const width = valueAxisWidth(['0', '50.0 ms', '100 ms'], measure, 10, 5);
    assert.ok(width >= 7 * 7 + 10 + 5, `width ${width} cuts "50.0 ms"`);
    assert.ok(width > 56, 'wider than the fixed 56 px that cut labels');
  });

  it('is narrow for short labels and for none', () => {
    assert.ok(valueAxisWidth(['0', '1'], measure, 10, 5) < 30);
    assert.equal(valueAxisWidth(null, measure, 10, 5), valueAxisWidth([], measure, 10, 5));
  });
});
