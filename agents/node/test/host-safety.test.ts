// The agent never hurts its host: start() does not wait and does not throw on bad settings from
// the environment, the agent alone never keeps a process alive, shutdown keeps its deadline with
// the control plane down, and only one agent runs per process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { trace } from '@opentelemetry/api';
import { start } from '../src/agent.js';
import { freePort } from './helpers/control-plane.js';
import { keepEventLoopAlive } from './helpers/event-loop.js';
import { fastOptions, recordingLogger } from './helpers/service.js';

keepEventLoopAlive();

const IDLE_HOST = fileURLToPath(new URL('./fixtures/idle-host.ts', import.meta.url));

describe('host safety', () => {
  it('an agent alone never keeps the process alive', async () => {
    const port = await freePort(); // nothing listens there
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', IDLE_HOST, `http://127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    clearTimeout(killer);
    assert.equal(signal, null, `the process had to be killed; it printed:\n${output}`);
    assert.equal(code, 0, output);
    const report = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as {
      startMs: number;
      stats: { controlPlane: { failures: number }; spans: { failedExports: number } };
    };
    assert.ok(report.startMs < 500, `start() took ${report.startMs} ms`);
    assert.ok(report.stats.controlPlane.failures >= 1, 'it did try to register');
    // Exits soon after its last work: at most the exporter's own 0.5 s retry budget later.
    assert.ok(Date.now() - started < 10_000, `exited after ${Date.now() - started} ms`);
  });

  it('shutdown keeps its deadline when the control plane hangs, and counts what it could not send', async () => {
    // Accepts connections and never answers: the worst case for a deadline.
    const sockets: Socket[] = [];
    const hanging = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const agent = start(
      fastOptions({
        service: 'shutdown-deadline',
        controlPlane: url,
        otlpEndpoint: url,
        address: '127.0.0.1:1',
        logger: recordingLogger(),
        telemetry: { traces: { exportIntervalMs: 60_000, exportTimeoutMs: 5_000 } },
      }),
    );
    try {
      const tracer = trace.getTracer('test');
      for (let i = 0; i < 50; i++) tracer.startSpan(`job-${i}`).end();
      assert.equal(agent.stats().spans.queued, 50);
      const started = Date.now();
      const report = await agent.shutdown({ timeoutMs: 800 });
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 750 && elapsed < 1_300, `shutdown took ${elapsed} ms for an 800 ms deadline`);
      assert.equal(report.flushed, false);
      assert.equal(report.deregistered, false);
      const stats = agent.stats();
      assert.equal(stats.spans.queued, 0);
      assert.equal(stats.spans.exported, 0);
      assert.equal(stats.spans.dropped, 50);
      // Idempotent: a second call returns the same report without waiting again.
      const again = Date.now();
      assert.deepEqual(await agent.shutdown({ timeoutMs: 800 }), report);
      assert.ok(Date.now() - again < 50);
    } finally {
      for (const socket of sockets) socket.destroy();
      hanging.close();
    }
  });

  it('shutdown returns early when the control plane refuses connections', async () => {
    const port = await freePort();
    const agent = start(
      fastOptions({
        service: 'shutdown-refused',
        controlPlane: `http://127.0.0.1:${port}`,
        otlpEndpoint: `http://127.0.0.1:${port}`,
        address: '127.0.0.1:1',
        logger: recordingLogger(),
      }),
    );
    trace.getTracer('test').startSpan('job').end();
    const started = Date.now();
    const report = await agent.shutdown({ timeoutMs: 5_000 });
    // One refused export ends the flush: the host does not sit out the whole deadline.
    assert.ok(Date.now() - started < 2_000, `shutdown took ${Date.now() - started} ms`);
    assert.equal(report.flushed, false);
    assert.equal(agent.stats().spans.dropped, 1);
  });

  it('does not throw on bad settings from the environment; it warns and falls back', async () => {
    const logger = recordingLogger();
    const agent = start({
      logger,
      controlPlane: false,
      env: {
        OTEL_SERVICE_NAME: 'Billing Service',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_RESOURCE_ATTRIBUTES: 'team',
        OTEL_BSP_MAX_QUEUE_SIZE: 'lots',
        SIGNALBOX_HEALTH_PORT: 'eighty',
      },
    });
    try {
      assert.equal(agent.service, 'billing-service');
      assert.equal(agent.settings.otlpEndpoint, 'http://127.0.0.1:4318');
      assert.equal(agent.settings.telemetry.traces.maxQueueSize, 2048);
      const warnings = logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
      assert.equal(warnings.length, 5, warnings.join('\n'));
      assert.equal(agent.stats().controlPlane, undefined);
      assert.equal(agent.stats().telemetryActive, true);
    } finally {
      await agent.shutdown({ timeoutMs: 200 });
    }
  });

  it('runs one agent per process, and a new one after shutdown', async () => {
    const options = fastOptions({ service: 'only-one', controlPlane: false, logger: recordingLogger() });
    const first = start(options);
    assert.throws(() => start(options), /already running in this process \(service only-one\)/);
    await first.shutdown({ timeoutMs: 200 });
    const second = start(options);
    try {
      trace.getTracer('test').startSpan('after-restart').end();
      assert.equal(second.stats().spans.queued, 1, 'the second agent has the global tracer provider');
    } finally {
      await second.shutdown({ timeoutMs: 200 });
    }
  });
});
