// Staged rollouts: the evaluator's decisions on figures, the canary plan and the acknowledgement
// gate (unit), and the API on a real server over HTTP on SQLite and PostgreSQL: manual promote
// and abort, refusals (viewer 403, stale base 409, schema 422, a canary that cannot be compared
// 422, bad body 400), and the evaluator loop waiting for the canary's acknowledgements, then
// rolling a canary back by itself on per-instance figures computed from spans sent over OTLP
// after it applied, or promoting it after the bake; a rejection or silence past the deadline
// rolls back. The figures themselves are checked on 220,000 spans written straight to the store.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { AuditLog } from '../src/audit/audit-log.js';
import { OPEN_PRINCIPAL } from '../src/auth/principal.js';
import { canarySize, planCanary } from '../src/config/canary.js';
import { ConfigService } from '../src/config/config-service.js';
import { compareInstances } from '../src/config/instance-red.js';
import { PushBus } from '../src/config/push-bus.js';
import { ackGate, MIN_ACK_WAIT_MS } from '../src/config/rollout-acks.js';
import {
  type Comparison,
  DEFAULT_THRESHOLDS,
  evaluate,
  p95Rank,
  sideFigures,
} from '../src/config/rollout-evaluator.js';
import { nextPassAt, ROLLOUT_LOCK_KEY, RolloutLoop } from '../src/config/rollout-loop.js';
import { RolloutService } from '../src/config/rollout-service.js';
import { openStore, type Store } from '../src/store/store.js';
import { PartitionManager } from '../src/telemetry/storage/partitions.js';
import { type AuthCall, authClient, registration } from './fixtures/auth-client.js';
import { type RunningServer, startServer } from './helpers/server.js';
import { createTestStore, POSTGRES_URL, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';
import { eventually, hexId, nowNs, postOtlp } from './telemetry-fixtures.js';

const ADMIN = 'bootstrap-admin-token-0123456789abcdef';
const INGEST = 'ingest-token-for-agents-0123456789';

const side = (instance: string, requests: number, errors: number, p95Ms: number) =>
  sideFigures([instance], requests, errors, p95Ms);
const compare = (canary: ReturnType<typeof side>, baseline: ReturnType<typeof side>): Comparison => ({
  canary,
  baseline,
  from_ms: 0,
  to_ms: 1,
});

describe('rollout evaluator', () => {
  it('promotes once the bake is over and the canary holds', () => {
    const healthy = compare(side('a', 100, 2, 10), side('b', 100, 1, 10));
    assert.equal(evaluate(healthy, DEFAULT_THRESHOLDS, false).decision, 'bake');
    assert.equal(evaluate(healthy, DEFAULT_THRESHOLDS, true).decision, 'promote');
  });

  it('rolls back on an error rate increase beyond the threshold, before the bake is over', () => {
    const verdict = evaluate(compare(side('a', 100, 12, 10), side('b', 100, 1, 10)), DEFAULT_THRESHOLDS, false);
    assert.equal(verdict.decision, 'rollback');
    assert.match(verdict.reason, /error rate 12\.0 % on the canary vs 1\.0 %/);
    // +5 points exactly is within the threshold.
    assert.equal(
      evaluate(compare(side('a', 100, 6, 10), side('b', 100, 1, 10)), DEFAULT_THRESHOLDS, true).decision,
      'promote',
    );
  });

  it('rolls back on a p95 ratio beyond the threshold', () => {
    const verdict = evaluate(compare(side('a', 50, 0, 31), side('b', 50, 0, 20)), DEFAULT_THRESHOLDS, false);
    assert.equal(verdict.decision, 'rollback');
    assert.match(verdict.reason, /p95 31\.0 ms on the canary vs 20\.0 ms on the baseline: ×1\.55 > ×1\.5/);
    assert.equal(
      evaluate(compare(side('a', 50, 0, 29), side('b', 50, 0, 20)), DEFAULT_THRESHOLDS, true).decision,
      'promote',
    );
  });

  it('keeps baking with too few requests on either side, even past the bake time', () => {
    const thin = evaluate(compare(side('a', 5, 5, 100), side('b', 100, 0, 10)), DEFAULT_THRESHOLDS, true);
    assert.equal(thin.decision, 'bake');
    assert.match(thin.reason, /insufficient data: canary 5, baseline 100/);
    assert.equal(
      evaluate(compare(side('a', 100, 0, 10), side('b', 0, 0, 0)), DEFAULT_THRESHOLDS, true).decision,
      'bake',
    );
  });

  it('takes the nearest-rank p95', () => {
    assert.deepEqual([1, 19, 20, 21, 100, 120_000].map(p95Rank), [1, 19, 19, 20, 95, 114_000]);
    assert.equal(p95Rank(0), 0);
    assert.equal(sideFigures(['a'], 100, 3, 95).error_rate, 0.03);
    assert.equal(sideFigures(['a'], 0, 0, 12).p95_ms, null);
  });
});

describe('evaluation pacing', () => {
  it('spaces passes so evaluating takes at most a tenth of the time', () => {
    assert.equal(nextPassAt(10_000, 5), 10_045, 'a cheap pass: the next tick');
    assert.equal(nextPassAt(10_000, 1_200), 20_800, 'a pass of 1.2 s: 10.8 s later');
  });
});

describe('canary plan', () => {
  const plan = (request: { percent?: number; instances?: string[] }, live: string[]) =>
    planCanary({ rolloutId: 'r-1', service: 'cart', environment: 'prod', baseVersion: 4, ...request }, live);
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      const e = error as { statusCode: number; message: string; fields: { path: string }[] };
      return { status: e.statusCode, detail: e.message, paths: e.fields.map((f) => f.path) };
    }
    assert.fail('expected a refusal');
  };

  it('rounds a percent up to whole instances, at least one', () => {
    assert.equal(canarySize(10, 3), 1);
    assert.equal(canarySize(1, 200), 2);
    assert.equal(canarySize(50, 4), 2);
    assert.equal(canarySize(34, 3), 2);
    const three = ['cart-1', 'cart-2', 'cart-3'];
    const chosen = plan({ percent: 10 }, three);
    assert.equal(chosen.length, 1);
    assert.ok(three.includes(chosen[0] as string));
    assert.deepEqual(plan({ percent: 10 }, [...three].reverse()), chosen, 'the same pick whatever the order');
    const others = new Set(
      Array.from({ length: 20 }, (_, i) =>
        planCanary({ rolloutId: `r-${i}`, service: 'cart', environment: 'prod', baseVersion: 1, percent: 10 }, three),
      ).map((c) => c[0]),
    );
    assert.ok(others.size > 1, 'successive rollouts pick different instances');
    assert.deepEqual(plan({ instances: ['cart-3', 'cart-1'] }, three), ['cart-1', 'cart-3']);
  });

  it('refuses with what to fix: no live instance, not-live names, no baseline left', () => {
    const none = refusal(() => plan({ percent: 10 }, []));
    assert.equal(none.status, 422);
    assert.match(none.detail, /cart in prod has no live instance to run a canary on/);
    assert.match(none.detail, /publish the version without a rollout/);
    const unknown = refusal(() => plan({ instances: ['cart-1', 'cart-9'] }, ['cart-1', 'cart-2']));
    assert.equal(unknown.status, 422);
    assert.match(
      unknown.detail,
      /canary instance cart-9 not live in cart in prod; name live instances \(cart-1, cart-2\)/,
    );
    assert.deepEqual(unknown.paths, ['/body/canary/instances/1']);
    const all = refusal(() => plan({ instances: ['cart-2', 'cart-1'] }, ['cart-1', 'cart-2']));
    assert.match(all.detail, /every live instance of cart in prod \(2\): no instance would stay on v4 as the baseline/);
    assert.match(all.detail, /publish the version to every instance without a rollout/);
    const most = refusal(() => plan({ percent: 60 }, ['cart-1', 'cart-2']));
    assert.match(
      most.detail,
      /60 % rounded up to whole instances is every live instance .* Lower the percent to 50 or less/,
    );
    const single = refusal(() => plan({ percent: 10 }, ['cart-1']));
    assert.match(single.detail, /Start a second instance to compare against/);
  });
});

