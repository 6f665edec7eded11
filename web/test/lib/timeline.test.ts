import assert from 'node:assert/strict';
import { it } from 'node:test';
import { timelineSegments } from '../../src/lib/timeline';

it('covers the window with the status each transition set', () => {
  const transitions = [
    { at: 50, from: 'passing', to: 'critical' },
    { at: 10, from: 'none', to: 'passing' },
    { at: 80, from: 'critical', to: 'passing' },
  ];
  assert.deepEqual(timelineSegments(transitions, 0, 100, 'passing'), [
    { status: 'none', start: 0, end: 10 },
    { status: 'passing', start: 10, end: 50 },
    { status: 'critical', start: 50, end: 80 },
    { status: 'passing', start: 80, end: 100 },
  ]);
  // A transition before the window decides where it starts.
  assert.deepEqual(timelineSegments(transitions, 60, 100, 'passing'), [
    { status: 'critical', start: 60, end: 80 },
    { status: 'passing', start: 80, end: 100 },
  ]);
});

it('uses the current status without transitions, and merges equal neighbours', () => {
  assert.deepEqual(timelineSegments([], 0, 10, 'warning'), [{ status: 'warning', start: 0, end: 10 }]);
  assert.deepEqual(timelineSegments([{ at: 5, from: 'passing', to: 'passing' }], 0, 10, 'passing'), [
    { status: 'passing', start: 0, end: 10 },
  ]);
  assert.deepEqual(timelineSegments([], 10, 10, 'passing'), []);
});
