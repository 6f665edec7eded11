// Several replicas on one PostgreSQL share the check targets by shard leases: each target is
// probed by exactly one live replica, a replica killed with SIGKILL has its targets taken over
// within two check intervals, and changes that reach one replica (registrations, heartbeats,
// Kubernetes status) reach the replica that owns the instance.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HealthModule } from '../src/health/module.js';
import { shardOf } from '../src/health/shards.js';
import type { RegistryModule } from '../src/registry/module.js';
import { apiClient } from './fixtures/api.js';
import { type ProbeTarget, startProbeTarget } from './fixtures/probe-target.js';
import { waitFor } from './fixtures/wait.js';
import { type RunningServer, type ServerProcess, spawnServer, startServer } from './helpers/server.js';
import { createTestStore, storeSuiteOptions, type TestStore } from './helpers/stores.js';

const INTERVAL_MS = 2000;
const LEASE_TTL_MS = 2000;

async function shardsOwned(apiUrl: string): Promise<number> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('signalbox_check_shards_owned '));
  return Number(line?.split(' ')[1]);
}

describe('replicas sharing one PostgreSQL', storeSuiteOptions('postgres'), () => {
  let store: TestStore;
  let target: ProbeTarget;
  before(async () => {
    store = await createTestStore('postgres');
    target = await startProbeTarget();
  });
  after(async () => {
    await target?.close();
    await store?.cleanup();
  });

  it('probes each target from exactly one replica and takes over a killed one within two intervals', async () => {
    const flags = ['--store', store.url, '--lease-ttl-ms', String(LEASE_TTL_MS), '--log-level', 'info'];
    const replicas: ServerProcess[] = [];
    try {
      replicas.push(await spawnServer([...flags, '--replica-id', 'replica-a']));
      replicas.push(await spawnServer([...flags, '--replica-id', 'replica-b']));
      const [a, b] = replicas as [ServerProcess, ServerProcess];
      await waitFor('the shards to be split evenly', async () => {
        const [ownedA, ownedB] = [await shardsOwned(a.apiUrl), await shardsOwned(b.apiUrl)];
        return ownedA === 32 && ownedB === 32;
      });

      // Registered through A only: B learns of its half from the store.
      const api = apiClient(a.apiUrl);
      const paths: string[] = [];
      for (let i = 0; i < 40; i++) {
        const response = await api.register({
          service: 'shared',
          id: `shared-${i}`,
          address: target.address,
          checks: [{ type: 'http', path: `/shared/${i}`, interval: `${INTERVAL_MS}ms` }],
        });
        assert.equal(response.status, 201);
        paths.push(`/shared/${i}`);
      }
      await waitFor('every target probed', () => paths.every((p) => target.hitsOf(p).length > 0));

      const from = Date.now();
      await sleep(INTERVAL_MS * 3);
      const probedBy = new Map<string, Set<string>>();
      for (const path of paths) {
        const hits = target.hitsOf(path, from);
        assert.ok(hits.length >= 2, `${path} probed ${hits.length} times in three intervals`);
        probedBy.set(path, new Set(hits.map((h) => h.replica ?? '?')));
      }
      for (const [path, by] of probedBy) {
        assert.equal(by.size, 1, `${path} was probed by ${[...by].join(' and ')}`);
      }
      const ofB = paths.filter((p) => probedBy.get(p)?.has('replica-b'));
      const ofA = paths.filter((p) => probedBy.get(p)?.has('replica-a'));
      assert.ok(ofA.length > 0 && ofB.length > 0, `A has ${ofA.length} targets, B ${ofB.length}`);

      const killedAt = Date.now();
      await b.kill();
      const takeover = await waitFor(
        "B's targets probed by A",
        () => {
          const delays = ofB.map((p) => target.hitsOf(p, killedAt).find((h) => h.replica === 'replica-a')?.at);
          return delays.every((at) => at !== undefined) ? Math.max(...(delays as number[])) - killedAt : undefined;
        },
        INTERVAL_MS * 5,
      );
      assert.ok(takeover <= INTERVAL_MS * 2, `takeover took ${takeover} ms, more than two intervals`);
      await waitFor('A to hold every shard', async () => (await shardsOwned(a.apiUrl)) === 64);
      // And from then on nothing is probed twice or skipped.
      const since = Date.now();
      await sleep(INTERVAL_MS * 2);
      for (const path of paths) {
        const hits = target.hitsOf(path, since);
        assert.ok(hits.length >= 1 && hits.every((h) => h.replica === 'replica-a'), `${path} after takeover`);
      }
    } finally {
      for (const replica of replicas) await replica.kill();
    }
  });

  it('passes heartbeats, registrations and Kubernetes status to the replica that owns the instance', async () => {
    const schemaStore = await createTestStore('postgres');
    let first: RunningServer | undefined;
    let second: RunningServer | undefined;
    try {
      const settings = { store: schemaStore.url, leaseTtlMs: LEASE_TTL_MS };
      first = await startServer({ ...settings, replicaId: 'first' });
      second = await startServer({ ...settings, replicaId: 'second' });
      const checkerOf = (s: RunningServer) => (s.app.modules.get('health') as HealthModule).checker;
      await waitFor('shards split', () => checkerOf(first as RunningServer).leases.shards.size === 32);
      await waitFor('shards split', () => checkerOf(second as RunningServer).leases.shards.size === 32);

      // An id whose shard the second replica holds; every request goes to the first.
      const owned = checkerOf(second).leases.shards;
      let n = 0;
      while (!owned.has(shardOf(`remote-${n}`))) n++;
      const id = `remote-${n}`;
      const api = apiClient(first.apiUrl);
      assert.equal((await api.register({ service: 'remote', id, address: target.address, ttl: '2s' })).status, 201);
      await waitFor('the owner to load it', () => checkerOf(second as RunningServer).liveState(id));
      assert.equal(checkerOf(first).liveState(id), undefined, 'the first replica must not check it');

      // Heartbeats to the non-owner keep the TTL alive on the owner.
      for (let i = 0; i < 8; i++) {
        assert.equal((await api.heartbeat(id)).status, 200);
        await sleep(500);
      }
      assert.equal(checkerOf(second).liveState(id)?.status, 'passing');
      await waitFor(
        'TTL to lapse on the owner',
        () => checkerOf(second as RunningServer).liveState(id)?.status === 'critical',
      );
      await api.heartbeat(id);
      await waitFor(
        'a heartbeat through the other replica to count',
        () => {
          return checkerOf(second as RunningServer).liveState(id)?.status === 'passing';
        },
        3000,
      );

      // Kubernetes status reported on the first replica decides on the owner (no TTL here).
      n++;
      while (!owned.has(shardOf(`remote-${n}`))) n++;
      const podId = `remote-${n}`;
      assert.equal((await api.register({ service: 'remote', id: podId, address: target.address })).status, 201);
      const registry = (first.app.modules.get('registry') as RegistryModule).service;
      await registry.reportExternalStatus({
        instanceId: podId,
        source: 'kubernetes',
        status: 'critical',
        reason: 'pod not ready',
      });
      const viaSecond = apiClient(second.apiUrl);
      const decided = await waitFor(
        'the owner to apply the Kubernetes status',
        async () => {
          const instance = (await viaSecond.instance(podId)).body;
          return instance.status === 'critical' && instance.status_source === 'kubernetes' ? instance : undefined;
        },
        5000,
      );
      assert.equal(decided.status_reason, 'pod not ready');
      assert.equal(checkerOf(second).liveState(podId)?.status, 'critical');
      await registry.reportExternalStatus({
        instanceId: podId,
        source: 'kubernetes',
        status: 'passing',
        reason: 'pod ready',
      });
      await waitFor('back to passing', async () => (await viaSecond.instance(podId)).body.status === 'passing', 5000);

      // A replica that stops cleanly hands its shards back at once.
      await first.close();
      first = undefined;
      await waitFor(
        'the survivor to hold every shard',
        () => checkerOf(second as RunningServer).leases.shards.size === 64,
        LEASE_TTL_MS,
      );
    } finally {
      await first?.close();
      await second?.close();
      await schemaStore.cleanup();
    }
  });
});
