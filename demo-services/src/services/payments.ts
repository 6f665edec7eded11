// payments: charges a card for an order (idempotent per order) and refunds it. Declines follow
// the well-known test card numbers, so the load generator can ask for a decline on purpose.
import { randomUUID } from 'node:crypto';
import { HttpError } from '../http/service-app.js';
import { publishAfterCommit, type ServiceDefinition } from './service.js';

export const TEST_CARDS = {
  approved: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
} as const;

export type DeclineReason = 'card_declined' | 'insufficient_funds' | 'incorrect_number';

/** Approves or declines a card number; null means approved. */
export function authorize(cardNumber: string): DeclineReason | null {
  if (!luhnValid(cardNumber)) return 'incorrect_number';
  if (cardNumber === TEST_CARDS.declined) return 'card_declined';
  if (cardNumber === TEST_CARDS.insufficientFunds) return 'insufficient_funds';
  return null;
}

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

interface PaymentRow {
  id: string;
  order_id: string;
  amount_cents: number;
  status: 'completed' | 'declined' | 'refunded';
  card_last4: string;
  decline_reason: string | null;
  created_at: number;
  updated_at: number;
}

const paymentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    order_id: { type: 'string' },
    amount_cents: { type: 'integer' },
    status: { type: 'string' },
    card_last4: { type: 'string' },
    decline_reason: { type: ['string', 'null'] },
    created_at: { type: 'integer' },
  },
} as const;

function declined(payment: PaymentRow): HttpError {
  return new HttpError(
    402,
    'payment_declined',
    `payment for order ${payment.order_id} declined: ${payment.decline_reason}`,
    {
      reason: payment.decline_reason,
      payment_id: payment.id,
    },
  );
}

export const payments: ServiceDefinition = {
  name: 'payments',
  usesEvents: true,
  dependsOn: [],
  schema: [
    `CREATE TABLE IF NOT EXISTS payments (
      id TEXT PRIMARY KEY,
      order_id TEXT NOT NULL UNIQUE,
      amount_cents INTEGER NOT NULL,
      status TEXT NOT NULL,
      card_last4 TEXT NOT NULL,
      decline_reason TEXT,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    )`,
  ],

  async register(app, context) {
    const { db, logger } = context;

    app.post<{ Body: { order_id: string; amount_cents: number; card: { number: string } } }>(
      '/payments',
      {
        schema: {
          body: {
            type: 'object',
            required: ['order_id', 'amount_cents', 'card'],
            additionalProperties: false,
            properties: {
              order_id: { type: 'string', minLength: 1, maxLength: 64 },
              amount_cents: { type: 'integer', minimum: 1, maximum: 100_000_000 },
              card: {
                type: 'object',
                required: ['number'],
                additionalProperties: false,
                properties: { number: { type: 'string', pattern: '^[0-9]{12,19}$' } },
              },
            },
          },
          response: { 200: paymentSchema, 201: paymentSchema },
        },
      },
      async (request, reply) => {
        const { order_id: orderId, amount_cents: amount, card } = request.body;
        const [existing] = await db.query<PaymentRow>('SELECT * FROM payments WHERE order_id = ?', [orderId]);
        if (existing) {
          // A retry of the same charge: answer as the first time, charge nothing again.
          if (existing.status === 'declined') throw declined(existing);
          return reply.code(200).send(existing);
        }
        const reason = authorize(card.number);
        const now = Date.now();
        const payment: PaymentRow = {
          id: randomUUID(),
          order_id: orderId,
          amount_cents: amount,
          status: reason ? 'declined' : 'completed',
          card_last4: card.number.slice(-4),
          decline_reason: reason,
          created_at: now,
          updated_at: now,
        };
        const inserted = await db.execute(
          `INSERT INTO payments (id, order_id, amount_cents, status, card_last4, decline_reason, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING`,
          [
            payment.id,
            payment.order_id,
            payment.amount_cents,
            payment.status,
            payment.card_last4,
            payment.decline_reason,
            now,
            now,
          ],
        );
        if (inserted === 0) {
          // A concurrent retry won the race: its outcome is the outcome.
          const [winner] = await db.query<PaymentRow>('SELECT * FROM payments WHERE order_id = ?', [orderId]);
          if (!winner) throw new Error(`payment for order ${orderId} vanished`);
          if (winner.status === 'declined') throw declined(winner);
          return reply.code(200).send(winner);
        }
        if (reason) {
          logger.warn({ order_id: orderId, payment_id: payment.id, reason }, 'payment declined');
          await publishAfterCommit(context, 'payment.failed', { order_id: orderId, payment_id: payment.id, reason });
          throw declined(payment);
        }
        logger.info({ order_id: orderId, payment_id: payment.id, amount_cents: amount }, 'payment completed');
        await publishAfterCommit(context, 'payment.completed', {
          order_id: orderId,
          payment_id: payment.id,
          amount_cents: amount,
        });
        return reply.code(201).send(payment);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/payments/:id',
      { schema: { response: { 200: paymentSchema } } },
      async (request) => {
        const [payment] = await db.query<PaymentRow>('SELECT * FROM payments WHERE id = ?', [request.params.id]);
        if (!payment) throw new HttpError(404, 'payment_not_found', `no payment ${request.params.id}`);
        return payment;
      },
    );

    app.post<{ Params: { id: string } }>(
      '/payments/:id/refund',
      { schema: { response: { 200: paymentSchema } } },
      async (request) => {
        const [payment] = await db.query<PaymentRow>('SELECT * FROM payments WHERE id = ?', [request.params.id]);
        if (!payment) throw new HttpError(404, 'payment_not_found', `no payment ${request.params.id}`);
        if (payment.status === 'declined') {
          throw new HttpError(409, 'not_refundable', `payment ${payment.id} was declined; nothing to refund`);
        }
        if (payment.status === 'refunded') return payment;
        const now = Date.now();
        await db.execute(
          "UPDATE payments SET status = 'refunded', updated_at = ? WHERE id = ? AND status = 'completed'",
          [now, payment.id],
        );
        logger.info({ order_id: payment.order_id, payment_id: payment.id }, 'payment refunded');
        return { ...payment, status: 'refunded', updated_at: now };
      },
    );
    return undefined;
  },
};
