// The `contextOnly` variant of both bench services: no agent, only OpenTelemetry's
// AsyncLocalStorage context manager and a hook making a (non-recording) span context active for
// each request — the price of in-process context propagation alone on this Node version.
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

interface HookTarget {
  addHook(name: 'onRequest', hook: (request: unknown, reply: unknown, done: () => void) => void): unknown;
}

export function activateContextPerRequest(app: HookTarget): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const active = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: 1,
  });
  app.addHook('onRequest', (_request, _reply, done) => context.with(active, done));
}
