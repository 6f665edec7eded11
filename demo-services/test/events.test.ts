import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { pino } from 'pino';
import { type RunningBroker, startBroker } from '../src/broker/broker.js';
import { connectBroker } from '../src/events/broker-transport.js';
import { createEventBus, type EventBus, type ShopEvent } from '../src/events/event-bus.js';
import { connectJetStream } from '../src/events/jetstream-transport.js';
import { deleteStream, NATS_URL, natsSkip, uniqueSubjectPrefix } from './helpers/nats.js';
import { installTracing, parentOf, spansOf } from './helpers/tracing.js';

const exporter = installTracing();
const logger = pino({ level: 'silent' });

function waitFor<T>(get: () => T | undefined, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const value = get();
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > timeoutMs) return reject(new Error('timed out waiting'));
      setTimeout(tick, 10);
    };
    tick();
  });
}

interface Harness {
  system: string;
  open(source: string): Promise<EventBus>;
  cleanup(): Promise<void>;
}

const harnesses: { name: string; options: { skip?: string }; make(): Promise<Harness> }[] = [
  {
    name: 'fallback broker',
    options: {},
    async make() {
      const broker: RunningBroker = await startBroker({ host: '127.0.0.1', port: 0, logger });
      const prefix = 'shop';
      return {
        system: 'signalbox-broker',
        open: async (source) =>
          createEventBus(await connectBroker({ address: broker.address, logger }), { source, subjectPrefix: prefix }),
        cleanup: () => broker.close(),
      };
    },
  },
  {
    name: 'NATS JetStream',
    options: natsSkip,
    async make() {
      const prefix = uniqueSubjectPrefix();
      return {
        system: 'nats',
        open: async (source) =>
          createEventBus(await connectJetStream({ servers: NATS_URL, subjectPrefix: prefix, name: source, logger }), {
            source,
            subjectPrefix: prefix,
          }),
        cleanup: () => deleteStream(prefix),
      };
    },
  },
];

