// Shard leases on both stores, with a clock the test moves: fair shares, hand-over on overshoot,
// takeover of expired leases, a paused replica noticing it lost its shards, and the fence that
// keeps a replica without the lease from writing status.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { LeaseManager } from '../src/health/leases.js';
import { SHARD_COUNT, shardOf } from '../src/health/shards.js';
import { InstanceStore } from '../src/registry/instance-store.js';
import { openStore, type Store } from '../src/store/store.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';

const TTL = 10_000;

for (const kind of STORE_KINDS) {
  describe(`shard leases [${kind}]`, storeSuiteOptions(kind), () => {
    let testStore: TestStore;
    let store: Store;
    let clock = 1_000_000;
    const logger = pino({ level: 'silent' });

    function replica(id: string) {
      const held = new Set<number>();
      const lostLog: number[][] = [];
      const manager = new LeaseManager(
        store.db,
        id,
        TTL,
        {
          lost(shards) {
            lostLog.push(shards);
            for (const s of shards) held.delete(s);
          },
          async gained(shards) {
            for (const s of shards) held.add(s);
          },
        },
        logger,
        () => clock,
      );
      return { manager, held, lostLog };
    }

    before(async () => {
      testStore = await createTestStore(kind);
      store = await openStore(testStore.url);
      await store.migrate();
    });
    after(async () => {
      await store?.close();
      await testStore?.cleanup();
    });

    it('shares shards fairly, takes over expired leases and fences the replica that lost them', async () => {
      const a = replica('a');
      const b = replica('b');
      await a.manager.init();
      await a.manager.round();
      assert.equal(a.held.size, SHARD_COUNT, 'a lone replica holds every shard');

      await b.manager.init();
      await b.manager.round();
      assert.equal(b.held.size, 0, 'nothing is free yet');
      clock += 1000;
      await a.manager.round();
      assert.equal(a.held.size, SHARD_COUNT / 2, 'a gives back what exceeds its fair share');
      await b.manager.round();
      assert.equal(b.held.size, SHARD_COUNT / 2);
      assert.ok(
        [...a.held].every((s) => !b.held.has(s)),
        'no shard is held twice',
      );
      assert.deepEqual([...a.held].sort(), [...a.manager.shards].sort());

      // An instance in one of b's shards, and b's verdict on it, fenced by the lease.
      const instances = new InstanceStore(store, 'a');
      let n = 0;
      while (!b.held.has(shardOf(`fenced-${n}`))) n++;
      const id = `fenced-${n}`;
      await instances.register(
        {
          id,
          service: 'fenced',
          address: 'h:1',
          version: null,
          environment: null,
          labels: {},
          ttlMs: null,
          deregisterAfterMs: 600_000,
          checks: [],
        },
        clock,
      );
      const change = (owner: string) =>
        new InstanceStore(store, owner).applyChanges([
          {
            kind: 'status',
            instanceId: id,
            service: 'fenced',
            at: clock,
            from: 'passing',
            to: 'critical',
            reason: `decided by ${owner}`,
            source: 'check:http-1',
            flapping: false,
          },
        ]);
      assert.equal(await change('a'), 0, 'a does not hold the shard');
      assert.equal(await change('b'), 1);

      // b stops renewing (paused or killed): once its leases expire, a takes them.
      clock += TTL + 1;
      await a.manager.round();
      assert.equal(a.held.size, SHARD_COUNT);
      assert.equal(await change('b'), 0, 'b lost the lease and may not write');
      assert.equal(await change('a'), 1);

      // b wakes up: its renewal comes back empty, so it stops probing everything it held.
      assert.equal(b.manager.valid(clock), false);
      assert.equal(b.manager.expireIfStale(clock), true);
      assert.equal(b.held.size, 0);
      await b.manager.round();
      assert.equal(b.held.size, 0);
      clock += 1000;
      await a.manager.round();
      await b.manager.round();
      assert.equal(a.held.size + b.held.size, SHARD_COUNT);
      assert.equal(b.held.size, SHARD_COUNT / 2, 'b gets its share back once a gives it up');

      const history = await instances.history(id, 10);
      assert.deepEqual(
        history.map((t) => t.reason),
        ['decided by a', 'decided by b', 'registered; registered without checks or TTL'],
      );

      await a.manager.releaseAll();
      await b.manager.round();
      assert.equal(b.held.size, SHARD_COUNT, 'a clean stop hands everything over at the next round');
    });

    it('hands shards back to a replica restarted under the same id without waiting for expiry', async () => {
      const first = replica('same-id');
      await first.manager.init();
      clock += TTL + 1; // the earlier replicas' leases have run out
      await first.manager.round();
      const before = first.held.size;
      assert.ok(before > 0);
      // The process dies without releasing; its successor uses the same --replica-id.
      const second = replica('same-id');
      await second.manager.init();
      await second.manager.round();
      assert.equal(second.held.size, before);
    });
  });
}
