// The informers against the fake API server, through the real @kubernetes/client-node: paged
// lists, watch events, bookmarks, dropped watches, expired resourceVersions (both ways the API
// server says 410), backoff while the server is down, namespace scoping.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { ClusterCache, type ClusterChange } from '../src/kubernetes/cluster-cache.js';
import type { InformerOptions } from '../src/kubernetes/informers.js';
import { FakeKubeApiServer, type FakeKubeApiServerOptions, type RequestRecord } from './fakes/kube-apiserver.js';
import { FAST_INFORMER, kubeConfigFor, until } from './fakes/kube-client.js';
import { namespace, pod, service } from './fakes/kube-objects.js';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const running: Array<{ fake: FakeKubeApiServer; cache: ClusterCache }> = [];

afterEach(async () => {
  for (const { fake, cache } of running.splice(0)) {
    await cache.stop();
    await fake.close();
  }
});

function seedPods(fake: FakeKubeApiServer, ns: string, count: number): void {
  if (!fake.get('namespaces', undefined, ns)) fake.apply(namespace(ns));
  for (let i = 0; i < count; i += 1) {
    fake.apply(pod({ namespace: ns, name: `p${i}`, containers: [{ name: 'app', image: 'app:1' }] }));
  }
}

async function start(
  options: {
    fake?: FakeKubeApiServerOptions;
    seed?: (fake: FakeKubeApiServer) => void;
    informer?: Partial<InformerOptions>;
    namespaces?: string[];
    waitForSync?: boolean;
  } = {},
) {
  const fake = new FakeKubeApiServer(options.fake);
  (options.seed ?? ((f) => seedPods(f, 'shop', 3)))(fake);
  await fake.listen();
  const kc = kubeConfigFor(fake.url);
  const cache = new ClusterCache(kc, {
    namespaces: options.namespaces ?? [],
    informer: { ...FAST_INFORMER, ...options.informer },
    logger,
  });
  running.push({ fake, cache });
  const changes: ClusterChange[] = [];
  cache.onChange((c) => changes.push(c));
  cache.start();
  if (options.waitForSync !== false) await cache.whenSynced();
  return { fake, cache, changes };
}

const podNames = (cache: ClusterCache) =>
  cache
    .list('pods')
    .map((p) => p.metadata?.name)
    .sort();
const podRequests = (fake: FakeKubeApiServer, watch: boolean): RequestRecord[] =>
  fake.requests.filter((r) => r.path === '/api/v1/pods' && r.watch === watch);

