// Synthetic telemetry for the performance tests, sent the way SDKs send it: OTLP/JSON POSTed to
// the real receiver's /v1/traces. Deterministic (a seeded generator), so runs compare.
import { randomBytes } from 'node:crypto';

export interface SyntheticSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  service: string;
  name: string;
  /** 1 internal, 2 server, 3 client */
  kind: number;
  startNs: bigint;
  endNs: bigint;
  error?: boolean;
  attributes?: Record<string, string | number>;
}

export function hexId(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

function attributes(values: Record<string, string | number> = {}) {
  return Object.entries(values).map(([key, value]) => ({
    key,
    value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value },
  }));
}

/** One ExportTraceServiceRequest, spans grouped by service into resourceSpans. */
export function exportRequest(spans: readonly SyntheticSpan[]): unknown {
  const byService = new Map<string, SyntheticSpan[]>();
  for (const span of spans) byService.set(span.service, [...(byService.get(span.service) ?? []), span]);
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: attributes({ 'service.name': service }) },
      scopeSpans: [
        {
          scope: { name: 'signalbox-e2e', version: '1' },
          spans: list.map((s) => ({
            traceId: s.traceId,
            spanId: s.spanId,
            ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
            name: s.name,
            kind: s.kind,
            startTimeUnixNano: s.startNs.toString(),
            endTimeUnixNano: s.endNs.toString(),
            attributes: attributes(s.attributes),
            status: s.error ? { code: 2, message: 'synthetic failure' } : { code: 0 },
          })),
        },
      ],
    })),
  };
}

export async function sendSpans(otlpUrl: string, spans: readonly SyntheticSpan[]): Promise<void> {
  const response = await fetch(`${otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(exportRequest(spans)),
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`OTLP export answered ${response.status}: ${body}`);
  const partial = (JSON.parse(body || '{}') as { partialSuccess?: { rejectedSpans?: string | number } }).partialSuccess;
  if (partial && Number(partial.rejectedSpans ?? 0) > 0) throw new Error(`OTLP export refused spans: ${body}`);
}

/**
 * A fleet of `services` services in tiers with `edges` distinct caller→callee pairs, each pair
 * one CLIENT span in the caller and its SERVER child in the callee.
 */
export function fleetSpans(
  services: number,
  edges: number,
  now: bigint,
): { spans: SyntheticSpan[]; pairs: [string, string][] } {
  const random = seeded(7);
  const name = (i: number) => `svc-${String(i).padStart(3, '0')}`;
  const tiers = 6;
  const perTier = services / tiers;
  const seen = new Set<string>();
  const pairs: [string, string][] = [];
  while (pairs.length < edges) {
    const a = Math.floor(random() * services);
    const tier = Math.floor(a / perTier);
    if (tier >= tiers - 1) continue;
    const targetTier = Math.min(tiers - 1, tier + 1 + (random() < 0.2 ? 1 : 0));
    const b = Math.floor(targetTier * perTier + random() * perTier);
    const key = `${a}>${b}`;
    if (a === b || seen.has(key)) continue;
    seen.add(key);
    pairs.push([name(a), name(b)]);
  }
  const spans: SyntheticSpan[] = [];
  pairs.forEach(([caller, callee], i) => {
    const traceId = hexId(16);
    const clientId = hexId(8);
    const start = now - BigInt(5_000 + i) * 1_000_000n;
    const duration = BigInt(Math.floor(2 + random() * 80)) * 1_000_000n;
    spans.push({
      traceId,
      spanId: clientId,
      service: caller,
      name: `GET /${callee}`,
      kind: 3,
      startNs: start,
      endNs: start + duration,
    });
    spans.push({
      traceId,
      spanId: hexId(8),
      parentSpanId: clientId,
      service: callee,
      name: 'GET /work',
      kind: 2,
      startNs: start + 500_000n,
      endNs: start + duration - 500_000n,
      error: random() < 0.03,
    });
  });
  return { spans, pairs };
}

/** One trace of `count` spans over 20 services: a bushy tree at most 10 levels deep. */
export function bigTrace(count: number, now: bigint): { traceId: string; spans: SyntheticSpan[] } {
  const random = seeded(11);
  const traceId = hexId(16);
  const totalNs = 30_000n * 1_000_000n; // 30 s
  const start = now - totalNs - 10_000_000_000n;
  const spans: SyntheticSpan[] = [
    {
      traceId,
      spanId: hexId(8),
      service: 'svc-000',
      name: 'POST /batch',
      kind: 2,
      startNs: start,
      endNs: start + totalNs,
    },
  ];
  const depth = [0];
  const open = [0];
  while (spans.length < count) {
    const parentIndex = open[Math.floor(random() * open.length)]!;
    const parent = spans[parentIndex]!;
    const length = parent.endNs - parent.startNs;
    const offset = BigInt(Math.floor(random() * 0.6 * Number(length)));
    const duration = BigInt(Math.max(100_000, Math.floor((0.05 + random() * 0.35) * Number(length))));
    const service = `svc-${String(Math.floor(random() * 20)).padStart(3, '0')}`;
    spans.push({
      traceId,
      spanId: hexId(8),
      parentSpanId: parent.spanId,
      service,
      name: `op-${Math.floor(random() * 50)}`,
      kind: random() < 0.5 ? 3 : 1,
      startNs: parent.startNs + offset,
      endNs: parent.startNs + offset + duration,
      error: random() < 0.01,
      attributes: { 'batch.item': spans.length, 'app.step': `step-${Math.floor(random() * 8)}` },
    });
    depth.push(depth[parentIndex]! + 1);
    if (depth[parentIndex]! + 1 < 10) open.push(spans.length - 1);
    // Keep the tree bushy, not a chain: forget old parents now and then.
    if (open.length > 400) open.splice(0, 100);
  }
  return { traceId, spans };
}
