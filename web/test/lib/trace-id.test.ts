import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTraceId } from '../../src/lib/trace-id';

describe('go to trace: reading a trace id', () => {
  const id = '4bf92f3577b34da6a3ce929d0e0e4736';

  it('takes a bare id in any case, trimmed', () => {
    assert.equal(parseTraceId(id), id);
    assert.equal(parseTraceId(`  ${id.toUpperCase()}\n`), id);
  });

  it('pads a 64-bit id on the left, as OpenTelemetry stores Jaeger and Zipkin ids', () => {
    assert.equal(parseTraceId('a3ce929d0e0e4736'), '0000000000000000a3ce929d0e0e4736');
  });

  it('takes a traceparent value, with or without the header name', () => {
    assert.equal(parseTraceId(`00-${id}-00f067aa0ba902b7-01`), id);
    assert.equal(parseTraceId(`traceparent: 00-${id}-00f067aa0ba902b7-01`), id);
  });

  it('takes a B3 single header and a UUID-shaped id', () => {
    assert.equal(parseTraceId(`b3: ${id}-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90`), id);
    assert.equal(parseTraceId('80f198ee56343ba8-e457b5a2e4d86bd1-d'), '000000000000000080f198ee56343ba8');
    assert.equal(parseTraceId('4bf92f35-77b3-4da6-a3ce-929d0e0e4736'), id);
  });

  it('refuses what is not an id', () => {
    for (const text of ['', 'orders', `${id}0`, id.slice(1), 'zz'.repeat(16), `01-${id}`, `00-${id}-xyz-01`]) {
      assert.equal(parseTraceId(text), null, text);
    }
  });
});
