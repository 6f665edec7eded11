// Two server processes on one PostgreSQL store: an agent channel held on one replica receives a
// version published through the other within 1 s (LISTEN/NOTIFY), and a breaker command made on
// one reaches a channel on the other.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ServerProcess, spawnServer } from './helpers/server.js';
import { openSse } from './helpers/sse-reader.js';
import { createTestStore, storeSuiteOptions, type TestStore } from './helpers/stores.js';

describe('config push across replicas [postgres]', storeSuiteOptions('postgres'), () => {
  let store: TestStore;
  let a: ServerProcess;
  let b: ServerProcess;

  before(async () => {
    store = await createTestStore('postgres');
    a = await spawnServer(['--store', store.url]);
    b = await spawnServer(['--store', store.url]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await store?.cleanup();
  });

  const post = async (base: string, path: string, body: unknown) => {
    const response = await fetch(`${base}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('a version published on replica A reaches an agent on replica B within 1 s', async () => {
    assert.equal(
      (await post(a.apiUrl, '/config/users/prod/versions', { content: { n: 1 }, base_version: 0, message: 'one' }))
        .status,
      201,
    );
    const channel = await openSse(`${b.apiUrl}/api/v1/config/users/prod/channel?instance_id=users-1`);
    assert.equal(((await channel.next('config')).data as { version: number }).version, 1);
    await channel.next('breaker-commands');

    const started = Date.now();
    assert.equal(
      (await post(a.apiUrl, '/config/users/prod/versions', { content: { n: 2 }, base_version: 1, message: 'two' }))
        .status,
      201,
    );
    const pushed = await channel.next('config', 1000);
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(pushed.data, { version: 2, content: { n: 2 }, rollout_id: null });

    const command = await post(a.apiUrl, '/breakers/commands', {
      action: 'force_open',
      scope: 'service',
      service: 'users',
      reason: 'drill',
      expires_in: '1m',
    });
    assert.equal(command.status, 201);
    const commands = await channel.next('breaker-commands', 1000);
    assert.deepEqual(
      (commands.data as { commands: { id: string }[] }).commands.map((c) => c.id),
      [command.body.id],
    );
    channel.close();
  });
});
