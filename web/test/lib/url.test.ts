import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { patchQuery, toHref, withGlobalParams } from '../../src/lib/url';

describe('URL state', () => {
  it('patches a query: set, remove, repeat', () => {
    const next = patchQuery('a=1&b=2&tag=x', { a: '3', b: null, tag: ['y', 'z'], empty: '', flag: true });
    assert.equal(next.toString(), 'a=3&tag=y&tag=z&flag=true');
  });

  it('carries the time window and refresh into links, never other filters', () => {
    const current = 'range=6h&refresh=off&service=orders';
    assert.equal(withGlobalParams('/traces', current), '/traces?range=6h&refresh=off');
    assert.equal(
      withGlobalParams('/traces?service=users&range=15m', current),
      '/traces?service=users&range=15m&refresh=off',
    );
    assert.equal(withGlobalParams('/logs', ''), '/logs');
  });

  it('carries the time window as one: a link with a window of its own keeps it whole', () => {
    const fixed = 'from=2026-12-07T10:00:00.000Z&to=2026-12-07T11:00:00.000Z&refresh=off';
    // A preset beside the page's fixed window would lose to it.
    assert.equal(withGlobalParams('/traces?range=15m', fixed), '/traces?range=15m&refresh=off');
    assert.equal(
      withGlobalParams('/logs?from=2026-12-07T10:30:00.000Z&to=2026-12-07T10:32:00.000Z', 'range=6h&refresh=10s'),
      '/logs?from=2026-12-07T10%3A30%3A00.000Z&to=2026-12-07T10%3A32%3A00.000Z&refresh=10s',
    );
  });

  it('builds hrefs without a dangling question mark', () => {
    assert.equal(toHref('/services', new URLSearchParams()), '/services');
    assert.equal(toHref('/services', new URLSearchParams('q=a')), '/services?q=a');
  });
});
