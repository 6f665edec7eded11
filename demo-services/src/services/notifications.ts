// notifications: listens to every shop event and turns the ones a customer cares about into an
// e-mail in its outbox (the demo sends nothing; the outbox row and its log line are the point).
import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, type EventType, type ShopEvent } from '../events/event-bus.js';
import type { ServiceDefinition } from './service.js';

interface NotificationRow {
  id: string;
  event_id: string;
  event_type: string;
  user_id: string | null;
  order_id: string | null;
  channel: string;
  message: string;
  created_at: number;
}

/** What the customer is told for each event; null for events only kept in the activity log. */
export function messageFor(event: ShopEvent): { channel: 'email' | 'activity'; message: string } {
  const data = event.data;
  const order = String(data['order_id'] ?? '').slice(0, 8);
  const messages: Record<EventType, () => { channel: 'email' | 'activity'; message: string }> = {
    'user.created': () => ({ channel: 'email', message: `Welcome to the shop, ${String(data['name'] ?? 'friend')}!` }),
    'order.placed': () => ({ channel: 'activity', message: `Order ${order} placed` }),
    'inventory.reserved': () => ({ channel: 'activity', message: `Stock reserved for order ${order}` }),
    'inventory.released': () => ({ channel: 'activity', message: `Stock released for order ${order}` }),
    'payment.completed': () => ({ channel: 'activity', message: `Payment received for order ${order}` }),
    'payment.failed': () => ({
      channel: 'activity',
      message: `Payment for order ${order} declined (${String(data['reason'] ?? 'unknown')})`,
    }),
    'order.confirmed': () => ({ channel: 'email', message: `Your order ${order} is confirmed` }),
    'order.cancelled': () => ({
      channel: 'email',
      message: `Your order ${order} was cancelled: ${String(data['reason'] ?? 'unknown reason')}`,
    }),
  };
  return messages[event.type]();
}

export const notifications: ServiceDefinition = {
  name: 'notifications',
  usesEvents: true,
  dependsOn: [],
  schema: [
    `CREATE TABLE IF NOT EXISTS notifications (
      id TEXT PRIMARY KEY,
      event_id TEXT NOT NULL UNIQUE,
      event_type TEXT NOT NULL,
      user_id TEXT,
      order_id TEXT,
      channel TEXT NOT NULL,
      message TEXT NOT NULL,
      created_at BIGINT NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS notifications_by_user ON notifications (user_id, created_at)',
  ],

  async register(app, context) {
    const { db, logger } = context;

    await context.events.subscribe('notifications', EVENT_TYPES, async (event) => {
      const { channel, message } = messageFor(event);
      const userId = typeof event.data['user_id'] === 'string' ? event.data['user_id'] : null;
      const orderId = typeof event.data['order_id'] === 'string' ? event.data['order_id'] : null;
      // The event id is unique: a redelivered event is stored once.
      const stored = await db.execute(
        `INSERT INTO notifications (id, event_id, event_type, user_id, order_id, channel, message, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
        [randomUUID(), event.id, event.type, userId, orderId, channel, message, Date.now()],
      );
      if (stored > 0 && channel === 'email')
        logger.info({ user_id: userId, order_id: orderId, event: event.type }, `e-mail queued: ${message}`);
    });

    app.get<{ Querystring: { user_id?: string; order_id?: string; limit?: number } }>(
      '/notifications',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: {
              user_id: { type: 'string' },
              order_id: { type: 'string' },
              limit: { type: 'integer', minimum: 1, maximum: 100 },
            },
          },
        },
      },
      async (request) => {
        const { user_id: userId, order_id: orderId, limit = 20 } = request.query;
        const where: string[] = [];
        const params: string[] = [];
        if (userId) {
          where.push('user_id = ?');
          params.push(userId);
        }
        if (orderId) {
          where.push('order_id = ?');
          params.push(orderId);
        }
        const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
        return {
          notifications: await db.query<NotificationRow>(
            `SELECT * FROM notifications ${clause} ORDER BY created_at DESC LIMIT ?`,
            [...params, limit],
          ),
        };
      },
    );
    return undefined;
  },
};