describe('acknowledgement gate', () => {
  const rollout = { started_at: 1_000, bake_ms: 60_000 };
  const ack = (id: string, fields: Partial<Parameters<typeof ackGate>[1][number]>) => ({
    instance_id: id,
    applied_version: 6,
    applied_at: 900,
    last_version: 6,
    last_status: 'applied',
    last_reason: null,
    ...fields,
  });

  it('waits for every canary instance, then counts from the latest acknowledgement', () => {
    const acks = [ack('a', { applied_version: 7, applied_at: 2_000, last_version: 7 }), ack('b', {})];
    const waiting = ackGate(['a', 'b'], acks, 7, rollout, 5_000);
    assert.deepEqual(waiting, {
      state: 'waiting',
      reason: 'waiting for canary instance b to apply v7 (1 of 2 applied)',
    });
    acks[1] = ack('b', { applied_version: 7, applied_at: 3_500, last_version: 7 });
    assert.deepEqual(ackGate(['a', 'b'], acks, 7, rollout, 5_000), {
      state: 'applied',
      from_ms: 3_500,
      applied_at: { a: 2_000, b: 3_500 },
    });
  });

  it('fails on a rejection (with its reason) and on silence past the deadline', () => {
    const rejected = ackGate(
      ['a', 'b'],
      [ack('a', { last_version: 7, last_status: 'rejected', last_reason: 'limit: expected a number' })],
      7,
      rollout,
      2_000,
    );
    assert.deepEqual(rejected, { state: 'failed', reason: 'canary instance a rejected v7: limit: expected a number' });
    assert.equal(ackGate(['a'], [], 7, rollout, 60_999).state, 'waiting');
    assert.deepEqual(ackGate(['a'], [], 7, rollout, 61_000), {
      state: 'failed',
      reason:
        'no applied acknowledgement of v7 from canary instance a within 60 s of the start (0 of 1 applied): is the agent connected?',
    });
    // However short the bake, the agents get MIN_ACK_WAIT_MS.
    const short = { started_at: 0, bake_ms: 1_000 };
    assert.equal(ackGate(['a'], [], 7, short, MIN_ACK_WAIT_MS - 1).state, 'waiting');
    assert.equal(ackGate(['a'], [], 7, short, MIN_ACK_WAIT_MS).state, 'failed');
  });
});