describe('kubernetes informers against the fake API server', () => {
  it('lists in pages, then follows ADDED / MODIFIED / DELETED; strips managedFields', async () => {
    const { fake, cache, changes } = await start({ seed: (f) => seedPods(f, 'shop', 7), informer: { pageSize: 3 } });
    assert.deepEqual(podNames(cache), ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    const lists = podRequests(fake, false);
    assert.equal(lists.length, 3, 'three pages of at most 3');
    assert.equal(lists[0]?.query.limit, '3');
    assert.ok(lists[1]?.query.continue && lists[2]?.query.continue);
    assert.equal(cache.get('pods', 'shop', 'p0')?.metadata?.managedFields, undefined);

    fake.apply(pod({ namespace: 'shop', name: 'p7', containers: [{ name: 'app', image: 'app:1' }] }));
    fake.patch('pods', 'shop', 'p1', { status: { phase: 'Failed' } });
    fake.delete('pods', 'shop', 'p2');
    await until(() => !cache.get('pods', 'shop', 'p2'), 'the deletion');
    assert.ok(cache.get('pods', 'shop', 'p7'));
    assert.equal(cache.get('pods', 'shop', 'p7')?.metadata?.managedFields, undefined);
    assert.equal(cache.get('pods', 'shop', 'p1')?.status?.phase, 'Failed');
    const podChanges = changes.filter((c) => c.resource === 'pods').slice(-3);
    assert.deepEqual(
      podChanges.map((c) => `${c.type} ${c.object.metadata?.name}`),
      ['upsert p7', 'upsert p1', 'remove p2'],
    );
  });

  it('asks for bookmarks, and resumes from a bookmark without relisting', async () => {
    const { fake, cache } = await start();
    const informer = cache.informersOf('pods')[0]!;
    await fake.waitForWatches('pods');
    const watches = podRequests(fake, true);
    assert.equal(watches.at(-1)?.query.allowWatchBookmarks, 'true');
    assert.ok(Number(watches.at(-1)?.query.timeoutSeconds) >= 300, 'a server-side watch timeout like client-go');

    // Other resources move the revision on; only a bookmark tells the pod watch about it.
    fake.apply(service({ namespace: 'shop', name: 'orders' }));
    fake.apply(service({ namespace: 'shop', name: 'users' }));
    const head = fake.resourceVersion;
    assert.notEqual(informer.resourceVersion, head);
    assert.ok(fake.sendBookmarks() >= 1);
    await until(() => informer.resourceVersion === head, 'the bookmark to advance the resourceVersion');

    fake.dropWatches({ resource: 'pods', mode: 'clean' });
    await until(() => podRequests(fake, true).length > watches.length, 'a new pod watch');
    assert.equal(podRequests(fake, true).at(-1)?.query.resourceVersion, head);
    assert.equal(informer.stats.lists, 1, 'no relist');
  });

  it('a watch dropped mid-stream is restarted and resumes where it was (changes in between included)', async () => {
    const { fake, cache } = await start();
    const informer = cache.informersOf('pods')[0]!;
    await fake.waitForWatches('pods');
    const rv = informer.resourceVersion;
    assert.equal(fake.dropWatches({ resource: 'pods', mode: 'abrupt' }), 1);
    // Written while the watch is down: the resumed watch replays them from history.
    fake.apply(pod({ namespace: 'shop', name: 'while-down', containers: [{ name: 'app', image: 'app:1' }] }));
    fake.delete('pods', 'shop', 'p0');
    await until(
      () => Boolean(cache.get('pods', 'shop', 'while-down')) && !cache.get('pods', 'shop', 'p0'),
      'the changes',
    );
    assert.ok(informer.stats.watchRestarts >= 1);
    assert.match(informer.stats.lastError ?? '', /terminated|socket|closed/i);
    assert.equal(informer.stats.lists, 1, 'resumed, not relisted');
    assert.equal(podRequests(fake, true).at(-1)?.query.resourceVersion, rv);
  });

  for (const mode of ['error-event', 'http-410'] as const) {
    it(`an expired resourceVersion (${mode}) makes it relist; objects deleted meanwhile leave the cache`, async () => {
      const { fake, cache, changes } = await start({ fake: { expiredWatch: mode } });
      const informer = cache.informersOf('pods')[0]!;
      await fake.waitForWatches('pods');
      fake.setUnavailable(true);
      fake.delete('pods', 'shop', 'p1');
      fake.apply(pod({ namespace: 'shop', name: 'new-one', containers: [{ name: 'app', image: 'app:1' }] }));
      fake.compact();
      fake.setUnavailable(false);
      await until(() => informer.stats.lists === 2, 'a relist');
      await until(() => !cache.get('pods', 'shop', 'p1'), 'p1 to leave the cache');
      assert.deepEqual(podNames(cache), ['new-one', 'p0', 'p2']);
      assert.ok(changes.some((c) => c.type === 'remove' && c.object.metadata?.name === 'p1'));
      const expired = fake.requests.find(
        (r) =>
          r.path === '/api/v1/pods' &&
          r.watch &&
          r.status === (mode === 'http-410' ? 410 : 200) &&
          Number(r.query.resourceVersion) < Number(fake.resourceVersion) - 1,
      );
      assert.ok(expired, 'the client tried its old resourceVersion first');
      // And it keeps following after the relist.
      fake.apply(pod({ namespace: 'shop', name: 'after', containers: [{ name: 'app', image: 'app:1' }] }));
      await until(() => Boolean(cache.get('pods', 'shop', 'after')), 'an event after the relist');
    });
  }

  it('backs off while the API server is down, then recovers', async () => {
    const { fake, cache } = await start();
    await fake.waitForWatches('pods');
    const since = Date.now();
    fake.setUnavailable(true);
    await new Promise((r) => setTimeout(r, 1600));
    const attempts = podRequests(fake, true)
      .filter((r) => r.at >= since && r.status === 503)
      .map((r) => r.at);
    assert.ok(attempts.length >= 3, `retried (${attempts.length} attempts)`);
    assert.ok(attempts.length <= 12, `but not in a tight loop (${attempts.length} attempts in 1.6 s)`);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    // Delays double from 25–50 ms (equal jitter) to the 200–400 ms cap; timers never fire early,
    // so from the fourth retry on every gap is at least 200 ms, above the first one.
    assert.ok(gaps.length >= 4, `enough retries to see the growth: ${gaps.join(', ')} ms`);
    assert.ok(
      gaps.slice(3).every((g) => g >= 200 && g > gaps[0]!),
      `gaps grow: ${gaps.join(', ')} ms`,
    );
    // Uncapped, the gaps would reach 800 ms within this window.
    assert.ok(Math.max(...gaps) < 700, `capped at maxBackoffMs: ${gaps.join(', ')} ms`);
    const informer = cache.informersOf('pods')[0]!;
    assert.match(informer.stats.lastError ?? '', /HTTP 503/);

    fake.setUnavailable(false);
    fake.apply(pod({ namespace: 'shop', name: 'back', containers: [{ name: 'app', image: 'app:1' }] }));
    await until(() => Boolean(cache.get('pods', 'shop', 'back')), 'recovery');
  });

  it('abandons a silent watch after the inactivity timeout and resumes it', async () => {
    const { fake, cache } = await start({ informer: { inactivityTimeoutMs: 300 } });
    await fake.waitForWatches('pods');
    const first = podRequests(fake, true).length;
    await until(() => podRequests(fake, true).length >= first + 2, 'two resumed watches', 5000);
    assert.equal(cache.informersOf('pods')[0]!.stats.lists, 1);
  });

  it('is not synced (and says why) until the first lists load', async () => {
    const { fake, cache } = await start({
      waitForSync: false,
      seed: (f) => {
        seedPods(f, 'shop', 2);
        f.setUnavailable(true);
      },
    });
    await until(() => /HTTP 503/.test(cache.notSyncedReason() ?? ''), 'the error in the reason');
    assert.equal(cache.synced, false);
    assert.match(cache.notSyncedReason()!, /waiting for the first list of .*pods/);
    fake.setUnavailable(false);
    await cache.whenSynced();
    assert.equal(cache.notSyncedReason(), null);
    assert.ok(cache.syncTiming()!.durationMs >= 0);
  });

  it('restarts a paged list whose continue token expired', async () => {
    let compacted = false;
    const { fake, cache } = await start({
      waitForSync: false,
      seed: (f) => {
        seedPods(f, 'shop', 5);
        f.onRequest = (r) => {
          if (!compacted && r.path === '/api/v1/pods' && r.query.continue) {
            compacted = true;
            f.compact();
          }
        };
      },
      informer: { pageSize: 2 },
    });
    await cache.whenSynced();
    assert.deepEqual(podNames(cache), ['p0', 'p1', 'p2', 'p3', 'p4']);
    assert.ok(
      podRequests(fake, false).some((r) => r.status === 410),
      'one page answered 410',
    );
    assert.equal(cache.informersOf('pods')[0]!.stats.lists, 1);
  });

  it('with --namespaces watches each namespace on its own and nothing cluster-scoped', async () => {
    const { fake, cache } = await start({
      namespaces: ['a', 'b'],
      seed: (f) => {
        seedPods(f, 'a', 1);
        seedPods(f, 'b', 2);
        seedPods(f, 'c', 3);
      },
    });
    assert.equal(cache.list('pods').length, 3);
    assert.equal(cache.list('pods', 'b').length, 2);
    assert.equal(cache.list('pods', 'c').length, 0);
    assert.equal(cache.watches('namespaces'), false);
    assert.ok(fake.requests.some((r) => r.path === '/api/v1/namespaces/a/pods' && r.watch));
    assert.ok(!fake.requests.some((r) => r.path === '/api/v1/pods'));
    assert.ok(!fake.requests.some((r) => r.path === '/api/v1/namespaces'));
  });
});
