// The breakers API on a real server, on SQLite and on PostgreSQL: agent reports and the fleet
// view by service, instance and dependency; transitions (repeats dropped); operator commands
// with their refusals, acknowledgements, cancel, reset (which ends the forces it covers), and
// expiry on time, each audited and pushed to the channel of the instances in scope.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiClient } from './fixtures/api.js';
import { type RunningServer, startServer } from './helpers/server.js';
import { openSse } from './helpers/sse-reader.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';

const counts = (calls: number, failures: number) => ({
  calls,
  successes: calls - failures,
  failures,
  slow_calls: 0,
  rejections: 0,
  fallbacks: 0,
  timeouts: 0,
  failure_rate: calls ? failures / calls : 0,
  slow_call_rate: 0,
});

interface Command {
  id: string;
  status: string;
  expires_at: number;
  acks: { instance_id: string; status: string }[];
}

for (const kind of STORE_KINDS) {
  describe(`breakers API [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let server: RunningServer;
    let api: ReturnType<typeof apiClient>;

    before(async () => {
      store = await createTestStore(kind);
      server = await startServer({ store: store.url });
      api = apiClient(server.apiUrl);
    });
    after(async () => {
      await server?.close();
      await store?.cleanup();
    });

    it('keeps reports and shows the fleet by service, breaker and instance; repeated transitions are dropped', async () => {
      const transition = {
        from: 'closed',
        to: 'open',
        at: 1_700_000_000_000,
        reason: 'failure rate 60 % > 50 % over 20 calls',
      };
      const report = (instance: string, state: string, transitions: unknown[]) => ({
        service: 'orders',
        environment: 'prod',
        instance_id: instance,
        breakers: [
          { name: 'payments', dependency: 'payments', state, forced: null, counts: counts(20, 12), transitions },
        ],
      });
      assert.equal((await api.call('POST', '/breakers/reports', report('orders-1', 'open', [transition]))).status, 204);
      assert.equal((await api.call('POST', '/breakers/reports', report('orders-1', 'open', [transition]))).status, 204);
      assert.equal((await api.call('POST', '/breakers/reports', report('orders-2', 'closed', []))).status, 204);

      const fleet = await api.call<{
        services: {
          service: string;
          breakers: {
            name: string;
            states: Record<string, number>;
            instances: { instance_id: string; state: string }[];
          }[];
        }[];
      }>('GET', '/breakers?dependency=payments');
      assert.equal(fleet.status, 200);
      assert.equal(fleet.body.services[0]?.service, 'orders');
      assert.deepEqual(fleet.body.services[0]?.breakers[0]?.states, { closed: 1, open: 1, half_open: 0 });
      assert.deepEqual(
        fleet.body.services[0]?.breakers[0]?.instances.map((i) => [i.instance_id, i.state]),
        [
          ['orders-1', 'open'],
          ['orders-2', 'closed'],
        ],
      );
      const one = await api.call<{ services: { breakers: { instances: unknown[] }[] }[] }>(
        'GET',
        '/breakers?instance_id=orders-2',
      );
      assert.equal(one.body.services[0]?.breakers[0]?.instances.length, 1);
      const transitions = await api.call<{ transitions: { to: string }[] }>(
        'GET',
        '/breakers/transitions?service=orders',
      );
      assert.equal(transitions.body.transitions.length, 1);

      const bad = await api.call('POST', '/breakers/reports', { ...report('orders-1', 'sideways', []) });
      assert.equal(bad.status, 400);
    });

    it('refuses commands whose scope does not add up, and bad expiries; nothing is stored', async () => {
      const cases = [
        { action: 'force_open', scope: 'instance', service: 'orders', reason: 'x' },
        { action: 'force_open', scope: 'service', reason: 'x' },
        { action: 'force_open', scope: 'fleet', service: 'orders', reason: 'x' },
        { action: 'force_open', scope: 'fleet', reason: 'x', expires_in: '48h' },
        { action: 'explode', scope: 'fleet', reason: 'x' },
        { action: 'force_open', scope: 'fleet' },
      ];
      for (const body of cases)
        assert.equal((await api.call('POST', '/breakers/commands', body)).status, 400, JSON.stringify(body));
      const list = await api.call<{ commands: unknown[] }>('GET', '/breakers/commands');
      assert.deepEqual(list.body.commands, []);
    });

    it('pushes a force to the instances in scope, records acks, expires it on time, and audits it', async () => {
      const channel = await openSse(`${server.apiUrl}/api/v1/config/orders/prod/channel?instance_id=orders-1`);
      const initial = await channel.next('breaker-commands');
      assert.deepEqual((initial.data as { commands: unknown[] }).commands, []);
      const other = await openSse(`${server.apiUrl}/api/v1/config/users/prod/channel?instance_id=users-1`);
      await other.next('breaker-commands');

      const created = await api.call<Command>('POST', '/breakers/commands', {
        action: 'force_open',
        scope: 'instance',
        service: 'orders',
        instance_id: 'orders-1',
        breaker: 'payments',
        reason: 'payments failover drill',
        expires_in: '1200ms',
      });
      assert.equal(created.status, 201);
      const pushed = await channel.next('breaker-commands', 1000);
      assert.deepEqual(
        (pushed.data as { commands: { id: string; action: string; breaker: string }[] }).commands.map((c) => [
          c.id,
          c.action,
          c.breaker,
        ]),
        [[created.body.id, 'force_open', 'payments']],
      );
      assert.equal(
        (
          await api.call('POST', `/breakers/commands/${created.body.id}/acks`, {
            instance_id: 'orders-1',
            status: 'applied',
          })
        ).status,
        204,
      );
      assert.equal(
        (
          await api.call('POST', '/breakers/commands/cmd_0000000000000000/acks', {
            instance_id: 'orders-1',
            status: 'applied',
          })
        ).status,
        404,
      );

      const emptied = await channel.next('breaker-commands', 3000);
      const expiredAt = Date.now();
      assert.deepEqual((emptied.data as { commands: unknown[] }).commands, []);
      assert.ok(expiredAt >= created.body.expires_at, 'not before the expiry');
      assert.ok(expiredAt - created.body.expires_at < 1000, 'within 1 s of the expiry');
      const after = await api.call<Command>('GET', `/breakers/commands/${created.body.id}`);
      assert.equal(after.body.status, 'expired');
      assert.deepEqual(
        after.body.acks.map((a) => [a.instance_id, a.status]),
        [['orders-1', 'applied']],
      );
      assert.equal(other.events.filter((e) => e.event === 'breaker-commands').length, 1, 'users was never told');

      const audit = await api.call<{ entries: { action: string; actor: { kind: string }; reason: string }[] }>(
        'GET',
        '/audit?action=breaker.*',
      );
      assert.deepEqual(
        audit.body.entries.map((e) => [e.action, e.actor.kind]),
        [
          ['breaker.expire', 'system'],
          ['breaker.force_open', 'open'],
        ],
      );
      assert.equal(audit.body.entries[1]?.reason, 'payments failover drill');
      channel.close();
      other.close();
    });

    it('cancels a force, and a reset ends the forces it covers', async () => {
      const force = await api.call<Command>('POST', '/breakers/commands', {
        action: 'force_closed',
        scope: 'service',
        service: 'orders',
        reason: 'ride it out',
        expires_in: '10m',
      });
      const cancelled = await api.call<Command>('DELETE', `/breakers/commands/${force.body.id}`, { reason: 'done' });
      assert.equal(cancelled.status, 200);
      assert.equal(cancelled.body.status, 'cancelled');
      assert.equal((await api.call('DELETE', `/breakers/commands/${force.body.id}`, {})).status, 409);

      const fleetForce = await api.call<Command>('POST', '/breakers/commands', {
        action: 'force_open',
        scope: 'service',
        service: 'orders',
        breaker: 'payments',
        reason: 'drill',
      });
      const unrelated = await api.call<Command>('POST', '/breakers/commands', {
        action: 'force_open',
        scope: 'service',
        service: 'users',
        reason: 'other',
      });
      const reset = await api.call<Command>('POST', '/breakers/commands', {
        action: 'reset',
        scope: 'service',
        service: 'orders',
        reason: 'all clear',
      });
      assert.equal(reset.status, 201);
      assert.equal(
        (await api.call<Command>('GET', `/breakers/commands/${fleetForce.body.id}`)).body.status,
        'cancelled',
      );
      assert.equal((await api.call<Command>('GET', `/breakers/commands/${unrelated.body.id}`)).body.status, 'active');
      const poll = await api.call<{ breakers: { commands: { action: string }[] } }>(
        'GET',
        '/config/orders/prod/poll?instance_id=orders-9&wait=0s',
      );
      assert.deepEqual(
        poll.body.breakers.commands.map((c) => c.action),
        ['reset'],
      );
    });
  });
}
