// The receiver against the real OpenTelemetry exporters, sent from a real NodeSDK in this
// process: OTLP/HTTP protobuf (exporter-*-otlp-proto) and OTLP/HTTP JSON (exporter-*-otlp-http),
// traces and logs, on both stores. What the SDK recorded (captured in memory beside the
// exporter) must come back from the query API exactly: ids, kinds, nanosecond times, typed
// attributes, events, links, status, resource and scope, and the logs correlated to their span.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { context, type HrTime, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  BatchLogRecordProcessor,
  type LogRecordProcessor,
  type ReadableLogRecord,
  type SdkLogRecord,
} from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { type RunningServer, startServer } from './helpers/server.js';
import { createTestStore, STORE_KINDS, storeSuiteOptions, type TestStore } from './helpers/stores.js';
import { type ApiLog, type ApiSummary, type ApiTrace, eventually, getJson } from './telemetry-fixtures.js';

// Only what the test configures: no metrics exporter aimed at the default :4318.
process.env.OTEL_METRICS_EXPORTER = 'none';

/** Keeps what the SDK recorded, next to the exporter under test. */
class Recorder implements SpanProcessor, LogRecordProcessor {
  readonly spans: ReadableSpan[] = [];
  readonly logs: ReadableLogRecord[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
  }
  onEmit(log: SdkLogRecord): void {
    this.logs.push(log);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** A NodeSDK registers global providers; clear them so the next SDK in this process can. */
function resetGlobals(): void {
  trace.disable();
  logs.disable();
  context.disable();
  propagation.disable();
}

function ns(time: HrTime): string {
  return (BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])).toString();
}

interface Sent {
  traceId: string;
  rootSpanId: string;
  childSpanId: string;
  linkedTraceId: string;
  recorded: Recorder;
}

/** Runs a NodeSDK with the given exporters, records one small trace with logs, shuts it down. */
async function sendWithNodeSdk(
  serviceName: string,
  traceExporter: ProtoTraceExporter | JsonTraceExporter,
  logExporter: ProtoLogExporter | JsonLogExporter,
): Promise<Sent> {
  const recorded = new Recorder();
  const sdk = new NodeSDK({
    serviceName,
    spanProcessors: [new BatchSpanProcessor(traceExporter), recorded],
    logRecordProcessors: [new BatchLogRecordProcessor({ exporter: logExporter }), recorded],
    instrumentations: [],
  });
  sdk.start();
  const tracer = trace.getTracer('checkout-scope', '2.1.0');
  const logger = logs.getLogger('checkout-logger');
  const other = tracer.startSpan('elsewhere');
  other.end();
  const sent = await tracer.startActiveSpan(
    'GET /checkout',
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.route': '/checkout', 'http.response.status_code': 500, ratio: 1.5, retried: true },
      links: [{ context: other.spanContext(), attributes: { 'link.reason': 'batch' } }],
    },
    async (root) => {
      const child = tracer.startSpan('SELECT orders', {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system': 'postgresql', 'db.rows': ['a', 'b'] },
      });
      // Emitted while the child span is active: the SDK puts its ids on the record.
      context.with(trace.setSpan(context.active(), child), () =>
        logger.emit({
          severityNumber: SeverityNumber.WARN,
          severityText: 'WARN',
          body: 'payment provider slow',
          attributes: { 'payment.attempt': 2, 'payment.provider': 'acme' },
        }),
      );
      child.end();
      root.recordException(new Error('card declined'));
      root.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
      root.end();
      return {
        traceId: root.spanContext().traceId,
        rootSpanId: root.spanContext().spanId,
        childSpanId: child.spanContext().spanId,
        linkedTraceId: other.spanContext().traceId,
      };
    },
  );
  await sdk.shutdown();
  resetGlobals();
  return { ...sent, recorded };
}

