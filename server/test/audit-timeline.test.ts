// The audit log and the service timeline on a real server, on SQLite and on PostgreSQL:
// audit filters (actor, action and action prefix, target, service, time range), cursor paging,
// entries written in the caller's transaction, and one timeline that merges audit entries,
// health status transitions and sources other modules add.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SYSTEM_PRINCIPAL } from '../src/auth/principal.js';
import {
  type AuditPageBody,
  type AuthCall,
  authClient,
  type Problem,
  registration,
  type TimelineBody,
  type TokenBody,
} from './fixtures/auth-client.js';
import { type RunningServer, startServer } from './helpers/server.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';

const ADMIN = 'bootstrap-admin-token-0123456789abcdef';
const INGEST = 'ingest-token-for-agents-0123456789';
const operatorActor = { kind: 'token', id: 'op0000000001', name: 'alice', role: 'operator' } as const;

for (const kind of STORE_KINDS) {
  describe(`audit and timeline [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let server: RunningServer;
    let call: AuthCall;
    const audit = () => server.app.context.audit;

    before(async () => {
      store = await createTestStore(kind);
      server = await startServer({ store: store.url, adminToken: ADMIN, ingestToken: INGEST });
      call = authClient(server.apiUrl);
    });
    after(async () => {
      await server?.close();
      await store?.cleanup();
    });

    it('filters by actor, action, target, service and time, newest first', async () => {
      const base = 1_700_000_000_000;
      await audit().record(
        {
          actor: operatorActor,
          action: 'config.publish',
          target_type: 'config',
          target_id: 'payments/prod',
          service: 'payments',
          before: { version: 1 },
          after: { version: 2 },
          reason: 'raise timeout',
        },
        { at: base },
      );
      await audit().record(
        {
          actor: SYSTEM_PRINCIPAL,
          action: 'config.rollback',
          target_type: 'config',
          target_id: 'payments/prod',
          service: 'payments',
        },
        { at: base + 1000 },
      );
      await audit().record(
        {
          actor: operatorActor,
          action: 'breaker.force_open',
          target_type: 'breaker',
          target_id: 'orders/payments',
          service: 'orders',
        },
        { at: base + 2000 },
      );
      await audit().record(
        { actor: operatorActor, action: 'config_x.publish', target_type: 'config', target_id: 'x', service: 'x' },
        { at: base + 3000 },
      );
      const get = async (query: string) => {
        const response = await call<AuditPageBody>('GET', `/audit?${query}`, ADMIN);
        assert.equal(response.status, 200, JSON.stringify(response.body));
        return response.body.entries.map((e) => `${e.action}@${e.at - base}`);
      };
      const window = `from=${base}&to=${base + 3000}`;
      assert.deepEqual(await get(window), [
        'config_x.publish@3000',
        'breaker.force_open@2000',
        'config.rollback@1000',
        'config.publish@0',
      ]);
      assert.deepEqual(await get(`${window}&actor=alice`), [
        'config_x.publish@3000',
        'breaker.force_open@2000',
        'config.publish@0',
      ]);
      assert.deepEqual(await get(`${window}&actor=op0000000001&service=payments`), ['config.publish@0']);
      assert.deepEqual(await get(`${window}&actor=system`), ['config.rollback@1000']);
      // `config.*` is a prefix on the dotted name: config_x.publish is another target.
      assert.deepEqual(await get(`${window}&action=config.*`), ['config.rollback@1000', 'config.publish@0']);
      assert.deepEqual(await get(`${window}&action=config.publish`), ['config.publish@0']);
      assert.deepEqual(await get(`${window}&target_type=breaker&target_id=orders%2Fpayments`), [
        'breaker.force_open@2000',
      ]);
      assert.deepEqual(await get(`from=${base + 500}&to=${base + 2000}`), [
        'breaker.force_open@2000',
        'config.rollback@1000',
      ]);

      const [entry] = (await call<AuditPageBody>('GET', `/audit?${window}&action=config.publish`, ADMIN)).body.entries;
      assert.deepEqual(entry?.actor, { kind: 'token', id: 'op0000000001', name: 'alice' });
      assert.deepEqual([entry?.before, entry?.after, entry?.reason], [{ version: 1 }, { version: 2 }, 'raise timeout']);
      assert.equal(entry?.target_id, 'payments/prod');
    });

    it('pages with a cursor without gaps or repeats, and refuses a forged cursor', async () => {
      const at = 1_600_000_000_000;
      // Several entries share a millisecond: the cursor must still split between them.
      for (let i = 0; i < 7; i++) {
        await audit().record(
          {
            actor: operatorActor,
            action: 'rollout.step',
            target_type: 'rollout',
            target_id: `r-${i}`,
            service: 'paging',
          },
          { at: at + Math.floor(i / 3) },
        );
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `service=paging&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await call<AuditPageBody>('GET', `/audit?${query}`, ADMIN);
        assert.equal(page.status, 200);
        seen.push(...page.body.entries.map((e) => e.target_id));
        cursor = page.body.next_cursor;
        pages++;
      } while (cursor);
      assert.equal(pages, 3);
      assert.deepEqual(seen, ['r-6', 'r-5', 'r-4', 'r-3', 'r-2', 'r-1', 'r-0']);

      const forged = await call<Problem>('GET', '/audit?cursor=bm90LWEtY3Vyc29y', ADMIN);
      assert.equal(forged.status, 400);
      assert.ok(forged.body.errors?.some((e) => e.path === '/querystring/cursor'));
      const inverted = await call<Problem>('GET', '/audit?from=10&to=5', ADMIN);
      assert.equal(inverted.status, 400);
      const badAction = await call<Problem>('GET', '/audit?action=DROP%20TABLE', ADMIN);
      assert.equal(badAction.status, 400);
      assert.ok(badAction.body.errors?.some((e) => e.path === '/querystring/action'));
    });

    it('writes an entry in the caller’s transaction: a rolled-back change leaves no entry', async () => {
      const db = server.app.context.store.db;
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await audit().record(
            {
              actor: operatorActor,
              action: 'config.publish',
              target_type: 'config',
              target_id: 'tx/prod',
              service: 'tx',
            },
            { db: trx },
          );
          throw new Error('the change failed after its audit entry');
        }),
        /the change failed/,
      );
      const page = await call<AuditPageBody>('GET', '/audit?service=tx', ADMIN);
      assert.deepEqual(page.body.entries, []);
      await assert.rejects(
        audit().record({ actor: operatorActor, action: 'Publish', target_type: 'config', target_id: 'x' }),
        /must look like <target>\.<verb>/,
      );
    });

    it('merges audit entries, health transitions and added sources into one timeline', async () => {
      const start = Date.now();
      assert.equal((await call('POST', '/instances', INGEST, registration('orders', 'orders-1'))).status, 201);
      assert.equal((await call('POST', '/instances', INGEST, registration('orders', 'orders-2'))).status, 201);
      assert.equal((await call('POST', '/instances', INGEST, registration('users', 'users-1'))).status, 201);
      const operator = (await call<TokenBody>('POST', '/tokens', ADMIN, { name: 'bob', role: 'operator' })).body;
      assert.equal((await call('DELETE', '/instances/orders-2', operator.token)).status, 204);

      // What another module (breakers, say) adds: its transitions, by service.
      server.app.context.timeline.addSource({
        name: 'probe-transitions',
        async events(query) {
          const at = start + 1;
          if (query.service !== 'orders' || at < query.from || at > query.to) return [];
          return [
            {
              at,
              source: 'probe-transitions',
              kind: 'breaker.open',
              summary: 'orders-1 → payments opened',
              instance_id: 'orders-1',
              details: {},
            },
          ];
        },
      });
      server.app.context.timeline.addSource({
        name: 'probe-unreachable',
        async events() {
          throw new Error('the Kubernetes API does not answer');
        },
      });

      const response = await call<TimelineBody>('GET', `/services/orders/timeline?from=${start}`, ADMIN);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      const timeline = response.body;
      assert.equal(timeline.service, 'orders');
      assert.equal(timeline.from, start);
      assert.equal(timeline.truncated, false);
      const events = timeline.events.map((e) => `${e.source}:${e.kind}:${e.instance_id}`);
      assert.deepEqual(
        new Set(events),
        new Set([
          'health:status.passing:orders-1',
          'health:status.passing:orders-2',
          'health:status.removed:orders-2',
          'audit:instance.deregister:orders-2',
          'probe-transitions:breaker.open:orders-1',
        ]),
      );
      assert.equal(events.length, 5);
      // Newest first across sources.
      const times = timeline.events.map((e) => e.at);
      assert.deepEqual(
        times,
        [...times].sort((a, b) => b - a),
      );
      assert.equal(
        timeline.events[0]?.kind === 'status.removed' || timeline.events[0]?.kind === 'instance.deregister',
        true,
      );
      const removal = timeline.events.find((e) => e.kind === 'status.removed');
      assert.match(removal?.summary ?? '', /orders-2: passing → removed \(deregistered by bob\)/);
      const audited = timeline.events.find((e) => e.source === 'audit');
      assert.deepEqual(audited?.details.actor, { kind: 'token', id: operator.id, name: 'bob' });
      // A failing source is named, and the others still answer.
      const outcome = (name: string) => timeline.sources.find((s) => s.name === name);
      for (const name of ['audit', 'health', 'probe-transitions']) assert.equal(outcome(name)?.ok, true, name);
      assert.equal(outcome('probe-unreachable')?.ok, false);
      assert.match(outcome('probe-unreachable')?.error ?? '', /does not answer/);

      // Only this service's events; the window and the limit are honoured.
      const users = (await call<TimelineBody>('GET', `/services/users/timeline?from=${start}`, ADMIN)).body;
      assert.deepEqual(
        users.events.map((e) => `${e.source}:${e.kind}`),
        ['health:status.passing'],
      );
      const before = (await call<TimelineBody>('GET', `/services/orders/timeline?to=${start - 1}`, ADMIN)).body;
      assert.deepEqual(before.events, []);
      const limited = (await call<TimelineBody>('GET', `/services/orders/timeline?from=${start}&limit=2`, ADMIN)).body;
      assert.equal(limited.events.length, 2);
      assert.equal(limited.truncated, true);
      assert.deepEqual(limited.events, timeline.events.slice(0, 2));

      assert.equal((await call('GET', `/services/orders/timeline?from=${start}&to=${start - 1}`, ADMIN)).status, 400);
      // Viewers may read it; the agent credential may not.
      const viewer = (await call<TokenBody>('POST', '/tokens', ADMIN, { name: 'v', role: 'viewer' })).body.token;
      assert.equal((await call('GET', '/services/orders/timeline', viewer)).status, 200);
      assert.equal((await call('GET', '/services/orders/timeline', INGEST)).status, 403);
    });
  });
}
