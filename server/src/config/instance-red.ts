// Canary-versus-baseline RED figures of one service over a window, computed from its stored
// SERVER and CONSUMER spans grouped by the resource's `service.instance.id`.
// Why spans rather than topology's buckets: those are minute buckets without an instance
// dimension; adding one would widen every service bucket row for a need that concerns one
// service for a few minutes, and a minute granularity could not judge a bake of seconds.
// The store does the counting: an evaluation is four queries whatever the traffic (counts per
// resource, those resources' instance ids, one p95 per side), and no span is read into memory.
// The window is found through the spans' (service, time) index (on SQLite by start bucket, see
// telemetry/storage/span-start-buckets.ts); see p95Ms for the percentile.
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Store } from '../store/store.js';
import { startWindow } from '../telemetry/storage/span-start-buckets.js';
import { type Comparison, p95Rank, sideFigures } from './rollout-evaluator.js';

const SERVER = 2;
const CONSUMER = 5;
const ERROR = 2;

interface Side {
  instances: Set<string>;
  resources: string[];
  requests: number;
  errors: number;
}

function instanceOf(attributes: unknown): string | null {
  const object = typeof attributes === 'string' ? (JSON.parse(attributes) as unknown) : attributes;
  const id = (object as Record<string, unknown> | null)?.['service.instance.id'];
  return typeof id === 'string' ? id : null;
}

export async function compareInstances(
  store: Store,
  service: string,
  fromMs: number,
  toMs: number,
  isCanary: (instanceId: string) => boolean,
): Promise<Comparison> {
  const window = startWindow(store.dialect, BigInt(fromMs) * 1_000_000n, BigInt(toMs) * 1_000_000n);
  const perResource = await store.db
    .selectFrom('spans')
    .select([
      'resource_id',
      sql<string | number>`count(*)`.as('requests'),
      sql<string | number>`sum(case when status_code = ${ERROR} then 1 else 0 end)`.as('errors'),
    ])
    .where('service', '=', service)
    .where('kind', 'in', [SERVER, CONSUMER])
    .where(window)
    .groupBy('resource_id')
    .execute();
  const sides: Record<'canary' | 'baseline', Side> = {
    canary: { instances: new Set(), resources: [], requests: 0, errors: 0 },
    baseline: { instances: new Set(), resources: [], requests: 0, errors: 0 },
  };
  if (perResource.length > 0) {
    const resources = await store.db
      .selectFrom('telemetry_resources')
      .select(['id', 'attributes'])
      .where(
        'id',
        'in',
        perResource.map((row) => row.resource_id),
      )
      .execute();
    const instanceByResource = new Map(resources.map((r) => [r.id, instanceOf(r.attributes)]));
    for (const row of perResource) {
      const instance = instanceByResource.get(row.resource_id);
      if (instance == null) continue; // no instance id: cannot tell which side it ran on
      const side = isCanary(instance) ? sides.canary : sides.baseline;
      side.instances.add(instance);
      side.resources.push(row.resource_id);
      side.requests += Number(row.requests);
      side.errors += Number(row.errors);
    }
  }
  const figuresOf = async (side: Side) =>
    sideFigures(
      [...side.instances].sort(),
      side.requests,
      side.errors,
      await p95Ms(store, service, window, side.resources, side.requests),
    );
  return {
    canary: await figuresOf(sides.canary),
    baseline: await figuresOf(sides.baseline),
    from_ms: fromMs,
    to_ms: toMs,
  };
}

/**
 * Nearest-rank p95 in ms of the durations of `resources`' spans in the window. PostgreSQL:
 * percentile_disc, which is the nearest rank (percentile_cont would interpolate, and the two
 * stores would then disagree). SQLite has no percentile: the value at the rank, read longest
 * first so its sorter only keeps the top ~5 % (LIMIT 1 OFFSET n − rank). `requests` is the count
 * just taken; spans landing in between shift the rank by their share, nothing more.
 */
async function p95Ms(
  store: Store,
  service: string,
  window: Expression<SqlBool>,
  resources: string[],
  requests: number,
): Promise<number | null> {
  if (requests === 0 || resources.length === 0) return null;
  const spans = store.db
    .selectFrom('spans')
    .where('service', '=', service)
    .where('kind', 'in', [SERVER, CONSUMER])
    .where(window)
    .where('resource_id', 'in', resources);
  const row =
    store.dialect === 'postgres'
      ? await spans
          .select(sql<string | number | null>`percentile_disc(0.95) within group (order by duration_ns)`.as('p95'))
          .executeTakeFirst()
      : await spans
          .select('duration_ns as p95')
          .orderBy('duration_ns', 'desc')
          .limit(1)
          .offset(requests - p95Rank(requests))
          .executeTakeFirst();
  return row?.p95 == null ? null : Number(row.p95) / 1e6;
}
