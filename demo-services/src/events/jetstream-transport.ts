// NATS JetStream transport (NATS_URL set): one stream holds every subject under the prefix;
// each (consumer group, event type) pair is a durable pull consumer, so a restarted service
// resumes where it stopped and several instances of one service share the work.
import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection, headers as natsHeaders } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { Transport, TransportMessage } from './event-bus.js';

const STREAM_MAX_AGE_NS = 24 * 3600 * 1e9; // 24 h: a demo needs no longer history
const DUPLICATE_WINDOW_NS = 120 * 1e9; // 2 min: publish retries with the same id are dropped
const MAX_DELIVER = 5; // a poison message is tried this often, then left behind
const NAK_DELAY_MS = 1000;

export function streamName(subjectPrefix: string): string {
  return `${subjectPrefix.replace(/[^A-Za-z0-9_-]/g, '_')}_events`;
}

export async function connectJetStream(options: {
  servers: string;
  subjectPrefix: string;
  name: string;
  logger: Logger;
}): Promise<Transport> {
  const nc: NatsConnection = await connect({
    servers: options.servers.split(','),
    name: options.name,
    maxReconnectAttempts: -1,
    timeout: 5000,
  });
  const jsm: JetStreamManager = await jetstreamManager(nc);
  const js: JetStreamClient = jetstream(nc);
  const stream = streamName(options.subjectPrefix);
  await ensureStream(jsm, stream, `${options.subjectPrefix}.>`);

  const consumers: ConsumerMessages[] = [];
  const loops: Promise<void>[] = [];
  let closed = false;

  return {
    system: 'nats',

    async send(subject, headers, body, messageId) {
      const h = natsHeaders();
      for (const [key, value] of Object.entries(headers)) h.set(key, value);
      await js.publish(subject, body, { headers: h, msgID: messageId, timeout: 3000 });
    },

    async listen(consumer, subjects, deliver) {
      for (const subject of subjects) {
        const durable = `${consumer}-${subject.slice(options.subjectPrefix.length + 1).replace(/\./g, '_')}`;
        await ensureConsumer(jsm, stream, durable, subject);
        const messages = await (await js.consumers.get(stream, durable)).consume({ max_messages: 64 });
        consumers.push(messages);
        loops.push(
          (async () => {
            for await (const m of messages) {
              const headers: Record<string, string> = {};
              for (const key of m.headers?.keys() ?? []) headers[key] = m.headers?.get(key) ?? '';
              const message: TransportMessage = { subject: m.subject, headers, body: m.string() };
              try {
                await deliver(message);
                m.ack();
              } catch (error) {
                options.logger.warn({ err: error, subject: m.subject }, 'event handler failed; redelivering');
                m.nak(NAK_DELAY_MS);
              }
            }
          })(),
        );
      }
    },

    async check() {
      if (nc.isClosed()) throw new Error('NATS connection closed');
      await nc.rtt();
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const messages of consumers) await messages.close();
      await Promise.allSettled(loops);
      await nc.drain().catch(() => undefined);
    },
  };
}

async function ensureStream(jsm: JetStreamManager, name: string, subjects: string): Promise<void> {
  const config = { name, subjects: [subjects], max_age: STREAM_MAX_AGE_NS, duplicate_window: DUPLICATE_WINDOW_NS };
  try {
    await jsm.streams.info(name);
  } catch {
    // Not there yet. Several services race to create it; an identical add is idempotent.
    await jsm.streams.add(config).catch(async (error) => {
      await jsm.streams.info(name).catch(() => {
        throw error;
      });
    });
  }
}

async function ensureConsumer(jsm: JetStreamManager, stream: string, durable: string, subject: string) {
  try {
    await jsm.consumers.info(stream, durable);
  } catch {
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      // A new group starts with what is published from now on, not the stream's history.
      deliver_policy: DeliverPolicy.New,
      filter_subject: subject,
      max_deliver: MAX_DELIVER,
      ack_wait: 30 * 1e9,
    });
  }
}
