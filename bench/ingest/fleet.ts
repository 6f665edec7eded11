// A synthetic fleet for the ingest benchmark: 30 services with a few instances each, traces
// that fan out over CLIENT→SERVER calls between services, database and broker calls, ~2 %
// errors, log-normal latencies, and log records of which most belong to a span. Deterministic
// (seeded), so runs compare. Produces SpanRecord/LogRecord (for filling a store through the
// storage layer) and OTLP ExportTraceServiceRequest objects (for the receiver).
import {
  type Attributes,
  type LogRecord,
  SpanKind,
  type SpanKindNumber,
  type SpanRecord,
  StatusCode,
} from '../../server/src/telemetry/model.js';

export const SERVICE_NAMES = [
  'gateway',
  'users',
  'orders',
  'payments',
  'inventory',
  'notifications',
  'search',
  'catalog',
  'cart',
  'shipping',
  'pricing',
  'reviews',
  'recommendations',
  'auth',
  'sessions',
  'billing',
  'invoices',
  'ledger',
  'fraud',
  'emails',
  'sms',
  'media',
  'thumbnails',
  'geo',
  'tax',
  'coupons',
  'loyalty',
  'audit',
  'reports',
  'exports',
];
const ROUTES = ['/', '/items', '/items/:id', '/items/:id/details', '/checkout', '/status', '/batch', '/search'];
const DB_SYSTEMS = ['postgresql', 'redis', 'mysql'];
const WORDS = [
  'request',
  'handled',
  'cache',
  'miss',
  'retry',
  'timeout',
  'connection',
  'user',
  'order',
  'payment',
  'accepted',
  'rejected',
  'slow',
  'query',
  'upstream',
  'queued',
  'processed',
  'token',
  'refreshed',
  'invalid',
];

/** Deterministic pseudo-random numbers in [0, 1). */
export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export interface Fleet {
  services: string[];
  /** Per service: resources of its instances (shared objects, as an SDK's resource is). */
  resources: Map<string, Attributes[]>;
  /** Callees of each service (a DAG: calls go to higher indexes only). */
  callees: Map<string, string[]>;
}

export function makeFleet(random: () => number): Fleet {
  const services = SERVICE_NAMES;
  const resources = new Map<string, Attributes[]>();
  const callees = new Map<string, string[]>();
  services.forEach((name, index) => {
    resources.set(
      name,
      [0, 1, 2].map((instance) => ({
        'service.name': name,
        'service.version': `1.${index % 4}.${instance}`,
        'service.instance.id': `${name}-${instance}-${(index * 7919 + instance).toString(16)}`,
        'host.name': `node-${(index + instance) % 12}`,
        'process.pid': 1000 + index * 10 + instance,
        'process.runtime.name': 'nodejs',
        'process.runtime.version': '20.20.0',
        'telemetry.sdk.language': 'nodejs',
        'telemetry.sdk.name': 'opentelemetry',
        'telemetry.sdk.version': '2.12.0',
        'deployment.environment.name': 'production',
      })),
    );
    const next = services.slice(index + 1);
    const picks = new Set<string>();
    const fanout = next.length === 0 ? 0 : 1 + Math.floor(random() * Math.min(3, next.length));
    while (picks.size < fanout) picks.add(next[Math.floor(random() * Math.min(next.length, 8))] as string);
    callees.set(name, [...picks]);
  });
  return { services, resources, callees };
}

function hex(random: () => number, bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes; i++)
    out += Math.floor(random() * 256)
      .toString(16)
      .padStart(2, '0');
  return out;
}

/** Log-normal duration in ns around `medianMs`. */
function latencyNs(random: () => number, medianMs: number): bigint {
  const u = Math.max(random(), 1e-9);
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return BigInt(Math.max(1000, Math.round(medianMs * Math.exp(0.8 * normal) * 1e6)));
}

export interface TraceOptions {
  /** Start of the trace, epoch ns. */
  startNs: bigint;
  /** Root service (default: one of the first ten, as entry points are). */
  root?: string;
  /** Force an error somewhere in the trace. */
  error?: boolean;
}

