// The fallback event broker: a small TCP fan-out used when NATS is not configured. Each
// (subject, consumer group) gets every message once, handed round-robin to the group's
// connected members; while a group has no member, its messages wait in a bounded backlog
// (oldest dropped and counted) so a restarting consumer does not miss the last events.
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { type BrokerFrame, type ClientFrame, encode, lineReader } from '../events/broker-protocol.js';

const BACKLOG_LIMIT = 1000; // messages per group while it has no member

interface Group {
  members: Socket[];
  next: number;
  backlog: BrokerFrame[];
}

export interface BrokerStats {
  published: number;
  delivered: number;
  dropped: number;
  groups: number;
  connections: number;
}

export interface RunningBroker {
  readonly address: string;
  stats(): BrokerStats;
  close(): Promise<void>;
}

export async function startBroker(options: { host: string; port: number; logger: Logger }): Promise<RunningBroker> {
  // subject → consumer group → group
  const subjects = new Map<string, Map<string, Group>>();
  const sockets = new Set<Socket>();
  const stats = { published: 0, delivered: 0, dropped: 0 };

  const deliver = (group: Group, frame: BrokerFrame) => {
    const member = group.members[group.next++ % Math.max(group.members.length, 1)];
    if (member && !member.destroyed) {
      member.write(encode(frame));
      stats.delivered++;
      return;
    }
    group.backlog.push(frame);
    if (group.backlog.length > BACKLOG_LIMIT) {
      group.backlog.shift();
      stats.dropped++;
    }
  };

  const onClientFrame = (socket: Socket, raw: unknown) => {
    const frame = raw as ClientFrame;
    switch (frame.op) {
      case 'sub': {
        let groups = subjects.get(frame.subject);
        if (!groups) {
          groups = new Map();
          subjects.set(frame.subject, groups);
        }
        let group = groups.get(frame.consumer);
        if (!group) {
          group = { members: [], next: 0, backlog: [] };
          groups.set(frame.consumer, group);
        }
        group.members.push(socket);
        socket.write(encode({ op: 'ack', ref: frame.ref }));
        const waiting = group.backlog.splice(0);
        for (const message of waiting) deliver(group, message);
        break;
      }
      case 'pub': {
        stats.published++;
        const message: BrokerFrame = {
          op: 'msg',
          subject: frame.subject,
          headers: frame.headers,
          body: frame.body,
          id: frame.id,
        };
        for (const group of subjects.get(frame.subject)?.values() ?? []) deliver(group, message);
        socket.write(encode({ op: 'ack', ref: frame.ref }));
        break;
      }
      case 'ping':
        socket.write(encode({ op: 'ack', ref: frame.ref }));
        break;
      default:
        options.logger.warn({ frame }, 'unknown frame');
    }
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on(
      'data',
      lineReader(
        (frame) => onClientFrame(socket, frame),
        (line) => options.logger.warn({ line: line.slice(0, 200) }, 'unreadable frame'),
      ),
    );
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      for (const groups of subjects.values()) {
        for (const group of groups.values()) group.members = group.members.filter((m) => m !== socket);
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  return {
    address: `${options.host}:${port}`,
    stats: () => ({
      ...stats,
      groups: [...subjects.values()].reduce((n, groups) => n + groups.size, 0),
      connections: sockets.size,
    }),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
