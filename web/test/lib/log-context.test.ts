import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CONTEXT_AFTER_MS,
  CONTEXT_BEFORE_MS,
  logContextHref,
  NO_LOG_FILTERS,
  patternRecordsHref,
  readLogFilters,
} from '../../src/lib/log-search';
import { parseTimeRange } from '../../src/lib/time-range';

describe('log context link', () => {
  const at = Date.UTC(2026, 11, 7, 10, 33, 45, 120);

  it('opens the same service and instance around the record, marking it', () => {
    const href = logContextHref({
      id: 42,
      service: 'orders',
      time_at: at,
      resource: { 'service.name': 'orders', 'service.instance.id': '12345' },
    });
    const url = new URL(href, 'http://x');
    assert.equal(url.pathname, '/logs');
    assert.deepEqual(readLogFilters(url.searchParams), {
      service: 'orders',
      minSeverity: '',
      contains: '',
      pattern: '',
      // Quoted, so an instance id of digits stays a string to the filter.
      attributes: ['service.instance.id="12345"'],
      traceId: '',
    });
    assert.deepEqual(parseTimeRange(url.searchParams), {
      kind: 'absolute',
      from: at - CONTEXT_BEFORE_MS,
      to: at + CONTEXT_AFTER_MS,
    });
    assert.equal(url.searchParams.get('focus'), '42');
  });

  it('leaves the instance out when the resource names none, and the mark for a tailed record', () => {
    const url = new URL(logContextHref({ service: 'users', time_at: at, resource: {} }), 'http://x');
    assert.deepEqual(url.searchParams.getAll('attribute'), []);
    assert.equal(url.searchParams.get('focus'), null);
    assert.equal(url.searchParams.get('service'), 'users');
  });
});

describe('pattern records link', () => {
  it('keeps the filters, sets the pattern, and leaves the patterns view', () => {
    const filters = { ...NO_LOG_FILTERS, service: 'orders', minSeverity: 'warn', attributes: ['tenant=acme'] };
    const href = patternRecordsHref(filters, 'order <*> was cancelled: 50% & more');
    const url = new URL(href, 'http://x');
    assert.equal(url.pathname, '/logs');
    assert.equal(url.searchParams.get('view'), null);
    assert.deepEqual(readLogFilters(url.searchParams), {
      ...filters,
      pattern: 'order <*> was cancelled: 50% & more',
    });
  });
});
