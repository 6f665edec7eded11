// Writes a group on PostgreSQL: one INSERT … SELECT FROM unnest(arrays) per table, so a commit of
// thousands of rows is a handful of statements with a fixed number of parameters. Catalog
// rows are deduplicated and sorted first (ON CONFLICT DO UPDATE may touch a row only once per
// statement, and a fixed order keeps concurrent replicas from deadlocking on row locks).
import { sql } from 'kysely';
import type { Store } from '../../store/store.js';
import type { PartitionStatistics } from './partition-statistics.js';
import type { PartitionManager } from './partitions.js';
import { byKeys, eventsJson, linksJson } from './rows.js';
import type { TelemetryWriter, WriteGroup } from './write-group.js';

function range(values: readonly bigint[]): [bigint, bigint] {
  let min = values[0] as bigint;
  let max = min;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

export class PostgresTelemetryWriter implements TelemetryWriter {
  readonly #store: Store;
  readonly #partitions: PartitionManager;
  readonly #statistics: PartitionStatistics | null;

  constructor(store: Store, partitions: PartitionManager, statistics: PartitionStatistics | null = null) {
    this.#store = store;
    this.#partitions = partitions;
    this.#statistics = statistics;
  }

  /** Resolves with null: PostgreSQL skips a span stored already without counting it. */
  async write(group: WriteGroup): Promise<null> {
    // Decode threads (and their SQLite rows) exist only beside the SQLite writer thread.
    if (group.spanChunks.length > 0) throw new Error('the PostgreSQL writer takes span records, not SQLite rows');
    try {
      await this.#write(group);
      return null;
    } catch (error) {
      // check_violation "no partition of relation … found for row": a partition this replica
      // knew of was dropped (by another replica's retention). Learn again and retry once.
      if ((error as { code?: string }).code !== '23514' || !/no partition/.test((error as Error).message)) throw error;
      this.#partitions.forgetAll();
      await this.#write(group);
      return null;
    }
  }

  async #write(group: WriteGroup): Promise<void> {
    if (group.spans.length > 0) {
      const [from, to] = range(group.spans.map((s) => s.startNs));
      await this.#partitions.ensure('spans', from, to);
    }
    if (group.logs.length > 0) {
      const [from, to] = range(group.logs.map((l) => l.timeNs));
      await this.#partitions.ensure('logs', from, to);
    }
    await this.#insert(group);
    this.#statistics?.written(group.spans.length + group.logs.length);
  }

  async #insert(group: WriteGroup): Promise<void> {
    const now = group.nowMs;
    await this.#store.db.transaction().execute(async (trx) => {
      if (group.resources.length > 0) {
        const resources = byKeys([...new Map(group.resources.map((r) => [r.id, r])).values()], (r) => r.id);
        await sql`insert into telemetry_resources (id, service, attributes, last_seen_ms)
          select id, service, attributes, ${now}::bigint
          from unnest(${resources.map((r) => r.id)}::text[], ${resources.map((r) => r.service)}::text[],
            ${resources.map((r) => r.json)}::jsonb[]) as t(id, service, attributes)
          on conflict (id) do update set last_seen_ms = greatest(telemetry_resources.last_seen_ms, excluded.last_seen_ms)`.execute(
          trx,
        );
      }
      const spans = group.spans;
      if (spans.length > 0) {
        const n = spans.length;
        const cols = {
          trace: new Array<string>(n),
          span: new Array<string>(n),
          parent: new Array<string | null>(n),
          service: new Array<string>(n),
          name: new Array<string>(n),
          kind: new Array<number>(n),
          start: new Array<string>(n),
          duration: new Array<string>(n),
          code: new Array<number>(n),
          message: new Array<string>(n),
          attributes: new Array<string>(n),
          events: new Array<string>(n),
          links: new Array<string>(n),
          scopeName: new Array<string>(n),
          scopeVersion: new Array<string>(n),
        };
        for (let i = 0; i < n; i++) {
          const s = spans[i] as WriteGroup['spans'][number];
          cols.trace[i] = s.traceId;
          cols.span[i] = s.spanId;
          cols.parent[i] = s.parentSpanId;
          cols.service[i] = s.service;
          cols.name[i] = s.name;
          cols.kind[i] = s.kind;
          cols.start[i] = s.startNs.toString();
          cols.duration[i] = s.durationNs.toString();
          cols.code[i] = s.statusCode;
          cols.message[i] = s.statusMessage;
          cols.attributes[i] = JSON.stringify(s.attributes);
          cols.events[i] = eventsJson(s.events);
          cols.links[i] = linksJson(s.links);
          cols.scopeName[i] = s.scopeName;
          cols.scopeVersion[i] = s.scopeVersion;
        }
        await sql`insert into spans (trace_id, span_id, parent_span_id, service, name, kind, start_ns, duration_ns,
            status_code, status_message, attributes, events, links, resource_id, scope_name, scope_version)
          select * from unnest(${cols.trace}::text[], ${cols.span}::text[], ${cols.parent}::text[],
            ${cols.service}::text[], ${cols.name}::text[], ${cols.kind}::smallint[], ${cols.start}::bigint[],
            ${cols.duration}::bigint[], ${cols.code}::smallint[], ${cols.message}::text[], ${cols.attributes}::jsonb[],
            ${cols.events}::text[], ${cols.links}::text[], ${group.spanResourceIds}::text[], ${cols.scopeName}::text[],
            ${cols.scopeVersion}::text[])
          on conflict do nothing`.execute(trx);
      }
      const logs = group.logs;
      if (logs.length > 0) {
        await sql`insert into logs (time_ns, observed_ns, severity_number, severity_text, body, attributes, service,
            resource_id, trace_id, span_id, scope_name)
          select * from unnest(${logs.map((l) => l.timeNs.toString())}::bigint[],
            ${logs.map((l) => l.observedTimeNs.toString())}::bigint[], ${logs.map((l) => l.severityNumber)}::smallint[],
            ${logs.map((l) => l.severityText)}::text[], ${logs.map((l) => l.body)}::text[],
            ${logs.map((l) => JSON.stringify(l.attributes))}::jsonb[], ${logs.map((l) => l.service)}::text[],
            ${group.logResourceIds}::text[], ${logs.map((l) => l.traceId)}::text[], ${logs.map((l) => l.spanId)}::text[],
            ${logs.map((l) => l.scopeName)}::text[])`.execute(trx);
      }
      if (group.operations.length > 0) {
        const ops = byKeys([...group.operations], (o) => `${o.service}\u0000${o.name}\u0000${o.kind}`);
        await sql`insert into telemetry_operations (service, name, kind, last_seen_ms)
          select service, name, kind, ${now}::bigint from unnest(${ops.map((o) => o.service)}::text[],
            ${ops.map((o) => o.name)}::text[], ${ops.map((o) => o.kind)}::smallint[]) as t(service, name, kind)
          on conflict (service, name, kind) do update
            set last_seen_ms = greatest(telemetry_operations.last_seen_ms, excluded.last_seen_ms)`.execute(trx);
      }
      if (group.attributeKeys.length > 0) {
        const keys = byKeys([...group.attributeKeys], (k) => `${k.signal}\u0000${k.service}\u0000${k.key}`);
        await sql`insert into telemetry_attribute_keys (signal, service, key, value_type, last_seen_ms)
          select signal, service, key, value_type, ${now}::bigint from unnest(${keys.map((k) => k.signal)}::text[],
            ${keys.map((k) => k.service)}::text[], ${keys.map((k) => k.key)}::text[],
            ${keys.map((k) => k.valueType)}::text[]) as t(signal, service, key, value_type)
          on conflict (signal, service, key) do update set value_type = excluded.value_type,
            last_seen_ms = greatest(telemetry_attribute_keys.last_seen_ms, excluded.last_seen_ms)`.execute(trx);
      }
      if (group.attributeValues.length > 0) {
        const values = byKeys(
          [...group.attributeValues],
          (v) => `${v.signal}\u0000${v.service}\u0000${v.key}\u0000${v.value}`,
        );
        await sql`insert into telemetry_attribute_values (signal, service, key, value, last_seen_ms)
          select signal, service, key, value, ${now}::bigint from unnest(${values.map((v) => v.signal)}::text[],
            ${values.map((v) => v.service)}::text[], ${values.map((v) => v.key)}::text[],
            ${values.map((v) => v.value)}::text[]) as t(signal, service, key, value)
          on conflict (signal, service, key, value) do update
            set last_seen_ms = greatest(telemetry_attribute_values.last_seen_ms, excluded.last_seen_ms)`.execute(trx);
      }
    });
  }
}
