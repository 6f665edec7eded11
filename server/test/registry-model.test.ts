// Unit tests of the registry's pure parts: durations, addresses, registration normalization,
// status merging and service aggregation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../src/errors.js';
import { formatDuration, parseDuration } from '../src/registry/durations.js';
import { normalizeRegistration, parseAddress } from '../src/registry/registration.js';
import { aggregateStatus, worstOf } from '../src/registry/status.js';
import { decideStatus, deriveSources } from '../src/registry/status-sources.js';

describe('durations', () => {
  it('parses Consul-style strings', () => {
    assert.equal(parseDuration('10s'), 10_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('2h'), 7_200_000);
    for (const bad of ['10', 's', '10 s', '-1s', '1d', '']) assert.equal(parseDuration(bad), undefined, bad);
  });

  it('formats back to the shortest exact string', () => {
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(600_000), '10m');
    assert.equal(formatDuration(1500), '1500ms');
    assert.equal(formatDuration(0), '0s');
    for (const ms of [100, 1000, 61_000, 3_723_000]) assert.equal(parseDuration(formatDuration(ms)), ms);
  });
});

describe('addresses', () => {
  it('accepts host:port, IPv4 and bracketed IPv6', () => {
    assert.deepEqual(parseAddress('users.default.svc:8080'), { host: 'users.default.svc', port: 8080 });
    assert.deepEqual(parseAddress('10.0.0.7:80'), { host: '10.0.0.7', port: 80 });
    assert.deepEqual(parseAddress('[::1]:9000'), { host: '::1', port: 9000 });
  });

  it('refuses what is not host:port', () => {
    for (const bad of [
      'users',
      'users:',
      ':80',
      'users:0',
      'users:65536',
      '::1:80',
      '[nothost]:80',
      'a b:80',
      'x:80:90',
    ]) {
      assert.equal(parseAddress(bad), undefined, bad);
    }
  });
});

describe('registration normalization', () => {
  it('fills in defaults and keeps durations in milliseconds', () => {
    const reg = normalizeRegistration({
      service: 'users',
      address: 'users:8080',
      ttl: '15s',
      checks: [{ type: 'http' }, { type: 'tcp', interval: '5s' }],
    });
    assert.match(reg.id, /^users-[0-9a-f]{8}$/);
    assert.equal(reg.ttlMs, 15_000);
    assert.equal(reg.deregisterAfterMs, 600_000);
    const [http, tcp] = reg.checks;
    assert.equal(http?.type, 'http');
    assert.equal(http?.id, 'http-1');
    assert.equal(http?.intervalMs, 10_000);
    assert.equal(http?.timeoutMs, 2000);
    assert.equal(http?.jitterMs, 1000);
    assert.equal(http?.type === 'http' && http.path, '/healthz');
    assert.equal(http?.type === 'http' && http.expectedStatus, '200-399');
    assert.equal(tcp?.id, 'tcp-2');
    assert.equal(tcp?.timeoutMs, 2000);
    assert.equal(tcp?.jitterMs, 500);
  });

  it('names every field to fix in one error', () => {
    try {
      normalizeRegistration({
        service: 'users',
        address: 'users',
        ttl: '10ms',
        labels: { 'bad key!': 'x' },
        checks: [
          { type: 'http', interval: '1s', timeout: '2s', expected_status: '99-700' },
          { type: 'tcp', path: '/x' },
          { type: 'tcp', id: 'tcp-2' },
        ],
      });
      assert.fail('expected a validation error');
    } catch (error) {
      assert.ok(error instanceof ApiError);
      assert.equal(error.statusCode, 400);
      const paths = (error.fields ?? []).map((f) => f.path).sort();
      assert.deepEqual(paths, [
        '/body/address',
        '/body/checks/0/expected_status',
        '/body/checks/0/timeout',
        '/body/checks/1/path',
        '/body/checks/2/id',
        '/body/labels/bad key!',
        '/body/ttl',
      ]);
    }
  });

  it('limits labels by count and by size', () => {
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    assert.throws(() => normalizeRegistration({ service: 's', address: 'h:1', labels: many }), /at most 64/);
    const big = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'v'.repeat(500)]));
    assert.throws(() => normalizeRegistration({ service: 's', address: 'h:1', labels: big }), /bytes; at most 16384/);
  });
});

describe('status', () => {
  const base = { checks: [], ttlMs: null, lastHeartbeatAt: null, registeredAt: 1000, external: {} };

  it('takes the worst source, unknown above passing, first listed on a tie', () => {
    assert.equal(
      worstOf([
        { source: 'a', status: 'passing', reason: '' },
        { source: 'b', status: 'unknown', reason: '' },
      ])?.source,
      'b',
    );
    assert.equal(
      worstOf([
        { source: 'a', status: 'critical', reason: '' },
        { source: 'b', status: 'critical', reason: '' },
        { source: 'c', status: 'warning', reason: '' },
      ])?.source,
      'a',
    );
  });

  it('turns a missed TTL critical and records the deciding source', () => {
    const inputs = { ...base, ttlMs: 5000, lastHeartbeatAt: 10_000 };
    assert.equal(decideStatus(inputs, 14_000).status, 'passing');
    const missed = decideStatus(inputs, 15_001);
    assert.equal(missed.status, 'critical');
    assert.equal(missed.source, 'ttl');
    assert.match(missed.reason, /no heartbeat for 5\.0s \(TTL 5s\)/);
  });

  it('merges outside sources: a passing check and a critical kubernetes make critical', () => {
    const decision = decideStatus(
      {
        ...base,
        checks: [{ id: 'http-1', name: 'HTTP GET /healthz', status: 'passing', output: 'HTTP 200 OK', checkedAt: 1 }],
        external: { kubernetes: { status: 'critical', reason: 'pod not ready', at: 2 } },
      },
      3,
    );
    assert.deepEqual(decision, { source: 'kubernetes', status: 'critical', reason: 'pod not ready', at: 2 });
  });

  it('counts an instance without any signal as passing (registration)', () => {
    const sources = deriveSources({ ...base, checks: [] }, 5);
    assert.deepEqual(
      sources.map((s) => [s.source, s.status]),
      [['registration', 'passing']],
    );
  });

  it('aggregates a service from its instances', () => {
    const counts = (passing: number, warning: number, critical: number, unknown: number) => ({
      passing,
      warning,
      critical,
      unknown,
    });
    assert.equal(aggregateStatus(counts(3, 0, 0, 0)), 'passing');
    assert.equal(aggregateStatus(counts(2, 0, 0, 1)), 'passing');
    assert.equal(aggregateStatus(counts(2, 0, 1, 0)), 'warning');
    assert.equal(aggregateStatus(counts(2, 1, 0, 0)), 'warning');
    assert.equal(aggregateStatus(counts(0, 0, 2, 0)), 'critical');
    assert.equal(aggregateStatus(counts(0, 0, 0, 2)), 'unknown');
    assert.equal(aggregateStatus(counts(0, 0, 0, 0)), 'unknown');
  });
});
