import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { TEST_CARDS } from '../src/services/payments.js';
import { DATABASE_KINDS, databaseSuiteOptions } from './helpers/postgres.js';
import { type Shop, startShop } from './helpers/shop.js';
import { installTracing, parentOf } from './helpers/tracing.js';

const exporter = installTracing();
const TOKEN = 'demo-loadgen-token';

async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

for (const database of DATABASE_KINDS) {
  describe(`the shop on ${database}`, databaseSuiteOptions(database), () => {
    let shop: Shop;
    const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(shop.url('gateway') + path, {
        method,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
    };
    const direct = async (service: 'inventory' | 'notifications' | 'users', path: string) =>
      (await fetch(shop.url(service) + path)).json();
    const stockOf = async (sku: string) => ((await direct('inventory', `/products/${sku}`)) as { stock: number }).stock;
    const signUp = async (name: string) => {
      const created = await api('POST', '/api/users', { email: `${name}-${Date.now()}@example.test`, name });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body as { id: string };
    };

    before(async () => {
      shop = await startShop({ database });
    });
    after(() => shop?.close());

    test('the gateway wants a known bearer token', async () => {
      const none = await fetch(`${shop.url('gateway')}/api/products`);
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="shop"');
      assert.equal(((await none.json()) as { type: string }).type, 'urn:signalbox:demo:unauthorized');
      const wrong = await fetch(`${shop.url('gateway')}/api/products`, { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401);
      const listing = await api('GET', '/api/products');
      assert.equal(listing.status, 200);
      assert.ok(listing.body.products.length >= 10);
    });

    test('each client is rate-limited with a token bucket: 429 and Retry-After', async () => {
      const strict = await shop.startExtra('gateway', { GATEWAY_RATE_LIMIT: '1', GATEWAY_RATE_BURST: '3' });
      const call = (token: string) =>
        fetch(`${strict.url}/api/products`, { headers: { authorization: `Bearer ${token}` } });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(TOKEN)).status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      const refused = await call(TOKEN);
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get('retry-after'), '1');
      assert.equal(((await refused.json()) as { type: string }).type, 'urn:signalbox:demo:rate_limited');
      // Another client has its own bucket.
      assert.equal((await call('demo-web-token')).status, 200);
    });

    test('sign-up stores the user and the welcome e-mail follows from user.created', async () => {
      const user = await signUp('Ada');
      const fetched = await api('GET', `/api/users/${user.id}`);
      assert.equal(fetched.status, 200);
      assert.equal(fetched.body.name, 'Ada');
      const mails = await eventually(async () => {
        const { notifications } = (await direct('notifications', `/notifications?user_id=${user.id}`)) as {
          notifications: { event_type: string; message: string }[];
        };
        return notifications.length > 0 ? notifications : undefined;
      });
      assert.equal(mails[0]?.event_type, 'user.created');
      assert.match(mails[0]?.message ?? '', /Welcome to the shop, Ada/);

      const duplicate = await api('POST', '/api/users', { email: fetched.body.email, name: 'Ada again' });
      assert.equal(duplicate.status, 409);
      const invalid = await api('POST', '/api/users', { email: 'not-an-email', name: '' });
      assert.equal(invalid.status, 400);
    });

    test('a paid order is confirmed: stock taken, payment completed, customer told', async () => {
      const user = await signUp('Grace');
      const before = await stockOf('KB-001');
      const placed = await api('POST', '/api/orders', {
        user_id: user.id,
        items: [
          { sku: 'KB-001', quantity: 2 },
          { sku: 'CB-005', quantity: 1 },
        ],
        card: { number: TEST_CARDS.approved },
      });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      assert.equal(placed.body.status, 'confirmed');
      assert.equal(placed.body.total_cents, 2 * 12900 + 1500);
      assert.ok(placed.body.payment_id);
      assert.equal(await stockOf('KB-001'), before - 2);

      const fetched = await api('GET', `/api/orders/${placed.body.id}`);
      assert.deepEqual(
        fetched.body.items.map((i: { sku: string; quantity: number }) => [i.sku, i.quantity]),
        [
          ['CB-005', 1],
          ['KB-001', 2],
        ],
      );
      const listed = await api('GET', `/api/orders?user_id=${user.id}`);
      assert.equal(listed.body.orders.length, 1);

      // Read models fed by events: the user's order count and the confirmation e-mail.
      await eventually(async () => {
        const u = (await direct('users', `/users/${user.id}`)) as { orders_count: number };
        return u.orders_count === 1 ? true : undefined;
      });
      const types = await eventually(async () => {
        const { notifications } = (await direct('notifications', `/notifications?order_id=${placed.body.id}`)) as {
          notifications: { event_type: string }[];
        };
        const seen = notifications.map((n) => n.event_type).sort();
        return seen.length >= 4 ? seen : undefined;
      });
      assert.deepEqual(types, ['inventory.reserved', 'order.confirmed', 'order.placed', 'payment.completed']);
    });

    test('a declined payment cancels the order and compensates in reverse, in one trace', async () => {
      const user = await signUp('Linus');
      const before = await stockOf('MS-002');
      exporter.reset();
      const placed = await api('POST', '/api/orders', {
        user_id: user.id,
        items: [{ sku: 'MS-002', quantity: 3 }],
        card: { number: TEST_CARDS.declined },
      });
      assert.equal(placed.status, 402, JSON.stringify(placed.body));
      assert.equal(placed.body.type, 'urn:signalbox:demo:payment_declined');
      assert.equal(placed.body.reason, 'card_declined');
      assert.equal(placed.body.order.status, 'cancelled');
      assert.equal(placed.body.order.failure_reason, 'payment_declined: card_declined');
      assert.equal(await stockOf('MS-002'), before, 'the reservation was released');

      const spans = exporter.getFinishedSpans();
      const saga = spans.find(
        (s) => s.name === 'saga place-order' && s.attributes['saga.failed_step'] === 'charge-payment',
      );
      assert.ok(saga, 'saga span');
      const children = spans
        .filter((s) => parentOf(s) === saga.spanContext().spanId)
        .sort((a, b) => hrNs(a) - hrNs(b))
        .map((s) => s.name.replace('saga place-order ', ''));
      assert.deepEqual(children, [
        'step create-order',
        'step reserve-inventory',
        'step charge-payment',
        'compensate release-inventory',
        'compensate cancel-order',
      ]);
      const failedStep = spans.find(
        (s) => s.name === 'saga place-order step charge-payment' && parentOf(s) === saga.spanContext().spanId,
      );
      assert.equal(failedStep?.status.code, SpanStatusCode.ERROR);
      assert.equal(saga.status.code, SpanStatusCode.UNSET, 'a fully compensated saga is not an error');

      const types = await eventually(async () => {
        const { notifications } = (await direct(
          'notifications',
          `/notifications?order_id=${placed.body.order.id}`,
        )) as {
          notifications: { event_type: string }[];
        };
        const seen = notifications.map((n) => n.event_type).sort();
        return seen.length >= 5 ? seen : undefined;
      });
      assert.deepEqual(types, [
        'inventory.released',
        'inventory.reserved',
        'order.cancelled',
        'order.placed',
        'payment.failed',
      ]);
    });

    test('an order beyond the stock fails at reservation and only the order is cancelled', async () => {
      const user = await signUp('Barbara');
      const stock = await stockOf('LE-011');
      exporter.reset();
      const placed = await api('POST', '/api/orders', {
        user_id: user.id,
        items: [{ sku: 'LE-011', quantity: stock + 1 }],
        card: { number: TEST_CARDS.approved },
      });
      assert.equal(placed.status, 409, JSON.stringify(placed.body));
      assert.equal(placed.body.type, 'urn:signalbox:demo:out_of_stock');
      assert.equal(placed.body.order.status, 'cancelled');
      assert.equal(await stockOf('LE-011'), stock);
      const compensations = exporter
        .getFinishedSpans()
        .filter((s) => s.attributes['saga.compensation'] === true)
        .map((s) => s.attributes['saga.step']);
      assert.deepEqual(compensations, ['cancel-order']);
    });

    test('the same Idempotency-Key places one order', async () => {
      const user = await signUp('Edsger');
      const body = { user_id: user.id, items: [{ sku: 'MP-010', quantity: 1 }], card: { number: TEST_CARDS.approved } };
      const first = await api('POST', '/api/orders', body, { 'idempotency-key': `key-${user.id}` });
      const again = await api('POST', '/api/orders', body, { 'idempotency-key': `key-${user.id}` });
      assert.equal(first.status, 201);
      assert.equal(again.status, 200);
      assert.equal(again.body.id, first.body.id);
      const declinedBody = { ...body, card: { number: TEST_CARDS.insufficientFunds } };
      const declined = await api('POST', '/api/orders', declinedBody, { 'idempotency-key': `declined-${user.id}` });
      const replayed = await api('POST', '/api/orders', declinedBody, { 'idempotency-key': `declined-${user.id}` });
      assert.equal(declined.status, 402);
      assert.equal(replayed.status, 402, `a retry gets the first answer again: ${JSON.stringify(replayed.body)}`);
      assert.equal(replayed.body.type, 'urn:signalbox:demo:payment_declined');
      assert.equal(replayed.body.order.id, declined.body.order.id);
      const listed = await api('GET', `/api/orders?user_id=${user.id}`);
      assert.equal(listed.body.orders.length, 2);
    });

    test('a retry while the first placement still runs gets its outcome, not a second order', async () => {
      const user = await signUp('Tony');
      // A slow payments (fault injection) behind an orders of its own, called directly.
      const slowPayments = await shop.startExtra('payments', { FAULT_LATENCY_MS: '600' });
      const orders = await shop.startExtra('orders', { PAYMENTS_URL: slowPayments.url });
      const place = () =>
        fetch(`${orders.url}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `slow-${user.id}` },
          body: JSON.stringify({
            user_id: user.id,
            items: [{ sku: 'LS-008', quantity: 1 }],
            card: { number: TEST_CARDS.approved },
          }),
        });
      const first = place();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const retry = await place();
      assert.equal(retry.status, 200);
      const original = await first;
      assert.equal(original.status, 201);
      const [a, b] = [
        (await original.json()) as { id: string },
        (await retry.json()) as { id: string; status: string },
      ];
      assert.equal(b.id, a.id);
      assert.equal(b.status, 'confirmed');
    });

    test('bad input is refused with 400 problem+json before anything is stored', async () => {
      const refused = await api('POST', '/api/orders', { user_id: 'u', items: [], card: { number: '12' } });
      assert.equal(refused.status, 400);
      assert.equal(refused.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      assert.equal((await api('GET', '/api/products/NOPE')).status, 404);
    });

    test('a backend that is gone turns into 503 at the gateway, after its retries', async () => {
      await shop.services.get('users')?.close();
      const response = await api('GET', '/api/users/whoever');
      assert.equal(response.status, 503);
      assert.equal(response.body.type, 'urn:signalbox:demo:dependency_unavailable');
      assert.equal(response.body.dependency, 'users');
      assert.match(response.body.detail, /3 attempts/);
    });
  });
}

function hrNs(span: ReadableSpan): number {
  return span.startTime[0] * 1e9 + span.startTime[1];
}
