// orders: order placement as an orchestrated saga — create the order, reserve inventory, charge
// the payment, confirm — compensated newest-first on failure (refund, release the stock, cancel
// the order). Calls inventory and payments over HTTP; publishes order.* events.
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../database/database.js';
import { DownstreamError, type DownstreamResponse } from '../http/downstream.js';
import { HttpError } from '../http/service-app.js';
import { runSaga, type SagaStep } from '../saga.js';
import { pricedLinesSchema, requestedLinesSchema } from './line-schemas.js';
import { publishAfterCommit, type ServiceContext, type ServiceDefinition } from './service.js';

type OrderStatus = 'pending' | 'confirmed' | 'cancelled';

/** How long a retried placement waits for the first attempt, still running, to finish. */
const REPLAY_WAIT_MS = 5000;

interface OrderRow {
  id: string;
  user_id: string;
  status: OrderStatus;
  total_cents: number;
  reservation_id: string | null;
  payment_id: string | null;
  failure_reason: string | null;
  /** The answer a cancelled placement got, so a retry with its Idempotency-Key gets it again. */
  failure_status: number | null;
  failure_code: string | null;
  idempotency_key: string | null;
  created_at: number;
  updated_at: number;
}

interface OrderLine {
  sku: string;
  quantity: number;
  unit_price_cents: number;
}

interface PlaceOrder {
  orderId: string;
  userId: string;
  idempotencyKey: string | null;
  requested: { sku: string; quantity: number }[];
  card: { number: string };
  reservation?: { id: string; total_cents: number; items: OrderLine[] };
  payment?: { id: string };
  /** Set when a step failed, before compensations run. */
  failure?: HttpError;
  failureReason?: string;
}

const orderSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    user_id: { type: 'string' },
    status: { type: 'string' },
    total_cents: { type: 'integer' },
    reservation_id: { type: ['string', 'null'] },
    payment_id: { type: ['string', 'null'] },
    failure_reason: { type: ['string', 'null'] },
    created_at: { type: 'integer' },
    updated_at: { type: 'integer' },
    items: pricedLinesSchema,
  },
} as const;

/** Turns a peer's refusal into this service's answer, naming the dependency. */
function refusal(dependency: string, response: DownstreamResponse): HttpError {
  const body = (typeof response.body === 'object' && response.body ? response.body : {}) as Record<string, unknown>;
  const detail = typeof body['detail'] === 'string' ? body['detail'] : `${dependency} answered ${response.status}`;
  if (response.status === 409) return new HttpError(409, 'out_of_stock', detail, { sku: body['sku'] });
  if (response.status === 404) return new HttpError(422, 'unknown_product', detail, { sku: body['sku'] });
  if (response.status === 402) return new HttpError(402, 'payment_declined', detail, { reason: body['reason'] });
  if (response.status === 400) return new HttpError(400, 'invalid_request', detail, { dependency });
  return new HttpError(503, 'dependency_failed', `${dependency} answered ${response.status}: ${detail}`, {
    dependency,
  });
}

/** What the caller is told when placement failed at a step. */
function asHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof DownstreamError) {
    return new HttpError(error.failure === 'timeout' ? 504 : 503, `dependency_${error.failure}`, error.message, {
      dependency: error.dependency,
    });
  }
  return new HttpError(500, 'internal', 'order placement failed');
}

function failureCode(error: unknown): string {
  if (error instanceof HttpError) {
    const reason = error.extra['reason'];
    return typeof reason === 'string' ? `${error.code}: ${reason}` : error.code;
  }
  if (error instanceof DownstreamError) return `${error.dependency} ${error.failure}`;
  return 'internal error';
}

