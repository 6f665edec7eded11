import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { connectBroker } from '../src/events/broker-transport.js';
import { createEventBus } from '../src/events/event-bus.js';
import { freePorts } from './helpers/processes.js';

const MAIN = fileURLToPath(new URL('../src/broker/main.ts', import.meta.url));

test('the fallback broker runs as its own process and stops on SIGTERM', async () => {
  const [port] = await freePorts(1);
  const address = `127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, DEMO_BROKER_ADDRESS: address },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  try {
    const logger = pino({ level: 'silent' });
    // Services start beside the broker and wait for it: so does this client.
    const producer = createEventBus(await connectBroker({ address, logger }), {
      source: 'users',
      subjectPrefix: 'shop',
    });
    const consumer = createEventBus(await connectBroker({ address, logger }), {
      source: 'notifications',
      subjectPrefix: 'shop',
    });
    let received: (data: unknown) => void = () => undefined;
    const got = new Promise<unknown>((resolve) => {
      received = resolve;
    });
    await consumer.subscribe('notifications', ['user.created'], async (event) => received(event.data));
    await producer.publish('user.created', { user_id: 'u-1' });
    assert.deepEqual(await got, { user_id: 'u-1' });
    await producer.close();
    await consumer.close();
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = await exited;
  assert.equal(code, 0);
});
