// A small orchestrated saga: run steps in order; when one fails, run the compensations of the
// steps that completed, newest first. Each step and each compensation is a span under one
// saga span, so a failed saga and everything it undid read as one trace.
import { type Span, SpanStatusCode, trace } from '@opentelemetry/api';

export interface SagaStep<C> {
  name: string;
  run(context: C): Promise<void>;
  /** Undoes `run`; must be safe to call more than once. */
  compensate?: { name: string; run(context: C): Promise<void> };
}

export interface SagaOutcome {
  ok: boolean;
  /** The step that failed, when one did. */
  failedStep?: string;
  error?: unknown;
  /** Compensations that ran and succeeded, in the order they ran. */
  compensated: string[];
  /** Compensations that failed (the saga is then stuck and needs an operator). */
  compensationFailures: { name: string; error: unknown }[];
}

const tracer = trace.getTracer('@signalbox/demo/saga');

function fail(span: Span, error: unknown) {
  span.recordException(error as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message ?? String(error) });
}

export interface SagaOptions<C> {
  /** Called once a step failed, before any compensation runs (e.g. to record the reason). */
  onFailure?(context: C, step: string, error: unknown): void;
}

export async function runSaga<C>(
  name: string,
  steps: readonly SagaStep<C>[],
  context: C,
  options: SagaOptions<C> = {},
): Promise<SagaOutcome> {
  return tracer.startActiveSpan(`saga ${name}`, { attributes: { 'saga.name': name } }, async (sagaSpan) => {
    const done: SagaStep<C>[] = [];
    const outcome: SagaOutcome = { ok: true, compensated: [], compensationFailures: [] };
    try {
      for (const step of steps) {
        const failed = await tracer.startActiveSpan(
          `saga ${name} step ${step.name}`,
          { attributes: { 'saga.name': name, 'saga.step': step.name } },
          async (span) => {
            try {
              await step.run(context);
              return undefined;
            } catch (error) {
              fail(span, error);
              return { error };
            } finally {
              span.end();
            }
          },
        );
        if (failed) {
          outcome.ok = false;
          outcome.failedStep = step.name;
          outcome.error = failed.error;
          break;
        }
        done.push(step);
      }
      if (outcome.ok) return outcome;

      sagaSpan.setAttribute('saga.failed_step', outcome.failedStep ?? '');
      options.onFailure?.(context, outcome.failedStep ?? '', outcome.error);
      for (const step of done.reverse()) {
        const compensation = step.compensate;
        if (!compensation) continue;
        await tracer.startActiveSpan(
          `saga ${name} compensate ${compensation.name}`,
          {
            attributes: {
              'saga.name': name,
              'saga.step': compensation.name,
              'saga.compensation': true,
              'saga.compensates': step.name,
            },
          },
          async (span) => {
            try {
              await compensation.run(context);
              outcome.compensated.push(compensation.name);
            } catch (error) {
              fail(span, error);
              outcome.compensationFailures.push({ name: compensation.name, error });
            } finally {
              span.end();
            }
          },
        );
      }
      sagaSpan.setAttribute('saga.compensated', outcome.compensated.join(','));
      // The saga span is an error only when it could not put things back.
      if (outcome.compensationFailures.length > 0) {
        sagaSpan.setStatus({ code: SpanStatusCode.ERROR, message: 'compensation failed' });
      }
      return outcome;
    } finally {
      sagaSpan.end();
    }
  });
}