interface Rollout {
  id: string;
  version: number;
  base_version: number;
  started_at: number;
  canary: { percent: number | null; instances: string[] | null };
  canary_applied_at: number | null;
  bake_until: number;
  status: string;
  decision_reason: string | null;
  rollback_version: number | null;
  comparison: Comparison | null;
  steps: { step: string; actor: string; detail: Record<string, unknown> }[];
}
interface Doc {
  latest_version: number;
  stable_version: number;
  content: unknown;
  active_rollout_id: string | null;
}

/**
 * Server spans of `service` from one instance, starting now: `errors` of them failed, each
 * lasting `durationMs`. Callers send them a little after the moment they should count from.
 */
function instanceSpans(service: string, instance: string, count: number, errors: number, durationMs: number) {
  const spans = Array.from({ length: count }, (_, i) => {
    const start = nowNs() + BigInt(i);
    return {
      traceId: hexId(16),
      spanId: hexId(8),
      name: 'GET /items',
      kind: 2,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: (start + BigInt(durationMs) * 1_000_000n).toString(),
      ...(i < errors ? { status: { code: 2, message: 'boom' } } : {}),
    };
  });
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: service } },
            { key: 'service.instance.id', value: { stringValue: instance } },
          ],
        },
        scopeSpans: [{ scope: { name: 'test' }, spans }],
      },
    ],
  };
}