/** One trace: ~5-25 spans over a few services. */
export function makeTrace(fleet: Fleet, random: () => number, options: TraceOptions): SpanRecord[] {
  const traceId = hex(random, 16);
  const spans: SpanRecord[] = [];
  const failing = options.error ?? random() < 0.02;
  const resourceOf = (service: string) => {
    const list = fleet.resources.get(service) as Attributes[];
    return list[Math.floor(random() * list.length)] as Attributes;
  };
  const add = (
    service: string,
    resource: Attributes,
    name: string,
    kind: SpanKindNumber,
    parent: string | null,
    startNs: bigint,
    durationNs: bigint,
    attributes: Attributes,
    error: boolean,
  ): SpanRecord => {
    const span: SpanRecord = {
      traceId,
      spanId: hex(random, 8),
      parentSpanId: parent,
      service,
      name,
      kind,
      startNs,
      durationNs,
      statusCode: error ? StatusCode.ERROR : StatusCode.UNSET,
      statusMessage: error ? 'upstream failed' : '',
      attributes,
      events: error
        ? [
            {
              timeNs: startNs + durationNs / 2n,
              name: 'exception',
              attributes: { 'exception.type': 'Error', 'exception.message': 'boom' },
            },
          ]
        : [],
      links: [],
      resource,
      scopeName: '@opentelemetry/instrumentation-http',
      scopeVersion: '0.223.0',
    };
    spans.push(span);
    return span;
  };

  const serve = (service: string, parent: string | null, startNs: bigint, depth: number): bigint => {
    const resource = resourceOf(service);
    const route = ROUTES[Math.floor(random() * ROUTES.length)] as string;
    const method = random() < 0.7 ? 'GET' : 'POST';
    const error = failing && depth === 0 && service === (options.root ?? service);
    const server = add(
      service,
      resource,
      `${method} ${route}`,
      SpanKind.SERVER,
      parent,
      startNs,
      0n,
      {
        'http.request.method': method,
        'http.route': route,
        'url.path': route.replace(':id', String(Math.floor(random() * 10000))),
        'http.response.status_code': error ? 500 : 200,
        'server.address': `${service}.shop.svc`,
        'server.port': 8080,
        'network.protocol.version': '1.1',
        'user_agent.original': 'node-fetch/1.0',
        'tenant.id': `tenant-${Math.floor(random() * 20)}`,
        'request.id': hex(random, 8),
      },
      error,
    );
    let cursor = startNs + latencyNs(random, 0.3);
    // A database call in most services.
    if (random() < 0.8) {
      const system = DB_SYSTEMS[Math.floor(random() * DB_SYSTEMS.length)] as string;
      const duration = latencyNs(random, 2);
      add(
        service,
        resource,
        `SELECT ${service}`,
        SpanKind.CLIENT,
        server.spanId,
        cursor,
        duration,
        {
          'db.system': system,
          'db.namespace': service,
          'db.operation.name': 'SELECT',
          'db.query.text': `SELECT * FROM ${service} WHERE id = $1`,
          'server.address': `${system}.shop.svc`,
          'server.port': 5432,
        },
        false,
      );
      cursor += duration;
    }
    if (depth < 3) {
      for (const callee of fleet.callees.get(service) ?? []) {
        if (random() < 0.35) continue;
        const client = add(
          service,
          resource,
          `${method} ${callee}`,
          SpanKind.CLIENT,
          server.spanId,
          cursor,
          0n,
          {
            'http.request.method': method,
            'server.address': `${callee}.shop.svc`,
            'server.port': 8080,
            'url.full': `http://${callee}.shop.svc:8080${route}`,
            'http.response.status_code': 200,
          },
          false,
        );
        const calleeStart = cursor + latencyNs(random, 0.2);
        const calleeEnd = serve(callee, client.spanId, calleeStart, depth + 1);
        client.durationNs = calleeEnd - cursor + latencyNs(random, 0.2);
        cursor += client.durationNs;
      }
    }
    if (random() < 0.15) {
      const duration = latencyNs(random, 0.5);
      add(
        service,
        resource,
        `publish ${service}.events`,
        SpanKind.PRODUCER,
        server.spanId,
        cursor,
        duration,
        {
          'messaging.system': 'kafka',
          'messaging.destination.name': `${service}.events`,
          'messaging.operation.type': 'publish',
        },
        false,
      );
      cursor += duration;
    }
    server.durationNs = cursor - startNs + latencyNs(random, 0.5);
    return startNs + server.durationNs;
  };

  const root = options.root ?? (fleet.services[Math.floor(random() * 10)] as string);
  serve(root, null, options.startNs, 0);
  return spans;
}