for (const harness of harnesses) {
  describe(`events over ${harness.name}`, harness.options, () => {
    let h: Harness;
    const buses: EventBus[] = [];
    const open = async (source: string) => {
      const bus = await h.open(source);
      buses.push(bus);
      return bus;
    };

    before(async () => {
      h = await harness.make();
    });
    after(async () => {
      for (const bus of buses) await bus.close();
      await h.cleanup();
    });

    test('an event reaches each consumer group once, in the producer trace', async () => {
      const producer = await open('orders');
      const received: { group: string; event: ShopEvent; traceId: string | undefined; parent: string | undefined }[] =
        [];
      for (const group of ['notifications', 'users']) {
        const consumer = await open(group);
        await consumer.subscribe(group, ['order.confirmed'], async (event) => {
          const span = trace.getSpan(context.active());
          received.push({ group, event, traceId: span?.spanContext().traceId, parent: span?.spanContext().spanId });
        });
      }
      await producer.check();
      const tracer = trace.getTracer('test');
      const rootTraceId = await tracer.startActiveSpan('request', async (root) => {
        await producer.publish('order.confirmed', { order_id: 'o-1', user_id: 'u-1' });
        root.end();
        return root.spanContext().traceId;
      });

      await waitFor(() => (received.length >= 2 ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 100)); // a duplicate would show up now
      assert.deepEqual(received.map((r) => r.group).sort(), ['notifications', 'users']);
      for (const r of received) {
        assert.equal(r.event.type, 'order.confirmed');
        assert.equal(r.event.source, 'orders');
        assert.deepEqual(r.event.data, { order_id: 'o-1', user_id: 'u-1' });
        assert.equal(r.traceId, rootTraceId, 'the consumer runs in the producer trace');
      }

      const spans = await waitFor(() => {
        const all = spansOf(rootTraceId);
        return all.filter((s) => s.kind === SpanKind.CONSUMER).length >= 2 ? all : undefined;
      });
      const producerSpan = spans.find((s) => s.kind === SpanKind.PRODUCER);
      assert.ok(producerSpan);
      assert.equal(producerSpan.attributes['messaging.system'], h.system);
      assert.match(String(producerSpan.attributes['messaging.destination.name']), /\.order\.confirmed$/);
      const consumers = spans.filter((s) => s.kind === SpanKind.CONSUMER);
      for (const span of consumers) {
        assert.equal(parentOf(span), producerSpan.spanContext().spanId, 'CONSUMER is a child of PRODUCER');
        assert.equal(span.attributes['messaging.system'], h.system);
        assert.equal(
          span.attributes['messaging.destination.name'],
          producerSpan.attributes['messaging.destination.name'],
        );
      }
      assert.deepEqual(consumers.map((s) => s.attributes['messaging.consumer.group.name']).sort(), [
        'notifications',
        'users',
      ]);
    });

    test('members of one group share the events', async () => {
      const producer = await open('users');
      const seen: string[] = [];
      for (const member of ['a', 'b']) {
        const bus = await open(`notifications-${member}`);
        await bus.subscribe('shared', ['user.created'], async (event) => {
          seen.push(String(event.data['n']));
        });
      }
      for (let n = 0; n < 10; n++) await producer.publish('user.created', { n });
      await waitFor(() => (seen.length >= 10 ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(
        seen.map(Number).sort((a, b) => a - b),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
    });

    test('a failing handler marks its CONSUMER span as an error', async () => {
      exporter.reset();
      const producer = await open('payments');
      const consumer = await open('notifications');
      let calls = 0;
      await consumer.subscribe('failing', ['payment.failed'], async () => {
        calls++;
        throw new Error('mail server down');
      });
      await producer.publish('payment.failed', { order_id: 'o-2' });
      const failed = await waitFor(() =>
        exporter
          .getFinishedSpans()
          .find((s) => s.kind === SpanKind.CONSUMER && s.attributes['messaging.consumer.group.name'] === 'failing'),
      );
      assert.equal(failed.status.code, 2);
      assert.ok(calls >= 1);
    });
  });
}

test('the fallback broker keeps events for a group while it has no member', async () => {
  const broker = await startBroker({ host: '127.0.0.1', port: 0, logger });
  try {
    const first = createEventBus(await connectBroker({ address: broker.address, logger }), {
      source: 'notifications',
      subjectPrefix: 'shop',
    });
    await first.subscribe('notifications', ['order.placed'], async () => undefined);
    await first.close(); // the group now has no member
    const producer = createEventBus(await connectBroker({ address: broker.address, logger }), {
      source: 'orders',
      subjectPrefix: 'shop',
    });
    await waitFor(() => (broker.stats().connections === 1 ? true : undefined));
    await producer.publish('order.placed', { order_id: 'kept' });
    const again = createEventBus(await connectBroker({ address: broker.address, logger }), {
      source: 'notifications',
      subjectPrefix: 'shop',
    });
    const got: string[] = [];
    await again.subscribe('notifications', ['order.placed'], async (event) => {
      got.push(String(event.data['order_id']));
    });
    await waitFor(() => (got.length > 0 ? true : undefined));
    assert.deepEqual(got, ['kept']);
    await producer.close();
    await again.close();
  } finally {
    await broker.close();
  }
});

test('publishing without a broker fails fast and says why', async () => {
  const broker = await startBroker({ host: '127.0.0.1', port: 0, logger });
  const transport = await connectBroker({ address: broker.address, logger });
  const bus = createEventBus(transport, { source: 'users', subjectPrefix: 'shop' });
  await broker.close();
  await waitFor(async () => undefined, 50).catch(() => undefined);
  await assert.rejects(bus.publish('user.created', {}), /event broker/);
  await assert.rejects(bus.check(), /event broker/);
  await bus.close();
});
