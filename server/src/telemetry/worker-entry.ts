// How a telemetry worker thread starts: the module next to the caller's, compiled or not, with
// the server's resource limits for worker threads. When the server runs from its TypeScript
// sources (tsx), a small bootstrap registers tsx in the thread first (threads do not inherit
// loader hooks).
import { Worker } from 'node:worker_threads';
import { WORKER_RESOURCE_LIMITS } from '../node-options.js';

/** Starts a worker thread on `moduleUrl` (with a `.ts` extension when running from sources). */
export function startWorker(moduleUrl: URL, data: Record<string, unknown>): Worker {
  const { entry, workerData } = workerEntry(moduleUrl, data);
  return new Worker(entry, { workerData, resourceLimits: WORKER_RESOURCE_LIMITS });
}

function workerEntry(
  moduleUrl: URL,
  data: Record<string, unknown>,
): { entry: URL; workerData: Record<string, unknown> } {
  const fromSources = moduleUrl.pathname.endsWith('.ts');
  if (!fromSources) return { entry: moduleUrl, workerData: data };
  const bootstrap = [
    "import { workerData } from 'node:worker_threads';",
    'const { register } = await import(workerData.tsx);',
    'register();',
    'await import(workerData.script);',
  ].join('\n');
  return {
    entry: new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`),
    workerData: { ...data, script: moduleUrl.href, tsx: import.meta.resolve('tsx/esm/api') },
  };
}

/** The URL of a sibling module of `from` (an import.meta.url), with the extension `from` has. */
export function siblingModule(from: string, name: string): URL {
  const extension = from.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`./${name}.${extension}`, from);
}