function placementSteps(context: ServiceContext): SagaStep<PlaceOrder>[] {
  const { db, logger } = context;
  const inventory = context.downstream('inventory');
  const payments = context.downstream('payments');

  return [
    {
      name: 'create-order',
      async run(order) {
        const now = Date.now();
        try {
          await db.execute(
            `INSERT INTO orders (id, user_id, status, total_cents, idempotency_key, created_at, updated_at)
             VALUES (?, ?, 'pending', 0, ?, ?, ?)`,
            [order.orderId, order.userId, order.idempotencyKey, now, now],
          );
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new HttpError(409, 'duplicate_request', 'an order with this Idempotency-Key is being placed');
          }
          throw error;
        }
        await publishAfterCommit(context, 'order.placed', {
          order_id: order.orderId,
          user_id: order.userId,
          items: order.requested,
        });
      },
      compensate: {
        name: 'cancel-order',
        async run(order) {
          await db.execute(
            `UPDATE orders SET status = 'cancelled', failure_reason = ?, failure_status = ?, failure_code = ?,
             updated_at = ? WHERE id = ?`,
            [
              order.failureReason ?? 'cancelled',
              order.failure?.statusCode ?? 500,
              order.failure?.code ?? 'internal',
              Date.now(),
              order.orderId,
            ],
          );
          logger.warn({ order_id: order.orderId, reason: order.failureReason }, 'order cancelled');
          await publishAfterCommit(context, 'order.cancelled', {
            order_id: order.orderId,
            user_id: order.userId,
            reason: order.failureReason ?? null,
          });
        },
      },
    },
    {
      name: 'reserve-inventory',
      async run(order) {
        const response = await inventory.call('POST', '/reservations', {
          body: { order_id: order.orderId, items: order.requested },
          idempotent: true, // one reservation per order id, however often it is asked
        });
        if (response.status !== 200 && response.status !== 201) throw refusal('inventory', response);
        const reservation = response.body as { id: string; total_cents: number; items: OrderLine[] };
        order.reservation = reservation;
        await db.transaction(async (tx) => {
          await tx.execute('UPDATE orders SET total_cents = ?, reservation_id = ?, updated_at = ? WHERE id = ?', [
            reservation.total_cents,
            reservation.id,
            Date.now(),
            order.orderId,
          ]);
          for (const item of reservation.items) {
            await tx.execute(
              `INSERT INTO order_items (order_id, sku, quantity, unit_price_cents) VALUES (?, ?, ?, ?)
               ON CONFLICT (order_id, sku) DO NOTHING`,
              [order.orderId, item.sku, item.quantity, item.unit_price_cents],
            );
          }
        });
      },
      compensate: {
        name: 'release-inventory',
        async run(order) {
          if (!order.reservation) return;
          const response = await inventory.call('POST', `/reservations/${order.reservation.id}/release`, {
            idempotent: true,
          });
          if (response.status !== 200) throw refusal('inventory', response);
        },
      },
    },
    {
      name: 'charge-payment',
      async run(order) {
        const response = await payments.call('POST', '/payments', {
          body: { order_id: order.orderId, amount_cents: order.reservation?.total_cents ?? 0, card: order.card },
          idempotent: true, // payments charges an order id once
        });
        if (response.status !== 200 && response.status !== 201) throw refusal('payments', response);
        order.payment = response.body as { id: string };
      },
      compensate: {
        name: 'refund-payment',
        async run(order) {
          if (!order.payment) return;
          const response = await payments.call('POST', `/payments/${order.payment.id}/refund`, { idempotent: true });
          if (response.status !== 200) throw refusal('payments', response);
        },
      },
    },
    {
      name: 'confirm-order',
      async run(order) {
        await db.execute("UPDATE orders SET status = 'confirmed', payment_id = ?, updated_at = ? WHERE id = ?", [
          order.payment?.id ?? null,
          Date.now(),
          order.orderId,
        ]);
        logger.info({ order_id: order.orderId, total_cents: order.reservation?.total_cents }, 'order confirmed');
        await publishAfterCommit(context, 'order.confirmed', {
          order_id: order.orderId,
          user_id: order.userId,
          total_cents: order.reservation?.total_cents ?? 0,
        });
      },
    },
  ];
}

