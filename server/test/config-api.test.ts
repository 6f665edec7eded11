// The configuration API end to end on a real server over HTTP, on SQLite and on PostgreSQL:
// publish, schema validation (422 with each failing path, nothing stored), stale publish (409),
// history, diff, rollback restoring exactly the old document, the agent channel (SSE push
// within 1 s, long-poll, catching up on reconnect), acknowledgements and drift, audit entries.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiClient } from './fixtures/api.js';
import { type RunningServer, startServer } from './helpers/server.js';
import { openSse } from './helpers/sse-reader.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';

interface Version {
  version: number;
  content: unknown;
  author: string;
  message: string;
  restored_from: number | null;
}
interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
  latest_version?: number;
}

const SCHEMA = {
  type: 'object',
  properties: {
    faults: {
      type: 'object',
      properties: { errorRate: { type: 'number', minimum: 0, maximum: 1 }, latencyMs: { type: 'integer', minimum: 0 } },
      additionalProperties: false,
    },
    greeting: { type: 'string' },
  },
  required: ['greeting'],
};

for (const kind of STORE_KINDS) {
  describe(`config API [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let server: RunningServer;
    let api: ReturnType<typeof apiClient>;
    const doc = '/config/orders/prod';

    before(async () => {
      store = await createTestStore(kind);
      server = await startServer({ store: store.url });
      api = apiClient(server.apiUrl);
    });
    after(async () => {
      await server?.close();
      await store?.cleanup();
    });

    it('publishes the first version, then refuses a stale base (409) and keeps the latest', async () => {
      const first = await api.call<Version>('POST', `${doc}/versions`, {
        content: { greeting: 'hello', faults: { errorRate: 0 } },
        base_version: 0,
        message: 'first',
      });
      assert.equal(first.status, 201);
      assert.equal(first.body.version, 1);
      assert.equal(first.body.author, 'anonymous (open mode)');

      const second = await api.call<Version>('POST', `${doc}/versions`, {
        content: { greeting: 'hi', faults: { errorRate: 0 } },
        base_version: 1,
        message: 'second',
      });
      assert.equal(second.status, 201);
      assert.equal(second.body.version, 2);

      const stale = await api.call<Problem>('POST', `${doc}/versions`, {
        content: { greeting: 'late' },
        base_version: 1,
        message: 'stale',
      });
      assert.equal(stale.status, 409);
      assert.equal(stale.body.code, 'SB_CONFLICT');
      assert.equal(stale.body.latest_version, 2);
      const current = await api.call<{ latest_version: number; content: unknown }>('GET', doc);
      assert.equal(current.body.latest_version, 2);
      assert.deepEqual(current.body.content, { greeting: 'hi', faults: { errorRate: 0 } });
    });

    it('refuses a schema the latest version breaks, then rejects invalid documents with each failing path', async () => {
      const strict = await api.call<Problem>('PUT', `${doc}/schema`, {
        schema: { ...SCHEMA, required: ['greeting', 'missing'] },
      });
      assert.equal(strict.status, 422);
      assert.deepEqual(
        strict.body.errors?.map((e) => e.path),
        ['/latest/content'],
      );

      const broken = await api.call<Problem>('PUT', `${doc}/schema`, { schema: { type: 'nonsense' } });
      assert.equal(broken.status, 422);
      assert.equal(broken.body.errors?.[0]?.path, '/body/schema');

      const set = await api.call<{ schema: unknown }>('PUT', `${doc}/schema`, { schema: SCHEMA });
      assert.equal(set.status, 200);
      assert.deepEqual(set.body.schema, SCHEMA);

      const invalid = await api.call<Problem>('POST', `${doc}/versions`, {
        content: { faults: { errorRate: 7, latencyMs: -1, extra: true } },
        base_version: 2,
        message: 'bad',
      });
      assert.equal(invalid.status, 422);
      assert.equal(invalid.body.code, 'SB_UNPROCESSABLE');
      assert.deepEqual(invalid.body.errors?.map((e) => e.path).sort(), [
        '/body/content',
        '/body/content/faults',
        '/body/content/faults/errorRate',
        '/body/content/faults/latencyMs',
      ]);
      const history = await api.call<{ versions: Version[] }>('GET', `${doc}/versions`);
      assert.deepEqual(
        history.body.versions.map((v) => v.version),
        [2, 1],
        'nothing stored',
      );

      const missingMessage = await api.call<Problem>('POST', `${doc}/versions`, { content: {}, base_version: 2 });
      assert.equal(missingMessage.status, 400);
    });

    it('diffs two versions and rolls back to exactly the old document', async () => {
      const third = await api.call<Version>('POST', `${doc}/versions`, {
        content: { greeting: 'hey', faults: { errorRate: 0.5, latencyMs: 20 } },
        base_version: 2,
        message: 'break it',
      });
      assert.equal(third.status, 201);
      const diff = await api.call<{ operations: { op: string; path: string; value?: unknown }[]; delta: unknown }>(
        'GET',
        `${doc}/diff?from=1&to=3`,
      );
      assert.equal(diff.status, 200);
      assert.deepEqual(
        diff.body.operations.sort((a, b) => a.path.localeCompare(b.path)),
        [
          { op: 'replace', path: '/faults/errorRate', value: 0.5 },
          { op: 'add', path: '/faults/latencyMs', value: 20 },
          { op: 'replace', path: '/greeting', value: 'hey' },
        ],
      );
      assert.ok(diff.body.delta);

      const stale = await api.call<Problem>('POST', `${doc}/rollback`, { to_version: 1, base_version: 2 });
      assert.equal(stale.status, 409);
      const rollback = await api.call<Version>('POST', `${doc}/rollback`, { to_version: 1, base_version: 3 });
      assert.equal(rollback.status, 201);
      assert.equal(rollback.body.version, 4);
      assert.equal(rollback.body.restored_from, 1);
      const v1 = await api.call<Version>('GET', `${doc}/versions/1`);
      assert.deepEqual(rollback.body.content, v1.body.content);
      const same = await api.call<{ operations: unknown[] }>('GET', `${doc}/diff?from=1&to=4`);
      assert.deepEqual(same.body.operations, []);
      const missing = await api.call<Problem>('GET', `${doc}/versions/99`);
      assert.equal(missing.status, 404);
    });

    it('records every change in the audit log with before and after', async () => {
      const audit = await api.call<{
        entries: { action: string; before: { version?: number } | null; after: { version?: number } | null }[];
      }>('GET', '/audit?action=config.*&service=orders');
      assert.equal(audit.status, 200);
      const actions = audit.body.entries.map((e) => e.action);
      assert.deepEqual(actions, [
        'config.rollback',
        'config.publish',
        'config.schema',
        'config.publish',
        'config.publish',
      ]);
      const rollback = audit.body.entries[0];
      assert.equal(rollback?.before?.version, 3);
      assert.equal(rollback?.after?.version, 4);
    });

    it('pushes a new version over SSE within 1 s, then records the ack as drift', async () => {
      const channel = await openSse(`${server.apiUrl}/api/v1/config/orders/prod/channel?instance_id=orders-a`);
      assert.equal(channel.status, 200);
      const initial = await channel.next('config');
      assert.equal((initial.data as { version: number }).version, 4);
      const commands = await channel.next('breaker-commands');
      assert.deepEqual((commands.data as { commands: unknown[] }).commands, []);

      const started = Date.now();
      const published = await api.call<Version>('POST', `${doc}/versions`, {
        content: { greeting: 'pushed' },
        base_version: 4,
        message: 'push',
      });
      assert.equal(published.status, 201);
      const pushed = await channel.next('config', 1000);
      assert.ok(Date.now() - started < 1000);
      assert.deepEqual(pushed.data, { version: 5, content: { greeting: 'pushed' }, rollout_id: null });

      assert.equal(
        (await api.call('POST', `${doc}/acks`, { instance_id: 'orders-a', version: 5, status: 'applied' })).status,
        204,
      );
      assert.equal(
        (
          await api.call('POST', `${doc}/acks`, {
            instance_id: 'orders-b',
            version: 5,
            status: 'rejected',
            reason: 'greeting too short',
          })
        ).status,
        204,
      );
      const drift = await api.call<{
        instances: {
          instance_id: string;
          applied_version: number | null;
          in_sync: boolean;
          last_ack: { status: string; reason: string | null };
        }[];
      }>('GET', `${doc}/instances`);
      assert.deepEqual(
        drift.body.instances.map((i) => [
          i.instance_id,
          i.applied_version,
          i.in_sync,
          i.last_ack.status,
          i.last_ack.reason,
        ]),
        [
          ['orders-a', 5, true, 'applied', null],
          ['orders-b', null, false, 'rejected', 'greeting too short'],
        ],
      );
      channel.close();
    });

    it('an agent that was away catches up on reconnect, over SSE and over long-poll', async () => {
      await api.call('POST', `${doc}/versions`, {
        content: { greeting: 'while away' },
        base_version: 5,
        message: 'away',
      });
      const channel = await openSse(
        `${server.apiUrl}/api/v1/config/orders/prod/channel?instance_id=orders-a&config_version=5`,
      );
      const caughtUp = await channel.next('config');
      assert.equal((caughtUp.data as { version: number }).version, 6);
      channel.close();

      const immediate = await api.call<{ changed: boolean; config: { version: number } }>(
        'GET',
        `${doc}/poll?instance_id=orders-a&config_version=5&wait=5s`,
      );
      assert.equal(immediate.body.changed, true);
      assert.equal(immediate.body.config.version, 6);

      const revision = (
        await api.call<{ breakers: { revision: string } }>('GET', `${doc}/poll?instance_id=orders-a&wait=0s`)
      ).body.breakers.revision;
      const waiting = api.call<{ changed: boolean; config: { version: number } }>(
        'GET',
        `${doc}/poll?instance_id=orders-a&config_version=6&commands_revision=${revision}&wait=10s`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      await api.call('POST', `${doc}/versions`, { content: { greeting: 'polled' }, base_version: 6, message: 'poll' });
      const answer = await waiting;
      assert.ok(Date.now() - started < 1000, 'long-poll answered within 1 s of the publish');
      assert.equal(answer.body.changed, true);
      assert.equal(answer.body.config.version, 7);

      const quiet = await api.call<{ changed: boolean }>(
        'GET',
        `${doc}/poll?instance_id=orders-a&config_version=7&commands_revision=${revision}&wait=300ms`,
      );
      assert.equal(quiet.body.changed, false);
    });

    it('answers 404 for an unknown document and 400 for bad names', async () => {
      assert.equal((await api.call('GET', '/config/nobody/prod')).status, 404);
      assert.equal((await api.call('GET', '/config/BAD NAME/prod')).status, 400);
    });
  });
}
