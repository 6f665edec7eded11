// OTLP/HTTP response bodies, in the encoding of the request: Export…ServiceResponse on success
// (with partial_success when records were refused), google.rpc.Status on errors.
import { otlpSchema } from './schema.js';

export type OtlpEncoding = 'protobuf' | 'json';
export type OtlpSignal = 'traces' | 'logs';

export const PROTOBUF = 'application/x-protobuf';
export const JSON_TYPE = 'application/json';

export function contentTypeOf(encoding: OtlpEncoding): string {
  return encoding === 'protobuf' ? PROTOBUF : JSON_TYPE;
}

/** The success body; `rejected` = 0 with an empty message is a plain full success. */
export function exportResponse(
  signal: OtlpSignal,
  encoding: OtlpEncoding,
  rejected: number,
  message: string,
): Uint8Array | string {
  const countField = signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
  const partial = rejected > 0 || message !== '';
  if (encoding === 'json') {
    // int64 fields are decimal strings in OTLP/JSON.
    return JSON.stringify(partial ? { partialSuccess: { [countField]: String(rejected), errorMessage: message } } : {});
  }
  const schema = otlpSchema();
  const type = signal === 'traces' ? schema.exportTraceResponse : schema.exportLogsResponse;
  const payload = partial ? { partialSuccess: { [countField]: rejected, errorMessage: message } } : {};
  return type.encode(type.fromObject(payload)).finish();
}

/** google.rpc.Code for an HTTP status, as OTLP/HTTP error bodies carry it. */
export function rpcCode(httpStatus: number): number {
  switch (httpStatus) {
    case 400:
    case 413:
    case 415:
      return 3; // INVALID_ARGUMENT
    case 401:
      return 16; // UNAUTHENTICATED
    case 403:
      return 7; // PERMISSION_DENIED
    case 404:
      return 5; // NOT_FOUND
    case 429:
      return 8; // RESOURCE_EXHAUSTED
    case 503:
      return 14; // UNAVAILABLE
    default:
      return httpStatus >= 500 ? 13 : 2; // INTERNAL : UNKNOWN
  }
}

export function statusBody(encoding: OtlpEncoding, httpStatus: number, message: string): Uint8Array | string {
  const code = rpcCode(httpStatus);
  if (encoding === 'json') return JSON.stringify({ code, message });
  const type = otlpSchema().status;
  return type.encode(type.fromObject({ code, message })).finish();
}