const SEVERITIES = [
  { n: 5, text: 'DEBUG', weight: 0.1 },
  { n: 9, text: 'INFO', weight: 0.75 },
  { n: 13, text: 'WARN', weight: 0.1 },
  { n: 17, text: 'ERROR', weight: 0.05 },
];

/** A log record, inside `span` when given. */
export function makeLog(fleet: Fleet, random: () => number, timeNs: bigint, span?: SpanRecord): LogRecord {
  const service = span?.service ?? (fleet.services[Math.floor(random() * fleet.services.length)] as string);
  const resource = span?.resource ?? ((fleet.resources.get(service) as Attributes[])[0] as Attributes);
  let pick = random();
  let severity = SEVERITIES[1] as (typeof SEVERITIES)[number];
  for (const s of SEVERITIES) {
    if (pick < s.weight) {
      severity = s;
      break;
    }
    pick -= s.weight;
  }
  const words = Array.from({ length: 6 + Math.floor(random() * 8) }, () => WORDS[Math.floor(random() * WORDS.length)]);
  return {
    timeNs,
    observedTimeNs: timeNs + 1_000_000n,
    severityNumber: severity.n,
    severityText: severity.text,
    body: `${words.join(' ')} id=${hex(random, 4)}`,
    attributes: {
      'code.function': `handle${Math.floor(random() * 20)}`,
      'tenant.id': `tenant-${Math.floor(random() * 20)}`,
      'http.response.status_code': severity.n >= 17 ? 500 : 200,
    },
    resource,
    service,
    traceId: span?.traceId ?? null,
    spanId: span?.spanId ?? null,
    scopeName: 'pino',
  };
}

// --- OTLP request objects (protobufjs fromObject shape: camelCase, bytes as Buffer) ---

function anyValue(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  return { stringValue: JSON.stringify(value) };
}

function keyValues(attributes: Attributes): { key: string; value: Record<string, unknown> }[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/** An ExportTraceServiceRequest object for protobufjs, spans grouped by resource as SDKs do. */
export function traceRequestObject(spans: readonly SpanRecord[]): Record<string, unknown> {
  const byResource = new Map<Attributes, SpanRecord[]>();
  for (const span of spans) {
    const list = byResource.get(span.resource) ?? [];
    list.push(span);
    byResource.set(span.resource, list);
  }
  return {
    resourceSpans: [...byResource].map(([resource, list]) => ({
      resource: { attributes: keyValues(resource) },
      scopeSpans: [
        {
          scope: { name: list[0]?.scopeName ?? '', version: list[0]?.scopeVersion ?? '' },
          spans: list.map((s) => ({
            traceId: Buffer.from(s.traceId, 'hex'),
            spanId: Buffer.from(s.spanId, 'hex'),
            parentSpanId: s.parentSpanId ? Buffer.from(s.parentSpanId, 'hex') : Buffer.alloc(0),
            name: s.name,
            kind: s.kind,
            startTimeUnixNano: s.startNs.toString(),
            endTimeUnixNano: (s.startNs + s.durationNs).toString(),
            attributes: keyValues(s.attributes),
            events: s.events.map((e) => ({
              timeUnixNano: e.timeNs.toString(),
              name: e.name,
              attributes: keyValues(e.attributes),
            })),
            status: { code: s.statusCode, message: s.statusMessage },
          })),
        },
      ],
    })),
  };
}
