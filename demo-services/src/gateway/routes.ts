// The gateway's routing table: public path → backend service and path, and whether a request
// may be retried (GETs always; order placement because the gateway gives it an idempotency
// key; sign-up never, a second attempt could create a second account).
import type { ServiceName } from '../settings.js';

export interface GatewayRoute {
  method: 'GET' | 'POST';
  /** Public path (Fastify syntax). */
  path: string;
  upstream: ServiceName;
  /** Backend path from the public path's parameters. */
  target(params: Record<string, string>): string;
  /** Query parameters passed on. */
  query?: readonly string[];
  retry: 'idempotent' | 'with-idempotency-key' | 'never';
  /** Per-attempt timeout when the backend needs longer than GATEWAY_UPSTREAM_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * Placing an order runs a saga over two more services, each call with its own timeout and retry
 * (DEMO_CALL_TIMEOUT_MS): the gateway gives it room, so its retry does not race the first try.
 */
const PLACEMENT_TIMEOUT_MS = 10_000;

const enc = encodeURIComponent;

export const GATEWAY_ROUTES: readonly GatewayRoute[] = [
  { method: 'GET', path: '/api/products', upstream: 'inventory', target: () => '/products', retry: 'idempotent' },
  {
    method: 'GET',
    path: '/api/products/:sku',
    upstream: 'inventory',
    target: (p) => `/products/${enc(p['sku'] ?? '')}`,
    retry: 'idempotent',
  },
  { method: 'POST', path: '/api/users', upstream: 'users', target: () => '/users', retry: 'never' },
  {
    method: 'GET',
    path: '/api/users/:id',
    upstream: 'users',
    target: (p) => `/users/${enc(p['id'] ?? '')}`,
    retry: 'idempotent',
  },
  {
    method: 'POST',
    path: '/api/orders',
    upstream: 'orders',
    target: () => '/orders',
    retry: 'with-idempotency-key',
    timeoutMs: PLACEMENT_TIMEOUT_MS,
  },
  {
    method: 'GET',
    path: '/api/orders',
    upstream: 'orders',
    target: () => '/orders',
    query: ['user_id', 'limit'],
    retry: 'idempotent',
  },
  {
    method: 'GET',
    path: '/api/orders/:id',
    upstream: 'orders',
    target: (p) => `/orders/${enc(p['id'] ?? '')}`,
    retry: 'idempotent',
  },
];