for (const kind of STORE_KINDS) {
  describe(`OTLP from the real exporters [${kind}]`, storeSuiteOptions(kind), () => {
    let store: TestStore;
    let server: RunningServer;
    before(async () => {
      store = await createTestStore(kind);
      server = await startServer({ store: store.url });
    });
    after(async () => {
      await server?.close();
      await store?.cleanup();
    });

    for (const encoding of ['protobuf', 'json'] as const) {
      it(`stores what a NodeSDK sends with the ${encoding} exporters, exactly`, async () => {
        const service = `checkout-${encoding}`;
        const traces = `${server.otlpUrl}/v1/traces`;
        const logUrl = `${server.otlpUrl}/v1/logs`;
        const sent =
          encoding === 'protobuf'
            ? await sendWithNodeSdk(
                service,
                new ProtoTraceExporter({ url: traces }),
                new ProtoLogExporter({ url: logUrl }),
              )
            : await sendWithNodeSdk(
                service,
                new JsonTraceExporter({ url: traces }),
                new JsonLogExporter({ url: logUrl }),
              );

        const { status, body } = await getJson<ApiTrace>(`${server.apiUrl}/api/v1/traces/${sent.traceId}`);
        assert.equal(status, 200);
        assert.equal(body.spans.length, 2);
        const recorded = sent.recorded.spans;
        const root = body.spans.find((s) => s.span_id === sent.rootSpanId);
        const child = body.spans.find((s) => s.span_id === sent.childSpanId);
        assert.ok(root && child);
        const recordedRoot = recorded.find((s) => s.spanContext().spanId === sent.rootSpanId);
        assert.ok(recordedRoot);

        assert.equal(root.parent_span_id, null);
        assert.equal(root.kind, 'server');
        assert.equal(root.name, 'GET /checkout');
        assert.equal(root.service, service);
        assert.equal(root.start_ns, ns(recordedRoot.startTime));
        assert.equal(BigInt(root.start_ns) + BigInt(root.duration_ns), BigInt(ns(recordedRoot.endTime)));
        assert.equal(root.status, 'error');
        assert.equal(root.status_message, 'card declined');
        assert.deepEqual(root.attributes, {
          'http.route': '/checkout',
          'http.response.status_code': 500,
          ratio: 1.5,
          retried: true,
        });
        const exception = root.events.find((e) => e.name === 'exception');
        assert.equal(exception?.attributes['exception.message'], 'card declined');
        assert.equal(exception?.time_ns, ns(recordedRoot.events[0]?.time as HrTime));
        assert.equal(root.links.length, 1);
        assert.equal(root.links[0]?.trace_id, sent.linkedTraceId);
        assert.deepEqual(root.links[0]?.attributes, { 'link.reason': 'batch' });
        assert.deepEqual(root.scope, { name: 'checkout-scope', version: '2.1.0' });
        assert.equal(root.resource['service.name'], service);
        assert.equal(root.resource['telemetry.sdk.language'], 'nodejs');
        assert.equal(root.resource['telemetry.sdk.name'], 'opentelemetry');
        assert.equal(typeof root.resource['process.pid'], 'number');

        assert.equal(child.parent_span_id, sent.rootSpanId);
        assert.equal(child.kind, 'client');
        assert.deepEqual(child.attributes, { 'db.system': 'postgresql', 'db.rows': ['a', 'b'] });
        assert.equal(child.log_count, 1);
        assert.equal(root.log_count, 0);

        // The log the SDK correlated to the child span, and from it back to the trace.
        const recordedLog = sent.recorded.logs[0];
        assert.ok(recordedLog);
        const found = await getJson<{ logs: ApiLog[] }>(`${server.apiUrl}/api/v1/logs?trace_id=${sent.traceId}`);
        assert.equal(found.status, 200);
        assert.equal(found.body.logs.length, 1);
        const log = found.body.logs[0] as ApiLog;
        assert.equal(log.span_id, sent.childSpanId);
        assert.equal(log.service, service);
        assert.equal(log.severity_number, SeverityNumber.WARN);
        assert.equal(log.severity_text, 'WARN');
        assert.equal(log.body, 'payment provider slow');
        assert.deepEqual(log.attributes, { 'payment.attempt': 2, 'payment.provider': 'acme' });
        assert.equal(log.time_ns, ns(recordedLog.hrTime));
        assert.equal(log.observed_time_ns, ns(recordedLog.hrTimeObserved));
        assert.equal(log.scope_name, 'checkout-logger');
        assert.equal(log.resource['service.name'], service);
        const ofSpan = await getJson<{ logs: ApiLog[] }>(
          `${server.apiUrl}/api/v1/traces/${log.trace_id}/logs?span_id=${sent.childSpanId}`,
        );
        assert.deepEqual(
          ofSpan.body.logs.map((l) => l.id),
          [log.id],
        );

        // And the trace is found by search, summarized.
        const search = await getJson<{ traces: ApiSummary[] }>(
          `${server.apiUrl}/api/v1/traces?service=${service}&errors_only=true`,
        );
        const summary = search.body.traces.find((t) => t.trace_id === sent.traceId);
        assert.ok(summary, 'the trace is found by service and errors_only');
        assert.equal(summary.root_service, service);
        assert.equal(summary.root_operation, 'GET /checkout');
        assert.equal(summary.has_root, true);
        assert.equal(summary.span_count, 2);
        assert.equal(summary.error_count, 1);
        assert.deepEqual(summary.services, [{ name: service, span_count: 2, error_count: 1 }]);
      });
    }

    it('answers the exporters with success they accept (their export result)', async () => {
      // Straight through the exporters' export(): the result is what the SDK logs and retries on.
      const spans = new InMemorySpanExporter();
      const sdk = new NodeSDK({ serviceName: 'export-result', spanProcessors: [new SimpleSpanProcessor(spans)] });
      sdk.start();
      trace.getTracer('t').startSpan('one').end();
      await eventually(async () => (spans.getFinishedSpans().length === 1 ? true : undefined));
      const finished = [...spans.getFinishedSpans()];
      await sdk.shutdown();
      resetGlobals();
      for (const exporter of [
        new ProtoTraceExporter({ url: `${server.otlpUrl}/v1/traces` }),
        new JsonTraceExporter({ url: `${server.otlpUrl}/v1/traces` }),
      ]) {
        const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
          exporter.export(finished, resolve),
        );
        assert.equal(result.code, 0, `export failed: ${result.error?.message}`);
        await exporter.shutdown();
      }
      const traceId = finished[0]?.spanContext().traceId;
      const stored = await eventually(async () => {
        const { status, body } = await getJson<ApiTrace>(`${server.apiUrl}/api/v1/traces/${traceId}`);
        return status === 200 ? body : undefined;
      });
      assert.equal(stored.spans.length, 1, 'sent twice, stored once');
    });
  });
}
