// Polls a probe until it yields a value, for integration tests that wait on a running fleet.
// Errors thrown by the probe count as "not yet" (a service still starting refuses connections);
// on timeout the last error and the fleet's recent output (diag) go into the failure.
import { setTimeout as sleep } from 'node:timers/promises';

export async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  diag?: () => string,
  everyMs = 100,
): Promise<T> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `${what}: not within ${timeoutMs} ms${last ? ` (last: ${String(last)})` : ''}\n${diag?.() ?? ''}`,
      );
    }
    await sleep(everyMs);
  }
}
