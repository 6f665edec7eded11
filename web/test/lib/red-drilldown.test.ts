import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redTracesHref, searchDuration } from '../../src/lib/red-drilldown';
import { parseTimeRange } from '../../src/lib/time-range';
import { readTraceFilters, traceQuery } from '../../src/lib/trace-search';
import { withGlobalParams } from '../../src/lib/url';

describe('RED chart drill-down to traces', () => {
  const startMs = Date.UTC(2026, 11, 7, 10, 33);
  const point = { service: 'orders', chart: 'requests' as const, startMs, stepMs: 60_000 };
  const open = (href: string) => {
    const url = new URL(href, 'http://dashboard');
    return { path: url.pathname, params: url.searchParams };
  };

  it('opens the trace search for the service over that step alone, keeping the refresh setting', () => {
    // As the chart follows it: with the page's global parameters added (useGlobalHref).
    const { path, params } = open(withGlobalParams(redTracesHref(point), 'range=6h&refresh=off&op=other'));
    assert.equal(path, '/traces');
    assert.equal(params.get('service'), 'orders');
    assert.equal(params.get('operation'), null);
    assert.equal(params.get('errors'), null);
    assert.equal(params.get('min_duration'), null);
    assert.equal(params.get('refresh'), 'off');
    // The step's window replaces the page's preset; the service page's own keys stay behind.
    assert.equal(params.get('range'), null);
    assert.equal(params.get('op'), null);
    const window = parseTimeRange(params);
    assert.deepEqual(window, { kind: 'absolute', from: startMs, to: startMs + 60_000 });
  });

  it('the error chart asks for failed traces, the latency chart for those at least as slow as the p95', () => {
    const errors = open(redTracesHref({ ...point, chart: 'errors', operation: 'POST /orders' })).params;
    assert.equal(errors.get('errors'), '1');
    assert.equal(errors.get('operation'), 'POST /orders');
    assert.equal(errors.get('min_duration'), null);

    // A microsecond under the p95 as the API rounds it: a step's slowest span of 25,413.7 µs has
    // a p95 of at most that, given as 25.414 ms, and must still be found.
    const slow = open(redTracesHref({ ...point, chart: 'latency', p95Ms: 29.7214 })).params;
    assert.equal(slow.get('min_duration'), '29720us');
    const slowest = 25_413_700n; // ns
    const edge = open(redTracesHref({ ...point, chart: 'latency', p95Ms: 25.414 })).params.get('min_duration');
    assert.ok(BigInt(Number.parseInt(edge ?? '', 10)) * 1000n <= slowest, String(edge));
    assert.equal(slow.get('errors'), null);
    // What the traces page sends the API from that URL.
    const query = traceQuery(readTraceFilters(slow), startMs, startMs + 60_000);
    assert.equal(query.min_duration, '29720us');
    assert.equal(query.service, 'orders');

    // A step without a p95 (no requests) filters by nothing more than the window.
    const none = open(redTracesHref({ ...point, chart: 'latency', p95Ms: null })).params;
    assert.equal(none.get('min_duration'), null);
  });

  it('rounds durations down to the microsecond, in a unit the search takes', () => {
    assert.equal(searchDuration(0.0125), '12us');
    assert.equal(searchDuration(1500), '1500000us');
    // Not one under from floating point: 25.414 ms * 1000 is 25413.999… in binary.
    assert.equal(searchDuration(25.414), '25414us');
    assert.match(searchDuration(3.3), /^[0-9]+us$/);
  });
});
