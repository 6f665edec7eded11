// inventory: the catalogue, stock and reservations. A reservation takes stock for an order
// (all lines or none, in one transaction) and is released as a saga compensation. Reserving is
// idempotent per order, so orders may safely retry it. A background job restocks regular items.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../database/database.js';
import { HttpError } from '../http/service-app.js';
import { CATALOG } from './catalog.js';
import { pricedLinesSchema, requestedLinesSchema } from './line-schemas.js';
import { publishAfterCommit, type ServiceDefinition } from './service.js';

interface ProductRow {
  sku: string;
  name: string;
  price_cents: number;
  stock: number;
}

interface ReservationRow {
  id: string;
  order_id: string;
  status: 'reserved' | 'released';
  total_cents: number;
  created_at: number;
  updated_at: number;
}

interface ReservationItemRow {
  sku: string;
  quantity: number;
  unit_price_cents: number;
}

const RESTOCK_INTERVAL_MS = 15_000;

const productSchema = {
  type: 'object',
  properties: {
    sku: { type: 'string' },
    name: { type: 'string' },
    price_cents: { type: 'integer' },
    stock: { type: 'integer' },
  },
} as const;

const reservationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    order_id: { type: 'string' },
    status: { type: 'string' },
    total_cents: { type: 'integer' },
    items: pricedLinesSchema,
  },
} as const;

/** Sums quantities per SKU, so "2 × A, 1 × A" reserves 3 × A once. */
export function mergeLines(items: readonly { sku: string; quantity: number }[]): Map<string, number> {
  const lines = new Map<string, number>();
  for (const item of items) lines.set(item.sku, (lines.get(item.sku) ?? 0) + item.quantity);
  return lines;
}

async function loadReservation(db: Queryable, where: 'id' | 'order_id', value: string) {
  const [reservation] = await db.query<ReservationRow>(`SELECT * FROM reservations WHERE ${where} = ?`, [value]);
  if (!reservation) return undefined;
  const items = await db.query<ReservationItemRow>(
    'SELECT sku, quantity, unit_price_cents FROM reservation_items WHERE reservation_id = ? ORDER BY sku',
    [reservation.id],
  );
  return { ...reservation, items };
}

