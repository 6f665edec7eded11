// The shop's domain events and the bus that carries them. The bus adds what every transport
// needs the same way: JSON envelopes, subjects under one prefix, and PRODUCER/CONSUMER spans
// whose trace context travels in the message headers (W3C traceparent), so one order's saga,
// its events and what consumers do with them form one trace.
import { randomUUID } from 'node:crypto';
import {
  type Attributes,
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';
import { recordFailure } from '../span-failure.js';

export const EVENT_TYPES = [
  'user.created',
  'order.placed',
  'inventory.reserved',
  'inventory.released',
  'payment.completed',
  'payment.failed',
  'order.confirmed',
  'order.cancelled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface ShopEvent<T = Record<string, unknown>> {
  id: string;
  type: EventType;
  /** Epoch milliseconds. */
  occurred_at: number;
  /** The service that published it. */
  source: string;
  data: T;
}

export type EventHandler = (event: ShopEvent) => Promise<void>;

export interface EventBus {
  /** `nats` or `signalbox-broker`: the messaging.system attribute. */
  readonly system: string;
  /** Publishes and waits for the transport's acknowledgement; throws when it cannot. */
  publish(type: EventType, data: Record<string, unknown>): Promise<void>;
  /** Delivers each event of the given types to `handler`, shared among the `consumer` group. */
  subscribe(consumer: string, types: readonly EventType[], handler: EventHandler): Promise<void>;
  /** Throws when the transport cannot carry messages right now (readiness). */
  check(): Promise<void>;
  close(): Promise<void>;
}

export interface TransportMessage {
  subject: string;
  headers: Record<string, string>;
  body: string;
}

/** What a transport provides; the bus adds envelopes, subjects and tracing on top. */
export interface Transport {
  readonly system: string;
  send(subject: string, headers: Record<string, string>, body: string, messageId: string): Promise<void>;
  /** Delivery rejects when the handler failed; the transport decides about redelivery. */
  listen(
    consumer: string,
    subjects: readonly string[],
    deliver: (message: TransportMessage) => Promise<void>,
  ): Promise<void>;
  check(): Promise<void>;
  close(): Promise<void>;
}

const tracer = trace.getTracer('@signalbox/demo/events');

const headerGetter: TextMapGetter<Record<string, string>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key] ?? carrier[key.toLowerCase()],
};

export function createEventBus(transport: Transport, options: { source: string; subjectPrefix: string }): EventBus {
  const subjectOf = (type: EventType) => `${options.subjectPrefix}.${type}`;
  const typeOf = (subject: string) => subject.slice(options.subjectPrefix.length + 1) as EventType;

  return {
    system: transport.system,

    async publish(type, data) {
      const subject = subjectOf(type);
      const event: ShopEvent = { id: randomUUID(), type, occurred_at: Date.now(), source: options.source, data };
      const body = JSON.stringify(event);
      const attributes: Attributes = {
        'messaging.system': transport.system,
        'messaging.destination.name': subject,
        'messaging.operation': 'publish',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'publish',
        'messaging.message.id': event.id,
        'messaging.message.body.size': Buffer.byteLength(body),
      };
      await tracer.startActiveSpan(`publish ${subject}`, { kind: SpanKind.PRODUCER, attributes }, async (span) => {
        const headers: Record<string, string> = {};
        propagation.inject(context.active(), headers);
        try {
          await transport.send(subject, headers, body, event.id);
        } catch (error) {
          recordFailure(span, error);
          throw error;
        } finally {
          span.end();
        }
      });
    },

    async subscribe(consumer, types, handler) {
      const subjects = types.map(subjectOf);
      await transport.listen(consumer, subjects, async (message) => {
        const parent = propagation.extract(context.active(), message.headers, headerGetter);
        let event: ShopEvent | undefined;
        try {
          event = JSON.parse(message.body) as ShopEvent;
        } catch {
          // A message we cannot read would fail every redelivery the same way: drop it.
        }
        const attributes: Attributes = {
          'messaging.system': transport.system,
          'messaging.destination.name': message.subject,
          'messaging.operation': 'process',
          'messaging.operation.type': 'process',
          'messaging.operation.name': 'process',
          'messaging.consumer.group.name': consumer,
          'messaging.message.body.size': Buffer.byteLength(message.body),
        };
        if (event) attributes['messaging.message.id'] = event.id;
        await tracer.startActiveSpan(
          `process ${message.subject}`,
          { kind: SpanKind.CONSUMER, attributes },
          parent,
          async (span) => {
            try {
              if (!event || typeOf(message.subject) !== event.type) {
                span.setStatus({ code: SpanStatusCode.ERROR, message: 'unreadable event dropped' });
                return;
              }
              await handler(event);
            } catch (error) {
              recordFailure(span, error);
              throw error;
            } finally {
              span.end();
            }
          },
        );
      });
    },

    check: () => transport.check(),
    close: () => transport.close(),
  };
}
