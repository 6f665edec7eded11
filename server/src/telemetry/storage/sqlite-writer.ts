// Writes a group on SQLite: flattens it to column values (JSON of attributes, events, links) —
// here for records, in the decode thread for spans received over OTLP — and hands the rows to
// the telemetry database's writer — the writer thread for file stores, the shared connection
// for in-memory ones — which commits them in one transaction.
import type { SpanRecord } from '../model.js';
import { eventsJson, linksJson } from './rows.js';
import type { SqliteTelemetryAccess, SqliteWriteRows } from './sqlite-telemetry-ops.js';
import type { TelemetryWriter, WriteGroup } from './write-group.js';

/** A span's column values in the order of SqliteWriteRows.spans. */
export function spanRow(x: SpanRecord, resourceId: string): unknown[] {
  return [
    x.traceId,
    x.spanId,
    x.parentSpanId,
    x.service,
    x.name,
    x.kind,
    x.startNs,
    x.durationNs,
    x.statusCode,
    x.statusMessage,
    JSON.stringify(x.attributes),
    eventsJson(x.events),
    linksJson(x.links),
    resourceId,
    x.scopeName,
    x.scopeVersion,
  ];
}

export function toSqliteRows(group: WriteGroup): SqliteWriteRows {
  const spans: unknown[][] = new Array(group.spans.length);
  for (let i = 0; i < group.spans.length; i++) {
    spans[i] = spanRow(group.spans[i] as SpanRecord, group.spanResourceIds[i] as string);
  }
  const logs: unknown[][] = new Array(group.logs.length);
  for (let i = 0; i < group.logs.length; i++) {
    const x = group.logs[i] as WriteGroup['logs'][number];
    logs[i] = [
      x.timeNs,
      x.observedTimeNs,
      x.severityNumber,
      x.severityText,
      x.body,
      JSON.stringify(x.attributes),
      x.service,
      group.logResourceIds[i],
      x.traceId,
      x.spanId,
      x.scopeName,
    ];
  }
  return {
    resources: group.resources.map((r) => [r.id, r.service, r.json]),
    spans,
    spanChunks: group.spanChunks,
    logs,
    operations: group.operations.map((o) => [o.service, o.name, o.kind]),
    attributeKeys: group.attributeKeys.map((k) => [k.signal, k.service, k.key, k.valueType]),
    attributeValues: group.attributeValues.map((v) => [v.signal, v.service, v.key, v.value]),
    nowMs: group.nowMs,
  };
}

export class SqliteTelemetryWriter implements TelemetryWriter {
  readonly #access: SqliteTelemetryAccess;

  constructor(access: SqliteTelemetryAccess) {
    this.#access = access;
  }

  write(group: WriteGroup): Promise<number> {
    return this.#access.write(toSqliteRows(group));
  }
}
