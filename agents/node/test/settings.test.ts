import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { describe, it } from 'node:test';
import { formatDuration } from '../src/durations.js';
import {
  DEFAULT_CONTROL_PLANE_URL,
  DEFAULT_OTLP_ENDPOINT,
  parseResourceAttributes,
  resolveSettings,
} from '../src/settings.js';
import { buildResourceAttributes } from '../src/telemetry/resource.js';

describe('settings', () => {
  it('falls back to the laptop defaults with an empty environment', () => {
    const { settings, warnings } = resolveSettings({ service: 'orders', env: {} });
    assert.equal(settings.service, 'orders');
    assert.equal(settings.version, '0.0.0');
    assert.equal(settings.environment, 'development');
    assert.equal(settings.controlPlaneUrl, DEFAULT_CONTROL_PLANE_URL);
    assert.equal(settings.otlpEndpoint, DEFAULT_OTLP_ENDPOINT);
    assert.equal(settings.instanceId, `orders-${hostname().replace(/[^A-Za-z0-9._-]/g, '-')}-${process.pid}`);
    assert.equal(settings.registration.ttlMs, 15_000);
    assert.equal(settings.registration.heartbeatIntervalMs, 5_000);
    assert.equal(settings.kubernetes, undefined);
    assert.deepEqual(warnings, []);
  });

  it('reads the standard variables', () => {
    const { settings, warnings } = resolveSettings({
      env: {
        OTEL_SERVICE_NAME: 'payments',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
        OTEL_RESOURCE_ATTRIBUTES: 'service.version=2.1.0,deployment.environment.name=staging,team=pay%20ops',
        SIGNALBOX_URL: 'https://signalbox.internal:8443',
        SIGNALBOX_INSTANCE_ID: 'payments-a',
        SIGNALBOX_HEALTH_PORT: '9464',
        OTEL_BSP_MAX_QUEUE_SIZE: '100',
        OTEL_BLRP_SCHEDULE_DELAY: '250',
      },
    });
    assert.deepEqual(warnings, []);
    assert.equal(settings.service, 'payments');
    assert.equal(settings.version, '2.1.0');
    assert.equal(settings.environment, 'staging');
    assert.equal(settings.otlpEndpoint, 'http://collector:4318');
    assert.equal(settings.controlPlaneUrl, 'https://signalbox.internal:8443');
    assert.equal(settings.instanceId, 'payments-a');
    assert.equal(settings.healthPort, 9464);
    assert.equal(settings.resourceAttributes['team'], 'pay ops');
    assert.equal(settings.telemetry.traces.maxQueueSize, 100);
    // The batch can never be larger than the queue.
    assert.equal(settings.telemetry.traces.maxBatchSize, 100);
    assert.equal(settings.telemetry.logs.exportIntervalMs, 250);
  });

  it('lets options passed in code win over the environment', () => {
    const { settings } = resolveSettings({
      service: 'users',
      version: '3.0.0',
      environment: 'production',
      controlPlane: 'http://127.0.0.1:9000',
      otlpEndpoint: 'http://127.0.0.1:9001',
      env: { OTEL_SERVICE_NAME: 'other', SIGNALBOX_URL: 'http://elsewhere:1', SIGNALBOX_ENVIRONMENT: 'qa' },
    });
    assert.equal(settings.service, 'users');
    assert.equal(settings.version, '3.0.0');
    assert.equal(settings.environment, 'production');
    assert.equal(settings.controlPlaneUrl, 'http://127.0.0.1:9000');
    assert.equal(settings.otlpEndpoint, 'http://127.0.0.1:9001');
  });

  it('warns and falls back on every bad environment value instead of throwing', () => {
    const { settings, warnings } = resolveSettings({
      env: {
        SIGNALBOX_URL: 'not a url',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector',
        OTEL_RESOURCE_ATTRIBUTES: 'service.version=1.0.0,=orphan,broken,bad=%E0%A4%A',
        SIGNALBOX_HEALTH_PORT: '70000',
        OTEL_BSP_MAX_QUEUE_SIZE: '-5',
        OTEL_BLRP_EXPORT_TIMEOUT: 'soon',
      },
    });
    assert.equal(settings.controlPlaneUrl, DEFAULT_CONTROL_PLANE_URL);
    assert.equal(settings.otlpEndpoint, DEFAULT_OTLP_ENDPOINT);
    assert.equal(settings.version, '1.0.0');
    assert.equal(settings.healthPort, undefined);
    assert.equal(settings.telemetry.traces.maxQueueSize, 2048);
    assert.equal(settings.telemetry.logs.exportTimeoutMs, 10_000);
    assert.equal(settings.service, 'unknown-service');
    const joined = warnings.join('\n');
    for (const name of [
      'SIGNALBOX_URL',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'OTEL_RESOURCE_ATTRIBUTES: ignored "=orphan"',
      'OTEL_RESOURCE_ATTRIBUTES: ignored "broken"',
      'OTEL_RESOURCE_ATTRIBUTES: ignored "bad"',
      'SIGNALBOX_HEALTH_PORT',
      'OTEL_BSP_MAX_QUEUE_SIZE',
      'OTEL_BLRP_EXPORT_TIMEOUT',
      'no service name',
    ]) {
      assert.ok(joined.includes(name), `a warning names ${name}:\n${joined}`);
    }
  });

  it('fits a service name from the environment to what the registry takes, with a warning', () => {
    const { settings, warnings } = resolveSettings({ env: { OTEL_SERVICE_NAME: 'Orders API' } });
    assert.equal(settings.service, 'orders-api');
    assert.match(warnings.join('\n'), /OTEL_SERVICE_NAME="Orders API" is not a valid service name; using "orders-api"/);
    const long = resolveSettings({ service: 'svc', instanceId: `-${'x'.repeat(300)}`, env: {} });
    assert.equal(long.settings.instanceId, 'x'.repeat(128));
  });

  it('throws on a bad option passed in code, naming it', () => {
    assert.throws(() => resolveSettings({ service: '', env: {} }), /service must be a non-empty string/);
    assert.throws(() => resolveSettings({ service: 'Orders API', env: {} }), /service must be lower-case/);
    assert.throws(
      () => resolveSettings({ controlPlane: 'localhost:8080', env: {} }),
      /controlPlane must be an http\(s\) URL/,
    );
    assert.throws(() => resolveSettings({ address: 'nohost', env: {} }), /address must be host:port/);
    assert.throws(() => resolveSettings({ registration: { ttlMs: 0 }, env: {} }), /registration.ttlMs/);
    assert.throws(() => resolveSettings({ health: { port: 99999 }, env: {} }), /health.port/);
    assert.throws(
      () => resolveSettings({ registration: { checkIntervalMs: 1_000, checkTimeoutMs: 2_000 }, env: {} }),
      /checkTimeoutMs \(2000\) must not exceed checkIntervalMs \(1000\)/,
    );
    // Left to the default, the probe timeout shrinks to fit a short interval.
    assert.equal(
      resolveSettings({ registration: { checkIntervalMs: 500 }, env: {} }).settings.registration.checkTimeoutMs,
      500,
    );
  });

  it('turns registration off with controlPlane: false and telemetry off with OTEL_SDK_DISABLED', () => {
    const { settings } = resolveSettings({ service: 's', controlPlane: false, env: { OTEL_SDK_DISABLED: 'true' } });
    assert.equal(settings.controlPlaneUrl, undefined);
    assert.equal(settings.telemetry.enabled, false);
  });

  it('switches instrumentations with OTEL_NODE_ENABLED/DISABLED_INSTRUMENTATIONS; options in code win', () => {
    const switches = (env: Record<string, string>, instrumentations = {}) =>
      resolveSettings({ service: 's', env, telemetry: { instrumentations } });
    assert.deepEqual(switches({}).settings.telemetry.instrumentations, {
      http: true,
      undici: true,
      fastify: true,
      pg: true,
    });
    assert.deepEqual(
      switches({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'undici, @opentelemetry/instrumentation-pg' }).settings.telemetry
        .instrumentations,
      { http: true, undici: false, fastify: true, pg: false },
    );
    const onlyTwo = switches({
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'fastify,undici,redis',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'undici',
    });
    assert.deepEqual(onlyTwo.settings.telemetry.instrumentations, {
      http: false,
      undici: false,
      fastify: true,
      pg: false,
    });
    assert.ok(onlyTwo.warnings.some((w) => w.includes('OTEL_NODE_ENABLED_INSTRUMENTATIONS') && w.includes('"redis"')));
    assert.equal(
      switches({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http' }, { http: true }).settings.telemetry.instrumentations
        .http,
      true,
    );
  });

  it('reads the pod, namespace and node from the downward API in Kubernetes', () => {
    const env = {
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
      POD_NAME: 'orders-7d9f-abcde',
      POD_NAMESPACE: 'shop',
      NODE_NAME: 'node-3',
      POD_UID: '0b7e-11',
      POD_IP: '10.1.2.3',
    };
    const { settings } = resolveSettings({ service: 'orders', version: '1.2.3', env });
    assert.equal(settings.instanceId, 'orders-7d9f-abcde');
    assert.equal(settings.advertiseHost, '10.1.2.3');
    assert.equal(settings.healthHost, '0.0.0.0');
    const attributes = buildResourceAttributes(settings);
    assert.equal(attributes['k8s.pod.name'], 'orders-7d9f-abcde');
    assert.equal(attributes['k8s.namespace.name'], 'shop');
    assert.equal(attributes['k8s.node.name'], 'node-3');
    assert.equal(attributes['k8s.pod.uid'], '0b7e-11');
    assert.equal(attributes['service.name'], 'orders');
    assert.equal(attributes['service.version'], '1.2.3');
    assert.equal(attributes['service.instance.id'], 'orders-7d9f-abcde');
    assert.equal(attributes['deployment.environment.name'], 'development');
    assert.equal(attributes['host.name'], hostname());
  });

  it('keeps the Kubernetes attributes out of the resource elsewhere', () => {
    const { settings } = resolveSettings({ service: 'orders', env: {} });
    const attributes = buildResourceAttributes(settings);
    assert.equal(attributes['k8s.pod.name'], undefined);
    assert.equal(attributes['process.pid'], process.pid);
  });

  it('parses OTEL_RESOURCE_ATTRIBUTES per the specification', () => {
    const warnings: string[] = [];
    assert.deepEqual(parseResourceAttributes(' a=1 , b = x%2Cy ,, c= ', warnings), { a: '1', b: 'x,y', c: '' });
    assert.deepEqual(warnings, []);
  });

  it('formats durations the way the control plane reads them', () => {
    assert.equal(formatDuration(15_000), '15s');
    assert.equal(formatDuration(600_000), '10m');
    assert.equal(formatDuration(7_200_000), '2h');
    assert.equal(formatDuration(1_500), '1500ms');
    assert.equal(formatDuration(0), '0s');
  });
});
