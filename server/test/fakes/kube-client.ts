// The client side of tests against the fake API server: a real client-node KubeConfig pointing
// at it, informer options with short backoffs, and a polling wait.
import { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_INFORMER_OPTIONS, type InformerOptions } from '../../src/kubernetes/informers.js';

export function kubeConfigFor(url: string, token = 'test-token'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: url, skipTLSVerify: true }],
    users: [{ name: 'tester', token }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'tester' }],
    currentContext: 'fake',
  });
  return kc;
}

/** Retries quickly so fault tests finish in well under a second per retry. */
export const FAST_INFORMER: InformerOptions = {
  ...DEFAULT_INFORMER_OPTIONS,
  initialBackoffMs: 50,
  maxBackoffMs: 400,
};

/** Polls until the condition holds (or throws with what was awaited). */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}