export const inventory: ServiceDefinition = {
  name: 'inventory',
  usesEvents: true,
  dependsOn: [],
  schema: [
    `CREATE TABLE IF NOT EXISTS products (
      sku TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      price_cents INTEGER NOT NULL,
      stock INTEGER NOT NULL,
      restock_to INTEGER NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS reservations (
      id TEXT PRIMARY KEY,
      order_id TEXT NOT NULL UNIQUE,
      status TEXT NOT NULL,
      total_cents INTEGER NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS reservation_items (
      reservation_id TEXT NOT NULL,
      sku TEXT NOT NULL,
      quantity INTEGER NOT NULL,
      unit_price_cents INTEGER NOT NULL,
      PRIMARY KEY (reservation_id, sku)
    )`,
  ],

  async register(app, context) {
    const { db, logger } = context;
    for (const item of CATALOG) {
      await db.execute(
        `INSERT INTO products (sku, name, price_cents, stock, restock_to) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (sku) DO NOTHING`,
        [item.sku, item.name, item.priceCents, item.stock, item.restockTo],
      );
    }

    app.get(
      '/products',
      {
        schema: {
          response: { 200: { type: 'object', properties: { products: { type: 'array', items: productSchema } } } },
        },
      },
      async () => ({
        products: await db.query<ProductRow>('SELECT sku, name, price_cents, stock FROM products ORDER BY sku'),
      }),
    );

    app.get<{ Params: { sku: string } }>(
      '/products/:sku',
      { schema: { response: { 200: productSchema } } },
      async (request) => {
        const [product] = await db.query<ProductRow>(
          'SELECT sku, name, price_cents, stock FROM products WHERE sku = ?',
          [request.params.sku],
        );
        if (!product) throw new HttpError(404, 'unknown_product', `no product ${request.params.sku}`);
        return product;
      },
    );

    app.post<{ Body: { order_id: string; items: { sku: string; quantity: number }[] } }>(
      '/reservations',
      {
        schema: {
          body: {
            type: 'object',
            required: ['order_id', 'items'],
            additionalProperties: false,
            properties: {
              order_id: { type: 'string', minLength: 1, maxLength: 64 },
              items: requestedLinesSchema,
            },
          },
          response: { 200: reservationSchema, 201: reservationSchema },
        },
      },
      async (request, reply) => {
        const { order_id: orderId } = request.body;
        const lines = mergeLines(request.body.items);
        const outcome = await db.transaction(async (tx) => {
          const existing = await loadReservation(tx, 'order_id', orderId);
          if (existing) return { created: false, reservation: existing };
          const now = Date.now();
          const id = randomUUID();
          const items: ReservationItemRow[] = [];
          for (const [sku, quantity] of lines) {
            const [product] = await tx.query<ProductRow>('SELECT price_cents, stock FROM products WHERE sku = ?', [
              sku,
            ]);
            if (!product) throw new HttpError(404, 'unknown_product', `no product ${sku}`, { sku });
            const taken = await tx.execute('UPDATE products SET stock = stock - ? WHERE sku = ? AND stock >= ?', [
              quantity,
              sku,
              quantity,
            ]);
            if (taken === 0) {
              throw new HttpError(409, 'out_of_stock', `only ${product.stock} of ${sku} left, ${quantity} wanted`, {
                sku,
                available: product.stock,
              });
            }
            items.push({ sku, quantity, unit_price_cents: product.price_cents });
          }
          const total = items.reduce((sum, item) => sum + item.quantity * item.unit_price_cents, 0);
          await tx.execute(
            'INSERT INTO reservations (id, order_id, status, total_cents, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
            [id, orderId, 'reserved', total, now, now],
          );
          for (const item of items) {
            await tx.execute(
              'INSERT INTO reservation_items (reservation_id, sku, quantity, unit_price_cents) VALUES (?, ?, ?, ?)',
              [id, item.sku, item.quantity, item.unit_price_cents],
            );
          }
          return {
            created: true,
            reservation: { id, order_id: orderId, status: 'reserved', total_cents: total, created_at: now, items },
          };
        });
        if (outcome.created) {
          logger.info({ order_id: orderId, reservation_id: outcome.reservation.id }, 'stock reserved');
          await publishAfterCommit(context, 'inventory.reserved', {
            order_id: orderId,
            reservation_id: outcome.reservation.id,
            items: outcome.reservation.items,
          });
        }
        return reply.code(outcome.created ? 201 : 200).send(outcome.reservation);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/reservations/:id/release',
      { schema: { response: { 200: reservationSchema } } },
      async (request) => {
        const outcome = await db.transaction(async (tx) => {
          const reservation = await loadReservation(tx, 'id', request.params.id);
          if (!reservation) throw new HttpError(404, 'reservation_not_found', `no reservation ${request.params.id}`);
          if (reservation.status === 'released') return { released: false, reservation };
          for (const item of reservation.items) {
            await tx.execute('UPDATE products SET stock = stock + ? WHERE sku = ?', [item.quantity, item.sku]);
          }
          const now = Date.now();
          await tx.execute('UPDATE reservations SET status = ?, updated_at = ? WHERE id = ?', [
            'released',
            now,
            reservation.id,
          ]);
          return { released: true, reservation: { ...reservation, status: 'released' as const, updated_at: now } };
        });
        if (outcome.released) {
          logger.info(
            { order_id: outcome.reservation.order_id, reservation_id: outcome.reservation.id },
            'stock released',
          );
          await publishAfterCommit(context, 'inventory.released', {
            order_id: outcome.reservation.order_id,
            reservation_id: outcome.reservation.id,
          });
        }
        return outcome.reservation;
      },
    );

    const restock = setInterval(() => {
      db.execute('UPDATE products SET stock = restock_to WHERE restock_to > 0 AND stock * 5 < restock_to').then(
        (count) => {
          if (count > 0) logger.info({ products: count }, 'restocked');
        },
        (error) => logger.warn({ err: error }, 'restock failed'),
      );
    }, RESTOCK_INTERVAL_MS);
    restock.unref();
    return async () => clearInterval(restock);
  },
};
