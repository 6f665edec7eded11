import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingRootNote, STILL_ARRIVING_MS } from '../../src/lib/trace-search';

describe('a trace without its root span', () => {
  const now = Date.parse('2026-12-07T05:00:00Z');
  const ended = (agoMs: number) => ({ has_root: false, start_at: now - agoMs - 20, duration_ms: 20 });

  it('says nothing when the root is there', () => {
    assert.equal(missingRootNote({ ...ended(0), has_root: true }, now), null);
  });

  it('is still arriving right after its last span, and missing once exporters had time to send it', () => {
    assert.equal(missingRootNote(ended(2_000), now), 'root span not received yet');
    assert.equal(missingRootNote(ended(STILL_ARRIVING_MS - 1), now), 'root span not received yet');
    assert.equal(missingRootNote(ended(STILL_ARRIVING_MS), now), 'root span missing');
    assert.equal(missingRootNote(ended(60 * 60_000), now), 'root span missing');
  });
});
