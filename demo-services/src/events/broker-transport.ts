// Client side of the fallback broker (no NATS_URL): publishes with an acknowledgement,
// subscribes per consumer group, reconnects with backoff and re-subscribes. Delivery is at most
// once: a handler that fails is logged, the message is not redelivered (JetStream does that).
import { connect, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { type BrokerFrame, type ClientFrame, encode, lineReader } from './broker-protocol.js';
import type { Transport, TransportMessage } from './event-bus.js';

const ACK_TIMEOUT_MS = 3000;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 2000;

export interface BrokerTransportOptions {
  /** host:port */
  address: string;
  logger: Logger;
  /** How long `connectBroker` waits for the first connection before giving up. */
  connectTimeoutMs?: number;
}

export async function connectBroker(options: BrokerTransportOptions): Promise<Transport> {
  const [host, portText] = splitAddress(options.address);
  const subscriptions: { consumer: string; subject: string }[] = [];
  const handlers = new Map<string, (message: TransportMessage) => Promise<void>>();
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  let socket: Socket | undefined;
  let connected = false;
  let closed = false;
  let nextRef = 1;
  let backoff = RECONNECT_MIN_MS;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let firstConnect: { resolve: () => void } | undefined;

  const write = (frame: ClientFrame) => socket?.write(encode(frame));

  const onFrame = (raw: unknown) => {
    const frame = raw as BrokerFrame;
    if (frame.op === 'ack') {
      const entry = waiting.get(frame.ref);
      if (entry) {
        clearTimeout(entry.timer);
        waiting.delete(frame.ref);
        entry.resolve();
      }
    } else if (frame.op === 'msg') {
      const deliver = handlers.get(frame.subject);
      if (!deliver) return;
      deliver({ subject: frame.subject, headers: frame.headers ?? {}, body: frame.body }).catch((error) =>
        options.logger.warn({ err: error, subject: frame.subject }, 'event handler failed; message dropped'),
      );
    }
  };

  const open = () => {
    const s = connect({ host, port: Number(portText) });
    socket = s;
    s.setNoDelay(true);
    s.on('connect', () => {
      connected = true;
      backoff = RECONNECT_MIN_MS;
      // Re-subscribe after a reconnect; nobody waits for these acknowledgements.
      for (const sub of subscriptions) write({ op: 'sub', ref: 0, ...sub });
      firstConnect?.resolve();
      firstConnect = undefined;
    });
    s.on(
      'data',
      lineReader(onFrame, (line) => options.logger.warn({ line }, 'unreadable frame from broker')),
    );
    s.on('error', () => undefined); // 'close' follows and handles it
    s.on('close', () => {
      connected = false;
      for (const [ref, entry] of waiting) {
        clearTimeout(entry.timer);
        entry.reject(new Error('connection to the event broker lost'));
        waiting.delete(ref);
      }
      if (closed) return;
      reconnectTimer = setTimeout(open, backoff);
      reconnectTimer.unref();
      backoff = Math.min(backoff * 2, RECONNECT_MAX_MS);
    });
  };

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      closed = true;
      socket?.destroy();
      reject(new Error(`event broker at ${options.address} not reachable (start it, or set NATS_URL)`));
    }, options.connectTimeoutMs ?? 15_000);
    firstConnect = {
      resolve: () => {
        clearTimeout(timer);
        resolve();
      },
    };
    open();
  });

  const request = (frame: ClientFrame & { ref: number }) =>
    new Promise<void>((resolve, reject) => {
      if (!connected) {
        reject(new Error(`event broker at ${options.address} unavailable`));
        return;
      }
      const timer = setTimeout(() => {
        waiting.delete(frame.ref);
        reject(new Error(`event broker did not acknowledge within ${ACK_TIMEOUT_MS} ms`));
      }, ACK_TIMEOUT_MS);
      waiting.set(frame.ref, { resolve, reject, timer });
      write(frame);
    });

  return {
    system: 'signalbox-broker',
    send: (subject, headers, body, id) => request({ op: 'pub', ref: nextRef++, subject, headers, body, id }),
    async listen(consumer, subjects, deliver) {
      for (const subject of subjects) {
        subscriptions.push({ consumer, subject });
        handlers.set(subject, deliver);
        // Resolves once the broker holds the subscription, so what is published next arrives.
        await request({ op: 'sub', ref: nextRef++, consumer, subject });
      }
    },
    check: () => request({ op: 'ping', ref: nextRef++ }),
    async close() {
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      socket?.end();
      socket?.destroy();
    },
  };
}

function splitAddress(address: string): [string, string] {
  const index = address.lastIndexOf(':');
  return index === -1 ? ['127.0.0.1', address] : [address.slice(0, index) || '127.0.0.1', address.slice(index + 1)];
}
