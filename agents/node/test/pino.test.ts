// The agent's pino logger against the real OpenTelemetry Trace SDK, with the records it would
// export kept in memory: trace ids on every line, and OTLP records built from the log call with
// the right body, severity, attributes, exception fields and span, which the OTLP serializer
// takes as they are.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { createPinoLogger, type LogExport, severityOf, traceFields } from '../src/logging/pino.js';

describe('pino logger', () => {
  const records: ReadableLogRecord[] = [];
  const logExport: LogExport = {
    resource: resourceFromAttributes({ 'service.name': 'pino-test' }),
    scope: { name: '@signalbox/agent/pino', version: '0.0.0' },
    push: (record) => void records.push(record),
  };
  const tracer = new TracerProvider().getTracer('test');
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };

  before(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  after(() => {
    context.disable();
  });

  function reset() {
    records.length = 0;
    lines.length = 0;
  }

  it('puts the active span ids on the line and on the record', () => {
    reset();
    const logger = createPinoLogger({ level: 'info' }, destination, { logExport });
    const span = tracer.startSpan('work');
    context.with(trace.setSpan(context.active(), span), () => logger.info('inside'));
    logger.info('outside');
    span.end();
    const { traceId, spanId } = span.spanContext();
    assert.equal(lines[0]?.['trace_id'], traceId);
    assert.equal(lines[0]?.['span_id'], spanId);
    assert.equal(lines[0]?.['trace_flags'], '01');
    assert.equal(lines[1]?.['trace_id'], undefined);
    const [inside, outside] = records;
    assert.equal(inside?.spanContext?.traceId, traceId);
    assert.equal(inside?.spanContext?.spanId, spanId);
    assert.equal(outside?.spanContext, undefined);
    assert.equal(inside?.resource, logExport.resource);
    assert.equal(inside?.instrumentationScope.name, '@signalbox/agent/pino');
    const now = Date.now() / 1000;
    assert.ok(
      inside && Math.abs(inside.hrTime[0] + inside.hrTime[1] / 1e9 - now) < 5,
      'the record has the time of the call',
    );
    // The serializer the exporter uses takes the records as they are.
    assert.ok(ProtobufLogsSerializer.serializeRequest(records)?.length);
  });

  it("lets nearer bindings and the call's own fields win", () => {
    reset();
    const logger = createPinoLogger({ level: 'info' }, destination, { logExport });
    const child = logger.child({ component: 'orders', step: 'parent' });
    child.child({ step: 'child' }).info({ component: 'payments' }, 'charged');
    assert.deepEqual(records[0]?.attributes, { component: 'payments', step: 'child' });
  });

  it('builds the record from the call: body, severity, bindings and fields', () => {
    reset();
    const logger = createPinoLogger({ level: 'debug' }, destination, { logExport }).child({ reqId: 'req-7' });
    logger.warn(
      { order_id: 42, at: new Date(0), nested: { ok: true }, skipped: undefined },
      'order %s is %d min late',
      'A-1',
      5,
    );
    logger.debug('plain message');
    const [warn, debug] = records;
    assert.equal(warn?.body, 'order A-1 is 5 min late');
    assert.equal(warn?.severityNumber, SeverityNumber.WARN);
    assert.equal(warn?.severityText, 'warn');
    assert.deepEqual(warn?.attributes, {
      reqId: 'req-7',
      order_id: 42,
      at: '1970-01-01T00:00:00.000Z',
      nested: { ok: true },
    });
    assert.equal(debug?.body, 'plain message');
    // A grandchild carries both generations of bindings; pid and hostname stay in the resource.
    logger.child({ step: 'charge' }).info('deeper');
    assert.deepEqual(records[2]?.attributes, { reqId: 'req-7', step: 'charge' });
    assert.equal(debug?.severityNumber, SeverityNumber.DEBUG);
    // The line on stdout is pino's own, unchanged.
    assert.equal(lines[0]?.['msg'], 'order A-1 is 5 min late');
    assert.equal(lines[0]?.['reqId'], 'req-7');
  });

  it('turns errors into exception attributes', () => {
    reset();
    const logger = createPinoLogger({ level: 'info' }, destination, { logExport });
    logger.error(new TypeError('card declined'));
    logger.error({ err: new Error('timeout'), payment_id: 'p-1' }, 'charge failed');
    const [first, second] = records;
    assert.equal(first?.body, 'card declined');
    assert.equal(first?.attributes['exception.type'], 'TypeError');
    assert.equal(first?.attributes['exception.message'], 'card declined');
    assert.match(String(first?.attributes['exception.stacktrace']), /TypeError: card declined/);
    assert.equal(second?.body, 'charge failed');
    assert.equal(second?.attributes['exception.message'], 'timeout');
    assert.equal(second?.attributes['payment_id'], 'p-1');
    assert.equal(second?.severityNumber, SeverityNumber.ERROR);
  });

  it('exports nothing when telemetry is off, and below-level calls never reach the SDK', () => {
    reset();
    createPinoLogger({ level: 'info' }, destination, { logExport: undefined }).info('local only');
    createPinoLogger({ level: 'warn' }, destination, { logExport }).info('filtered');
    assert.equal(records.length, 0);
    assert.equal(lines.length, 1);
  });

  it('maps pino levels to OTLP severities', () => {
    assert.deepEqual([10, 20, 30, 40, 50, 60].map(severityOf), [
      SeverityNumber.TRACE,
      SeverityNumber.DEBUG,
      SeverityNumber.INFO,
      SeverityNumber.WARN,
      SeverityNumber.ERROR,
      SeverityNumber.FATAL,
    ]);
    assert.deepEqual(traceFields(), {});
  });
});
