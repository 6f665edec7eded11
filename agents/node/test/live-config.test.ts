// Live configuration and breakers against a real control plane process: a published version
// arrives within 1 s and is applied through the service's parser and acknowledged; a version the
// parser refuses is acknowledged as rejected and the good one stays; the last good version is
// kept on disk, so an agent started while the control plane is down runs it, and an agent that
// was away catches up; a breaker forced open by an operator short-circuits to its fallback and
// is released at the command's expiry; breaker state and transitions reach the fleet view.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { type Agent, start } from '../src/agent.js';
import { ControlPlane, eventually } from './helpers/control-plane.js';
import { keepEventLoopAlive } from './helpers/event-loop.js';
import { fastOptions, recordingLogger } from './helpers/service.js';

keepEventLoopAlive();

interface Shape {
  greeting: string;
  limit: number;
}

function parseShape(raw: unknown): Shape {
  const doc = raw as Partial<Shape> | null;
  if (typeof doc?.greeting !== 'string') throw new Error('greeting must be a string');
  if (typeof doc.limit !== 'number' || doc.limit < 1) throw new Error('limit must be a number ≥ 1');
  return { greeting: doc.greeting, limit: doc.limit };
}

describe('live configuration and breakers', () => {
  let controlPlane: ControlPlane;
  let agent: Agent<Shape> | undefined;
  const cacheDir = mkdtempSync(join(tmpdir(), 'signalbox-config-cache-'));
  const service = 'live-config-test';
  const doc = `/api/v1/config/${service}/test`;

  const send = (method: string, path: string, body?: unknown) =>
    context.with(suppressTracing(context.active()), async () => {
      const response = await fetch(`${controlPlane.apiUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
    });
  const publish = (content: unknown, base: number) =>
    send('POST', `${doc}/versions`, { content, base_version: base, message: `v${base + 1}` });
  const startAgent = (instanceId: string) =>
    start<Shape>({
      ...fastOptions({
        service,
        instanceId,
        controlPlane: controlPlane.apiUrl,
        otlpEndpoint: controlPlane.otlpUrl,
        logger: recordingLogger(),
        address: '127.0.0.1:1',
        telemetry: { enabled: false },
        liveConfig: { cacheDir, breakerReportIntervalMs: 300 },
      }),
      parseConfig: parseShape,
    });

  before(async () => {
    controlPlane = await ControlPlane.reserve();
    await controlPlane.start();
  });
  after(async () => {
    await agent?.shutdown({ timeoutMs: 1_000 });
    await controlPlane.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('applies a published version within 1 s, typed, and acknowledges it', async () => {
    assert.equal((await publish({ greeting: 'hello', limit: 5 }, 0)).status, 201);
    agent = startAgent('live-a');
    const changes: number[] = [];
    agent.config.on('change', (change) => changes.push(change.version));
    await eventually('version 1', () => (agent?.config.version === 1 ? true : undefined), 5_000);
    assert.deepEqual(agent.config.get(), { greeting: 'hello', limit: 5 });

    const published = Date.now();
    assert.equal((await publish({ greeting: 'hi', limit: 9 }, 1)).status, 201);
    await eventually('version 2', () => (agent?.config.version === 2 ? true : undefined), 1_000, 10);
    assert.ok(Date.now() - published < 1_000);
    assert.equal(agent.config.get()?.limit, 9);
    assert.deepEqual(changes, [1, 2]);
    const drift = await eventually('ack of version 2', async () => {
      const view = await controlPlane.get<{
        instances: { instance_id: string; applied_version: number | null; in_sync: boolean }[];
      }>(`${doc}/instances`);
      const mine = view.body.instances.find((i) => i.instance_id === 'live-a');
      return mine?.applied_version === 2 ? mine : undefined;
    });
    assert.equal(drift.in_sync, true);
    const cached = JSON.parse(readFileSync(join(cacheDir, `${service}.test.config.json`), 'utf8')) as {
      version: number;
    };
    assert.equal(cached.version, 2);
  });

  it('rejects a version its parser refuses, says why, and keeps the good one (also on disk)', async () => {
    assert.equal((await publish({ greeting: 'broken', limit: 0 }, 2)).status, 201);
    const ack = await eventually('rejection', async () => {
      const view = await controlPlane.get<{
        instances: {
          instance_id: string;
          last_ack: { version: number; status: string; reason: string } | null;
          applied_version: number;
        }[];
      }>(`${doc}/instances`);
      const mine = view.body.instances.find((i) => i.instance_id === 'live-a');
      return mine?.last_ack?.version === 3 ? mine : undefined;
    });
    assert.equal(ack.last_ack?.status, 'rejected');
    assert.equal(ack.last_ack?.reason, 'limit must be a number ≥ 1');
    assert.equal(ack.applied_version, 2);
    assert.equal(agent?.config.version, 2);
    assert.equal(agent?.config.get()?.greeting, 'hi');
    assert.equal(agent?.stats().config.rejected, 1);
    const cached = JSON.parse(readFileSync(join(cacheDir, `${service}.test.config.json`), 'utf8')) as {
      version: number;
    };
    assert.equal(cached.version, 2, 'the bad version never reached the disk');
  });

  it('an agent that was away starts on the cached version and catches up', async () => {
    await agent?.shutdown({ timeoutMs: 1_000 });
    assert.equal((await publish({ greeting: 'while away', limit: 3 }, 3)).status, 201);
    agent = startAgent('live-a');
    await agent.config.ready();
    assert.equal(agent.config.version, 2, 'the last good version from disk, before the control plane answered');
    await eventually('version 4', () => (agent?.config.version === 4 ? true : undefined), 3_000);
    assert.equal(agent.config.get()?.greeting, 'while away');
  });

  it('starts on the last good version while the control plane is down', async () => {
    await agent?.shutdown({ timeoutMs: 1_000 });
    await controlPlane.kill();
    agent = startAgent('live-b');
    await agent.config.ready();
    assert.equal(agent.config.version, 4);
    assert.deepEqual(agent.config.get(), { greeting: 'while away', limit: 3 });
    assert.equal(agent.stats().config.source, 'cache');
    await agent.shutdown({ timeoutMs: 500 });
    agent = undefined;
    await controlPlane.start();
  });

  it('a breaker forced open short-circuits to its fallback and is released at expiry; the fleet view shows it', async () => {
    agent = startAgent('live-c');
    let calls = 0;
    const breaker = agent.breaker(
      'downstream',
      async (value: number) => {
        calls += 1;
        return value * 2;
      },
      { dependency: 'payments', fallback: () => -1, minimumCalls: 5 },
    );
    assert.equal(await breaker.fire(2), 4);
    await eventually('breaker reported', async () => {
      const fleet = await controlPlane.get<{
        services: { service: string; breakers: { name: string; instances: { instance_id: string }[] }[] }[];
      }>(`/api/v1/breakers?service=${service}`);
      return fleet.body.services[0]?.breakers[0]?.instances.some((i) => i.instance_id === 'live-c') ? true : undefined;
    });
    const command = await send('POST', '/api/v1/breakers/commands', {
      action: 'force_open',
      scope: 'instance',
      service,
      instance_id: 'live-c',
      breaker: 'downstream',
      reason: 'payments maintenance',
      expires_in: '1500ms',
    });
    assert.equal(command.status, 201);
    const expiresAt = command.body.expires_at as number;
    await eventually('forced open', () => (breaker.forced === 'open' ? true : undefined), 2_000, 10);
    const before = calls;
    assert.equal(await breaker.fire(3), -1, 'short-circuited to the fallback');
    assert.equal(calls, before, 'the function was not called');
    assert.equal(breaker.state, 'open');

    await eventually('released at expiry', () => (breaker.forced === null ? true : undefined), 3_000, 10);
    assert.ok(Date.now() >= expiresAt, 'not before the expiry');
    assert.ok(Date.now() - expiresAt < 1_000, 'released within 1 s of the expiry');
    assert.equal(await breaker.fire(5), 10);

    const acks = await eventually('acks', async () => {
      const view = await controlPlane.get<{ status: string; acks: { status: string }[] }>(
        `/api/v1/breakers/commands/${command.body.id}`,
      );
      const statuses = view.body.acks.map((a) => a.status);
      return view.body.status === 'expired' && statuses.includes('released') ? view.body : undefined;
    });
    assert.equal(acks.acks[0]?.status, 'released');
    const transitions = await eventually('transitions', async () => {
      const view = await controlPlane.get<{ transitions: { to: string; reason: string }[] }>(
        `/api/v1/breakers/transitions?service=${service}&name=downstream`,
      );
      return view.body.transitions.length >= 2 ? view.body.transitions : undefined;
    });
    assert.deepEqual(
      transitions.map((t) => t.to),
      ['closed', 'open'],
    );
    assert.match(transitions[1]?.reason ?? '', /forced open: payments maintenance/);
  });
});
