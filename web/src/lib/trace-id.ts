// What "go to trace" accepts: a trace id as people find it — in a log line, an error page, a
// response header — turned into the 32 lower-case hex characters the API takes.

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
/** W3C traceparent: version-traceid-parentid-flags. */
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
/** A UUID-shaped id (some tools print trace ids so). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** B3 single header: traceid-spanid[-sampled[-parentspanid]], trace id of 16 or 32 characters. */
const B3 = /^([0-9a-f]{32}|[0-9a-f]{16})-[0-9a-f]{16}(-[01d])?(-[0-9a-f]{16})?$/;

/**
 * The trace id in `input`, or null when it holds none. Takes a bare id (32 hex characters, or 16
 * for a 64-bit Jaeger or Zipkin id, which OpenTelemetry stores zero-padded on the left), a
 * `traceparent` or B3 header value (with or without its header name), or a UUID-shaped id; any
 * case, with surrounding spaces.
 */
export function parseTraceId(input: string): string | null {
  let text = input.trim().toLowerCase();
  const header = /^(traceparent|b3)\s*[:=]\s*/.exec(text);
  if (header) text = text.slice(header[0].length);
  if (HEX32.test(text)) return text;
  if (HEX16.test(text)) return text.padStart(32, '0');
  const traceparent = TRACEPARENT.exec(text);
  if (traceparent) return traceparent[1] as string;
  if (UUID.test(text)) return text.replaceAll('-', '');
  const b3 = B3.exec(text);
  if (b3) return (b3[1] as string).padStart(32, '0');
  return null;
}
