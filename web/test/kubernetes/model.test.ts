// The Kubernetes pages' pure rules: pod order, rollout shares, container choice, log lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  comparePods,
  describeContainerState,
  logLevel,
  logLineMs,
  logStreamUrl,
  pickContainer,
  rolloutShares,
} from '../../src/components/kubernetes/model.js';
import type { KubeContainer, KubePod } from '../../src/components/kubernetes/types.js';

const container = (over: Partial<KubeContainer>): KubeContainer => ({
  name: 'app',
  init: false,
  image: 'app:1',
  ready: true,
  restarts: 0,
  state: 'running',
  reason: null,
  message: null,
  started_at: null,
  last_termination: null,
  ...over,
});

const pod = (name: string, severity: KubePod['severity'], restarts = 0): KubePod =>
  ({ name, namespace: 'shop', severity, restarts }) as KubePod;

test('pods sort critical, then warning, then by restarts and name', () => {
  const sorted = [pod('b', 'ok', 9), pod('a', 'warning'), pod('c', 'critical', 1), pod('d', 'critical', 7)].sort(
    comparePods,
  );
  assert.deepEqual(
    sorted.map((p) => p.name),
    ['d', 'c', 'a', 'b'],
  );
});

test('a rollout that has barely started does not look done', () => {
  const base = { state: 'progressing', message: '', current: 4, ready: 3, revision: '2' } as const;
  assert.deepEqual(rolloutShares({ ...base, desired: 3, updated: 1, available: 3, unavailable: 1 }), {
    updated: 1 / 3,
    done: 1 / 3,
  });
  // Updated but not available yet: progress without completion.
  assert.deepEqual(rolloutShares({ ...base, desired: 1, updated: 1, available: 0, unavailable: 1 }), {
    updated: 1,
    done: 0,
  });
  // Scaled to zero: no division by zero.
  assert.deepEqual(rolloutShares({ ...base, desired: 0, updated: 0, available: 0, unavailable: 0 }), {
    updated: 0,
    done: 0,
  });
});

test('the log viewer picks the asked container, else the first app container', () => {
  const containers = [
    container({ name: 'init-db', init: true }),
    container({ name: 'app' }),
    container({ name: 'proxy' }),
  ];
  assert.equal(pickContainer(containers, 'proxy'), 'proxy');
  assert.equal(pickContainer(containers, 'gone'), 'app');
  assert.equal(pickContainer(containers, null), 'app');
  assert.equal(pickContainer([], null), null);
});

test('container state reads like kubectl describe', () => {
  assert.equal(
    describeContainerState(container({ state: 'waiting', reason: 'CrashLoopBackOff' })),
    'Waiting: CrashLoopBackOff',
  );
  assert.equal(describeContainerState(container({})), 'Running');
});

test('log lines: level from JSON or words, kubelet nanoseconds to milliseconds', () => {
  assert.equal(logLevel('{"level":"error","msg":"boom"}'), 'error');
  assert.equal(logLevel('{"level":"info","msg":"error budget ok"}'), 'info', 'the JSON level wins over words');
  assert.equal(logLevel('WARN disk at 91%'), 'warn');
  assert.equal(logLevel('    at TCPConnectWrap.afterConnect (node:net:1607:16)'), 'error');
  assert.equal(logLevel('GET /healthz 200'), 'info');
  assert.equal(logLineMs({ time_ns: '1732546000123456789', text: '' }), 1732546000123);
  assert.equal(logLineMs({ time_ns: null, text: '' }), null);
});

test('the follow URL goes through the dashboard proxy with the container and tail', () => {
  assert.equal(
    logStreamUrl('shop', 'payments-1', 'payments', 200),
    '/api/v1/kubernetes/namespaces/shop/pods/payments-1/logs/stream?container=payments&tail_lines=200',
  );
});