export const orders: ServiceDefinition = {
  name: 'orders',
  usesEvents: true,
  dependsOn: ['inventory', 'payments'],
  schema: [
    `CREATE TABLE IF NOT EXISTS orders (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      status TEXT NOT NULL,
      total_cents INTEGER NOT NULL,
      reservation_id TEXT,
      payment_id TEXT,
      failure_reason TEXT,
      failure_status INTEGER,
      failure_code TEXT,
      idempotency_key TEXT UNIQUE,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS orders_by_user ON orders (user_id, created_at)',
    `CREATE TABLE IF NOT EXISTS order_items (
      order_id TEXT NOT NULL,
      sku TEXT NOT NULL,
      quantity INTEGER NOT NULL,
      unit_price_cents INTEGER NOT NULL,
      PRIMARY KEY (order_id, sku)
    )`,
  ],

  async register(app, context) {
    const { db } = context;
    const steps = placementSteps(context);

    const load = async (where: 'id' | 'idempotency_key', value: string) => {
      const [order] = await db.query<OrderRow>(`SELECT * FROM orders WHERE ${where} = ?`, [value]);
      if (!order) return undefined;
      const items = await db.query<OrderLine>(
        'SELECT sku, quantity, unit_price_cents FROM order_items WHERE order_id = ? ORDER BY sku',
        [order.id],
      );
      return { ...order, items };
    };

    app.post<{
      Body: { user_id: string; items: { sku: string; quantity: number }[]; card: { number: string } };
      Headers: { 'idempotency-key'?: string };
    }>(
      '/orders',
      {
        schema: {
          headers: {
            type: 'object',
            properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 128 } },
          },
          body: {
            type: 'object',
            required: ['user_id', 'items', 'card'],
            additionalProperties: false,
            properties: {
              user_id: { type: 'string', minLength: 1, maxLength: 64 },
              items: requestedLinesSchema,
              card: {
                type: 'object',
                required: ['number'],
                additionalProperties: false,
                properties: { number: { type: 'string', pattern: '^[0-9]{12,19}$' } },
              },
            },
          },
          response: { 200: orderSchema, 201: orderSchema },
        },
      },
      async (request, reply) => {
        const idempotencyKey = request.headers['idempotency-key'] ?? null;
        if (idempotencyKey) {
          // A retry of a placement: the same answer as the first time, nothing placed twice.
          let previous = await load('idempotency_key', idempotencyKey);
          // The first attempt may still be running (the caller timed out and retried): wait a
          // little for its outcome rather than answer "in progress".
          const waitUntil = Date.now() + REPLAY_WAIT_MS;
          while (previous?.status === 'pending' && Date.now() < waitUntil) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            previous = await load('idempotency_key', idempotencyKey);
          }
          if (previous?.status === 'confirmed') return reply.code(200).send(previous);
          if (previous?.status === 'cancelled') {
            throw new HttpError(
              previous.failure_status ?? 409,
              previous.failure_code ?? 'order_cancelled',
              `order ${previous.id} was cancelled: ${previous.failure_reason ?? 'unknown reason'}`,
              { order: previous },
            );
          }
          if (previous) {
            throw new HttpError(
              409,
              'duplicate_request',
              `order ${previous.id} with this Idempotency-Key is being placed`,
            );
          }
        }
        const placement: PlaceOrder = {
          orderId: randomUUID(),
          userId: request.body.user_id,
          idempotencyKey,
          requested: request.body.items,
          card: request.body.card,
        };
        const outcome = await runSaga('place-order', steps, placement, {
          onFailure: (order, _step, error) => {
            order.failure = asHttpError(error);
            order.failureReason = failureCode(error);
          },
        });
        const order = await load('id', placement.orderId);
        if (outcome.ok && order) return reply.code(201).send(order);
        for (const failure of outcome.compensationFailures) {
          request.log.error(
            { err: failure.error, order_id: placement.orderId, compensation: failure.name },
            'saga compensation failed; the order needs an operator',
          );
        }
        const failure = placement.failure ?? asHttpError(outcome.error);
        throw new HttpError(failure.statusCode, failure.code, failure.message, {
          ...failure.extra,
          order: order ?? null,
        });
      },
    );

    app.get<{ Params: { id: string } }>(
      '/orders/:id',
      { schema: { response: { 200: orderSchema } } },
      async (request) => {
        const order = await load('id', request.params.id);
        if (!order) throw new HttpError(404, 'order_not_found', `no order ${request.params.id}`);
        return order;
      },
    );

    app.get<{ Querystring: { user_id: string; limit?: number } }>(
      '/orders',
      {
        schema: {
          querystring: {
            type: 'object',
            required: ['user_id'],
            properties: {
              user_id: { type: 'string', minLength: 1 },
              limit: { type: 'integer', minimum: 1, maximum: 100 },
            },
          },
          response: { 200: { type: 'object', properties: { orders: { type: 'array', items: orderSchema } } } },
        },
      },
      async (request) => ({
        orders: await db.query<OrderRow>('SELECT * FROM orders WHERE user_id = ? ORDER BY created_at DESC LIMIT ?', [
          request.query.user_id,
          request.query.limit ?? 20,
        ]),
      }),
    );
    return undefined;
  },
};