for (const kind of STORE_KINDS) {
  describe(`config rollouts API [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let server: RunningServer;
    let call: AuthCall;
    let operator: string;
    let viewer: string;
    const auth = { authorization: `Bearer ${INGEST}` };

    const publishFirst = async (doc: string, content: unknown) => {
      const first = await call('POST', `${doc}/versions`, ADMIN, { content, base_version: 0, message: 'first' });
      assert.equal(first.status, 201);
    };
    /** Live instances of `service` in prod, registered as their agents would. */
    const register = async (service: string, ...ids: string[]) => {
      for (const id of ids) {
        const registered = await call('POST', '/instances', INGEST, {
          ...registration(service, id),
          environment: 'prod',
        });
        assert.equal(registered.status, 201);
      }
    };
    /** An agent's acknowledgement of `version`. */
    const ack = async (doc: string, instance: string, version: number, status = 'applied', reason?: string) => {
      const response = await call('POST', `${doc}/acks`, INGEST, { instance_id: instance, version, status, reason });
      assert.equal(response.status, 204);
    };
    const endOf = (doc: string, id: string) =>
      eventually(async () => {
        const view = await call<Rollout>('GET', `${doc}/rollouts/${id}`, viewer);
        return view.body.status === 'baking' ? undefined : view.body;
      }, 10_000);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    before(async () => {
      store = await createTestStore(kind);
      server = await startServer({ store: store.url, adminToken: ADMIN, ingestToken: INGEST });
      call = authClient(server.apiUrl);
      operator = (await call<{ token: string }>('POST', '/tokens', ADMIN, { name: 'olga', role: 'operator' })).body
        .token;
      viewer = (await call<{ token: string }>('POST', '/tokens', ADMIN, { name: 'vic', role: 'viewer' })).body.token;
    });
    after(async () => {
      await server?.close();
      await store?.cleanup();
    });

    it('refuses a viewer (403), a stale base (409), a schema violation (422) and a bad body (400), storing nothing', async () => {
      const doc = '/config/billing/prod';
      await publishFirst(doc, { limit: 1 });
      const schema = await call('PUT', `${doc}/schema`, ADMIN, {
        schema: { type: 'object', properties: { limit: { type: 'integer' } } },
      });
      assert.equal(schema.status, 200);
      const body = { content: { limit: 2 }, base_version: 1, message: 'raise', canary: { percent: 50 }, bake: '1m' };

      assert.equal((await call('POST', `${doc}/rollouts`, viewer, body)).status, 403);
      const stale = await call<{ status: number; detail: string }>('POST', `${doc}/rollouts`, operator, {
        ...body,
        base_version: 0,
      });
      assert.equal(stale.status, 409);
      const invalid = await call<{ errors: { path: string }[] }>('POST', `${doc}/rollouts`, operator, {
        ...body,
        content: { limit: 'lots' },
      });
      assert.equal(invalid.status, 422);
      assert.deepEqual(
        invalid.body.errors.map((e) => e.path),
        ['/body/content/limit'],
      );
      const both = await call<{ errors: { path: string }[] }>('POST', `${doc}/rollouts`, operator, {
        ...body,
        canary: { percent: 10, instances: ['a'] },
      });
      assert.equal(both.status, 400);
      assert.equal(both.body.errors[0]?.path, '/body/canary');
      assert.equal((await call('POST', `${doc}/rollouts`, operator, { ...body, bake: 'soon' })).status, 400);
      assert.equal((await call('POST', `${doc}/rollouts`, operator, { ...body, canary: { percent: 0 } })).status, 400);

      const state = await call<Doc>('GET', doc, viewer);
      assert.equal(state.body.latest_version, 1);
      assert.equal(state.body.active_rollout_id, null);
      assert.deepEqual((await call<{ rollouts: Rollout[] }>('GET', `${doc}/rollouts`, viewer)).body.rollouts, []);
    });

    it('refuses a canary that cannot be compared (422 problem+json saying what to fix), storing nothing', async () => {
      const doc = '/config/tax/prod';
      await publishFirst(doc, { rate: 1 });
      const body = { content: { rate: 2 }, base_version: 1, message: 'raise', canary: { percent: 10 }, bake: '1m' };
      type Refusal = { type: string; detail: string; errors: { path: string }[]; live_instances: string[] };
      const refuse = async (canary: unknown) => {
        const response = await call<Refusal>('POST', `${doc}/rollouts`, operator, { ...body, canary });
        assert.equal(response.status, 422, JSON.stringify(response.body));
        assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
        assert.equal(response.body.type, 'https://signalbox.dev/problems/sb-unprocessable');
        return response.body;
      };

      const none = await refuse({ percent: 10 });
      assert.match(none.detail, /^tax in prod has no live instance to run a canary on: start/);
      assert.deepEqual(none.live_instances, []);
      // Instances of the service in another environment, or of another service, do not count.
      await call('POST', '/instances', INGEST, { ...registration('tax', 'tax-staging-1'), environment: 'staging' });
      await register('taxi', 'taxi-1');
      assert.deepEqual((await refuse({ instances: ['tax-staging-1'] })).live_instances, []);

      await register('tax', 'tax-1');
      const single = await refuse({ percent: 10 });
      assert.match(single.detail, /10 % rounded up to whole instances is every live instance of tax in prod \(1\)/);
      assert.match(single.detail, /no instance would stay on v1 as the baseline/);
      assert.match(single.detail, /publish the version to every instance without a rollout/);

      await register('tax', 'tax-2', 'tax-3');
      assert.equal((await call('DELETE', '/instances/tax-3', ADMIN)).status, 204);
      const notLive = await refuse({ instances: ['tax-1', 'tax-3', 'tax-7'] });
      assert.match(
        notLive.detail,
        /canary instances tax-3, tax-7 not live in tax in prod; name live instances \(tax-1, tax-2\)/,
      );
      assert.deepEqual(
        notLive.errors.map((e) => e.path),
        ['/body/canary/instances/1', '/body/canary/instances/2'],
      );
      assert.match((await refuse({ instances: ['tax-2', 'tax-1'] })).detail, /the canary list is every live instance/);
      assert.match((await refuse({ percent: 100 })).detail, /Lower the percent to 50 or less/);

      const state = (await call<Doc>('GET', doc, viewer)).body;
      assert.equal(state.latest_version, 1, 'no version stored');
      assert.equal(state.active_rollout_id, null);
      assert.deepEqual((await call<{ rollouts: Rollout[] }>('GET', `${doc}/rollouts`, viewer)).body.rollouts, []);
    });

    it('stages a version for the canary only, then promotes it by hand', async () => {
      const doc = '/config/search/prod';
      await publishFirst(doc, { depth: 1 });
      await register('search', 'search-1', 'search-2');
      const started = await call<Rollout>('POST', `${doc}/rollouts`, operator, {
        content: { depth: 2 },
        base_version: 1,
        message: 'deeper',
        canary: { instances: ['search-1'] },
        bake: '10m',
        auto_promote: false,
      });
      assert.equal(started.status, 201);
      assert.equal(started.body.status, 'baking');
      assert.equal(started.body.version, 2);
      assert.deepEqual(started.body.canary, { percent: null, instances: ['search-1'] });
      assert.deepEqual(
        started.body.steps.map((s) => [s.step, s.actor]),
        [['started', 'olga']],
      );

      const drift = await call<{ instances: { instance_id: string; desired_version: number }[] }>(
        'GET',
        `${doc}/instances`,
        viewer,
      );
      assert.deepEqual(
        drift.body.instances.map((i) => [i.instance_id, i.desired_version]),
        [
          ['search-1', 2],
          ['search-2', 1],
        ],
      );
      let state = (await call<Doc>('GET', doc, viewer)).body;
      assert.equal(state.stable_version, 1);
      assert.equal(state.active_rollout_id, started.body.id);
      const blocked = await call('POST', `${doc}/versions`, operator, { content: {}, base_version: 2, message: 'x' });
      assert.equal(blocked.status, 409, 'no publish while a rollout bakes');
      assert.equal((await call('POST', `${doc}/rollouts/${started.body.id}/promote`, viewer, {})).status, 403);

      const promoted = await call<Rollout>('POST', `${doc}/rollouts/${started.body.id}/promote`, operator, {
        reason: 'looks good',
      });
      assert.equal(promoted.status, 200);
      assert.equal(promoted.body.status, 'promoted');
      assert.equal(promoted.body.canary_applied_at, null, 'promoted before the canary acknowledged');
      assert.deepEqual(
        promoted.body.steps.map((s) => s.step),
        ['started', 'promoted'],
      );
      state = (await call<Doc>('GET', doc, viewer)).body;
      assert.equal(state.stable_version, 2);
      assert.equal(state.latest_version, 2);
      assert.equal(state.active_rollout_id, null);
      const again = await call('POST', `${doc}/rollouts/${started.body.id}/abort`, operator, {});
      assert.equal(again.status, 409, 'an ended rollout cannot be ended again');

      const audit = await call<{ entries: { action: string; actor: { name: string } }[] }>(
        'GET',
        '/audit?service=search',
        ADMIN,
      );
      assert.deepEqual(audit.body.entries.map((e) => e.action).slice(0, 2), ['rollout.promote', 'rollout.start']);
    });

    it('a percent canary is fixed at the start (rounded up); it waits for the acknowledgement, bakes without data, then is aborted by hand', async () => {
      const doc = '/config/mailer/prod';
      await publishFirst(doc, { batch: 10 });
      await register('mailer', 'mailer-1', 'mailer-2', 'mailer-3');
      const started = await call<Rollout>('POST', `${doc}/rollouts`, operator, {
        content: { batch: 1000 },
        base_version: 1,
        message: 'bigger batches',
        canary: { percent: 10 },
        bake: '1s',
      });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      assert.equal(started.body.canary.percent, 10);
      const chosen = started.body.canary.instances ?? [];
      assert.equal(chosen.length, 1, '10 % of 3 instances is one instance');
      const canary = chosen[0] as string;
      assert.deepEqual(started.body.steps[0]?.detail.canary, { percent: 10, chosen: [canary] });
      // An instance registering now stays on the stable version: the canary was fixed at the start.
      await register('mailer', 'mailer-4');
      const drift = await call<{ instances: { instance_id: string; canary: boolean }[] }>(
        'GET',
        `${doc}/instances`,
        viewer,
      );
      assert.deepEqual(
        drift.body.instances.filter((i) => i.canary).map((i) => i.instance_id),
        [canary],
      );

      // Past its bake time without an acknowledgement: still waiting, nothing judged.
      await sleep(2_500);
      let view = (await call<Rollout>('GET', `${doc}/rollouts/${started.body.id}`, viewer)).body;
      assert.equal(view.status, 'baking');
      assert.equal(view.comparison, null);
      assert.equal(view.canary_applied_at, null);

      await ack(doc, canary, 2);
      // Applied, then no spans at all: past its bake time it keeps baking, with figures saying why.
      view = await eventually(async () => {
        const body = (await call<Rollout>('GET', `${doc}/rollouts/${started.body.id}`, viewer)).body;
        return body.comparison && body.comparison.to_ms > (body.canary_applied_at ?? 0) + 1_500 ? body : undefined;
      }, 10_000);
      assert.equal(view.status, 'baking');
      assert.equal(view.comparison?.canary.requests, 0);
      assert.equal(view.comparison?.from_ms, view.canary_applied_at);
      assert.equal(view.bake_until, (view.canary_applied_at ?? 0) + 1_000, 'the bake runs from the acknowledgement');
      const appliedStep = view.steps.find((s) => s.step === 'canary_applied');
      assert.equal(appliedStep?.actor, 'signalbox');
      assert.deepEqual(Object.keys(appliedStep?.detail.applied_at as object), [canary]);
      const listed = (await call<{ rollouts: Rollout[] }>('GET', `${doc}/rollouts`, viewer)).body.rollouts;
      assert.equal(listed[0]?.canary_applied_at, view.canary_applied_at);

      const aborted = await call<Rollout>('POST', `${doc}/rollouts/${started.body.id}/abort`, operator, {
        reason: 'changed my mind',
      });
      assert.equal(aborted.status, 200);
      assert.equal(aborted.body.status, 'aborted');
      assert.equal(aborted.body.rollback_version, 3);
      const state = (await call<Doc>('GET', doc, viewer)).body;
      assert.equal(state.stable_version, 3);
      assert.deepEqual(state.content, { batch: 10 });
      const v3 = await call<{ restored_from: number }>('GET', `${doc}/versions/3`, viewer);
      assert.equal(v3.body.restored_from, 1);
      const list = await call<{ rollouts: Rollout[] }>('GET', `${doc}/rollouts`, viewer);
      assert.deepEqual(
        list.body.rollouts.map((r) => r.status),
        ['aborted'],
      );
    });

    it('rolls a canary back by itself when its instance fails more than the rest (auto_promote off)', async () => {
      const doc = '/config/catalog/prod';
      await publishFirst(doc, { mode: 'safe' });
      await register('catalog', 'catalog-a', 'catalog-b');
      const started = await call<Rollout>('POST', `${doc}/rollouts`, operator, {
        content: { mode: 'risky' },
        base_version: 1,
        message: 'try risky',
        canary: { instances: ['catalog-a'] },
        bake: '1m',
        thresholds: { max_error_rate_increase: 0.05, max_p95_ratio: 1.5, min_requests: 10 },
        auto_promote: false, // a regression is rolled back even so
      });
      assert.equal(started.status, 201);
      await ack(doc, 'catalog-a', 2);
      await sleep(50);
      assert.equal(
        (await postOtlp(server.otlpUrl, 'traces', instanceSpans('catalog', 'catalog-a', 20, 8, 5), { headers: auth }))
          .status,
        200,
      );
      assert.equal(
        (await postOtlp(server.otlpUrl, 'traces', instanceSpans('catalog', 'catalog-b', 20, 0, 5), { headers: auth }))
          .status,
        200,
      );

      const ended = await endOf(doc, started.body.id);
      assert.equal(ended.status, 'rolled_back');
      assert.match(ended.decision_reason ?? '', /error rate 40\.0 % on the canary vs 0\.0 %/);
      assert.deepEqual(ended.comparison?.canary.instances, ['catalog-a']);
      assert.deepEqual(ended.comparison?.baseline.instances, ['catalog-b']);
      assert.equal(ended.comparison?.canary.requests, 20);
      assert.equal(ended.comparison?.canary.p95_ms, 5);
      const last = ended.steps.at(-1);
      assert.equal(last?.step, 'rolled_back');
      assert.equal(last?.actor, 'signalbox', 'the control plane acted on its own');
      const state = (await call<Doc>('GET', doc, viewer)).body;
      assert.deepEqual(state.content, { mode: 'safe' });
      assert.equal(state.stable_version, ended.rollback_version);
      const audit = await call<{ entries: { action: string }[] }>('GET', '/audit?action=rollout.*', ADMIN);
      assert.ok(audit.body.entries.some((e) => e.action === 'rollout.rollback'));
    });

    it('counts only requests after the canary applied: failures served before its acknowledgement do not roll it back', async () => {
      const doc = '/config/ledger/prod';
      await publishFirst(doc, { v: 1 });
      await register('ledger', 'ledger-a', 'ledger-b');
      const started = await call<Rollout>('POST', `${doc}/rollouts`, operator, {
        content: { v: 2 },
        base_version: 1,
        message: 'v2',
        canary: { instances: ['ledger-a'] },
        bake: '2s',
        thresholds: { min_requests: 10 },
      });
      assert.equal(started.status, 201);
      // Served by the canary instance before it applied v2 (still on v1, failing, slow).
      await sleep(50);
      await postOtlp(server.otlpUrl, 'traces', instanceSpans('ledger', 'ledger-a', 30, 30, 400), { headers: auth });
      await postOtlp(server.otlpUrl, 'traces', instanceSpans('ledger', 'ledger-b', 30, 0, 5), { headers: auth });
      await sleep(2_500); // several evaluations while it waits: none judges
      const waiting = (await call<Rollout>('GET', `${doc}/rollouts/${started.body.id}`, viewer)).body;
      assert.equal(waiting.status, 'baking');
      assert.equal(waiting.comparison, null);

      await ack(doc, 'ledger-a', 2);
      await sleep(50);
      await postOtlp(server.otlpUrl, 'traces', instanceSpans('ledger', 'ledger-a', 20, 0, 5), { headers: auth });
      await postOtlp(server.otlpUrl, 'traces', instanceSpans('ledger', 'ledger-b', 20, 0, 5), { headers: auth });
      const ended = await endOf(doc, started.body.id);
      assert.equal(ended.status, 'promoted', ended.decision_reason ?? '');
      assert.deepEqual(
        { requests: ended.comparison?.canary.requests, errors: ended.comparison?.canary.errors },
        { requests: 20, errors: 0 },
      );
      assert.equal(ended.comparison?.baseline.requests, 20, 'the baseline counts over the same window');
      assert.equal(ended.comparison?.from_ms, ended.canary_applied_at);
      assert.deepEqual(
        ended.steps.map((s) => s.step),
        ['started', 'canary_applied', 'promoted'],
      );
      assert.equal((await call<Doc>('GET', doc, viewer)).body.stable_version, 2);
    });

    it('rolls back by itself when a canary instance rejects the version, with its reason', async () => {
      const doc = '/config/quotes/prod';
      await publishFirst(doc, { ttl: 5 });
      await register('quotes', 'quotes-a', 'quotes-b', 'quotes-c');
      const started = await call<Rollout>('POST', `${doc}/rollouts`, operator, {
        content: { ttl: -1 },
        base_version: 1,
        message: 'negative ttl',
        canary: { instances: ['quotes-a', 'quotes-b'] },
        bake: '1m',
      });
      assert.equal(started.status, 201);
      await ack(doc, 'quotes-a', 2);
      await ack(doc, 'quotes-b', 2, 'rejected', 'ttl: must be >= 0');
      const ended = await endOf(doc, started.body.id);
      assert.equal(ended.status, 'rolled_back');
      assert.equal(ended.decision_reason, 'canary instance quotes-b rejected v2: ttl: must be >= 0');
      assert.equal(ended.comparison, null, 'nothing was judged');
      assert.deepEqual((await call<Doc>('GET', doc, viewer)).body.content, { ttl: 5 });
    });
  });
}

for (const kind of STORE_KINDS) {
  describe(`rollout evaluator loop [${kind}]`, storeSuiteOptions(kind), () => {
    let testStore: TestStore;
    let store: Store;
    let config: ConfigService;
    let rollouts: RolloutService;
    let loop: RolloutLoop;
    // One clock for acknowledgements and evaluations, moved by the tests.
    let clock = Date.now();
    const now = () => clock;

    /** Live instances as the registry stores them. */
    const addInstances = async (service: string, ...ids: string[]) => {
      for (const id of ids) {
        await store.db
          .insertInto('instances')
          .values({
            id,
            service,
            shard: 0,
            address: '127.0.0.1:9',
            version: null,
            environment: 'prod',
            labels: '{}',
            checks: '[]',
            ttl_ms: null,
            deregister_after_ms: 60_000,
            registered_at: clock,
            updated_at: clock,
            updated_by: null,
            last_heartbeat_at: clock,
            status: 'passing',
            status_reason: null,
            status_source: null,
            status_since: clock,
            flapping: 0,
            external_status: '{}',
            removed_at: null,
          })
          .execute();
      }
    };
    const startRollout = async (service: string, instances: string[], bakeMs = 60_000) => {
      await config.publish({
        service,
        environment: 'prod',
        content: { n: 1 },
        baseVersion: 0,
        message: 'first',
        actor: OPEN_PRINCIPAL,
      });
      return rollouts.start({
        service,
        environment: 'prod',
        content: { n: 2 },
        baseVersion: 1,
        message: 'two',
        canary: { instances },
        bakeMs,
        thresholds: {},
        autoPromote: true,
        actor: OPEN_PRINCIPAL,
      });
    };

    before(async () => {
      testStore = await createTestStore(kind);
      store = await openStore(testStore.url);
      await store.migrate();
      const logger = pino({ level: 'silent' });
      const audit = new AuditLog(store);
      const push = new PushBus(store, testStore.url, 'replica-test', logger);
      config = new ConfigService(store, audit, push, now);
      rollouts = new RolloutService(store, config, audit, push, now);
      loop = new RolloutLoop(store, rollouts, logger);
    });
    after(async () => {
      await store?.close();
      await testStore?.cleanup();
    });

    it(
      kind === 'postgres'
        ? 'skips a pass while another replica holds the advisory lock, evaluates once it is free'
        : 'evaluates on every pass (one process on SQLite)',
      async () => {
        await addInstances('queue', 'queue-1', 'queue-2');
        await config.publish({
          service: 'queue',
          environment: 'prod',
          content: { n: 1 },
          baseVersion: 0,
          message: 'first',
          actor: OPEN_PRINCIPAL,
        });
        const started = await rollouts.start({
          service: 'queue',
          environment: 'prod',
          content: { n: 2 },
          baseVersion: 1,
          message: 'two',
          canary: { percent: 50 },
          bakeMs: 60_000,
          thresholds: {},
          autoPromote: true,
          actor: OPEN_PRINCIPAL,
        });
        const [canary] = started.canary.instances ?? [];
        assert.ok(canary);
        await config.ack({
          service: 'queue',
          environment: 'prod',
          instanceId: canary,
          version: 2,
          status: 'applied',
          reason: null,
        });
        if (kind === 'postgres') {
          const other = new pg.Client({ connectionString: POSTGRES_URL });
          await other.connect();
          try {
            await other.query('select pg_advisory_lock($1)', [ROLLOUT_LOCK_KEY]);
            await loop.pass();
            const skipped = await rollouts.get('queue', 'prod', started.id);
            assert.equal(skipped.comparison, null, 'no evaluation while the lock is taken');
            assert.equal(skipped.canary_applied_at, null);
            await other.query('select pg_advisory_unlock($1)', [ROLLOUT_LOCK_KEY]);
          } finally {
            await other.end();
          }
        }
        await loop.pass();
        const view = await rollouts.get('queue', 'prod', started.id);
        assert.equal(view.comparison?.canary.requests, 0);
        assert.equal(view.canary_applied_at, clock);
        assert.equal(view.status, 'baking');
      },
    );

    it('rolls back by itself when no canary instance acknowledges within the deadline', async () => {
      await addInstances('silent', 'silent-1', 'silent-2', 'silent-3');
      const started = await startRollout('silent', ['silent-1', 'silent-2'], 5_000);
      await config.ack({
        service: 'silent',
        environment: 'prod',
        instanceId: 'silent-2',
        version: 2,
        status: 'applied',
        reason: null,
      });
      clock += MIN_ACK_WAIT_MS - 1;
      assert.match(
        (await rollouts.evaluateAll()).get(started.id)?.reason ?? '',
        /^waiting for canary instance silent-1/,
      );
      assert.equal((await rollouts.get('silent', 'prod', started.id)).status, 'baking');
      clock += 1;
      const verdict = (await rollouts.evaluateAll()).get(started.id);
      assert.equal(verdict?.decision, 'rollback');
      const view = await rollouts.get('silent', 'prod', started.id);
      assert.equal(view.status, 'rolled_back');
      assert.equal(
        view.decision_reason,
        'no applied acknowledgement of v2 from canary instance silent-1 within 30 s of the start (1 of 2 applied): is the agent connected?',
      );
      assert.equal((await config.getDocument('silent', 'prod')).stable_version, view.rollback_version);
    });

    it('computes the figures in the store: counts and nearest-rank p95 per side over 220,000 spans', async () => {
      const fromMs = clock;
      const toMs = fromMs + 60_000;
      const ns = (ms: number) => BigInt(ms) * 1_000_000n;
      if (kind === 'postgres') await new PartitionManager(store).ensure('spans', ns(fromMs - 60_000), ns(toMs));
      await store.db
        .insertInto('telemetry_resources')
        .values(
          [
            ['res-canary', { 'service.name': 'bulk', 'service.instance.id': 'bulk-c' }],
            ['res-baseline', { 'service.name': 'bulk', 'service.instance.id': 'bulk-b' }],
            ['res-anonymous', { 'service.name': 'bulk' }],
          ].map(([id, attributes]) => ({
            id: id as string,
            service: 'bulk',
            attributes: JSON.stringify(attributes),
            last_seen_ms: fromMs,
          })),
        )
        .execute();
      // `count` spans of one resource generated in the store, `i` from 0: start, duration in ms
      // and error status as SQL expressions of i.
      let batch = 0;
      const generate = async (
        resource: string,
        count: number,
        kindCode: number,
        start: string,
        ms: string,
        error: string,
      ) => {
        const pg = kind === 'postgres';
        const series = pg
          ? sql.raw(`generate_series(0::bigint, ${count - 1}) as n(i)`)
          : sql.raw(
              `(with recursive n(i) as (select 0 union all select i + 1 from n where i < ${count - 1}) select i from n) as n`,
            );
        const traceId = sql.raw(`'${resource}-${batch++}-' || ${pg ? 'i::text' : 'i'}`);
        const int8 = (expression: string) => sql.raw(pg ? `(${expression})::bigint` : `(${expression})`);
        await sql`insert into spans (trace_id, span_id, parent_span_id, service, name, kind, start_ns, duration_ns,
            status_code, status_message, attributes, events, links, resource_id, scope_name, scope_version)
          select ${traceId}, 'span', null, 'bulk', 'GET /', ${sql.lit(kindCode)}, ${int8(start)},
            ${int8(ms)} * 1000000, case when ${sql.raw(error)} then 2 else 0 end, '', '{}', '[]', '[]',
            ${resource}, 'test', ''
          from ${series}`.execute(store.db);
      };
      const inWindow = `${ns(fromMs)} + i * 100000`; // 0.1 ms apart, all inside the minute
      // Canary: 1..1000 ms, 120 spans each (p95 = 950 ms), every 10th failed.
      await generate('res-canary', 120_000, 2, inWindow, 'i % 1000 + 1', 'i % 10 = 0');
      // Baseline: 1..500 ms, 200 each (p95 = 475 ms), every 50th failed; CONSUMER spans count too.
      await generate('res-baseline', 90_000, 2, inWindow, 'i % 500 + 1', 'i % 50 = 0');
      await generate('res-baseline', 10_000, 5, inWindow, 'i % 500 + 1', 'i % 50 = 0');
      // Not counted: before the window, CLIENT spans, spans without an instance id.
      await generate('res-canary', 5_000, 2, `${ns(fromMs - 30_000)} + i`, '100000', 'true');
      await generate('res-canary', 5_000, 3, inWindow, '100000', 'true');
      await generate('res-anonymous', 5_000, 2, inWindow, '100000', 'true');

      const began = performance.now();
      const comparison = await compareInstances(store, 'bulk', fromMs, toMs, (id) => id === 'bulk-c');
      const elapsed = performance.now() - began;
      assert.deepEqual(comparison, {
        canary: { instances: ['bulk-c'], requests: 120_000, errors: 12_000, error_rate: 0.1, p95_ms: 950 },
        baseline: { instances: ['bulk-b'], requests: 100_000, errors: 2_000, error_rate: 0.02, p95_ms: 475 },
        from_ms: fromMs,
        to_ms: toMs,
      });
      // A generous bound on a busy 2-core machine; reading the spans into memory took seconds.
      assert.ok(elapsed < 5_000, `one comparison took ${elapsed.toFixed(0)} ms`);
      const empty = await compareInstances(store, 'bulk', toMs, toMs + 1_000, () => true);
      assert.deepEqual(empty.canary, { instances: [], requests: 0, errors: 0, error_rate: 0, p95_ms: null });
    });
  });
}
