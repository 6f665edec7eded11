// How a change reaches every replica: the replica that makes it tells its own subscribers at
// once and, on PostgreSQL, sends NOTIFY so every other replica sharing the store tells theirs.
// Notifications are hints ("service X changed"), never data: a subscriber re-reads the store,
// so a duplicate or a lost-and-resynced notification is harmless.

import { sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';

export type PushEvent =
  /** A config document changed (publish, rollback, rollout step). */
  | { topic: 'config'; service: string; environment: string }
  /** Breaker commands changed (created, cancelled, expired): everyone re-reads theirs. */
  | { topic: 'breakers' }
  /** The listener reconnected and may have missed notifications: re-read everything. */
  | { topic: 'resync' };

type Handler = (event: PushEvent) => void;

/** Delay before the LISTEN connection is tried again after it broke. */
const RECONNECT_MS = 1000;

export class PushBus {
  private readonly handlers = new Set<Handler>();
  private client: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly channel: string;

  constructor(
    private readonly store: Store,
    private readonly storeUrl: string,
    private readonly replicaId: string,
    private readonly logger: Logger,
  ) {
    // NOTIFY channels are database-wide: several Signalbox stores in one database (one schema
    // each) get a channel each, or they would push each other's changes.
    const schema = store.dialect === 'postgres' ? new URL(storeUrl).searchParams.get('schema') : null;
    this.channel = schema ? `signalbox_push_${schema}` : 'signalbox_push';
  }

  subscribe(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Tells this replica's subscribers now and the other replicas through NOTIFY. */
  async publish(event: PushEvent): Promise<void> {
    this.deliver(event);
    if (this.store.dialect !== 'postgres') return;
    const payload = JSON.stringify({ ...event, from: this.replicaId });
    await sql`select pg_notify(${this.channel}, ${payload})`.execute(this.store.db);
  }

  async start(): Promise<void> {
    if (this.store.dialect === 'postgres') await this.listen();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private deliver(event: PushEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        this.logger.error({ err: error, event }, 'push subscriber failed');
      }
    }
  }

  private async listen(): Promise<void> {
    const url = new URL(this.storeUrl);
    url.searchParams.delete('schema');
    const client = new pg.Client({ connectionString: url.toString() });
    const broken = (error?: Error) => {
      if (this.client !== client || this.stopped) return;
      this.client = undefined;
      this.logger.warn({ err: error }, 'config push listener lost its connection; reconnecting');
      client.end().catch(() => {});
      this.scheduleReconnect();
    };
    client.on('error', broken);
    client.on('end', () => broken());
    client.on('notification', (message) => {
      if (message.channel !== this.channel || !message.payload) return;
      try {
        const { from, ...event } = JSON.parse(message.payload) as PushEvent & { from: string };
        if (from !== this.replicaId) this.deliver(event as PushEvent);
      } catch {
        this.logger.warn({ payload: message.payload }, 'ignored a malformed push notification');
      }
    });
    await client.connect();
    await client.query(`LISTEN "${this.channel}"`);
    this.client = client;
  }

  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.listen().then(
        () => {
          this.logger.info({}, 'config push listener reconnected');
          this.deliver({ topic: 'resync' });
        },
        (error: unknown) => {
          this.logger.warn({ err: error }, 'config push listener could not reconnect');
          if (!this.stopped) this.scheduleReconnect();
        },
      );
    }, RECONNECT_MS);
    this.reconnectTimer.unref();
  }
}
