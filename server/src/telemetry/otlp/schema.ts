// Loads Signalbox's OTLP schema (server/proto/) once with protobufjs and hands out the message
// types the receiver decodes and encodes. protobufjs generates a specialized decoder per type
// on first use, which is what makes decoding fast; `toObject` is never used on the hot path
// (decoded messages are mapped to records directly, see otlp/protobuf-decode.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export interface OtlpSchema {
  readonly exportTraceRequest: protobuf.Type;
  readonly exportTraceResponse: protobuf.Type;
  readonly exportLogsRequest: protobuf.Type;
  readonly exportLogsResponse: protobuf.Type;
  readonly status: protobuf.Type;
}

/** server/proto, found from src/telemetry/otlp (tsx) and from dist/telemetry/otlp (built). */
export function protoDirectory(): string {
  const dir = fileURLToPath(new URL('../../../proto/', import.meta.url));
  if (!existsSync(join(dir, 'opentelemetry'))) {
    throw new Error(`the OTLP schema is missing: expected .proto files under ${dir}`);
  }
  return dir;
}

let cached: OtlpSchema | undefined;

export function otlpSchema(): OtlpSchema {
  if (cached) return cached;
  const dir = protoDirectory();
  const root = new protobuf.Root();
  // Imports are written relative to the proto root, as upstream does; google/protobuf/* comes
  // with protobufjs itself.
  root.resolvePath = (_origin, target) => {
    if (target.startsWith('google/protobuf/')) return target;
    return join(dir, target);
  };
  root.loadSync(
    [
      'opentelemetry/proto/collector/trace/v1/trace_service.proto',
      'opentelemetry/proto/collector/logs/v1/logs_service.proto',
      'google/rpc/status.proto',
    ],
    { keepCase: false },
  );
  root.resolveAll();
  cached = {
    exportTraceRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
    exportTraceResponse: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
    exportLogsRequest: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
    exportLogsResponse: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
    status: root.lookupType('google.rpc.Status'),
  };
  return cached;
}
